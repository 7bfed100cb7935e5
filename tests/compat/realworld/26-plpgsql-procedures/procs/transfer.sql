CREATE OR REPLACE PROCEDURE transfer(src int, dst int, amount numeric)
LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE acct SET balance = balance - amount WHERE id = src;
    UPDATE acct SET balance = balance + amount WHERE id = dst;
END;
$body$;
