--changeset a:1
CREATE TABLE t1(id int);
