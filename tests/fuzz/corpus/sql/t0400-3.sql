--liquibase formatted sql

--changeset f:a context:dev labels:v1
CREATE TABLE f_a (id int);
--changeset f:b context:prod
CREATE TABLE f_b (id int);
--changeset f:c labels:"v2, Feature-X"
CREATE TABLE f_c (id int);
--changeset f:d context:"!prod and (dev or test)"
CREATE TABLE f_d (id int);
--changeset f:e
CREATE TABLE f_e (id int);