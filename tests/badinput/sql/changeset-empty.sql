--liquibase formatted sql
--changeset
CREATE TABLE t1(id int);
