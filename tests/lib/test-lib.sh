# shellcheck shell=bash
# Sourced by tests/integration/t*.sh and tests/compat/t*.sh (bash).
#
# Environment (CTest sets the first four, see tests/CMakeLists.txt):
#   MG_PG_DIR    directory of the cluster started by `pg-cluster.sh start` (holds env).
#                Unset: a private cluster is started for this script and stopped at exit.
#   MIGRATOR     the migrator binary              (default: $MG_SRC/build/migrator)
#   MG_SRC       repository root                  (default: derived from this file)
#   MG_SHARED    the shared folder (/work/shared) (default: $MG_SRC/../shared)
#   MG_CACHE_DIR cache root for downloads         (default: $MG_SRC/.cache); Liquibase is
#                installed into $MG_CACHE_DIR/liquibase
#   MG_LIQUIBASE path of an existing Liquibase 4.28 CLI script; skips the npm install
#   MG_LB_JAVA_OPTS  JVM options for Liquibase (default: fast start-up options)
#   MG_LB_TIMEOUT    time limit in seconds for one Liquibase run (default: none)
#
# Helpers:
#   new_db NAME            drop + create database NAME, print its libpq URL
#   new_dbs NAME... / drop_dbs NAME...   several at once
#   pg_url DB / jdbc_url DB  URLs of a database
#   psql_q DB SQL          psql -XAtq, stops on the first error
#   dump_rows DB           databasechangelog as in the vectors' expected-rows.tsv
#   dump_schema DB         pg_dump --schema-only like the vectors' schema.sql
#   dump_db DB             dump_schema and the contents of the user tables
#   ensure_liquibase       install liquibase@4.28.0 with npm if needed (exit 77 without npm/java)
#   mg_npm_install DIR NAME@VERSION...  install pinned npm packages into DIR if needed
#   lb DB ARGS...          run the Liquibase CLI against DB (cwd = the caller's)
#   lb_oracle NAME ARGS... run tests/compat/oracle/NAME.java (compiled once) against
#                          Liquibase 4.28's own classes
#   dump_data DB           every user table's rows, sorted
#   lb_queue RUNS LOG DB ARGS... / lb_batch RUNS   many Liquibase runs in one JVM
#   run CMD...             run CMD, set RC, OUT (stdout), ERR (stderr)
#   pass MSG / fail MSG / assert_eq EXPECTED ACTUAL MSG / assert_contains HAYSTACK NEEDLE MSG
#   skip MSG               exit 77
#   at_exit CMD            run CMD (eval string) at exit
#   finish                 print "N passed, N failed", exit 1 if any failed

MG_SRC=${MG_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
MG_SHARED=${MG_SHARED:-$MG_SRC/../shared}
MIGRATOR=${MIGRATOR:-$MG_SRC/build/migrator}
export MG_SRC MG_SHARED MIGRATOR

MG_PASSED=0
MG_FAILED=0

skip() {
    echo "SKIP: $*"
    exit 77
}

pass() {
    MG_PASSED=$((MG_PASSED + 1))
    [ -n "${MG_QUIET_PASS:-}" ] || echo "ok   $*"
}

fail() {
    MG_FAILED=$((MG_FAILED + 1))
    echo "FAIL $*"
}

finish() {
    echo "$MG_PASSED passed, $MG_FAILED failed"
    [ "$MG_FAILED" -eq 0 ] || exit 1
    exit 0
}

# short unified diff of two strings, indented
mg_diff() {
    local max=${MG_DIFF_LINES:-20}
    diff -u --label expected --label actual <(printf '%s\n' "$1") <(printf '%s\n' "$2") \
        | head -n "$max" | sed 's/^/    /'
}

assert_eq() {
    if [ "$1" == "$2" ]; then
        pass "$3"
    else
        fail "$3"
        mg_diff "$1" "$2"
    fi
}

assert_contains() {
    case "$1" in
        *"$2"*) pass "$3" ;;
        *)
            fail "$3"
            echo "    expected to contain: $2"
            printf '%s\n' "$1" | head -n "${MG_DIFF_LINES:-20}" | sed 's/^/    | /'
            ;;
    esac
}

# shellcheck disable=SC2034 # RC, OUT and ERR are for the caller
run() {
    local o e
    o=$(mktemp) e=$(mktemp)
    "$@" >"$o" 2>"$e"
    RC=$?
    OUT=$(cat "$o")
    ERR=$(cat "$e")
    rm -f "$o" "$e"
    return 0
}

# at_exit CMD: run CMD (a string for eval) when the script exits; handlers run newest first.
MG_EXIT_CMDS=()
at_exit() {
    MG_EXIT_CMDS=("$1" "${MG_EXIT_CMDS[@]}")
    trap mg_run_exit EXIT
}
mg_run_exit() {
    local c
    for c in "${MG_EXIT_CMDS[@]}"; do eval "$c"; done
}

