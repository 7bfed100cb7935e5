#!/usr/bin/env bash
# Many runners started at the same moment on one database: 16 migrators, then 8 migrators
# with 4 Liquibase 4.28 runs. Every changeset runs once, every runner exits 0, none hangs,
# and no lock is left behind. Prints how long the runners took (min/median/max).
. "$(dirname "$0")/../lib/test-lib.sh"
ensure_liquibase

work=$(mktemp -d)
at_exit "cd /; rm -rf '$work'"
cd "$work" || exit 1

# 50 changesets: the first creates the table that counts inserts; each one creates a table
# and inserts its own id once; every fifth sleeps, so that the waiters really wait
{
    echo '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"'
    echo '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    echo '    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">'
    echo '  <changeSet id="c0" author="t"><sql>CREATE TABLE hits (id text)</sql></changeSet>'
    for i in $(seq 1 49); do
        sleep_sql=""
        [ $((i % 5)) -eq 0 ] && sleep_sql="SELECT pg_sleep(0.05);"
        echo "  <changeSet id=\"c$i\" author=\"t\"><sql>${sleep_sql}CREATE TABLE t_$i (x int);" \
            "INSERT INTO hits VALUES ('c$i')</sql></changeSet>"
    done
    echo '</databaseChangeLog>'
} > changelog.xml

echo '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"/>' > empty.xml

# runner KIND N DB: wait for the start gate of KIND (a shared flock on gate-KIND, which the test
# holds exclusively until the start), then run one update under `timeout`; writes N.rc, N.ms
# (wall time from the gate) and N.log
runner() {
    local kind=$1 n=$2 db=$3 t0 rc
    flock -s 8 8<"gate-$kind"
    t0=$(date +%s%N)
    if [ "$kind" = mg ]; then
        timeout -k 5 50 "$MIGRATOR" update --changelog-file=changelog.xml --url="$(pg_url "$db")" \
            --lock-wait-timeout=50 >"$n.log" 2>&1
    else
        MG_LB_TIMEOUT=50 lb "$db" --changelog-lock-wait-time-in-minutes=1 \
            --changelog-lock-poll-rate=1 --changelog-file=changelog.xml update >"$n.log" 2>&1
    fi
    rc=$?
    echo $(( ($(date +%s%N) - t0) / 1000000 )) > "$n.ms"
    echo "$rc" > "$n.rc"
}

# race DB LABEL ORDER KIND...: start one runner per KIND, then check everything. ORDER "once"
# opens both gates at the same moment; "lb-first" opens the Liquibase gate first and the
# migrator gate when a Liquibase run has taken the lock, so that the migrators wait for it.
race() {
    local db=$1 label=$2 order=$3 kind n=0 pids=() bad="" rcs ms holder="" i
    shift 3
    new_db "$db" >/dev/null
    at_exit "drop_db $db"
    # Liquibase 4.28 creates DATABASECHANGELOG before it takes the lock (DatabaseChangelogCommandStep
    # checks the tables first), so two Liquibase runs on an empty database race each other and one
    # fails with "relation databasechangelog already exists". With Liquibase in the race, the
    # bookkeeping tables are made first, by an update of an empty changelog.
    case " $* " in
        *" lb "*) "$MIGRATOR" update --changelog-file=empty.xml --url="$(pg_url "$db")" >/dev/null 2>&1 ||
            fail "$label: creating the bookkeeping tables" ;;
    esac
    rm -f ./*.rc ./*.ms ./*.log
    : > gate-mg
    : > gate-lb
    exec 6>gate-mg 7>gate-lb
    flock -x 6
    flock -x 7
    for kind in "$@"; do
        n=$((n + 1))
        runner "$kind" "$kind$n" "$db" 6>&- 7>&- &
        pids+=($!)
    done
    sleep 0.5 # every runner is now blocked on its gate
    flock -u 7
    if [ "$order" = lb-first ]; then
        for i in $(seq 400); do
            holder=$(psql_q "$db" "SELECT lockedby FROM databasechangeloglock WHERE locked" 2>/dev/null)
            [ -z "$holder" ] || break
            sleep 0.05
        done
        assert_contains "$holder" "(" "$label: a Liquibase run took the lock first (${holder:-nobody})"
        case $holder in *"(migrator pid"*) fail "$label: the first holder is a migrator" ;; esac
    fi
    flock -u 6
    exec 6>&- 7>&-
    wait "${pids[@]}"

    rcs=$(cat ./*.rc | sort | uniq -c | sed 's/^ *//')
    assert_eq "$# 0" "$rcs" "$label: all $# runners exit 0"
    for f in ./*.rc; do
        [ "$(cat "$f")" = 0 ] || { bad+=" ${f%.rc}"; sed 's/^/    | /' "${f%.rc}.log" | tail -n 15; }
    done
    [ -z "$bad" ] || echo "    failed runners:$bad"
    assert_eq "50 50" "$(psql_q "$db" "SELECT count(*) || ' ' || count(DISTINCT id) FROM databasechangelog")" \
        "$label: DATABASECHANGELOG has each of the 50 changesets once"
    assert_eq "49 49" "$(psql_q "$db" "SELECT count(*) || ' ' || count(DISTINCT id) FROM hits")" \
        "$label: each insert ran once"
    assert_eq "49" "$(psql_q "$db" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\_%'")" \
        "$label: the 49 tables exist"
    assert_eq "f" "$(psql_q "$db" "SELECT locked FROM databasechangeloglock")" \
        "$label: DATABASECHANGELOGLOCK is unlocked"
    assert_eq "0" "$(psql_q "$db" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" \
        "$label: no advisory lock is held"
    assert_eq "1" "$(psql_q "$db" "SELECT count(DISTINCT deployment_id) FROM databasechangelog")" \
        "$label: one runner applied everything"
    ms=$(cat ./*.ms | sort -n)
    echo "    $label wall times (ms): min $(head -n 1 <<<"$ms")" \
        "median $(sed -n "$(( ($# + 1) / 2 ))p" <<<"$ms") max $(tail -n 1 <<<"$ms")"
    for kind in mg lb; do
        ls ./$kind*.ms >/dev/null 2>&1 || continue
        ms=$(cat ./$kind*.ms | sort -n | tr '\n' ' ')
        echo "    $label $kind: $ms"
    done
}

mapfile -t sixteen < <(for _ in $(seq 16); do echo mg; done)
race t1400a "16 migrators" once "${sixteen[@]}"
race t1400b "8 migrators + 4 Liquibase" once mg lb mg mg lb mg mg lb mg mg lb mg
race t1400c "4 Liquibase, then 8 migrators" lb-first mg lb mg mg lb mg mg lb mg mg lb mg
finish
