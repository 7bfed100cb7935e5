#!/usr/bin/env bash
# Liquibase's own PostgreSQL integration changelog
# (liquibase-integration-tests/src/test/resources/changelogs/pgsql/complete/root.changelog.xml
# of liquibase/liquibase at v4.28.0, which includes ../common), run by real Liquibase 4.28 and
# by migrator on two fresh databases set up as Liquibase's own test setup does
# (setup/postgresql/create_dbs_for_integration_tests.sql: role lbuser, schemas lbschem2 and
# lbcat2, tablespace liquibase2; contexts "test, context-b", parameter loginuser), then:
#   - DATABASECHANGELOG rows (every column but dates and deployment ids), the schema
#     (pg_dump --schema-only) and every table's rows are identical;
#   - each tool continues the other's database: only runAlways changesets run, no checksum
#     error, and the databases are still identical;
#   - update-sql on a fresh database prints the same statements.
# Changesets that need Java classes of Liquibase's test jars (customChange,
# customPrecondition) are taken out for both tools alike; the jar of packaged changelogs
# (packaged-changelog.jar) is unpacked into the search path for both.
#
# The tree is not in any package registry. It is taken from, in this order:
#   MG_LIQUIBASE_SRC   a folder holding liquibase-integration-tests/ (an extracted tree)
#   MG_LIQUIBASE_GIT   a git directory of liquibase/liquibase holding the pinned commit
#   $MG_SHARED/liquibase-src/   the same extracted tree, if the shared folder has it
#   /work/.mirror/liquibase+liquibase/repo   a mirror of the repository, if present
# and skipped (exit 77) when none has it.
set -u
. "$(dirname "$0")/../lib/test-lib.sh"

LB_REV=43c3827b3d76bd90e971a358d76dd2a7b9e47a81 # v4.28.0
RES=liquibase-integration-tests/src/test/resources
ROOT=changelogs/pgsql/complete/root.changelog.xml
CONTEXTS="test, context-b"

work=$(mktemp -d)
at_exit 'rm -rf "$work"'
chmod 755 "$work"

# --- the tree ----------------------------------------------------------------------------

from_git() {
    local git=$1
    git --git-dir="$git" cat-file -e "$LB_REV^{commit}" 2>/dev/null || return 1
    git --git-dir="$git" archive "$LB_REV" "$RES/changelogs" "$RES/packaged-changelog.jar" |
        tar -x -C "$work/src" || return 1
    echo "liquibase/liquibase $LB_REV from $git"
}

mkdir -p "$work/src"
if [ -n "${MG_LIQUIBASE_SRC:-}" ] && [ -d "$MG_LIQUIBASE_SRC/$RES/changelogs" ]; then
    cp -R "$MG_LIQUIBASE_SRC/liquibase-integration-tests" "$work/src/" && origin="$MG_LIQUIBASE_SRC"
elif [ -n "${MG_LIQUIBASE_GIT:-}" ] && origin=$(from_git "$MG_LIQUIBASE_GIT"); then
    :
elif [ -d "$MG_SHARED/liquibase-src/$RES/changelogs" ]; then
    cp -R "$MG_SHARED/liquibase-src/liquibase-integration-tests" "$work/src/" &&
        origin="$MG_SHARED/liquibase-src"
elif [ -d /work/.mirror/liquibase+liquibase/repo ] &&
    origin=$(from_git /work/.mirror/liquibase+liquibase/repo); then
    :
else
    skip "the liquibase/liquibase v4.28.0 tree is not available (set MG_LIQUIBASE_SRC or MG_LIQUIBASE_GIT)"
fi
echo "tree: $origin"
ensure_liquibase

tree=$work/src/$RES
chmod -R u+w "$tree"
# the jar's changelogs, where Liquibase's test classpath has them
python3 -m zipfile -e "$tree/packaged-changelog.jar" "$tree" ||
    { echo "cannot unpack packaged-changelog.jar" >&2; exit 1; }

