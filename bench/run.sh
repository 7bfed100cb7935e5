#!/usr/bin/env bash
# bench/run.sh: migrator vs Liquibase 4.28 vs a plain psql script, side by side.
#
# For each size N (default 100 and 1000 changesets) the script generates a changelog with
# gen_changelog.py (and the same changesets in YAML and formatted SQL, gen_formats.py), then
# repeats R times, each time on fresh databases:
#   psql      cold   the SQL of `migrator update-sql`, one BEGIN/COMMIT per changeset
#   migrator  cold   `migrator update` on an empty database (each format)
#   migrator  no-op, status, validate  on the migrated database
#   migrator  update-sql  on an empty database (no writes but the tracking tables' check)
#   liquibase cold / no-op / status / validate  the same with the Liquibase 4.28 CLI (XML)
# then `migrator --version`, and loads one CSV of BENCH_LOAD_ROWS rows (psql: \copy;
# migrator: loadData, and its update-sql), and prints the median wall time and the peak RSS
# of each, and which goals are met (report.py). See bench/README.md.
#
# Environment:
#   MIGRATOR            binary (default: build-bench/migrator, built with cmake when missing)
#   BENCH_PGURL         postgresql://user[:password]@host[:port][/db] of an existing server;
#                       default: a throwaway cluster (tests/lib/pg-cluster.sh)
#   BENCH_SIZES         changeset counts (default "100 1000"; the goals also need 5000 10000)
#   BENCH_FORMATS       changelog formats migrator reads (default "xml yaml sql")
#   BENCH_R             repetitions for every size; BENCH_R_<N> for one size
#                       (default 5 for N <= 100, 3 above)
#   BENCH_TOOLS         subset of "psql migrator liquibase" (default: all three)
#   MG_LIQUIBASE        Liquibase 4.28 CLI script; default: npm install liquibase@4.28.0 into
#                       $MG_CACHE_DIR/liquibase (MG_CACHE_DIR default: <repo>/.cache)
#   BENCH_LB_JAVA_OPTS  JAVA_OPTS for Liquibase (default: the test suite's fast start-up
#                       options; set it to "" for the JVM's defaults)
#   BENCH_LOAD_ROWS     rows of the loadData scenario (default 1000000; 0 leaves it out):
#                       psql \copy of the CSV (the floor), migrator loadData
#   BENCH_LOAD_TOOLS    who loads (default "psql migrator"; add liquibase for its loadData,
#                       several minutes per repetition at a million rows)
#   BENCH_R_LOAD        its repetitions (default 3)
#   BENCH_SEED          generator seed (default 1)
#   BENCH_TIMEOUT       time limit in seconds of one measured command (default 900)
#   BENCH_OUT           JSON results (default /tmp/migrator-bench.json)
#   BENCH_KEEP=1        keep the work folder (changelogs, scripts, logs)
set -uo pipefail
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MG_SRC=$(cd "$BENCH_DIR/.." && pwd)
MIGRATOR=${MIGRATOR:-$MG_SRC/build-bench/migrator}
SIZES=${BENCH_SIZES-100 1000}
FORMATS=${BENCH_FORMATS-xml yaml sql}
LOAD_TOOLS=" ${BENCH_LOAD_TOOLS:-psql migrator} "
TOOLS=" ${BENCH_TOOLS:-psql migrator liquibase} "
SEED=${BENCH_SEED:-1}
TIMEOUT=${BENCH_TIMEOUT:-900}
OUT=${BENCH_OUT:-/tmp/migrator-bench.json}
LOAD_ROWS=${BENCH_LOAD_ROWS:-1000000}
LB_JAVA_OPTS=${BENCH_LB_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto}
LB_VERSION=4.28.0
TIME=/usr/bin/time

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }
has_tool() { case "$TOOLS" in *" $1 "*) return 0 ;; esac; return 1; }
loads() { has_tool "$1" && case "$LOAD_TOOLS" in *" $1 "*) return 0 ;; esac; return 1; }
has_format() { case " $FORMATS " in *" $1 "*) return 0 ;; esac; return 1; }

