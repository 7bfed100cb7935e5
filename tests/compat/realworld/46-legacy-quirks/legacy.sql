--liquibase formatted sql

--changeset legacy:sql-1 contextFilter:prod
CREATE TABLE legacy_note (id int, "Body" text);
--rollback DROP TABLE legacy_note;

--changeset legacy:sql-2
/* two statements */
INSERT INTO legacy_note VALUES (1, 'a');
INSERT INTO legacy_note VALUES (2, 'b');
/* liquibase rollback
DELETE FROM legacy_note WHERE id IN (1, 2);
*/

--changeset legacy:sql-3 ignore:true
DROP TABLE legacy_note;