# --- cluster -------------------------------------------------------------------------

mg_load_cluster() {
    if [ -z "${MG_PG_DIR:-}" ]; then
        # run by hand (not by CTest): start a private cluster for this script
        MG_OWN_CLUSTER=$(mktemp -d "${TMPDIR:-/tmp}/mg-test.XXXXXX")
        MG_PG_DIR=$MG_OWN_CLUSTER/pg
        "$MG_SRC/tests/lib/pg-cluster.sh" start "$MG_PG_DIR" >/dev/null
        case $? in
            0) ;;
            77) rm -rf "$MG_OWN_CLUSTER"; skip "no PostgreSQL server binaries and MIGRATOR_TEST_PGURL unset" ;;
            *) rm -rf "$MG_OWN_CLUSTER"; echo "cannot start a PostgreSQL cluster" >&2; exit 1 ;;
        esac
        at_exit '"$MG_SRC/tests/lib/pg-cluster.sh" stop "$MG_PG_DIR" >/dev/null; rm -rf "$MG_OWN_CLUSTER"'
    fi
    [ -f "$MG_PG_DIR/env" ] || skip "no PostgreSQL cluster ($MG_PG_DIR/env missing: pg/start skipped or failed)"
    # shellcheck disable=SC1091
    . "$MG_PG_DIR/env"
    MG_PG_TCP=${MG_PG_TCP:-127.0.0.1}
    PGPASSWORD=${PGPASSWORD:-}
    export MG_PG_DIR PGPASSWORD
    psql -XAtq -d postgres -c 'SELECT 1' >/dev/null 2>&1 ||
        { echo "the PostgreSQL server of $MG_PG_DIR does not answer" >&2; exit 1; }
}
mg_load_cluster

mg_urlencode() {
    local s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case "$c" in
            [a-zA-Z0-9._~-]) out+=$c ;;
            *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}

pg_url() {
    local auth
    auth=$(mg_urlencode "$PGUSER")
    [ -n "$PGPASSWORD" ] && auth+=":$(mg_urlencode "$PGPASSWORD")"
    printf 'postgresql://%s@%s:%s/%s\n' "$auth" "$MG_PG_TCP" "$PGPORT" "$1"
}

jdbc_url() {
    printf 'jdbc:postgresql://%s:%s/%s\n' "$MG_PG_TCP" "$PGPORT" "$1"
}

psql_q() {
    local db=$1
    shift
    psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -c "$*"
}

new_db() {
    psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" \
        -c "CREATE DATABASE \"$1\"" >/dev/null || { echo "new_db $1 failed" >&2; return 1; }
    pg_url "$1"
}

# new_dbs NAME...: drop + create several databases in one session
new_dbs() {
    local n sql=()
    for n in "$@"; do
        sql+=(-c "DROP DATABASE IF EXISTS \"$n\" WITH (FORCE)" -c "CREATE DATABASE \"$n\"")
    done
    psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" "${sql[@]}" \
        >/dev/null || { echo "new_dbs $* failed" >&2; return 1; }
}

# drop_dbs NAME...: drop databases (if they exist) in one session
drop_dbs() {
    local n sql=()
    for n in "$@"; do sql+=(-c "DROP DATABASE IF EXISTS \"$n\" WITH (FORCE)"); done
    psql -XAtq -d postgres -c "SET client_min_messages = warning" "${sql[@]}" >/dev/null 2>&1
}

drop_db() {
    psql -XAtq -d postgres -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1
}

# databasechangelog rows in the format of the vectors' expected-rows*.tsv (see their README):
# DATEEXECUTED omitted, DEPLOYMENT_ID replaced by D1, D2, ... in order of first appearance.
dump_rows() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "COPY (
        SELECT id, author, filename, md5sum, description, comments, exectype, contexts, labels,
               orderexecuted, tag, liquibase,
               'D' || dense_rank() OVER (ORDER BY first_seen) AS deployment
        FROM (SELECT d.*, min(orderexecuted) OVER (PARTITION BY deployment_id) AS first_seen
              FROM databasechangelog d) x
        ORDER BY orderexecuted, id) TO STDOUT WITH (FORMAT text, HEADER true)"
}

# user schema and table contents (sequence values too), as pg_dump writes them
dump_db() {
    pg_dump -d "$1" --no-owner --no-privileges \
        -T databasechangelog -T databasechangeloglock |
        grep -v '^-- Dumped from\|^-- Dumped by\|^\\restrict\|^\\unrestrict'
}

# user schema as in the vectors' schema.sql
dump_schema() {
    pg_dump -d "$1" --schema-only --no-owner --no-privileges \
        -T databasechangelog -T databasechangeloglock |
        grep -v '^-- Dumped from\|^-- Dumped by\|^\\restrict\|^\\unrestrict'
}

