#!/usr/bin/env python3
"""Write the loadData benchmark's inputs into a folder.

    gen_load.py ROWS DIR [--seed S]

DIR/load.csv      ROWS rows: id, a quoted name with a comma, an amount, a flag, a date
DIR/load.xml      a changelog: createTable, then loadData of load.csv (typed columns)
DIR/load-psql.sql the psql floor: the same CREATE TABLE, then \\copy of the same file
Standard library only.
"""
import argparse
import os
import random

CREATE = ("CREATE TABLE bench_load (id BIGINT NOT NULL, name VARCHAR(60), amount NUMERIC(12, 2), "
          "active BOOLEAN, created date, CONSTRAINT bench_load_pkey PRIMARY KEY (id))")

CHANGELOG = """<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
  <changeSet id="table" author="bench">
    <createTable tableName="bench_load">
      <column name="id" type="bigint"><constraints primaryKey="true" nullable="false"/></column>
      <column name="name" type="varchar(60)"/>
      <column name="amount" type="numeric(12,2)"/>
      <column name="active" type="boolean"/>
      <column name="created" type="date"/>
    </createTable>
  </changeSet>
  <changeSet id="load" author="bench">
    <loadData tableName="bench_load" file="load.csv" relativeToChangelogFile="true">
      <column name="id" type="NUMERIC"/>
      <column name="name" type="STRING"/>
      <column name="amount" type="NUMERIC"/>
      <column name="active" type="BOOLEAN"/>
      <column name="created" type="DATE"/>
    </loadData>
  </changeSet>
</databaseChangeLog>
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.dir, exist_ok=True)
    with open(os.path.join(a.dir, "load.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("id,name,amount,active,created\n")
        for i in range(1, a.rows + 1):
            f.write('%d,"customer %d, %s",%d.%02d,%s,2024-%02d-%02d\n' % (
                i, i, rnd.choice(("north", "south", "east", "west")), rnd.randrange(100000),
                rnd.randrange(100), "true" if rnd.random() < 0.5 else "false",
                rnd.randrange(1, 13), rnd.randrange(1, 29)))
    with open(os.path.join(a.dir, "load.xml"), "w", encoding="utf-8") as f:
        f.write(CHANGELOG)
    with open(os.path.join(a.dir, "load-psql.sql"), "w", encoding="utf-8") as f:
        csv = os.path.abspath(os.path.join(a.dir, "load.csv")).replace("'", "''")
        f.write("BEGIN;\n%s;\n\\copy bench_load FROM '%s' WITH (FORMAT csv, HEADER true)\n"
                "COMMIT;\n" % (CREATE, csv))


if __name__ == "__main__":
    main()