for t in $TOOLS; do
    case "$t" in psql | migrator | liquibase) ;; *) die "unknown tool in BENCH_TOOLS: $t" ;; esac
done
has_tool psql || has_tool migrator || has_tool liquibase || die "BENCH_TOOLS is empty"
for f in $FORMATS; do
    case "$f" in xml | yaml | sql) ;; *) die "unknown format in BENCH_FORMATS: $f" ;; esac
done
for n in $SIZES $LOAD_ROWS; do
    case "$n" in '' | *[!0-9]*) die "BENCH_SIZES / BENCH_LOAD_ROWS: not a number: $n" ;; esac
done
command -v python3 >/dev/null || die "python3 is needed (generator and report)"
command -v psql >/dev/null || die "psql is needed"

# --- GNU time ----------------------------------------------------------------------------
if ! [ -x "$TIME" ] || ! "$TIME" -f '%e %M' true >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "bench: installing GNU time (Debian package 'time')"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1; }
    fi
    [ -x "$TIME" ] || die "GNU time ($TIME) is needed: apt-get install time"
fi

# --- migrator ----------------------------------------------------------------------------
if has_tool migrator || has_tool psql; then
    if ! [ -x "$MIGRATOR" ]; then
        [ "$MIGRATOR" = "$MG_SRC/build-bench/migrator" ] || die "MIGRATOR=$MIGRATOR is not executable"
        say "bench: building $MIGRATOR"
        { cmake -S "$MG_SRC" -B "$MG_SRC/build-bench" >/dev/null &&
            cmake --build "$MG_SRC/build-bench" -j2 >/dev/null; } || die "build failed"
    fi
fi

# --- Liquibase (as tests/lib/test-lib.sh's ensure_liquibase) -----------------------------
lb_installed() {
    [ -f "$1/node_modules/liquibase/dist/liquibase/liquibase" ] &&
        [ -f "$1/node_modules/liquibase/dist/liquibase/internal/lib/liquibase-core.jar" ] &&
        [ -f "$1/node_modules/liquibase/dist/liquibase/internal/lib/postgresql.jar" ] &&
        grep -q "\"version\": *\"$LB_VERSION\"" "$1/node_modules/liquibase/package.json" 2>/dev/null
}
if has_tool liquibase; then
    command -v java >/dev/null || die "java is needed for Liquibase (or leave it out: BENCH_TOOLS)"
    if [ -n "${MG_LIQUIBASE:-}" ]; then
        [ -f "$MG_LIQUIBASE" ] || die "MG_LIQUIBASE=$MG_LIQUIBASE does not exist"
    else
        lbdir=${MG_CACHE_DIR:-$MG_SRC/.cache}/liquibase
        if ! lb_installed "$lbdir"; then
            command -v npm >/dev/null || die "npm is needed to install liquibase@$LB_VERSION"
            mkdir -p "$lbdir" || exit 1
            (
                flock 9
                lb_installed "$lbdir" && exit 0
                say "bench: installing liquibase@$LB_VERSION into $lbdir"
                cd "$lbdir" || exit 1
                [ -f package.json ] || echo '{"name":"mg-liquibase-cache","private":true}' > package.json
                npm install --save-exact --no-audit --no-fund --loglevel=error "liquibase@$LB_VERSION" >&2
            ) 9>"$lbdir/.lock"
            lb_installed "$lbdir" || die "npm install liquibase@$LB_VERSION into $lbdir failed"
        fi
        MG_LIQUIBASE=$lbdir/node_modules/liquibase/dist/liquibase/liquibase
    fi
fi

# --- work folder, server, clean-up ----------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mg-bench.XXXXXX") || die "mktemp failed"
PGDIR=$WORK/pg
CLUSTER_UP=""
DBS_MADE=()
CHILD=""

