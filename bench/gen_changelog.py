#!/usr/bin/env python3
"""Generate a realistic Liquibase XML changelog for the benchmark.

    gen_changelog.py N [OUT] [--seed S]

Writes N changesets (to OUT, default stdout) that grow a schema the way an
application's history does: tables created with 5-8 columns (identity primary
key, a unique business code, defaults), then columns added, indexes and foreign
keys created, a few rows inserted, views and data fixes in plain SQL, columns
renamed and made NOT NULL. Every changeset holds one or two changes, ids are
unique, and the whole file is valid on PostgreSQL 15 for both migrator and
Liquibase 4.28. The output only depends on N and the seed (default 1).
Standard library only.
"""
import random
import re
import sys
from xml.sax.saxutils import quoteattr, escape

NOUNS = [
    "customer", "account", "invoice", "payment", "product", "supplier",
    "warehouse", "shipment", "order_line", "price_list", "employee",
    "department", "project", "task", "ticket", "contract", "vendor",
    "region", "store", "coupon", "refund", "carrier", "category", "review",
]

AUTHORS = ["alice", "bob", "carol", "dave"]

# optional columns of a new table: name -> kind
OPTIONAL_COLUMNS = [
    ("name", "text"), ("status", "status"), ("amount", "num"),
    ("qty", "int"), ("is_active", "bool"), ("created_at", "ts"),
    ("notes", "clob"), ("email", "text"), ("valid_from", "date"),
]

# columns addColumn may add: name -> kind
ADDABLE_COLUMNS = [
    ("description", "text"), ("updated_at", "ts"), ("priority", "int"),
    ("region_code", "short"), ("discount", "num"), ("is_archived", "bool"),
    ("external_ref", "text"), ("weight", "num"), ("due_date", "date"),
    ("owner_name", "text"), ("version_no", "int"), ("legacy_notes", "clob"),
]

TYPES = {
    "text": "varchar(120)", "status": "varchar(20)", "short": "varchar(8)",
    "num": "numeric(12,2)", "int": "int", "bool": "boolean",
    "ts": "timestamp", "date": "date", "clob": "text", "ref": "bigint",
}

# renameColumn's new names (fallback: NAME_rN)
RENAMES = {
    "name": "display_name", "qty": "quantity", "notes": "remarks",
    "amount": "total_amount", "email": "email_address", "status": "state",
    "created_at": "created_on", "description": "summary", "weight": "weight_kg",
    "owner_name": "owner", "priority": "priority_level", "is_active": "enabled",
}

STATUSES = ["new", "active", "on_hold", "closed"]


class Table:
    def __init__(self, name):
        self.name = name
        self.cols = []          # [name, kind]
        self.rows = 0
        self.indexed = set()    # column names with an index
        self.notnull = set()
        self.refs = set()       # tables referenced by a foreign key
        self.view = False
        self.renames = 0

    def col_names(self):
        return [c[0] for c in self.cols]

    def plain_cols(self):
        """Columns the generator may index, rename, update or fill."""
        return [c for c in self.cols if c[1] not in ("id", "code", "ref")]


