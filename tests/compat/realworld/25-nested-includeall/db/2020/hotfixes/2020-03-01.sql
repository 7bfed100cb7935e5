--liquibase formatted sql
--changeset oncall:2020-03-01-hotfix
--preconditions onFail:MARK_RAN
--precondition-sql-check expectedResult:0 SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_membership_member'
CREATE INDEX ix_membership_member ON membership (member_id);
