--liquibase formatted sql
--changeset a
CREATE TABLE t1(id int);
