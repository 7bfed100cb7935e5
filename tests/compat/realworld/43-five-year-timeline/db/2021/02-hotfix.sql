--liquibase formatted sql
--changeset oncall:2021-hotfix-email-index
--preconditions onFail:MARK_RAN
--precondition-sql-check expectedResult:0 SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_users_email'
CREATE INDEX ix_users_email ON users (lower(email));
