-- english first
INSERT INTO greeting VALUES ('en', 'Hello; world')
/
INSERT INTO greeting VALUES ('fr', 'Bonjour')
/