cleanup() {
    local db
    trap - EXIT INT TERM
    if [ -n "$CHILD" ]; then
        kill -TERM "$CHILD" 2>/dev/null
        wait "$CHILD" 2>/dev/null
    fi
    if [ -n "$CLUSTER_UP" ]; then
        if [ -n "${MG_PG_EXTERNAL:-}" ]; then
            for db in "${DBS_MADE[@]}"; do drop_db "$db"; done
        fi
        "$MG_SRC/tests/lib/pg-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 ||
            say "bench: could not stop the cluster in $PGDIR"
    fi
    if [ -n "${BENCH_KEEP:-}" ]; then
        say "bench: work folder kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${BENCH_PGURL:-}" ]; then
    MIGRATOR_TEST_PGURL=$BENCH_PGURL "$MG_SRC/tests/lib/pg-cluster.sh" start "$PGDIR" >&2
else
    env -u MIGRATOR_TEST_PGURL "$MG_SRC/tests/lib/pg-cluster.sh" start "$PGDIR" >&2
fi
rc=$?
[ "$rc" -eq 0 ] || die "cannot start PostgreSQL (pg-cluster.sh exit $rc)"
CLUSTER_UP=1
# shellcheck disable=SC1091
. "$PGDIR/env"
MG_PG_TCP=${MG_PG_TCP:-127.0.0.1}
PGPASSWORD=${PGPASSWORD:-}
export PGPASSWORD
psql -XAtq -d postgres -c 'SELECT 1' >/dev/null 2>&1 || die "the server does not answer"
PG_VERSION=$(psql -XAtq -d postgres -c 'SHOW server_version')

# The psql floor runs the psql binary itself: Debian's /usr/bin/psql is a Perl wrapper
# (pg_wrapper) that costs ~0.1 s per start on this kind of machine.
PSQL=""
for d in "${MG_PG_BINDIR:-}" "$(pg_config --bindir 2>/dev/null)" \
    $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    [ -n "$d" ] && [ -x "$d/psql" ] && { PSQL=$d/psql; break; }
done
[ -n "$PSQL" ] || PSQL=$(command -v psql)

urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
PG_AUTH=$(urlenc "$PGUSER")
[ -n "$PGPASSWORD" ] && PG_AUTH+=":$(urlenc "$PGPASSWORD")"
pg_url() { printf 'postgresql://%s@%s:%s/%s' "$PG_AUTH" "$MG_PG_TCP" "$PGPORT" "$1"; }
jdbc_url() { printf 'jdbc:postgresql://%s:%s/%s' "$MG_PG_TCP" "$PGPORT" "$1"; }

