--liquibase formatted sql
--changeset ops:dev-seed
INSERT INTO person VALUES (1, 'Dev Eloper');
