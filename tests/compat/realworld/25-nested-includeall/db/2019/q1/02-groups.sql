--liquibase formatted sql
--changeset arch:2019q1-groups
CREATE TABLE member_group (id int, name text);
