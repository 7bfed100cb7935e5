INSERT INTO greeting VALUES ('de', 'Grья Gott');
