#!/usr/bin/env bash
# Bad input (issue 11, item 6): every changelog of tests/badinput/ (malformed or hostile,
# in XML, YAML, JSON and formatted SQL; the big and binary ones made by
# tests/badinput/generate.sh) is given to `migrator validate` and `migrator update`
# against a fresh database. Each run must
#   - exit 3 (invalid changelog, see `migrator --help`), not crash (status < 128, no
#     core, no sanitizer report) and finish within a time limit;
#   - name the place: FILE:LINE:COLUMN (every rejected case has a column, even the
#     truncated and empty files: the end of the file is a place);
#   - never read an XML external entity or fetch anything: the text of /etc/passwd never
#     appears, and a listener behind the http URLs of the corpus is never connected to;
#   - leave the database untouched: no DATABASECHANGELOG(LOCK) table, no user table
#     (a catalog listing after each case; a whole pg_dump before and after the corpus).
. "$(dirname "$0")/../lib/test-lib.sh"

db=t1500
url=$(new_db $db)
url_acc=$(new_db t1500_accepted)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db; drop_db t1500_accepted"
corpus=$MG_SRC/tests/badinput

# Cases migrator accepts (it runs them, or fails at the database): each is only checked
# for no crash, no file or network read, against a database of its own. Those marked LB
# are lenient as Liquibase 4.28 is (the ones with "lb:" were run through real Liquibase
# 4.28 to be sure; docs/reliability.md, "Bad input", has the evidence for each).
declare -A accepted=(
    [alias-bomb-in-changelog.yaml]="a few thousand nodes from aliases, within the limit"
    [bad-boolean.json]="LB: a boolean other than true reads as false (Boolean.parseBoolean)"
    [bad-boolean.xml]="LB: as bad-boolean.json (migrator does not validate against the XSD)"
    [bad-boolean.yaml]="LB: as bad-boolean.json"
    [bad-checksum-valid.xml]="LB: a validCheckSum is any text, compared with the checksum"
    [bad-valid-checksum.sql]="LB: as bad-checksum-valid.xml"
    [bad-label-expr.xml]="LB: changeset labels are a plain list of names, never an expression (lb: runs it)"
    [changes-is-map.yaml]="LB: 'changes' as a mapping of changes runs as the list would (lb: runs it, same checksum)"
    [changes-is-map.json]="LB: as changes-is-map.yaml"
    [duplicate-key.json]="LB: SnakeYAML as Liquibase sets it up allows a repeated key, the last value wins (lb: runs changeset 2)"
    [duplicate-key.yaml]="LB: as duplicate-key.json (lb: runs changeset 2)"
    [changeset-bad-attr.sql]="LB: formatted SQL reads only the attributes it knows"
    [changeset-unknown-attr.sql]="LB: as changeset-bad-attr.sql"
    [end-delimiter-empty.sql]="LB: an empty endDelimiter is the default one"
    [unclosed-quote-attr.sql]="LB: an attribute value runs to the end of the line"
    [rollback-before-changeset.sql]="LB: lines before the first changeset are ignored"
    [empty.sql]="LB: a .sql file without the header is raw SQL (here none)"
    [header-only.sql]="LB: a changelog with no changesets"
    [header-typo.sql]="LB: no header, so raw SQL"
    [no-header.sql]="LB: raw SQL"
    [property-loop.xml]="LB: a property is expanded when defined, so this is no loop"
    [property-loop.yaml]="LB: as property-loop.xml"
    [property-loop.json]="LB: as property-loop.xml"
    [property-loop.sql]="LB: as property-loop.xml"
    [property-self.xml]="LB: as property-loop.xml"
    [property-unclosed.xml]="LB: an unclosed \${ is text"
    [xinclude-passwd.xml]="XInclude is not processed: the sql is empty, /etc/passwd unread"
    [xxe-external-dtd.xml]="the external DTD is never loaded"
    [xxe-parameter.xml]="the external parameter entity is never loaded"
)

