--liquibase formatted sql

--changeset sqlteam:v1-1 labels:base
--comment: tickets
CREATE TABLE ticket (
    id serial PRIMARY KEY,
    subject varchar(200) NOT NULL, -- the title shown in lists
    opened timestamp DEFAULT now()
);
CREATE INDEX ix_ticket_opened ON ticket (opened);
--rollback DROP TABLE ticket;

--changeset sqlteam:v1-2 splitStatements:true endDelimiter:;
ALTER TABLE ticket ADD COLUMN priority int DEFAULT 3;
ALTER TABLE ticket ADD CONSTRAINT ck_ticket_priority CHECK (priority BETWEEN 1 AND 5);
--rollback ALTER TABLE ticket DROP COLUMN priority;

--changeset sqlteam:v1-3
--preconditions onFail:MARK_RAN
--precondition-sql-check expectedResult:0 SELECT count(*) FROM information_schema.columns WHERE table_name = 'ticket' AND column_name = 'assignee'
ALTER TABLE ticket ADD COLUMN assignee varchar(50);
