--liquibase formatted sql

--changeset dba:1 dbms:postgresql labels:core
CREATE TABLE conf (k varchar(30) PRIMARY KEY, v text);

--changeset dba:1-ora dbms:oracle
CREATE TABLE conf (k varchar2(30) PRIMARY KEY, v clob);

--changeset dba:2 endDelimiter:GO
INSERT INTO conf VALUES ('a', 'semi;colon')
GO
INSERT INTO conf VALUES ('b', 'two')
GO

--changeset dba:3
--validCheckSum: ANY
--comment: checksum accepted whatever it is
INSERT INTO conf VALUES ('c', 'three');

--changeset dba:4
--ignoreLines:start
DROP TABLE conf;
--ignoreLines:end
UPDATE conf SET v = upper(v) WHERE k = 'b';

--changeset dba:5 runOnChange:true
--ignoreLines:1
SELECT pg_sleep(100);
CREATE OR REPLACE VIEW conf_v AS SELECT k, v FROM conf;
--rollback DROP VIEW conf_v;