# a listener for the http URLs of the corpus: it writes a line for every connection
port_file=$work/port hits=$work/hits
: > "$hits"
python3 - "$port_file" "$hits" <<'PY' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    with open(sys.argv[2], "a") as f:
        f.write("connection\n")
    c.close()
PY
listener=$!
at_exit "kill $listener 2>/dev/null"
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
port=$(cat "$port_file")

mkdir -p "$work/cases"
for f in xml yaml json sql; do cp "$corpus/$f"/* "$work/cases/"; done
sed -i "s/127\.0\.0\.1:9/127.0.0.1:$port/g" "$work/cases"/*
bash "$corpus/generate.sh" "$work/cases"
cd "$work/cases" || exit 1

catalog() {
    psql_q $db "SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
        UNION ALL SELECT 'advisory lock' FROM pg_locks WHERE locktype = 'advisory'
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY 1"
}
full_dump() {
    pg_dump -d $db --no-owner --no-privileges | grep -v '^-- Dumped\|^\\restrict\|^\\unrestrict'
}
dump_before=$(full_dump)
cat_before=$(catalog)
passwd=$(head -n 1 /etc/passwd)
ulimit -c 0

n=0 n_acc=0
for f in *; do
    n=$((n + 1))
    if [ -n "${accepted[$f]:-}" ]; then
        bad=
        for cmd in validate update; do
            run timeout 20 "$MIGRATOR" "$cmd" --changelog-file="$f" --url="$url_acc"
            [ "$RC" -lt 124 ] || bad+="$f ($cmd): exit $RC"$'\n'
            case "$OUT$ERR" in
                *"$passwd"* | *AddressSanitizer* | *"runtime error:"*)
                    bad+="$f ($cmd): /etc/passwd or a sanitizer report in the output"$'\n' ;;
            esac
        done
        psql_q t1500_accepted "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null
        if [ -z "$bad" ]; then MG_QUIET_PASS=1 pass "$f"; else fail "$bad"; fi
        n_acc=$((n_acc + 1))
        continue
    fi
    bad=
    for cmd in validate update; do
        t0=$SECONDS
        run timeout 20 "$MIGRATOR" "$cmd" --changelog-file="$f" --url="$url"
        what="$f ($cmd)"
        [ $((SECONDS - t0)) -le 5 ] || echo "slow: $what: $((SECONDS - t0)) s"
        [ "$RC" -eq 3 ] || bad+="$what: exit $RC, not 3"$'\n'
        grep -Eq "[^ ]+\.(xml|yaml|json|sql|csv|properties):[0-9]+:[0-9]+" <<<"$ERR" ||
            bad+="$what: no file:line:column in: $(head -c 300 <<<"$ERR")"$'\n'
        case "$OUT$ERR" in
            *"$passwd"*) bad+="$what: the content of /etc/passwd was printed"$'\n' ;;
        esac
        case "$ERR" in
            *AddressSanitizer* | *LeakSanitizer* | *"runtime error:"* | *"core dumped"*)
                bad+="$what: sanitizer or crash report"$'\n' ;;
        esac
    done
    # once per case: a table made by validate would still be there after update
    [ "$(catalog)" == "$cat_before" ] || {
        bad+="$f: the database changed: $(diff <(echo "$cat_before") <(catalog) | head -5)"$'\n'
        new_db $db >/dev/null   # a fresh database for the next cases
    }
    if [ -z "$bad" ]; then
        MG_QUIET_PASS=1 pass "$f"
    else
        fail "$(printf '%s' "$bad" | head -c 2000)"
    fi
done
! compgen -G 'core*' >/dev/null || fail "a core file was written"

echo "corpus: $n cases, $((n - n_acc)) rejected as invalid, $n_acc accepted (see 'accepted')"
if [ $((n - n_acc)) -ge 100 ]; then
    pass "at least 100 cases are rejected"
else
    fail "only $((n - n_acc)) rejected"
fi
assert_eq "$dump_before" "$(full_dump)" "the database dump is byte-for-byte the same after the whole corpus"
assert_eq "" "$(cat "$hits")" "no network connection was made for the http URLs of the corpus"
finish