admin() { psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" "$@"; }
drop_db() { admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1; }
new_db() {
    DBS_MADE+=("$1")
    admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null ||
        die "cannot create database $1"
}
# flush dirty buffers before a measurement (superuser only; ignored otherwise)
settle() { admin -c "CHECKPOINT" >/dev/null 2>&1 || true; }
count_rows() { psql -XAtq -d "$1" -c "SELECT count(*) FROM databasechangelog" 2>/dev/null; }

# --- measuring -----------------------------------------------------------------------------
SAMPLES=$WORK/samples.tsv
CHECKS=$WORK/checks.tsv
: > "$SAMPLES"
: > "$CHECKS"

# measure TOOL FORMAT SCENARIO N REP LOG CMD...: run CMD (cwd $WORK) under GNU time, record the wall
# time (bash clock, microseconds), the peak RSS (GNU time %M, KB, largest process of the tree)
# and the client's CPU time (user + system, the whole process tree; server work excluded);
# stop the benchmark when CMD fails.
measure() {
    local tool=$1 fmt=$2 scen=$3 n=$4 rep=$5 log=$6 t0 t1 rc secs rss cpu
    shift 6
    settle
    # in the background so that a signal interrupts `wait` at once; timeout (a process group
    # of its own) passes a TERM from cleanup on to the whole measured tree
    t0=$EPOCHREALTIME
    (cd "$WORK" && exec timeout -k 10 "$TIMEOUT" \
        "$TIME" -f '%e %M %U %S' -o "$WORK/time.out" "$@") >"$log" 2>&1 </dev/null &
    CHILD=$!
    wait "$CHILD"
    rc=$?
    t1=$EPOCHREALTIME
    CHILD=""
    if [ "$rc" -ne 0 ]; then
        say "bench: $tool $scen N=$n (repetition $rep) failed with exit $rc; last lines of $log:"
        tail -n 15 "$log" >&2
        BENCH_KEEP=1
        exit 1
    fi
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
    read -r _ rss cpu <<< "$(tail -n 1 "$WORK/time.out" | awk '{ print $1, $2, $3 + $4 }')"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$fmt" "$scen" "$n" "$rep" "$secs" "$rss" \
        "$cpu" >> "$SAMPLES"
    printf '  %-9s %-4s %-10s N=%-5s #%s  %8.3f s  cpu %6.2f s  %6.1f MB\n' "$tool" "$fmt" "$scen" \
        "$n" "$rep" \
        "$secs" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" >&2
}

# the measured commands (argv arrays, run from $WORK)
cmd_migrator() { # DB CHANGELOG [COMMAND]
    CMD=("$MIGRATOR" "${3:-update}" --changelog-file="$2" --url="$(pg_url "$1")")
}
cmd_liquibase() { # DB CHANGELOG [COMMAND]
    CMD=(env "JAVA_OPTS=$LB_JAVA_OPTS" bash "$MG_LIQUIBASE" --show-banner=false
        --url="$(jdbc_url "$1")" --username="$PGUSER" --password="$PGPASSWORD"
        --changelog-file="$2" "${3:-update}")
}
cmd_psql() { # DB SCRIPT
    CMD=("$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$MG_PG_TCP" -p "$PGPORT" -U "$PGUSER" -d "$1" -f "$2")
}

# check NAME N OK DETAIL
check() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$CHECKS"; }

expect_rows() { # DB N WHAT
    local got
    got=$(count_rows "$1")
    [ "$got" = "$2" ] || { BENCH_KEEP=1; die "$3: databasechangelog has '${got}' rows, expected $2"; }
}

schema_of() {
    pg_dump -d "$1" --schema-only --no-owner --no-privileges \
        -T databasechangelog -T databasechangeloglock 2>/dev/null |
        grep -v '^-- Dumped from\|^-- Dumped by\|^\\restrict\|^\\unrestrict'
}
rows_of() {
    psql -XAtq -d "$1" -c "SELECT id, author, filename, md5sum, description, comments, exectype,
        contexts, labels, orderexecuted, tag, liquibase FROM databasechangelog ORDER BY orderexecuted"
}

# compare the databases of the first repetition (not timed)
consistency_checks() { # N
    local n=$1 p=bench_psql_$1_1 m=bench_mig_xml_$1_1 l=bench_lb_$1_1 out f
    if has_tool migrator && has_format xml; then
        for f in yaml sql; do
            has_format "$f" || continue
            if diff <(schema_of "$m") <(schema_of "bench_mig_${f}_$1_1") > "$WORK/schema-$f-vs-xml-$n.diff"
            then
                check "schema: migrator $f changelog = migrator xml changelog" "$n" 1 ""
            else
                check "schema: migrator $f changelog = migrator xml changelog" "$n" 0 \
                    "see schema-$f-vs-xml-$n.diff (BENCH_KEEP=1)"
                BENCH_KEEP=1
            fi
        done
    fi
    has_format xml || return 0
    if has_tool migrator && has_tool liquibase; then
        if diff <(schema_of "$m") <(schema_of "$l") > "$WORK/schema-mig-vs-lb-$n.diff"; then
            check "schema: migrator = Liquibase" "$n" 1 ""
        else
            check "schema: migrator = Liquibase" "$n" 0 "see schema-mig-vs-lb-$n.diff (BENCH_KEEP=1)"
            BENCH_KEEP=1
        fi
        if diff <(rows_of "$m") <(rows_of "$l") > "$WORK/rows-mig-vs-lb-$n.diff"; then
            check "databasechangelog rows (checksums, descriptions): migrator = Liquibase" "$n" 1 ""
        else
            check "databasechangelog rows (checksums, descriptions): migrator = Liquibase" "$n" 0 \
                "see rows-mig-vs-lb-$n.diff (BENCH_KEEP=1)"
            BENCH_KEEP=1
        fi
        if out=$(cd "$WORK" && "$MIGRATOR" update --changelog-file="changelog-$n.xml" \
            --url="$(pg_url "$l")" 2>&1) && [ "$(count_rows "$l")" = "$n" ]; then
            check "migrator update on the Liquibase-migrated database is a no-op" "$n" 1 ""
        else
            check "migrator update on the Liquibase-migrated database is a no-op" "$n" 0 \
                "$(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
        fi
    fi
    if has_tool migrator && has_tool psql; then
        if diff <(schema_of "$m") <(schema_of "$p") > "$WORK/schema-mig-vs-psql-$n.diff"; then
            check "schema: migrator = psql script" "$n" 1 ""
        else
            check "schema: migrator = psql script" "$n" 0 "see schema-mig-vs-psql-$n.diff (BENCH_KEEP=1)"
            BENCH_KEEP=1
        fi
    fi
}

reps_for() {
    local n=$1 v
    v=BENCH_R_$n
    if [ -n "${!v:-}" ]; then echo "${!v}"
    elif [ -n "${BENCH_R:-}" ]; then echo "$BENCH_R"
    elif [ "$n" -le 100 ]; then echo 5
    else echo 3
    fi
}

# --- the runs ------------------------------------------------------------------------------
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
T_START=$SECONDS
say "bench: PostgreSQL $PG_VERSION at $MG_PG_TCP:$PGPORT; work folder $WORK"
say "bench: tools:$TOOLS sizes: $SIZES; load average $LOAD_START"

# changelog_of N FORMAT: the file name of that size's changelog in that format
changelog_of() { case "$2" in xml) echo "changelog-$1.xml" ;; yaml) echo "changelog-$1.yaml" ;;
    sql) echo "changelog-$1.sql" ;; esac; }

