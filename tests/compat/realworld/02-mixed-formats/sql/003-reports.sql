--liquibase formatted sql

--changeset finance:reports-1
--comment: balance per account
CREATE VIEW account_balance AS
SELECT a.id, a.currency, coalesce(sum(e.amount), 0) AS balance
FROM account a LEFT JOIN ledger_entry e ON e.account_id = a.id
GROUP BY a.id, a.currency;
--rollback DROP VIEW account_balance;

--changeset finance:reports-2
CREATE INDEX ix_account_active ON account (active) WHERE active;
--rollback DROP INDEX ix_account_active;
