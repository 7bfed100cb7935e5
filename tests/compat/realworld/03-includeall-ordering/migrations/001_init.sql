--liquibase formatted sql
--changeset dev1:001
CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL);
