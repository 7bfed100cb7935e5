-- keeps acct.updated current
CREATE OR REPLACE FUNCTION touch_updated() RETURNS trigger AS $$
BEGIN
    NEW.updated := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