class Gen:
    def __init__(self, n, seed):
        self.n = n
        self.rnd = random.Random(seed)
        self.tables = []
        self.names = set()      # every constraint, index, view, sequence name
        self.seq = 0

    # ---- helpers -------------------------------------------------------
    def unique(self, name):
        name = name[:60]
        base, k = name, 2
        while name in self.names:
            name = "%s_%d" % (base[:56], k)
            k += 1
        self.names.add(name)
        return name

    def value_attr(self, kind, t, rowno):
        r = self.rnd
        if kind in ("text", "clob"):
            return 'value=%s' % quoteattr("%s %d" % (t.name.replace("_", " ").title(), rowno))
        if kind == "short":
            return 'value="R%d"' % r.randint(1, 99)
        if kind == "status":
            return 'value="%s"' % r.choice(STATUSES)
        if kind == "num":
            return 'valueNumeric="%d.%02d"' % (r.randint(1, 9999), r.randint(0, 99))
        if kind == "int":
            return 'valueNumeric="%d"' % r.randint(0, 500)
        if kind == "bool":
            return 'valueBoolean="%s"' % r.choice(["true", "false"])
        if kind == "ts":
            return 'valueDate="2024-%02d-%02dT%02d:%02d:00"' % (
                r.randint(1, 12), r.randint(1, 28), r.randint(0, 23), r.randint(0, 59))
        if kind == "date":
            return 'valueDate="2024-%02d-%02d"' % (r.randint(1, 12), r.randint(1, 28))
        raise ValueError(kind)

    def null_default(self, kind):
        return {"text": "n/a", "clob": "-", "short": "XX", "status": "new",
                "num": "0", "int": "0", "bool": "false",
                "ts": "2024-01-01 00:00:00", "date": "2024-01-01"}[kind]

    def column_xml(self, name, kind, ind, extra=""):
        typ = TYPES[kind]
        attrs = 'name=%s type="%s"' % (quoteattr(name), typ)
        cons = ""
        if kind == "status":
            attrs += ' defaultValue="new"'
            cons = '<constraints nullable="false"/>'
        elif kind == "num":
            attrs += ' defaultValueNumeric="0.00"'
        elif kind == "int":
            attrs += ' defaultValueNumeric="0"'
        elif kind == "bool":
            attrs += ' defaultValueBoolean="true"'
        elif kind == "ts" and name == "created_at":
            attrs += ' defaultValueComputed="CURRENT_TIMESTAMP"'
        elif kind == "text" and self.rnd.random() < 0.3:
            attrs += ' remarks=%s' % quoteattr("%s of the record" % name.replace("_", " "))
        attrs += extra
        if cons:
            return '%s<column %s>\n%s    %s\n%s</column>' % (ind, attrs, ind, cons, ind)
        return '%s<column %s/>' % (ind, attrs)

    # ---- changes (each returns XML text, indented by 8) -----------------
    def create_table(self):
        noun = NOUNS[len(self.tables) % len(NOUNS)]
        name = noun if len(self.tables) < len(NOUNS) else "%s_%d" % (noun, len(self.tables) // len(NOUNS) + 1)
        t = Table(name)
        ind = " " * 12
        k = self.rnd.randint(3, 6)          # 2 fixed + 3..6 optional = 5..8 columns
        opt = self.rnd.sample(OPTIONAL_COLUMNS, k)
        pk = self.unique("pk_" + name)
        uq = self.unique("uq_%s_code" % name)
        lines = ['        <createTable tableName="%s" remarks=%s>' % (name, quoteattr(noun.replace("_", " ").capitalize() + " records"))]
        lines.append('%s<column name="id" type="bigint" autoIncrement="true">' % ind)
        lines.append('%s    <constraints primaryKey="true" primaryKeyName="%s"/>' % (ind, pk))
        lines.append('%s</column>' % ind)
        lines.append('%s<column name="code" type="varchar(40)">' % ind)
        lines.append('%s    <constraints nullable="false" unique="true" uniqueConstraintName="%s"/>' % (ind, uq))
        lines.append('%s</column>' % ind)
        t.cols = [["id", "id"], ["code", "code"]]
        t.notnull.update(["id", "code"])
        for cname, kind in opt:
            lines.append(self.column_xml(cname, kind, ind))
            t.cols.append([cname, kind])
            if kind == "status":
                t.notnull.add(cname)
        lines.append('        </createTable>')
        t.indexed.update(["id", "code"])
        self.tables.append(t)
        return "\n".join(lines), t

    def add_column(self, t):
        have = set(t.col_names())
        cands = [c for c in ADDABLE_COLUMNS if c[0] not in have]
        if not cands:
            cname, kind = "extra_%d" % len(t.cols), "text"
        else:
            cname, kind = self.rnd.choice(cands)
        t.cols.append([cname, kind])
        return ('        <addColumn tableName="%s">\n%s\n        </addColumn>'
                % (t.name, self.column_xml(cname, kind, " " * 12)))

    def create_index(self, t):
        cands = [c for c in t.cols if c[0] not in t.indexed and c[1] not in ("clob", "id")]
        if not cands:
            return None
        cname, _ = self.rnd.choice(cands)
        t.indexed.add(cname)
        iname = self.unique("idx_%s_%s" % (t.name, cname))
        return ('        <createIndex indexName="%s" tableName="%s">\n'
                '            <column name="%s"/>\n'
                '        </createIndex>' % (iname, t.name, cname))

    def foreign_key(self, t):
        """two changes: the referencing column, then the constraint"""
        targets = [o for o in self.tables if o is not t and o.name not in t.refs]
        if not targets:
            return None
        o = self.rnd.choice(targets)
        t.refs.add(o.name)
        cname = "%s_id" % o.name
        t.cols.append([cname, "ref"])
        t.indexed.add(cname)   # keep it out of createIndex's picks: FK columns get theirs below
        fk = self.unique("fk_%s_%s" % (t.name, o.name))
        ondel = self.rnd.choice(["", ' onDelete="CASCADE"', ' onDelete="SET NULL"'])
        a = ('        <addColumn tableName="%s">\n'
             '            <column name="%s" type="bigint"/>\n'
             '        </addColumn>' % (t.name, cname))
        b = ('        <addForeignKeyConstraint constraintName="%s"\n'
             '                baseTableName="%s" baseColumnNames="%s"\n'
             '                referencedTableName="%s" referencedColumnNames="id"%s/>'
             % (fk, t.name, cname, o.name, ondel))
        return a + "\n" + b

    def insert(self, t):
        lines = []
        for _ in range(self.rnd.randint(1, 2)):
            t.rows += 1
            lines.append('        <insert tableName="%s">' % t.name)
            lines.append('            <column name="code" value="%s-%04d"/>' % (t.name.upper()[:12], t.rows))
            for cname, kind in t.cols:
                if kind in ("id", "code", "ref"):
                    continue
                if cname not in t.notnull and self.rnd.random() < 0.25:
                    continue   # leave some nullable columns empty
                lines.append('            <column name="%s" %s/>' % (cname, self.value_attr(kind, t, t.rows)))
            lines.append('        </insert>')
        return "\n".join(lines)

    def sql_view(self, t):
        if t.view:
            return None
        t.view = True
        cols = ["id", "code"] + [c[0] for c in t.plain_cols()][:3]
        vname = self.unique("v_%s_summary" % t.name)
        where = ""
        for cname, kind in t.cols:
            if kind == "status":
                where = " WHERE %s &lt;&gt; 'closed'" % cname
                break
        return ('        <sql>CREATE VIEW %s AS SELECT %s FROM %s%s</sql>'
                % (vname, ", ".join(cols), t.name, where))

    def sql_update(self, t):
        for cname, kind in t.cols:
            if kind == "num":
                expr = "%s = %s * 1.05" % (cname, cname)
                break
            if kind == "int":
                expr = "%s = %s + 1" % (cname, cname)
                break
            if kind == "status":
                expr = "%s = 'active'" % cname
                break
        else:
            expr = "code = upper(code)"
        return ('        <sql splitStatements="true">UPDATE %s SET %s WHERE id %% 2 = 0;\n'
                '            UPDATE %s SET code = code WHERE id &lt; 0</sql>'
                % (t.name, expr, t.name))

    def rename_column(self, t):
        cands = [c for c in t.plain_cols()]
        if not cands:
            return None
        col = self.rnd.choice(cands)
        t.renames += 1
        old = col[0]
        new = RENAMES.get(old) or "%s_r%d" % (re.sub(r"_r[0-9]+$", "", old)[:50], t.renames)
        if new in t.col_names():
            return None
        col[0] = new
        for s in (t.indexed, t.notnull):
            if old in s:
                s.discard(old)
                s.add(new)
        return ('        <renameColumn tableName="%s" oldColumnName="%s" newColumnName="%s" columnDataType="%s"/>'
                % (t.name, old, new, TYPES[col[1]]))

    def add_not_null(self, t):
        cands = [c for c in t.plain_cols() if c[0] not in t.notnull]
        if not cands:
            return None
        cname, kind = self.rnd.choice(cands)
        t.notnull.add(cname)
        return ('        <addNotNullConstraint tableName="%s" columnName="%s" columnDataType="%s" defaultNullValue=%s/>'
                % (t.name, cname, TYPES[kind], quoteattr(self.null_default(kind))))

    def add_default(self, t):
        cands = [c for c in t.cols if c[1] in ("text", "short")]
        if not cands:
            return None
        cname, kind = self.rnd.choice(cands)
        return ('        <addDefaultValue tableName="%s" columnName="%s" columnDataType="%s" defaultValue="unknown"/>'
                % (t.name, cname, TYPES[kind]))

    def create_sequence(self, t):
        sname = self.unique("seq_%s_number" % t.name)
        return ('        <createSequence sequenceName="%s" startValue="%d" incrementBy="1"/>'
                % (sname, self.rnd.choice([1, 1000, 10000])))

    def table_remarks(self, t):
        return ('        <setTableRemarks tableName="%s" remarks=%s/>'
                % (t.name, quoteattr("%s, maintained by the %s team" % (t.name, self.rnd.choice(AUTHORS)))))

    # ---- changesets -----------------------------------------------------
    OPS = [  # (operation, weight)
        ("create_table", 18), ("add_column", 14), ("create_index", 14),
        ("foreign_key", 10), ("insert", 14), ("sql_view", 5),
        ("sql_update", 5), ("rename_column", 5), ("add_not_null", 6),
        ("add_default", 3), ("create_sequence", 2), ("table_remarks", 4),
    ]

    def pick_table(self):
        # recent tables get more attention, as in real histories
        k = len(self.tables)
        i = min(k - 1, int(self.rnd.expovariate(1.0 / max(1.0, k / 4.0))))
        return self.tables[k - 1 - i]

    def changeset(self):
        r = self.rnd
        self.seq += 1
        if len(self.tables) < 2:
            op = "create_table"
        else:
            op = r.choices([o for o, _ in self.OPS], [w for _, w in self.OPS])[0]
        body = None
        label = op
        if op == "create_table":
            body, t = self.create_table()
            if r.random() < 0.35:   # second change: an index on the new table
                idx = self.create_index(t)
                if idx:
                    body += "\n" + idx
                    label = "create_table_with_index"
        else:
            for _ in range(10):
                t = self.pick_table()
                body = getattr(self, op)(t)
                if body:
                    break
            if not body:        # nothing applicable: fall back to an addColumn
                label = "add_column"
                body = self.add_column(self.pick_table())
        ident = "%04d-%s" % (self.seq, label.replace("_", "-"))
        author = AUTHORS[(self.seq * 7) % len(AUTHORS)]
        comment = ""
        if r.random() < 0.2:
            comment = "        <comment>%s</comment>\n" % escape("%s (ticket #%d)" % (label.replace("_", " "), 1000 + self.seq))
        return ('    <changeSet id="%s" author="%s">\n%s%s\n    </changeSet>\n'
                % (ident, author, comment, body))

    def render(self):
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
                 '<!-- generated by bench/gen_changelog.py: %d changesets -->\n' % self.n,
                 '<databaseChangeLog\n'
                 '    xmlns="http://www.liquibase.org/xml/ns/dbchangelog"\n'
                 '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
                 '    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog'
                 ' http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.28.xsd">\n\n']
        for _ in range(self.n):
            parts.append(self.changeset())
            parts.append("\n")
        parts.append("</databaseChangeLog>\n")
        return "".join(parts)


def main(argv):
    args = list(argv[1:])
    seed = 1
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if not args or not args[0].isdigit() or len(args) > 2:
        sys.stderr.write("usage: gen_changelog.py N [OUT] [--seed S]\n")
        return 2
    text = Gen(int(args[0]), seed).render()
    if len(args) == 2:
        with open(args[1], "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
