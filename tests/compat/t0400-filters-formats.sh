#!/usr/bin/env bash
# Contexts and labels in all four changelog formats, run with and without
# --contexts / --label-filter by real Liquibase 4.28 and by migrator on
# fresh databases: the DATABASECHANGELOG rows (which changesets ran, their
# CONTEXTS and LABELS columns, checksums) must be the same.
. "$(dirname "$0")/../lib/test-lib.sh"
ensure_liquibase

work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db c0400lb; drop_db c0400mg"
cd "$work" || exit 1

cat > changelog.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
  <changeSet id="a" author="f" context="dev" labels="v1"><sql>CREATE TABLE f_a (id int)</sql></changeSet>
  <changeSet id="b" author="f" context="prod"><sql>CREATE TABLE f_b (id int)</sql></changeSet>
  <changeSet id="c" author="f" labels="v2, Feature-X"><sql>CREATE TABLE f_c (id int)</sql></changeSet>
  <changeSet id="d" author="f" context="!prod and (dev or test)"><sql>CREATE TABLE f_d (id int)</sql></changeSet>
  <changeSet id="e" author="f"><sql>CREATE TABLE f_e (id int)</sql></changeSet>
</databaseChangeLog>
XML
cat > changelog.yaml <<'YAML'
databaseChangeLog:
  - changeSet: {id: a, author: f, context: dev, labels: v1, changes: [{sql: CREATE TABLE f_a (id int)}]}
  - changeSet: {id: b, author: f, context: prod, changes: [{sql: CREATE TABLE f_b (id int)}]}
  - changeSet: {id: c, author: f, labels: "v2, Feature-X", changes: [{sql: CREATE TABLE f_c (id int)}]}
  - changeSet: {id: d, author: f, context: "!prod and (dev or test)", changes: [{sql: CREATE TABLE f_d (id int)}]}
  - changeSet: {id: e, author: f, changes: [{sql: CREATE TABLE f_e (id int)}]}
YAML
cat > changelog.json <<'JSON'
{"databaseChangeLog": [
  {"changeSet": {"id": "a", "author": "f", "context": "dev", "labels": "v1", "changes": [{"sql": "CREATE TABLE f_a (id int)"}]}},
  {"changeSet": {"id": "b", "author": "f", "context": "prod", "changes": [{"sql": "CREATE TABLE f_b (id int)"}]}},
  {"changeSet": {"id": "c", "author": "f", "labels": "v2, Feature-X", "changes": [{"sql": "CREATE TABLE f_c (id int)"}]}},
  {"changeSet": {"id": "d", "author": "f", "context": "!prod and (dev or test)", "changes": [{"sql": "CREATE TABLE f_d (id int)"}]}},
  {"changeSet": {"id": "e", "author": "f", "changes": [{"sql": "CREATE TABLE f_e (id int)"}]}}
]}
JSON
cat > changelog.sql <<'SQL'
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
SQL

for cl in changelog.xml changelog.yaml changelog.json changelog.sql; do
	for filter in "" "--contexts=dev" "--contexts=prod" "--label-filter=v1" \
		"--label-filter=feature-x" "--contexts=test --label-filter=!v1"; do
		new_db c0400lb >/dev/null
		new_db c0400mg >/dev/null
		# shellcheck disable=SC2086
		run lb c0400lb --changelog-file=$cl update $filter
		lbrc=$RC
		# shellcheck disable=SC2086
		run "$MIGRATOR" update --changelog-file=$cl --url="$(pg_url c0400mg)" $filter
		assert_eq "$lbrc" "$RC" "$cl ${filter:-(no filter)}: exit status"
		assert_eq "$(dump_rows c0400lb)" "$(dump_rows c0400mg)" \
			"$cl ${filter:-(no filter)}: rows equal Liquibase's"
	done
done
finish
