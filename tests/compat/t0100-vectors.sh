#!/usr/bin/env bash
# Compatibility with real Liquibase 4.28 on the shared test vectors
# ($MG_SHARED/liquibase/vectors, see its README.md).
#
# For every vector directory NN-name/, in a scratch copy of the vector's source files (the copy is
# the current directory, as in gen.sh), four checks are counted:
#   (a) update      `migrator [LB_ARGS] --url=jdbc:… --username=… --password= --changelog-file=C
#                   update [CMD_ARGS]` on a fresh database: exit status (0 or not) as in update.log,
#                   databasechangelog rows = expected-rows.tsv, user schema = schema.sql.
#   (b) update-sql  `migrator [LB_ARGS] update-sql --changelog-file=C --url=postgresql://… [CMD_ARGS]
#                   --output-file=F` on another fresh database: exit status (0 or not) as in
#                   update-sql.log, F = update.sql after removing volatile parts
#                   (SET SEARCH_PATH statements, "-- Ran at:"/"-- Against:" lines, the DEPLOYMENT_ID
#                   literal, the LOCKEDBY value, blank lines); the database must stay empty.
#   (c) Liquibase continues migrator: real Liquibase `update` on the database of (a).
#   (d) migrator continues Liquibase: real Liquibase `update` on a fresh database, then
#                   `migrator update --changelog-file=C --url=postgresql://…` on it.
# The expectation for (c) and (d) is what Liquibase itself does when it runs `update` a second
# time on its own database (a copy of the database of (d), made with CREATE DATABASE … TEMPLATE):
# normally it runs nothing ("Run: 0") and the rows stay unchanged; runAlways changesets, a `stop`
# change, failOnError=false and the like make it do the same things again.  (c) compares
# Liquibase's summary (Run / Previously run / Filtered out / Total), its exit status and the rows;
# (d) compares migrator's exit status, the rows and the user schema.
#
# Only the first update of each vector runs for now: the later phases of vector.conf
# (post_update: second runs with modified files, rollbacks, clear-checksums, …) are not run yet.
#
# Environment (besides those of tests/lib/test-lib.sh):
#   MG_VECTORS=regex      only vectors whose directory name matches (grep -E)
#   MG_COMPAT_JOBS=N      vectors run at the same time (default 2)
#   MG_CMD_TIMEOUT=S      time limit of one migrator/Liquibase run in seconds (default 120)
#   MG_SQL_IGNORE_COMMENTS=1  (b) ignores lines starting with "--"
#   MG_KEEP=1             keep the scratch directory and the databases of passing vectors too
#                         (databases of failing vectors are always kept: mgc_NN_{mig,sql,lb,ref})
# tests/compat/vectors.skip lists vectors not run: "NN-name<TAB>reason", or "NN-name:bd<TAB>reason"
# to skip only some of the checks a-d; blank lines and lines starting with # are ignored.

# shellcheck source=tests/lib/test-lib.sh
. "$(dirname "$0")/../lib/test-lib.sh"
set -u

VEC=$MG_SHARED/liquibase/vectors
SKIPFILE=$MG_SRC/tests/compat/vectors.skip
JOBS=${MG_COMPAT_JOBS:-2}
TMO=${MG_CMD_TIMEOUT:-120}

[ -d "$VEC" ] || skip "no vectors at $VEC"
ensure_liquibase
[ -x "$MIGRATOR" ] || echo "note: $MIGRATOR does not exist (yet): the migrator checks will fail"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/mg-compat.XXXXXX")
if [ -n "${MG_KEEP:-}" ]; then
    echo "scratch directory: $SCRATCH"
else
    at_exit 'rm -rf "$SCRATCH"'
fi

# --- helpers run inside a vector's job ------------------------------------------------------

# exit status class: Liquibase exits 1 on any error; migrator may use other non-zero codes
status_class() { [ "$1" = 0 ] && echo ok || echo "error"; }

# Liquibase's UPDATE SUMMARY lines, whitespace collapsed
lb_summary() {
    grep -E '^(Run|Previously run|Filtered out|Total change sets):' "$1" | tr -s ' \t' ' '
}

# report lines: "PASS x", "FAIL x message", "SKIP x reason", "    detail", "NOTE message"
report_diff() { # expected-file actual-file
    diff -u --label expected --label actual "$1" "$2" | head -n "${MG_DIFF_LINES:-15}" | sed 's/^/    /'
}
report_log() { # file: the last lines of a command's output
    tail -n "${MG_LOG_LINES:-6}" "$1" | sed 's/^/    | /'
}

# run_to logfile cmd...: run with a time limit, output to logfile
run_to() {
    local log=$1
    shift
    timeout -k 10 "$TMO" "$@" >"$log" 2>&1
}

mig() { run_to "$@"; }

