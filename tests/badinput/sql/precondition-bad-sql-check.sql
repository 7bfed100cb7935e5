--liquibase formatted sql
--changeset a:1
--precondition-sql-check expectedResult
CREATE TABLE t1(id int);
