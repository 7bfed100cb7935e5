--liquibase formatted sql

--changeset sqlteam:v2-1 splitStatements:false
CREATE FUNCTION ticket_age(t ticket) RETURNS interval AS $$
BEGIN
    RETURN now() - t.opened;
END;
$$ LANGUAGE plpgsql STABLE;
--rollback DROP FUNCTION ticket_age(ticket);

--changeset sqlteam:v2-2 runOnChange:true splitStatements:false
CREATE OR REPLACE FUNCTION ticket_label(p int) RETURNS text AS $$
    SELECT CASE p WHEN 1 THEN 'urgent' WHEN 2 THEN 'high' ELSE 'normal' END
$$ LANGUAGE sql IMMUTABLE;

--changeset sqlteam:v2-3 stripComments:true
/* a view over open tickets */
CREATE VIEW open_ticket AS
SELECT id, subject, ticket_label(priority) AS label -- computed
FROM ticket;
