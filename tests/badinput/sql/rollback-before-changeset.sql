--liquibase formatted sql
--rollback DROP TABLE t1;
--changeset a:1
CREATE TABLE t1(id int);
