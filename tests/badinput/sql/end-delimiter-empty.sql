--liquibase formatted sql
--changeset a:1 endDelimiter:
CREATE TABLE t1(id int);
