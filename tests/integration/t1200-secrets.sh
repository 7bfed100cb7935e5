#!/usr/bin/env bash
# A password never shows: given by flag, liquibase.properties, URL (JDBC,
# postgresql://, conninfo) or environment (PGPASSWORD,
# LIQUIBASE_COMMAND_PASSWORD), it is in no output (--log-level=fine too),
# JSON report, flow report, backup manifest, error message, nor in the
# command line or environment of pg_dump / pg_restore (they read it from
# a 0600 passfile in memory). The role needs the password: the test adds
# scram-sha-256 lines for it to pg_hba.conf when it can write that file
# (else the cluster trusts everyone and only the absence is checked).
. "$(dirname "$0")/../lib/test-lib.sh"
command -v pg_dump >/dev/null || skip "pg_dump not installed"

db=t1200
role=mg_t1200
pw='Qz7:tr0ub4dor-PW'
needle=tr0ub4dor
pw_enc=$(mg_urlencode "$pw")
host=$MG_PG_TCP
work=$(mktemp -d)
new_db $db >/dev/null
psql_q postgres "DROP ROLE IF EXISTS $role; CREATE ROLE $role LOGIN CREATEDB PASSWORD '$pw'" >/dev/null
psql_q postgres "ALTER DATABASE $db OWNER TO $role" >/dev/null
psql_q $db "ALTER SCHEMA public OWNER TO $role" >/dev/null
at_exit "rm -rf '$work'; drop_db $db; drop_db migrator_drill_x; psql_q postgres 'DROP ROLE IF EXISTS $role' >/dev/null 2>&1"
cd "$work" || exit 1

hba=$(psql_q postgres "SHOW hba_file" 2>/dev/null)
if [ -n "$hba" ] && [ -w "$hba" ]; then
    cp "$hba" hba.orig
    { printf 'local all %s scram-sha-256\nhost all %s all scram-sha-256\n' $role $role; cat hba.orig; } > hba.new
    cat hba.new > "$hba"
    at_exit "cat '$work/hba.orig' > '$hba'; psql_q postgres 'SELECT pg_reload_conf()' >/dev/null"
    psql_q postgres "SELECT pg_reload_conf()" >/dev/null
    run env PGPASSWORD= psql -XAtw -h "$host" -U $role -d $db -c "SELECT 1"
    assert_eq 2 "$RC" "(the role cannot connect without its password)"
    run env PGPASSWORD="$pw" psql -XAtw -h "$host" -U $role -d $db -c "SELECT 1"
    assert_eq 0 "$RC" "(and can with it)"
else
    echo "# pg_hba.conf not writable: the cluster trusts the role; only checking that '$needle' never shows"
fi

# pg_dump and pg_restore wrappers: record the command line and environment
# they were started with (what `ps` and `ps e` show) and their parent's
# (migrator's) command line, then run the real one.
mkdir bin
for tool in pg_dump pg_restore; do
    real=$(command -v $tool)
    cat > bin/$tool <<SH
#!/bin/sh
{ echo "argv: \$(tr '\\0' ' ' < /proc/\$\$/cmdline)"
  echo "parent argv: \$(tr '\\0' ' ' < /proc/\$PPID/cmdline)"
  echo "env: \$(tr '\\0' ' ' < /proc/\$\$/environ)"
  [ -n "\$PGPASSFILE" ] && echo "passfile mode \$(stat -L -c %a "\$PGPASSFILE")"
} >> "$work/children.log"
exec "$real" "\$@"
SH
    chmod +x bin/$tool
done
export PATH="$work/bin:$PATH"
unset PGPASSWORD

cat > cl.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="s"><createTable tableName="thing"><column name="id" type="int"/></createTable></changeSet>
  <changeSet id="2" author="s"><createTable tableName="other"><column name="id" type="int"/></createTable></changeSet>
</databaseChangeLog>
XML
cat > migrate.flow.yaml <<'YAML'
stages:
  Check:
    actions:
      - type: migrator
        command: validate
      - type: shell
        command: echo "checking ${LIQUIBASE_COMMAND_PASSWORD}${PGPASSWORD}" >/dev/null
  Apply:
    actions:
      - type: migrator
        command: update
endStage:
  actions:
    - type: migrator
      command: status
      cmdArgs:
        verbose: "true"
YAML

jdbc=jdbc:postgresql://$host:$PGPORT/$db
all=$work/all-output.txt
: > "$all"
: > children.log

