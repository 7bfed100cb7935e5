--liquibase formatted sql
--changeset a:1 context:"abc
CREATE TABLE t1(id int);
