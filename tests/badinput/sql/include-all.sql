--liquibase formatted sql
--changeset a:1
CREATE TABLE t1(id int);
--includeAll path:no-such-dir/