# lbt logfile db args...: Liquibase with a time limit, output to logfile
lbt() { # logfile db args...
    local log=$1
    shift
    MG_LB_TIMEOUT=$TMO lb "$@" >"$log" 2>&1
}

run_vector() {
    local name=$1 skipchecks=$2
    local vdir=$VEC/$name nn=${name%%-*}
    local out=$SCRATCH/$name w=$SCRATCH/$name/work
    local rep=$out/report
    local dbm=mgc_${nn}_mig dbs=mgc_${nn}_sql dbl=mgc_${nn}_lb dbr=mgc_${nn}_ref
    local t0=$SECONDS upd_rc exp_rc rc rc_c rc_l rc_r rc_d f ok
    mkdir -p "$w"
    : > "$rep"
    # the vector's sources only, as gen.sh copies them
    (cd "$vdir" && find . -type f ! -name 'expected-rows*.tsv' ! -name 'update*.sql' ! -name 'schema*.sql' \
        ! -name '*.log' ! -name 'checksum-preimage*.txt' ! -name 'rollback*.sql' ! -name 'vector.conf' \
        ! -path './phase*' ! -name '*.out' -print0 | xargs -0 -r cp --parents -t "$w/")
    CHANGELOG=""
    LB_ARGS=()
    CMD_ARGS=()
    # shellcheck disable=SC1091
    [ -f "$vdir/vector.conf" ] && . "$vdir/vector.conf"
    if [ -z "$CHANGELOG" ]; then
        for f in changelog.xml changelog.yaml changelog.json changelog.sql; do
            [ -f "$vdir/$f" ] && { CHANGELOG=$f; break; }
        done
    fi
    upd_rc=$(sed -n 's/^update exit code: //p' "$vdir/update.log" 2>/dev/null | head -n 1)
    upd_rc=${upd_rc:-0}
    cd "$w" || return 1

    # (a) migrator update on a fresh database, Liquibase's own command line
    new_db "$dbm" >/dev/null
    mig "$out/a.log" "$MIGRATOR" "${LB_ARGS[@]}" --url="$(jdbc_url "$dbm")" --username="$PGUSER" \
        --password="$PGPASSWORD" --changelog-file="$CHANGELOG" update "${CMD_ARGS[@]}"
    rc=$?
    dump_rows "$dbm" > "$out/m.rows" 2>&1
    dump_schema "$dbm" > "$out/m.schema" 2>&1
    case "$skipchecks" in
        *a*) echo "SKIP a" >> "$rep" ;;
        *)
            ok=1
            {
                if [ "$(status_class "$rc")" != "$(status_class "$upd_rc")" ]; then
                    ok=""
                    echo "FAIL a update: exit status $rc, Liquibase's was $upd_rc"
                    report_log "$out/a.log"
                fi
                if ! cmp -s "$vdir/expected-rows.tsv" "$out/m.rows"; then
                    [ -n "$ok" ] && echo "FAIL a update: databasechangelog rows differ from expected-rows.tsv"
                    [ -z "$ok" ] && echo "    databasechangelog rows differ from expected-rows.tsv:"
                    ok=""
                    report_diff "$vdir/expected-rows.tsv" "$out/m.rows"
                fi
                if ! cmp -s "$vdir/schema.sql" "$out/m.schema"; then
                    [ -n "$ok" ] && echo "FAIL a update: schema differs from schema.sql"
                    [ -z "$ok" ] && echo "    schema differs from schema.sql:"
                    ok=""
                    report_diff "$vdir/schema.sql" "$out/m.schema"
                fi
                [ -n "$ok" ] && echo "PASS a"
            } >> "$rep"
            ;;
    esac

    # (b) migrator update-sql on another fresh database
    case "$skipchecks" in
        *b*) echo "SKIP b" >> "$rep" ;;
        *)
            if [ ! -f "$vdir/update.sql" ]; then
                echo "SKIP b (no update.sql)" >> "$rep"
            else
                new_db "$dbs" >/dev/null
                # like gen.sh: --output-file (messages of <output> changes go to the console);
                # Liquibase's update-sql does not evaluate preconditions, migrator's does
                # unless told not to
                mig "$out/b.log" "$MIGRATOR" "${LB_ARGS[@]}" update-sql --changelog-file="$CHANGELOG" \
                    --url="$(pg_url "$dbs")" "${CMD_ARGS[@]}" --output-file="$out/b.sql" \
                    --skip-preconditions-in-sql
                rc=$?
                exp_rc=0
                if [ -f "$vdir/update-sql.log" ] && ! grep -q "command 'update-sql' was executed successfully" "$vdir/update-sql.log"; then
                    exp_rc=1
                fi
                norm_sql "$vdir/update.sql" > "$out/b.expected"
                norm_sql "$out/b.sql" > "$out/b.actual"
                f=$(psql_q "$dbs" "SELECT string_agg(relname, ' ') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")
                {
                    if ! cmp -s "$out/b.expected" "$out/b.actual"; then
                        echo "FAIL b update-sql: output differs from update.sql (exit status $rc)"
                        report_diff "$out/b.expected" "$out/b.actual"
                        [ "$(status_class "$rc")" = "$(status_class "$exp_rc")" ] || report_log "$out/b.log"
                    elif [ "$(status_class "$rc")" != "$(status_class "$exp_rc")" ]; then
                        echo "FAIL b update-sql: exit status $rc, Liquibase's was $exp_rc"
                        report_log "$out/b.log"
                    elif [ -n "$f" ]; then
                        echo "FAIL b update-sql: changed the database (relations: $f)"
                    else
                        echo "PASS b"
                    fi
                } >> "$rep"
            fi
            ;;
    esac

    # Liquibase: first update on a fresh database (for d) and, at the same time, update on
    # migrator's database (c)
    new_db "$dbl" >/dev/null
    lbt "$out/l.log" "$dbl" "${LB_ARGS[@]}" --changelog-file="$CHANGELOG" update "${CMD_ARGS[@]}" &
    local pid_l=$!
    case "$skipchecks" in
        *c*) rc_c=0 ;;
        *)
            lbt "$out/c.log" "$dbm" "${LB_ARGS[@]}" --changelog-file="$CHANGELOG" update "${CMD_ARGS[@]}"
            rc_c=$?
            ;;
    esac
    wait "$pid_l"
    rc_l=$?
    dump_rows "$dbl" > "$out/l.rows" 2>&1
    dump_schema "$dbl" > "$out/l.schema" 2>&1
    # the oracle itself: Liquibase here must reproduce the vector (not counted, but reported)
    if ! cmp -s "$vdir/expected-rows.tsv" "$out/l.rows" || ! cmp -s "$vdir/schema.sql" "$out/l.schema" ||
        [ "$(status_class "$rc_l")" != "$(status_class "$upd_rc")" ]; then
        {
            echo "NOTE $name: Liquibase here does not reproduce expected-rows.tsv / schema.sql / update.log (exit $rc_l):"
            report_diff "$vdir/expected-rows.tsv" "$out/l.rows"
            report_diff "$vdir/schema.sql" "$out/l.schema"
            report_log "$out/l.log"
        } >> "$rep"
    fi

    # the reference: Liquibase's second update on a copy of its own database; at the same
    # time migrator continues the original (d)
    drop_db "$dbr"
    psql_q postgres "CREATE DATABASE $dbr TEMPLATE $dbl"
    lbt "$out/r.log" "$dbr" "${LB_ARGS[@]}" --changelog-file="$CHANGELOG" update "${CMD_ARGS[@]}" &
    local pid_r=$!
    case "$skipchecks" in
        *d*) rc_d=0 ;;
        *)
            mig "$out/d.log" "$MIGRATOR" "${LB_ARGS[@]}" update --changelog-file="$CHANGELOG" \
                --url="$(pg_url "$dbl")" "${CMD_ARGS[@]}"
            rc_d=$?
            ;;
    esac
    wait "$pid_r"
    rc_r=$?
    dump_rows "$dbr" > "$out/r.rows" 2>&1
    dump_schema "$dbr" > "$out/r.schema" 2>&1
    lb_summary "$out/r.log" > "$out/r.summary"
    echo "exit status: $(status_class "$rc_r")" >> "$out/r.summary"

    # (c) Liquibase on migrator's database behaves like Liquibase on its own database
    case "$skipchecks" in
        *c*) echo "SKIP c" >> "$rep" ;;
        *)
            dump_rows "$dbm" > "$out/c.rows" 2>&1
            lb_summary "$out/c.log" > "$out/c.summary"
            echo "exit status: $(status_class "$rc_c")" >> "$out/c.summary"
            if cmp -s "$out/l.rows" "$out/r.rows"; then
                f=$out/m.rows # Liquibase changes nothing: migrator's rows must stay as they are
            else
                f=$out/r.rows # Liquibase re-runs something: the same must happen here
            fi
            {
                if ! cmp -s "$out/r.summary" "$out/c.summary"; then
                    echo "FAIL c Liquibase after migrator: summary differs from Liquibase's second run on its own database"
                    report_diff "$out/r.summary" "$out/c.summary"
                    [ "$rc_c" = 0 ] || report_log "$out/c.log"
                elif ! cmp -s "$f" "$out/c.rows"; then
                    echo "FAIL c Liquibase after migrator: databasechangelog rows differ"
                    report_diff "$f" "$out/c.rows"
                else
                    echo "PASS c"
                fi
            } >> "$rep"
            ;;
    esac

    # (d) migrator on Liquibase's database behaves like Liquibase on its own database
    case "$skipchecks" in
        *d*) echo "SKIP d" >> "$rep" ;;
        *)
            dump_rows "$dbl" > "$out/d.rows" 2>&1
            dump_schema "$dbl" > "$out/d.schema" 2>&1
            {
                if [ "$(status_class "$rc_d")" != "$(status_class "$rc_r")" ]; then
                    echo "FAIL d migrator after Liquibase: exit status $rc_d, Liquibase's second run: $rc_r"
                    report_log "$out/d.log"
                elif ! cmp -s "$out/r.rows" "$out/d.rows"; then
                    echo "FAIL d migrator after Liquibase: databasechangelog rows differ"
                    report_diff "$out/r.rows" "$out/d.rows"
                elif ! cmp -s "$out/r.schema" "$out/d.schema"; then
                    echo "FAIL d migrator after Liquibase: schema differs"
                    report_diff "$out/r.schema" "$out/d.schema"
                else
                    echo "PASS d"
                fi
            } >> "$rep"
            ;;
    esac

    if [ -z "${MG_KEEP:-}" ] && ! grep -q '^FAIL' "$rep"; then
        for f in "$dbm" "$dbs" "$dbl" "$dbr"; do drop_db "$f"; done
    fi
    echo "TIME $((SECONDS - t0))" >> "$rep"
}