# dump_data DB: the rows of every user table (not the bookkeeping tables), each table's rows
# sorted by their text form, so that two databases built the same way compare equal
dump_data() {
    local t
    psql -XAtq -d "$1" -c "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg_toast%'
          AND c.relname NOT IN ('databasechangelog', 'databasechangeloglock')
        ORDER BY 1" | while read -r t; do
        echo "== $t"
        psql -XAtq -v ON_ERROR_STOP=1 -d "$1" -c "SELECT x::text FROM $t x ORDER BY 1"
    done
}

# norm_sql FILE: update-sql / rollback-sql output without its volatile parts (see the
# vectors' README): SET SEARCH_PATH, Ran at / Against, LOCKEDBY, DEPLOYMENT_ID, blank lines
norm_sql() {
    perl -0777 -ne '
        s/\r\n/\n/g;
        s/^SET SEARCH_PATH TO [^\n]*;[ \t]*\n//mg;
        s/^-- (?:Ran at|Against): [^\n]*\n//mg;
        s/(LOCKEDBY = )\x27(?:[^\x27]|\x27\x27)*\x27/$1\x27<host>\x27/g;
        s/(DEPLOYMENT_ID = )\x27\d*\x27/$1\x27<deployment-id>\x27/g;
        # INSERT INTO databasechangelog (..., DEPLOYMENT_ID, ...) VALUES (...): the value in the
        # position of DEPLOYMENT_ID (literals may contain commas, quotes and newlines)
        s{(INSERT INTO \S*databasechangelog \(([^)]*)\) VALUES \()((?:\s*(?:\x27(?:[^\x27]|\x27\x27)*\x27|[A-Za-z_]\w*\(\)|[^,()\x27]+)\s*,)*\s*(?:\x27(?:[^\x27]|\x27\x27)*\x27|[A-Za-z_]\w*\(\)|[^,()\x27]+)\s*)\)}{
            my ($head, $cols, $vals) = ($1, $2, $3);
            my @c = map { s/^\s+|\s+$//gr } split /,/, $cols;
            my @pos;
            while ($vals =~ /\G\s*(\x27(?:[^\x27]|\x27\x27)*\x27|[A-Za-z_]\w*\(\)|[^,()\x27]+?)\s*(?:,|$)/gc) {
                push @pos, [$-[1], $+[1] - $-[1], $1];
            }
            for my $i (reverse 0 .. $#c) {
                next unless uc($c[$i]) eq "DEPLOYMENT_ID" && $pos[$i] && $pos[$i][2] =~ /^\x27\d*\x27$/;
                substr($vals, $pos[$i][0], $pos[$i][1]) = "\x27<deployment-id>\x27";
            }
            $head . $vals . ")"
        }ge;
        s/^[ \t]*\n//mg;
        s/^--[^\n]*\n//mg if $ENV{MG_SQL_IGNORE_COMMENTS};
        print;
    ' "$1"
}

# --- Liquibase -----------------------------------------------------------------------

MG_LB_VERSION=4.28.0

ensure_liquibase() {
    local dir
    command -v java >/dev/null 2>&1 || skip "java not found (needed for Liquibase)"
    if [ -n "${MG_LIQUIBASE:-}" ]; then
        [ -f "$MG_LIQUIBASE" ] || { echo "MG_LIQUIBASE=$MG_LIQUIBASE does not exist" >&2; exit 1; }
        return 0
    fi
    dir=${MG_CACHE_DIR:-$MG_SRC/.cache}/liquibase
    mg_lb_installed "$dir" || mg_npm_install "$dir" "liquibase@$MG_LB_VERSION"
    mg_lb_installed "$dir" || { echo "liquibase@$MG_LB_VERSION in $dir is incomplete" >&2; exit 1; }
    MG_LIQUIBASE=$dir/node_modules/liquibase/dist/liquibase/liquibase
    export MG_LIQUIBASE
}

mg_lb_installed() {
    [ -f "$1/node_modules/liquibase/dist/liquibase/liquibase" ] &&
        [ -f "$1/node_modules/liquibase/dist/liquibase/internal/lib/liquibase-core.jar" ] &&
        [ -f "$1/node_modules/liquibase/dist/liquibase/internal/lib/postgresql.jar" ] &&
        mg_npm_installed "$1" "liquibase@$MG_LB_VERSION"
}

