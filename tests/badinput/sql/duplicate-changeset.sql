--liquibase formatted sql
--changeset a:1
CREATE TABLE t1(id int);
--changeset a:1
CREATE TABLE t2(id int);
