--liquibase formatted sql
--changeset a:1
--precondition-frobnicate 1
CREATE TABLE t1(id int);
