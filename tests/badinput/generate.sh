#!/usr/bin/env bash
# generate.sh DIR: write the big or binary cases of the bad-input corpus into DIR
# (they are made at test time rather than committed). The huge line is 50 MB, not
# the 2 GB of issue 11, to keep CI fast; the parsers read a file whole, so what a
# huge line tests (no fixed line buffer, no int overflow of a column) shows at 50 MB.
set -eu
out=$1
mkdir -p "$out"
cd "$out"
D='<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">'
S='--liquibase formatted sql'
deep=10000
huge=$((50 * 1024 * 1024))

# a string of N copies of S
rep() { yes -- "$2" | head -n "$1" | tr -d '\n'; }
# N bytes of 'a', on one line
long() { head -c "$1" /dev/zero | tr '\0' a; }

# 10,000-deep nesting
{ echo "$D"; rep $deep '<a>'; rep $deep '</a>'; echo '</databaseChangeLog>'; } > deep-nesting.xml
{ echo "$D"; echo ' <changeSet id="1" author="a"><sql>'; rep $deep '<b>'; echo '</sql></changeSet></databaseChangeLog>'; } > deep-unclosed.xml
{ printf 'databaseChangeLog: '; rep $deep '['; rep $deep ']'; echo; } > deep-flow.yaml
{ printf 'databaseChangeLog:\n  - changeSet:\n      id: "1"\n      author: a\n      comment: '; rep $deep '{a: '; echo; } > deep-unclosed.yaml
{ printf '{"databaseChangeLog": '; rep $deep '['; rep $deep ']'; echo '}'; } > deep-nesting.json
{ printf '{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "a", "comment": '; rep $deep '{"a": '; echo; } > deep-unclosed.json
{ echo "$S"; echo '--changeset a:1'; printf 'CREATE TABLE t1(id int);\n'; yes -- '--rollback /* a' | head -n $deep; echo '--changeset a:1'; } > deep-comments.sql

# a 50 MB line (each file is also invalid, after the line, so nothing may run)
{ echo "$D"; printf '  <changeSet id="1" author="a"><sql>CREATE TABLE t1(id int) -- '; long $huge; printf '</sql></changeSet>\n  <changeSet id="2" author="a"><frobnicate/></changeSet>\n</databaseChangeLog>\n'; } > huge-line.xml
{ printf 'databaseChangeLog:\n  - changeSet:\n      id: "1"\n      author: a\n      changes:\n        - sql:\n            sql: "CREATE TABLE t1(id int) -- '; long $huge; printf '"\n  - changeSet:\n      id: "2"\n      author: a\n      changes:\n        - frobnicate: {}\n'; } > huge-line.yaml
{ printf '{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "a", "changes": [{"sql": {"sql": "CREATE TABLE t1(id int) -- '; long $huge; printf '"}}]}},\n  {"changeSet": {"id": "2", "author": "a", "changes": [{"frobnicate": {}}]}}\n]}\n'; } > huge-line.json
{ echo "$S"; echo '--changeset a:1'; printf 'CREATE TABLE t1(id int); -- '; long $huge; printf '\n--changeset a:1\nCREATE TABLE t2(id int);\n'; } > huge-line.sql
{ printf '%s\n  <changeSet id="1" author="a"><sql>CREATE TABLE t1(id int) -- ' "$D"; long $huge; } > huge-unterminated.xml

# invalid UTF-8 (a lone continuation byte, an overlong '/', a truncated sequence)
printf '%s\n  <changeSet id="1" author="a\x80"><sql>CREATE TABLE t1(id int)</sql></changeSet>\n</databaseChangeLog>\n' "$D" > bad-utf8.xml
printf '%s\n  <changeSet id="1" author="a"><sql>CREATE TABLE t1(id int) -- \xc0\xaf</sql></changeSet>\n</databaseChangeLog>\n' "$D" > overlong-utf8.xml
printf 'databaseChangeLog:\n  - changeSet:\n      id: "1\xff"\n      author: a\n      changes:\n        - sql:\n            sql: CREATE TABLE t1(id int)\n' > bad-utf8.yaml
printf '{"databaseChangeLog": [{"changeSet": {"id": "1\xe2\x82", "author": "a", "changes": [{"sql": {"sql": "CREATE TABLE t1(id int)"}}]}}]}\n' > bad-utf8.json
printf '%s\n--changeset a\xfe:1\nCREATE TABLE t1(id int);\n' "$S" > bad-utf8.sql

# NUL bytes
printf '%s\n  <changeSet id="1" author="a"><sql>CREATE TABLE t1(id int)\0; DROP TABLE x</sql></changeSet>\n</databaseChangeLog>\n' "$D" > nul.xml
printf 'databaseChangeLog:\n  - changeSet:\n      id: "1"\n      author: a\0b\n      changes:\n        - sql:\n            sql: CREATE TABLE t1(id int)\n' > nul.yaml
printf '{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "a\0", "changes": [{"sql": {"sql": "CREATE TABLE t1(id int)"}}]}}]}\n' > nul.json
printf '%s\n--changeset a:1\nCREATE TABLE t1(id int);\0\n--changeset a:2 frobnicate:1\nSELECT 1;\n' "$S" > nul.sql

# byte-order marks: a UTF-16 BOM over UTF-8 text, two BOMs, a BOM over a truncated file
printf '\xff\xfe%s\n</databaseChangeLog>\n' "$D" > utf16-bom.xml
printf '\xef\xbb\xbf\xef\xbb\xbf%s\n</databaseChangeLog>\n' "$D" > double-bom.xml
printf '\xef\xbb\xbf%s\n  <changeSet id="1" author="a"><sql>CREATE TABLE t1(id int)' "$D" > bom-trunc.xml
printf '\xfe\xffdatabaseChangeLog: []\n' > utf16-bom.yaml
printf '\xef\xbb\xbfdatabaseChangeLog:\n  - changeSet: {id: "1", author: a, changes: [' > bom-trunc.yaml
printf '\xef\xbb\xbf\xef\xbb\xbf{"databaseChangeLog": []}\n' > double-bom.json
printf '\xef\xbb\xbf{"databaseChangeLog": [' > bom-trunc.json
printf '\xef\xbb\xbf%s\n--changeset a\n' "$S" > bom-bad-changeset.sql
