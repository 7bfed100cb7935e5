--liquibase formatted sql
--changeset a:1 frobnicate:true
CREATE TABLE t1(id int);
