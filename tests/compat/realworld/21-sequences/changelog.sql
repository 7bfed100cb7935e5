--liquibase formatted sql

--changeset seq:1
CREATE SEQUENCE invoice_no START WITH 5000 INCREMENT BY 1 NO CYCLE;
--rollback DROP SEQUENCE invoice_no;

--changeset seq:2
CREATE TABLE invoice (no bigint DEFAULT nextval('invoice_no') PRIMARY KEY, amount numeric(10,2));
INSERT INTO invoice (amount) VALUES (10.00);
INSERT INTO invoice (amount) VALUES (25.50);

--changeset seq:3
ALTER SEQUENCE invoice_no INCREMENT BY 10;

--changeset seq:4 runOnChange:true
SELECT setval('invoice_no', (SELECT max(no) FROM invoice));