# Take out every changeset that needs a Java class (same files for both tools).
strip_java() {
    perl -e '
        my $total = 0;
        for my $f (@ARGV) {
            local $/; open my $in, "<", $f or die "$f: $!"; my $t = <$in>; close $in;
            my $n = ($t =~ s{[ \t]*<changeSet\b(?:(?!</changeSet>).)*?<(?:customChange|customPrecondition)\b.*?</changeSet>[ \t]*\n?}{}gs);
            next unless $n;
            $total += $n;
            open my $out, ">", $f or die; print $out $t; close $out;
        }
        print "$total\n";
    ' "$@"
}
removed=$(cd "$tree" && strip_java $(grep -rl 'customChange\|customPrecondition' changelogs/pgsql/complete changelogs/common))
[ "$removed" -gt 0 ] || { echo "no Java changesets found: has the tree changed?" >&2; exit 1; }
echo "changesets taken out for both tools (customChange/customPrecondition): $removed"

# --- the databases, as Liquibase's setup script makes them ----------------------------------

if [ -n "${MG_PG_DATA:-}" ]; then
    tsdir=$(dirname "$MG_PG_DATA")/ts-liquibase2
else
    tsdir=$work/ts-liquibase2
fi
psql_q postgres "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lbuser') THEN
        CREATE ROLE lbuser LOGIN PASSWORD 'lbuser';
    END IF; END \$\$" >/dev/null || exit 1
if [ "$(psql_q postgres "SELECT count(*) FROM pg_tablespace WHERE spcname = 'liquibase2'")" = 0 ]; then
    mkdir -p "$tsdir" && { [ "$(id -u)" != 0 ] || chown postgres "$tsdir"; } ||
        { echo "cannot make $tsdir" >&2; exit 1; }
    psql_q postgres "CREATE TABLESPACE liquibase2 OWNER lbuser LOCATION '$tsdir'" >/dev/null || exit 1
fi

setup_db() {
    new_db "$1" >/dev/null || exit 1
    psql_q "$1" "GRANT ALL ON DATABASE \"$1\" TO lbuser;
        GRANT ALL ON SCHEMA public TO lbuser;
        CREATE SCHEMA lbschem2 AUTHORIZATION lbuser;
        CREATE SCHEMA lbcat2 AUTHORIZATION lbuser" >/dev/null || exit 1
}

# both tools as lbuser, as Liquibase's test system connects
lbu() {
    local db=$1
    shift
    (cd "$tree" && JAVA_OPTS=${MG_LB_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} \
        bash "$MG_LIQUIBASE" --show-banner=false --url="$(jdbc_url "$db")" \
        --username=lbuser --password=lbuser "$@")
}
mgu() {
    local db=$1
    shift
    (cd "$tree" && "$MIGRATOR" --url="$(jdbc_url "$db")" --username=lbuser --password=lbuser \
        --allow-execute-command "$@")
}
args=(--changelog-file="$ROOT" --contexts="$CONTEXTS")
# command arguments (Liquibase takes -D after the command)
params=(-Dloginuser=lbuser)

# rows without the date columns; the data with today's timestamps (NOW() defaults) masked
rows() { dump_rows "$1"; }
data() {
    local today
    today=$(date +%Y-%m-%d)
    dump_data "$1" | sed -E "/$today/{s/$today[ T]?([0-9:.]+)?/<now>/g;s/[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?/<time>/g}"
}
same_db() { # same_db A B WHAT
    assert_eq "$(rows "$1")" "$(rows "$2")" "$3: DATABASECHANGELOG rows identical"
    assert_eq "$(dump_schema "$1")" "$(dump_schema "$2")" "$3: schema identical"
    assert_eq "$(data "$1")" "$(data "$2")" "$3: table contents identical"
}

DB_LB=mg_it_lb DB_MG=mg_it_mg
setup_db "$DB_LB"
setup_db "$DB_MG"
at_exit 'drop_db "$DB_LB"; drop_db "$DB_MG"; drop_db mg_it_sql'

run lbu "$DB_LB" "${args[@]}" update "${params[@]}"
[ "$RC" = 0 ] || { fail "Liquibase update"; printf '%s\n' "$OUT$ERR" | tail -n 20; finish; }
run mgu "$DB_MG" "${args[@]}" update "${params[@]}"
assert_eq 0 "$RC" "migrator update exits 0"
[ "$RC" = 0 ] || printf '%s\n' "$ERR" | tail -n 20

