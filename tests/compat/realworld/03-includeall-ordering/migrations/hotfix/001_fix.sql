--liquibase formatted sql
--changeset dev1:hotfix-001
ALTER TABLE item_order ADD CONSTRAINT pk_item_order PRIMARY KEY (id);
