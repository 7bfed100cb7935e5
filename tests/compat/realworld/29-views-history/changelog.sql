--liquibase formatted sql

--changeset views:1
CREATE TABLE sale (id int, region text, amount numeric, sold_on date);
INSERT INTO sale VALUES (1, 'north', 10, '2021-01-05'), (2, 'south', 20, '2021-02-10');

--changeset views:2 runOnChange:true
CREATE OR REPLACE VIEW sale_by_region AS SELECT region, sum(amount) AS total FROM sale GROUP BY region;
--rollback DROP VIEW sale_by_region;

--changeset views:3
CREATE MATERIALIZED VIEW sale_monthly AS SELECT date_trunc('month', sold_on) AS month, sum(amount) AS total FROM sale GROUP BY 1;

--changeset views:4 runAlways:true
REFRESH MATERIALIZED VIEW sale_monthly;

--changeset views:5
ALTER VIEW sale_by_region RENAME TO sales_by_region;