# migrator on one changelog: cold, no-op, status, validate, then update-sql on an empty database
migrator_runs() { # N FORMAT REP
    local n=$1 f=$2 rep=$3 cl db
    cl=$(changelog_of "$n" "$f")
    db=bench_mig_${f}_${n}_$rep
    new_db "$db"
    cmd_migrator "$db" "$cl"
    measure migrator "$f" cold "$n" "$rep" "$WORK/migrator-$f-cold-$n-$rep.log" "${CMD[@]}"
    expect_rows "$db" "$n" "migrator update ($f)"
    measure migrator "$f" no-op "$n" "$rep" "$WORK/migrator-$f-noop-$n-$rep.log" "${CMD[@]}"
    expect_rows "$db" "$n" "migrator update ($f, no-op)"
    for c in status validate; do
        cmd_migrator "$db" "$cl" "$c"
        measure migrator "$f" "$c" "$n" "$rep" "$WORK/migrator-$f-$c-$n-$rep.log" "${CMD[@]}"
    done
    new_db "bench_migsql_${n}_$rep"
    cmd_migrator "bench_migsql_${n}_$rep" "$cl" update-sql
    measure migrator "$f" update-sql "$n" "$rep" "$WORK/migrator-$f-update-sql-$n-$rep.log" "${CMD[@]}"
    drop_db "bench_migsql_${n}_$rep"
}

