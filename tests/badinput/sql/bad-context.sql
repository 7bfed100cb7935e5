--liquibase formatted sql
--changeset a:1 context:"(a and"
CREATE TABLE t1(id int);
