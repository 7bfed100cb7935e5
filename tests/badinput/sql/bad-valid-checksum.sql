--liquibase formatted sql
--changeset a:1
--validCheckSum: 
CREATE TABLE t1(id int);
