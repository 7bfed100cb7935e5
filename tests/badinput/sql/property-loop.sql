--liquibase formatted sql
--property name:a value:${b}
--property name:b value:${a}
--changeset a:1
CREATE TABLE t1(id int); -- ${a}
