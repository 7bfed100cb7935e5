--liquibase formatted sql
--changeset a:1
CREATE TABLE t1(id int);
--include file:no-such.sql