n=$(psql_q "$DB_LB" "SELECT count(*) FROM databasechangelog")
tables=$(psql_q "$DB_LB" "SELECT count(*) FROM information_schema.tables WHERE table_type = 'BASE TABLE'
    AND table_schema NOT IN ('pg_catalog', 'information_schema')")
echo "Liquibase applied $n changesets, $tables tables (bookkeeping included)"
[ "$n" -gt 150 ] || fail "Liquibase applied only $n changesets"
same_db "$DB_LB" "$DB_MG" "fresh databases"

# --- each continues the other's database ----------------------------------------------------

# what must not change: every row but those of the changesets that ran again (RERAN), and
# nothing new
rerun_keys() { psql_q "$1" "SELECT id || '|' || author || '|' || filename FROM databasechangelog
    WHERE exectype = 'RERAN'"; }
kept() { # kept DB ROWS: ROWS without those of the changesets DB shows as re-run
    local keys
    keys=$(rerun_keys "$1")
    printf '%s\n' "$2" | awk -F'\t' -v keys="$keys" '
        BEGIN { n = split(keys, k, "\n"); for (i = 1; i <= n; i++) skip[k[i]] = 1 }
        !(($1 "|" $2 "|" $3) in skip)'
}
before_lb=$(dump_rows "$DB_LB") before_mg=$(dump_rows "$DB_MG")
run lbu "$DB_MG" "${args[@]}" update "${params[@]}"
assert_eq 0 "$RC" "Liquibase continues migrator's database"
lb_ran=$(printf '%s\n' "$OUT$ERR" | sed -n 's/^Run: *\([0-9]*\)$/\1/p')
run mgu "$DB_LB" "${args[@]}" update "${params[@]}"
assert_eq 0 "$RC" "migrator continues Liquibase's database"
[ "$RC" = 0 ] || printf '%s\n' "$ERR" | tail -n 10
mg_ran=$(printf '%s\n' "$OUT$ERR" | sed -n 's/^Run: *\([0-9]*\)$/\1/p')
assert_eq "$(kept "$DB_MG" "$before_mg")" "$(kept "$DB_MG" "$(dump_rows "$DB_MG")")" "Liquibase re-ran nothing of migrator's but runAlways changesets"
assert_eq "$(kept "$DB_LB" "$before_lb")" "$(kept "$DB_LB" "$(dump_rows "$DB_LB")")" "migrator re-ran nothing of Liquibase's but runAlways changesets"
assert_eq "${lb_ran:-?}" "${mg_ran:-?}" "both summaries count the same changesets run ($lb_ran)"
same_db "$DB_LB" "$DB_MG" "after each continued the other"

# --- update-sql ------------------------------------------------------------------------------
# Liquibase's update-sql ignores preconditions (onSqlOutput IGNORE), which is what
# --skip-preconditions-in-sql asks of migrator; by default migrator checks them against the
# database and says so in comments (docs/compatibility.md), and still prints the script.

setup_db mg_it_sql
run lbu mg_it_sql "${args[@]}" update-sql "${params[@]}"
# <output target="stdout"> messages land in the middle of Liquibase's script (they are not SQL)
printf '%s\n' "$OUT" | perl -0pe 's/Message using stdout target\n//g' >"$work/lb.sql"
lb_rc=$RC
run mgu mg_it_sql "${args[@]}" update-sql --skip-preconditions-in-sql "${params[@]}"
printf '%s\n' "$OUT" >"$work/mg.sql"
assert_eq "$lb_rc" "$RC" "update-sql --skip-preconditions-in-sql exits as Liquibase's update-sql"
# Liquibase keeps a CREATE TABLE's foreign keys in a HashSet of objects without hashCode(): their
# order changes from run to run. They are compared sorted.
fk_sorted() {
    norm_sql "$1" | perl -pe '
        s{((?:, CONSTRAINT \S+ FOREIGN KEY \([^)]*\) REFERENCES [^(]+\([^)]*\)(?: ON (?:DELETE|UPDATE) (?:CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION))*(?: DEFERRABLE)?(?: INITIALLY DEFERRED)?)+)}{
            my @k = ($1 =~ /(, CONSTRAINT .*?)(?=, CONSTRAINT |$)/g); join "", sort @k }ge
            if /^CREATE TABLE/'
}
assert_eq "$(fk_sorted "$work/lb.sql")" "$(fk_sorted "$work/mg.sql")" "update-sql prints Liquibase's script"
run mgu mg_it_sql "${args[@]}" update-sql "${params[@]}"
assert_eq 0 "$RC" "update-sql checking preconditions prints a script too"
assert_eq 0 "$(psql_q mg_it_sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" \
    "update-sql wrote nothing"

finish