for n in $SIZES; do
    R=$(reps_for "$n")
    cl=changelog-$n.xml
    python3 "$BENCH_DIR/gen_changelog.py" "$n" "$WORK/$cl" --seed "$SEED" || die "generator failed"
    say "bench: N=$n: $cl ($(wc -c < "$WORK/$cl") bytes), $R repetitions"

    if has_tool psql || { has_tool migrator && has_format sql; }; then
        # the psql floor: the SQL migrator would run on an empty database
        new_db "bench_scratch_$n"
        (cd "$WORK" && "$MIGRATOR" update-sql --changelog-file="$cl" \
            --url="$(pg_url "bench_scratch_$n")" > "$WORK/update-$n.sql" 2> "$WORK/update-sql-$n.log") ||
            { tail -n 15 "$WORK/update-sql-$n.log" >&2; BENCH_KEEP=1; die "migrator update-sql failed"; }
        left=$(psql -XAtq -d "bench_scratch_$n" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        [ "$left" = 0 ] || say "bench: note: update-sql created $left table(s) in an empty database"
        python3 "$BENCH_DIR/psql_script.py" "$WORK/update-$n.sql" "$WORK/psql-$n.sql" 2>/dev/null ||
            die "psql_script.py failed on update-$n.sql"
        drop_db "bench_scratch_$n"
    fi
    if has_tool migrator; then
        if has_format yaml; then
            python3 "$BENCH_DIR/gen_formats.py" yaml "$WORK/$cl" "$WORK/$(changelog_of "$n" yaml)" ||
                die "gen_formats.py yaml failed"
        fi
        if has_format sql; then
            python3 "$BENCH_DIR/gen_formats.py" sql "$WORK/update-$n.sql" "$WORK/$(changelog_of "$n" sql)" ||
                die "gen_formats.py sql failed"
        fi
    fi

    for rep in $(seq 1 "$R"); do
        if has_tool psql; then
            db=bench_psql_${n}_$rep
            new_db "$db"
            cmd_psql "$db" "psql-$n.sql"
            measure psql - cold "$n" "$rep" "$WORK/psql-$n-$rep.log" "${CMD[@]}"
            expect_rows "$db" "$n" "psql script"
        fi
        if has_tool migrator; then
            for f in $FORMATS; do
                migrator_runs "$n" "$f" "$rep"
            done
        fi
        if has_tool liquibase; then
            db=bench_lb_${n}_$rep
            new_db "$db"
            cmd_liquibase "$db" "$cl"
            measure liquibase xml cold "$n" "$rep" "$WORK/liquibase-cold-$n-$rep.log" "${CMD[@]}"
            expect_rows "$db" "$n" "Liquibase update"
            measure liquibase xml no-op "$n" "$rep" "$WORK/liquibase-noop-$n-$rep.log" "${CMD[@]}"
            expect_rows "$db" "$n" "Liquibase update (no-op)"
            for c in status validate; do
                cmd_liquibase "$db" "$cl" "$c"
                measure liquibase xml "$c" "$n" "$rep" "$WORK/liquibase-$c-$n-$rep.log" "${CMD[@]}"
            done
        fi
        [ "$rep" = 1 ] && consistency_checks "$n"
        for db in "bench_psql_${n}_$rep" "bench_lb_${n}_$rep"; do
            drop_db "$db"
        done
        for f in $FORMATS; do
            drop_db "bench_mig_${f}_${n}_$rep"
        done
    done
done

# --- migrator --version: process start alone (scenario "version", N = 0) ------------------
# The time of one start is below what the measuring wrapper costs, so a batch of 100 starts
# runs in one shell loop and each sample is the batch's time / 100; RSS from one run.
if has_tool migrator; then
    for rep in $(seq 1 5); do
        t0=$EPOCHREALTIME
        for _ in $(seq 1 100); do "$MIGRATOR" --version >/dev/null; done
        t1=$EPOCHREALTIME
        rss=$("$TIME" -f '%M' "$MIGRATOR" --version 2>&1 >/dev/null | tail -n 1)
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 100 }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' migrator - version 0 "$rep" "$secs" "$rss" 0 >> "$SAMPLES"
        printf '  %-9s %-4s %-10s N=%-5s #%s  %8.4f s\n' migrator - version 0 "$rep" "$secs" >&2
    done
fi

