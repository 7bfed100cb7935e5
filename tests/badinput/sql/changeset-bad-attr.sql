--liquibase formatted sql
--changeset a:1 runAlways:perhaps
CREATE TABLE t1(id int);
