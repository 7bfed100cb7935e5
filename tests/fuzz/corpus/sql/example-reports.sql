--liquibase formatted sql

--changeset shop:reports-1
--comment: revenue per customer
CREATE VIEW customer_revenue AS
  SELECT c.id, c.email, COALESCE(SUM(o.total), 0) AS revenue
  FROM customer c LEFT JOIN orders o ON o.customer_id = c.id
  GROUP BY c.id, c.email;
--rollback DROP VIEW customer_revenue;