# mg_npm_install DIR NAME@VERSION...: install the pinned packages with npm into DIR (a folder
# of the cache) unless they are there already; exit 77 without npm. Several tests may get
# here at once: one installs, the others wait.
mg_npm_install() {
    local dir=$1
    shift
    mg_npm_installed "$dir" "$@" && return 0
    command -v npm >/dev/null 2>&1 || skip "npm not found (needed to install $*)"
    mkdir -p "$dir" || exit 1
    (
        flock 9
        mg_npm_installed "$dir" "$@" && exit 0
        echo "installing $* into $dir" >&2
        cd "$dir" || exit 1
        [ -f package.json ] || echo "{\"name\":\"mg-${dir##*/}-cache\",\"private\":true}" > package.json
        npm install --save-exact --no-audit --no-fund --loglevel=error "$@" >&2
    ) 9>"$dir/.lock"
    mg_npm_installed "$dir" "$@" || { echo "npm install $* into $dir failed" >&2; exit 1; }
}

# mg_npm_installed DIR NAME@VERSION...: every package is in DIR/node_modules at that version
mg_npm_installed() {
    local dir=$1 spec
    shift
    for spec in "$@"; do
        grep -q "\"version\": *\"${spec##*@}\"" "$dir/node_modules/${spec%@*}/package.json" \
            2>/dev/null || return 1
    done
}

MG_LB_DEFAULT_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"

# lb DB ARGS...: Liquibase with the connection arguments gen.sh uses; the remaining arguments
# follow them (global options, --changelog-file, the command, command options).
lb() {
    local db=$1
    shift
    [ -n "${MG_LIQUIBASE:-}" ] || ensure_liquibase
    # shellcheck disable=SC2086
    JAVA_OPTS=${MG_LB_JAVA_OPTS:-$MG_LB_DEFAULT_JAVA_OPTS} \
        ${MG_LB_TIMEOUT:+timeout -k 10 $MG_LB_TIMEOUT} bash "$MG_LIQUIBASE" --show-banner=false \
        --url="$(jdbc_url "$db")" --username="$PGUSER" --password="$PGPASSWORD" "$@"
}

# lb_oracle NAME ARGS...: compile tests/compat/oracle/NAME.java against Liquibase's jars (once
# per change of the source) and run it with ARGS; stdin and stdout are the caller's.
lb_oracle() {
    local name=$1 src lib out cp
    shift
    [ -n "${MG_LIQUIBASE:-}" ] || ensure_liquibase
    command -v javac >/dev/null 2>&1 || skip "javac not found (needed for the Liquibase oracles)"
    src=$MG_SRC/tests/compat/oracle/$name.java
    lib=$(dirname "$MG_LIQUIBASE")
    cp="$lib/internal/lib/*:$lib/lib/*"
    out=${MG_CACHE_DIR:-$MG_SRC/.cache}/oracle
    mkdir -p "$out" || return 1
    if [ ! -f "$out/$name.class" ] || [ "$src" -nt "$out/$name.class" ]; then
        javac -nowarn -d "$out" -cp "$cp" "$src" || { echo "javac $src failed" >&2; return 1; }
    fi
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp:$out" "$name" "$@"
}

# lb_queue RUNS LOG DB ARGS...: append the run `lb DB ARGS...` to the batch file RUNS (no
# argument may hold a tab or a newline); lb_batch RUNS then runs the file's commands in order,
# in one JVM (tests/lib/LbBatch.java), each with its output in LOG and its exit status in
# LOG.rc.  MG_LB_SEPARATE=1 (or a Java without javac) runs each command with `lb` instead
# (one JVM a command: slower; also for checking that the batch changes nothing).
lb_queue() {
    local runs=$1 log=$2 db=$3
    shift 3
    local IFS=$'\t'
    printf '%s\n' "$log$IFS--show-banner=false$IFS--url=$(jdbc_url "$db")$IFS--username=$PGUSER$IFS--password=$PGPASSWORD${*:+$IFS$*}" >> "$runs"
}

lb_batch() {
    local runs=$1 log args home
    [ -s "$runs" ] || return 0
    [ -n "${MG_LIQUIBASE:-}" ] || ensure_liquibase
    # the batch runner is Java source run by the launcher, which needs the JDK's compiler
    if [ -n "${MG_LB_SEPARATE:-}" ] || ! command -v javac >/dev/null 2>&1; then
        while IFS=$'\t' read -r -a args; do
            [ ${#args[@]} -gt 0 ] || continue
            log=${args[0]}
            # shellcheck disable=SC2086
            JAVA_OPTS=${MG_LB_JAVA_OPTS:-$MG_LB_DEFAULT_JAVA_OPTS} bash "$MG_LIQUIBASE" "${args[@]:1}" >"$log" 2>&1
            echo $? > "$log.rc"
        done < "$runs"
        return 0
    fi
    home=$(dirname "$MG_LIQUIBASE")
    # shellcheck disable=SC2086
    java ${MG_LB_JAVA_OPTS:-$MG_LB_DEFAULT_JAVA_OPTS} -cp "$home/internal/lib/*:$home/lib/*" \
        "$MG_SRC/tests/lib/LbBatch.java" "$runs"
}