# every command a user could run, with connection arguments "$@"; all
# their output (stdout and stderr) and files go into $all
exercise() {
    local label=$1
    shift
    rm -rf bk artifacts
    for cmd in "update --log-level=fine" "status --verbose --output=json" \
        "history --output=json" "update-sql" "list-locks --output=json" \
        "tag --tag=t-$label" "rollback-count --count=1 --log-level=fine" \
        "update --log-level=fine" "backup --backup-dir=bk" \
        "backup drill latest --backup-dir=bk" \
        "restore --backup-id=latest --force --backup-dir=bk"; do
        # shellcheck disable=SC2086
        run "$MIGRATOR" $cmd --changelog-file=cl.xml "$@"
        assert_eq 0 "$RC" "$label: $cmd"
        printf '%s\n%s\n' "$OUT" "$ERR" >> "$all"
    done
    cat bk/*.manifest.json >> "$all"
    run "$MIGRATOR" flow --flow-file=migrate.flow.yaml --changelog-file=cl.xml --output=json "$@"
    assert_eq 0 "$RC" "$label: flow --output=json"
    printf '%s\n%s\n' "$OUT" "$ERR" >> "$all"
}

exercise flag --url="$jdbc" --username=$role --password="$pw"
exercise jdbc-url --url="$jdbc?user=$role&password=$pw_enc"
exercise uri --url="postgresql://$role:$pw_enc@$host:$PGPORT/$db"
exercise conninfo --url="host=$host port=$PGPORT dbname=$db user=$role password='$pw'"
printf 'url: %s\nusername: %s\npassword: %s\n' "$jdbc" $role "$pw" > liquibase.properties
exercise properties
rm liquibase.properties
PGPASSWORD=$pw exercise pgpassword --url="$jdbc" --username=$role
LIQUIBASE_COMMAND_PASSWORD=$pw exercise liquibase-env --url="$jdbc" --username=$role

# a flow action given the password as an argument: its child gets it by
# environment, not on its command line
cat > arg.flow.yaml <<'YAML'
stages:
  Backup:
    actions:
      - type: migrator
        command: backup
        cmdArgs:
          backup-dir: flow-backups
          password: ${LIQUIBASE_COMMAND_PASSWORD}
YAML
run env LIQUIBASE_COMMAND_PASSWORD="$pw" "$MIGRATOR" flow --flow-file=arg.flow.yaml --output=json \
    --url="$jdbc" --username=$role
assert_eq 0 "$RC" "flow: a backup action with a password argument"
printf '%s\n%s\n' "$OUT" "$ERR" >> "$all"
assert_eq 1 "$(ls flow-backups/*.manifest.json | wc -l)" "(the flow's backup was written)"
cat flow-backups/*.manifest.json >> "$all"

# errors: a database that does not exist, a wrong port, a URL migrator
# does not support, a malformed conninfo
errors() {
    local args="$*"
    run "$MIGRATOR" status --changelog-file=cl.xml "$@"
    case $RC in
        1 | 2) pass "error exit $RC: ${args:0:70}" ;;
        *) fail "error exit $RC (expected 1 or 2): $*" ;;
    esac
    printf '%s\n%s\n' "$OUT" "$ERR" >> "$all"
}
errors --url="jdbc:postgresql://$host:$PGPORT/nonexistent" --username=$role --password="$pw"
errors --url="jdbc:postgresql://$host:1/$db?password=$pw_enc" --username=$role
errors --url="postgresql://$role:$pw_enc@$host:$PGPORT/nonexistent?password=$pw_enc"
errors --url="jdbc:mysql://$host/$db?user=$role&password=$pw_enc"
errors --url="mysql://$role:$pw@$host/$db"
errors --url="host=$host port=$PGPORT dbname=$db user=$role password=$pw junk"
errors --url="host=$host port=$PGPORT dbname=nonexistent user=$role password='$pw'" --log-level=fine
run "$MIGRATOR" flow --flow-file=migrate.flow.yaml --changelog-file=cl.xml --output=json \
    --url="$jdbc/nonexistent" --username=$role --password="$pw"
assert_eq 1 "$RC" "a failing flow"
printf '%s\n%s\n' "$OUT" "$ERR" >> "$all"

assert_contains "$(cat "$all")" "changeset" "(the outputs were collected)"
if grep -q "$needle" "$all"; then
    fail "the password appears in migrator's output, reports or manifests:"
    grep -n "$needle" "$all" | head -n 10 | sed 's/^/    /'
else
    pass "the password appears in no output, report, manifest or error ($(wc -l < "$all") lines)"
fi
assert_contains "$(cat children.log)" "pg_dump --format=custom" "(pg_dump ran)"
assert_contains "$(cat children.log)" "pg_restore --file=/dev/null" "(pg_restore ran)"
if grep -q "$needle" children.log; then
    fail "the password is on a child's command line or in its environment:"
    grep -n "$needle" children.log | head -n 5 | cut -c1-300 | sed 's/^/    /'
else
    pass "pg_dump and pg_restore get the password neither by argv nor by environment"
fi
assert_eq "" "$(grep -v '^passfile mode 600$' children.log | grep '^passfile mode' | head -1)" \
    "their passfile has mode 0600"
assert_contains "$(cat children.log)" "PGPASSFILE=/dev/fd/" "it is an anonymous file (/dev/fd/N)"
finish
