--liquibase formatted sql

--changeset crm:crm-1 labels:crm-core
CREATE TABLE contact (id int PRIMARY KEY, org_id int REFERENCES org (id), email text);

--changeset crm:crm-2 context:prod
CREATE INDEX ix_contact_email ON contact (email);