# --- loadData: one CSV of LOAD_ROWS rows (scenario "load", N = rows) ---------------------
load_value() { psql -XAtq -d "$1" -c "SELECT count(*) || '/' || sum(id) || '/' || sum(amount) || '/' ||
    count(*) FILTER (WHERE active) || '/' || max(created) || '/' || max(name) FROM bench_load" 2>/dev/null; }
if [ "$LOAD_ROWS" != 0 ]; then
    R=${BENCH_R_LOAD:-3}
    python3 "$BENCH_DIR/gen_load.py" "$LOAD_ROWS" "$WORK/load" --seed "$SEED" || die "gen_load.py failed"
    say "bench: loadData of $LOAD_ROWS rows ($(wc -c < "$WORK/load/load.csv") bytes of CSV), $R repetitions"
    for rep in $(seq 1 "$R"); do
        if loads psql; then
            db=bench_load_psql_$rep
            new_db "$db"
            cmd_psql "$db" "load/load-psql.sql"
            measure psql - load "$LOAD_ROWS" "$rep" "$WORK/load-psql-$rep.log" "${CMD[@]}"
        fi
        if loads migrator; then
            db=bench_load_mig_$rep
            new_db "$db"
            cmd_migrator "$db" "load/load.xml"
            measure migrator xml load "$LOAD_ROWS" "$rep" "$WORK/load-migrator-$rep.log" "${CMD[@]}"
            expect_rows "$db" 2 "migrator loadData"
            # update-sql prints the INSERTs that update ran (to a file; on an empty database)
            new_db "bench_load_migsql_$rep"
            cmd_migrator "bench_load_migsql_$rep" "load/load.xml" update-sql
            measure migrator xml load-sql "$LOAD_ROWS" "$rep" "$WORK/load-migrator-sql-$rep.log" "${CMD[@]}"
            drop_db "bench_load_migsql_$rep"
            if [ "$rep" = 1 ]; then
                got=$(grep -c '^INSERT INTO public.bench_load' "$WORK/load-migrator-sql-$rep.log")
                want=$(( (LOAD_ROWS + 50) / 51 ))
                what="loadData update-sql prints all $want INSERTs (51 rows each) that update runs"
                if [ "$got" = "$want" ]; then
                    check "$what" "$LOAD_ROWS" 1 ""
                else
                    check "$what" "$LOAD_ROWS" 0 \
                        "$got INSERT statements"
                fi
            fi
        fi
        if loads liquibase; then
            db=bench_load_lb_$rep
            new_db "$db"
            cmd_liquibase "$db" "load/load.xml"
            measure liquibase xml load "$LOAD_ROWS" "$rep" "$WORK/load-liquibase-$rep.log" "${CMD[@]}"
            expect_rows "$db" 2 "Liquibase loadData"
        fi
        if [ "$rep" = 1 ]; then
            ref=""
            for db in bench_load_psql_1 bench_load_mig_1 bench_load_lb_1; do
                v=$(load_value "$db")
                [ -n "$v" ] || continue
                if [ -z "$ref" ]; then ref=$v; refdb=$db; continue; fi
                if [ "$v" = "$ref" ]; then
                    check "loaded data: $db = $refdb" "$LOAD_ROWS" 1 ""
                else
                    check "loaded data: $db = $refdb" "$LOAD_ROWS" 0 "$v vs $ref"
                fi
            done
            if loads migrator && loads liquibase; then
                if diff <(rows_of bench_load_mig_1) <(rows_of bench_load_lb_1) >/dev/null; then
                    check "loadData databasechangelog rows (checksum): migrator = Liquibase" "$LOAD_ROWS" 1 ""
                else
                    check "loadData databasechangelog rows (checksum): migrator = Liquibase" "$LOAD_ROWS" 0 \
                        "$(diff <(rows_of bench_load_mig_1) <(rows_of bench_load_lb_1) | tr '\n' ' ')"
                fi
            fi
        fi
        for db in "bench_load_psql_$rep" "bench_load_mig_$rep" "bench_load_lb_$rep"; do
            drop_db "$db"
        done
    done
fi

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
echo
echo "migrator benchmark: PostgreSQL $PG_VERSION, $(nproc) CPUs, load average $LOAD_START at start, $LOAD_END at the end, $((SECONDS - T_START)) s"
echo
python3 "$BENCH_DIR/report.py" "$SAMPLES" "$CHECKS" "$OUT" \
    "migrator=$MIGRATOR" "psql=$PSQL" "migrator_version=$("$MIGRATOR" --version 2>/dev/null | head -n 1)" \
    "liquibase=${MG_LIQUIBASE:-}" "liquibase_version=$LB_VERSION" \
    "liquibase_java_opts=$LB_JAVA_OPTS" "java=$(java -version 2>&1 | head -n 1)" \
    "postgres_version=$PG_VERSION" "formats=$FORMATS" "cpus=$(nproc)" "loadavg_start=$LOAD_START" \
    "loadavg_end=$LOAD_END" "sizes=$SIZES" "tools=${TOOLS# }" "seed=$SEED" \
    "duration_s=$((SECONDS - T_START))" "host=$(uname -srm)" ||
    die "report.py failed"
