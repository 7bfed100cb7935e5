--liquibase formatted sql

--changeset sqlteam:v3-1 context:!test
INSERT INTO ticket (subject, priority, opened) VALUES ('Printer on fire', 1, '2020-02-02 10:00');
INSERT INTO ticket (subject, priority, opened) VALUES ('Coffee machine; again', 2, '2020-02-03 11:30');
--rollback DELETE FROM ticket WHERE opened < '2020-03-01';

--changeset sqlteam:v3-2 failOnError:true
UPDATE ticket SET assignee = 'ops' WHERE priority = 1;
--rollback UPDATE ticket SET assignee = NULL WHERE priority = 1;