flush() {
    local name rep line
    while [ "$printed" -lt "$launched" ] && [ -f "$SCRATCH/${NAMES[$printed]}/done" ]; do
        name=${NAMES[$printed]}
        rep=$SCRATCH/$name/report
        local res="" secs="?"
        while IFS= read -r line; do
            case "$line" in
                "PASS "*) MG_PASSED=$((MG_PASSED + 1)); res+=" ${line#PASS }:ok" ;;
                "FAIL "*)
                    MG_FAILED=$((MG_FAILED + 1))
                    line=${line#FAIL }
                    res+=" ${line%% *}:FAIL"
                    ;;
                "SKIP "*) res+=" ${line:5:1}:skip" ;;
                "TIME "*) secs=${line#TIME } ;;
            esac
        done < "$rep"
        echo "$name:$res (${secs}s)"
        # failure lines and their details
        awk '/^FAIL /{p=1; sub(/^FAIL /, "FAIL '"$name"' "); print; next}
             /^NOTE /{p=1; print; next}
             /^(PASS|SKIP|TIME) /{p=0; next}
             p{print}' "$rep"
        printed=$((printed + 1))
    done
}

# --- main ---------------------------------------------------------------------------------
# (one function, parsed as a whole: editing this file while it runs does not confuse bash)
main() {
    declare -A SKIPS=()
    if [ -f "$SKIPFILE" ]; then
        while IFS=$'\t' read -r key reason; do
            case "$key" in '' | '#'*) continue ;; esac
            SKIPS[$key]=${reason:-no reason given}
        done < "$SKIPFILE"
    fi

    NAMES=()
    CHECKS=()
    for d in "$VEC"/[0-9][0-9]*-*/; do
        name=$(basename "$d")
        if [ -n "${MG_VECTORS:-}" ] && ! grep -Eq -- "$MG_VECTORS" <<< "$name"; then
            continue
        fi
        if [ -n "${SKIPS[$name]+x}" ]; then
            echo "skip $name: ${SKIPS[$name]}"
            continue
        fi
        c=""
        for key in "${!SKIPS[@]}"; do
            case "$key" in "$name":*)
                c+=${key#*:}
                echo "skip $name (${key#*:}): ${SKIPS[$key]}"
                ;;
            esac
        done
        NAMES+=("$name")
        CHECKS+=("$c")
    done
    [ ${#NAMES[@]} -gt 0 ] || skip "no vector selected (MG_VECTORS=${MG_VECTORS:-})"

    echo "${#NAMES[@]} vectors, $JOBS at a time; migrator: $MIGRATOR; Liquibase: $MG_LIQUIBASE"

    T0=$SECONDS
    printed=0
    launched=0
    running=0

    for i in "${!NAMES[@]}"; do
        (
            run_vector "${NAMES[$i]}" "${CHECKS[$i]}" > "$SCRATCH/${NAMES[$i]}.out" 2>&1
            touch "$SCRATCH/${NAMES[$i]}/done"
        ) &
        launched=$((launched + 1))
        running=$((running + 1))
        while [ "$running" -ge "$JOBS" ]; do
            wait -n
            running=$((running - 1))
            flush
        done
    done
    wait
    flush

    # a job that died without a report
    for name in "${NAMES[@]}"; do
        if ! grep -q '^TIME ' "$SCRATCH/$name/report" 2>/dev/null; then
            fail "$name: the vector's job did not finish"
            sed 's/^/    | /' "$SCRATCH/$name.out" | tail -n 10
        fi
    done

    echo "elapsed: $((SECONDS - T0))s"
    finish
}

main "$@"
exit $?
