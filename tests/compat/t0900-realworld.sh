#!/usr/bin/env bash
# Real-world-style changelogs (tests/compat/realworld/NN-name/, see its README.md) under
# real Liquibase 4.28 and migrator, with the same arguments, in both directions.
#
# Each folder holds a root changelog and an rw.conf (bash, sourced with DIR set to the folder):
#   ROOT=changelog.xml        the root changelog, in the folder
#   GLOBAL=(...)              options before the command (--defaults-file=$DIR/...)
#   ARGS=(...)                options after it (--contexts=..., -Dname=value)
#   R1_ROOT=release-1.xml     release 1 is this root (default ROOT) ...
#   R1_CMD=(update-to-tag --tag=v1)   ... run with this command (default: update)
#   CHANGELOG=path            --changelog-file of both releases, when a --search-path finds it
#   ROLLBACK=(rollback --tag=v1)      a rollback command for the check rb
#   ROLLBACK_REFUSED=1        ... which Liquibase refuses (a change without an inverse)
# Release 2 is `update` with ROOT.  Every run starts from the scratch copy's top folder, so
# the changelog is named NN-name/ROOT to both tools (and FILENAME holds the folder).
#
# Checks, each counted once per folder:
#   a     Liquibase `update` on fresh database A, migrator on fresh database B: both exit 0,
#         DATABASECHANGELOG rows (dump_rows), schema and table contents identical
#   sql   `update-sql` on fresh databases: the same statements (norm_sql); migrator with
#         --skip-preconditions-in-sql, which is what Liquibase's update-sql does
#   lm    Liquibase applies release 1, migrator release 2 (database C) ...
#   ml    ... and the other way round (database D): both equal R, where Liquibase applied
#         both releases itself (rows, schema, contents), so nothing re-ran and no checksum
#         was refused; release 1 and release 2 must each run something
#   noop  a second `update` by each tool on the other's database (Liquibase on B, migrator
#         on a copy of A) does what Liquibase's second run on its own A does (normally
#         nothing: "Run: 0"; runAlways changesets run again)
#   rb    (folders with ROLLBACK) after those second runs, Liquibase rolls back A and B,
#         migrator A2: all three succeed (or, with ROLLBACK_REFUSED, all three fail) and
#         the databases are equal (rows, schema, contents)
#
# SKIPS below names the checks left out, each with its reason (printed when run).
#
# Liquibase runs in batches, one JVM for many commands (lb_batch); the folders are split in
# two halves run at the same time.  Environment (besides test-lib.sh's):
#   MG_RW=regex   only the folders whose name matches (grep -E)
#   MG_KEEP=1     keep the scratch folder and the databases
# shellcheck source=tests/lib/test-lib.sh
. "$(dirname "$0")/../lib/test-lib.sh"
set -u
ensure_liquibase

declare -A SKIPS=(
	# none left: 41-changeset-executed (changeSetExecuted of a changeset run earlier in the
	# same update) was fixed in engine/precondition.c
)

SRC=$MG_SRC/tests/compat/realworld
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/mg-rw.XXXXXX")
T0=$SECONDS

NAMES=()
for d in "$SRC"/[0-9][0-9]-*/; do
	name=$(basename "$d")
	if [ -n "${MG_RW:-}" ] && ! grep -Eq -- "$MG_RW" <<<"$name"; then
		continue
	fi
	NAMES+=("$name")
done
[ ${#NAMES[@]} -gt 0 ] || skip "no folder selected (MG_RW=${MG_RW:-})"
for name in "${NAMES[@]}"; do cp -r "$SRC/$name" "$SCRATCH/"; done
mkdir -p "$SCRATCH/.out"

# dbs NAME...: the databases of the folders
dbs() {
	local name db
	for name in "$@"; do
		for db in a a2 b c d r; do echo "rw_${name%%-*}_$db"; done
	done
}

cleanup() {
	cd / || return
	[ -n "${MG_KEEP:-}" ] && { echo "kept: $SCRATCH and the databases rw_NN_*"; return; }
	# shellcheck disable=SC2046
	drop_dbs $(dbs "${NAMES[@]}")
	rm -rf "$SCRATCH"
}
at_exit cleanup
cd "$SCRATCH" || exit 1

# conf NAME: set DIR GLOBAL ARGS R1_CMD, CL and R1_CL (the --changelog-file of each
# release), N (the folder's number) and O (its output prefix)
conf() {
	DIR=$1 ROOT=changelog.xml R1_ROOT="" CHANGELOG="" GLOBAL=() ARGS=() R1_CMD=(update) ROLLBACK=()
	ROLLBACK_REFUSED=""
	# shellcheck disable=SC1090
	. "$DIR/rw.conf"
	CL=${CHANGELOG:-$DIR/$ROOT}
	R1_CL=${CHANGELOG:-$DIR/${R1_ROOT:-$ROOT}}
	N=${DIR%%-*}
	O=.out/$DIR
}

# mg LOG ARGS...: migrator from the scratch folder, exit status in LOG.rc
mg() {
	local log=$1
	shift
	"$MIGRATOR" "$@" >"$log" 2>&1
	echo $? >"$log.rc"
}

# mgrun LOG DB CHANGELOG COMMAND...: migrator as Liquibase is run (same options)
mgrun() {
	local log=$1 db=$2 cl=$3
	shift 3
	mg "$log" "${GLOBAL[@]}" "$1" --url="$(pg_url "$db")" --changelog-file="$cl" \
		"${@:2}" "${ARGS[@]}"
}

# lbrun RUNS LOG DB CHANGELOG COMMAND...: queue the same run of Liquibase
lbrun() {
	local runs=$1 log=$2 db=$3 cl=$4
	shift 4
	lb_queue "$runs" "$log" "$db" "${GLOBAL[@]}" --changelog-file="$cl" "$@" "${ARGS[@]}"
}

# snapshot DB PREFIX: rows of DB into PREFIX.rows, schema and contents into PREFIX.dump
snapshot() {
	dump_rows "$1" >"$2.rows" 2>&1
	dump_db "$1" >"$2.dump" 2>&1
}

# phase1 HALF: fresh databases; Liquibase: update-sql on C (still empty), update on A,
# release 1 on C and R; migrator: update-sql on D, update on B, release 1 on D
phase1() {
	local runs=.out/phase1.$1.runs name t=$SECONDS
	: >"$runs"
	# shellcheck disable=SC2046
	new_dbs $(dbs "${@:2}" | grep -v '_a2$')
	# shellcheck disable=SC2046
	drop_dbs $(dbs "${@:2}" | grep '_a2$')
	for name in "${@:2}"; do
		conf "$name"
		mkdir -p "$O"
		lbrun "$runs" "$O/l-sql.log" "rw_${N}_c" "$CL" update-sql --output-file="$O/l.sql"
		lbrun "$runs" "$O/l-a.log" "rw_${N}_a" "$CL" update
		lbrun "$runs" "$O/l-c1.log" "rw_${N}_c" "$R1_CL" "${R1_CMD[@]}"
		lbrun "$runs" "$O/l-r1.log" "rw_${N}_r" "$R1_CL" "${R1_CMD[@]}"
		mgrun "$O/m-sql.log" "rw_${N}_d" "$CL" update-sql --skip-preconditions-in-sql \
			--output-file="$O/m.sql"
		mgrun "$O/m-b.log" "rw_${N}_b" "$CL" update
		mgrun "$O/m-d1.log" "rw_${N}_d" "$R1_CL" "${R1_CMD[@]}"
	done
	echo "migrator: $((SECONDS - t))s"
	lb_batch "$runs"
	echo "Liquibase: $((SECONDS - t))s"
	for name in "${@:2}"; do
		conf "$name"
		snapshot "rw_${N}_a" "$O/a"
		snapshot "rw_${N}_b" "$O/b"
		psql_q postgres "CREATE DATABASE rw_${N}_a2 TEMPLATE rw_${N}_a"
	done
	echo "snapshots: $((SECONDS - t))s"
}

# phase2 HALF: Liquibase: release 2 on D and R, second runs on B and A; migrator: release 2
# on C, second run on A2 (the copy of A)
phase2() {
	local runs=.out/phase2.$1.runs name t=$SECONDS
	: >"$runs"
	for name in "${@:2}"; do
		conf "$name"
		lbrun "$runs" "$O/l-d2.log" "rw_${N}_d" "$CL" update
		lbrun "$runs" "$O/l-r2.log" "rw_${N}_r" "$CL" update
		lbrun "$runs" "$O/l-b2.log" "rw_${N}_b" "$CL" update
		lbrun "$runs" "$O/l-a2.log" "rw_${N}_a" "$CL" update
		mgrun "$O/m-c2.log" "rw_${N}_c" "$CL" update
		mgrun "$O/m-a2.log" "rw_${N}_a2" "$CL" update
	done
	echo "migrator: $((SECONDS - t))s"
	lb_batch "$runs"
	echo "Liquibase: $((SECONDS - t))s"
	for name in "${@:2}"; do
		conf "$name"
		for db in c d r; do snapshot "rw_${N}_$db" "$O/$db"; done
		dump_rows "rw_${N}_a" >"$O/a2l.rows" 2>&1
		dump_rows "rw_${N}_b" >"$O/b2l.rows" 2>&1
		dump_rows "rw_${N}_a2" >"$O/a2m.rows" 2>&1
	done
	echo "snapshots: $((SECONDS - t))s"
}

# phase3 HALF: the rollbacks: Liquibase on A and B, migrator on A2
phase3() {
	local runs=.out/phase3.$1.runs name t=$SECONDS
	: >"$runs"
	for name in "${@:2}"; do
		conf "$name"
		[ ${#ROLLBACK[@]} -gt 0 ] || continue
		lbrun "$runs" "$O/l-a3.log" "rw_${N}_a" "$CL" "${ROLLBACK[@]}"
		lbrun "$runs" "$O/l-b3.log" "rw_${N}_b" "$CL" "${ROLLBACK[@]}"
		mgrun "$O/m-a3.log" "rw_${N}_a2" "$CL" "${ROLLBACK[@]}"
	done
	lb_batch "$runs"
	for name in "${@:2}"; do
		conf "$name"
		[ ${#ROLLBACK[@]} -gt 0 ] || continue
		for db in a b a2; do snapshot "rw_${N}_$db" "$O/$db-rb"; done
	done
	echo "rollbacks: $((SECONDS - t))s"
}

# --- checks: each prints nothing when it passes, else what differs -------------------------

rc_of() { cat "$1.rc" 2>/dev/null || echo "none"; }

# ok_run LOG WHAT: the run of LOG exited 0
ok_run() {
	[ "$(rc_of "$1")" = 0 ] && return 0
	echo "$2 exited $(rc_of "$1"):"
	grep -v "^\s*$" "$1" | tail -n "${MG_LOG_LINES:-8}" | cut -c1-300 | sed "s/^/    | /"
	return 1
}

# same EXPECTED ACTUAL WHAT: files equal
same() {
	cmp -s "$1" "$2" && return 0
	echo "$3 differ:"
	diff -u --label "$1" --label "$2" "$1" "$2" | head -n "${MG_DIFF_LINES:-20}" | sed 's/^/    /'
	return 1
}

# Liquibase's summary of an update: Run / Previously run / Filtered out / Total
summary() {
	grep -E '^(Run|Previously run|Filtered out|Total change sets):' "$1" | tr -s ' \t' ' '
}

check_a() {
	ok_run "$O/l-a.log" "Liquibase update" || return
	ok_run "$O/m-b.log" "migrator update" || return
	same "$O/a.rows" "$O/b.rows" "DATABASECHANGELOG rows"
	same "$O/a.dump" "$O/b.dump" "schemas or table contents"
}

check_sql() {
	ok_run "$O/l-sql.log" "Liquibase update-sql" || return
	ok_run "$O/m-sql.log" "migrator update-sql" || return
	norm_sql "$O/l.sql" >"$O/l.sql.norm"
	norm_sql "$O/m.sql" >"$O/m.sql.norm"
	same "$O/l.sql.norm" "$O/m.sql.norm" "update-sql statements"
}

# both releases ran something in Liquibase's own two runs
check_split() {
	ok_run "$O/l-r1.log" "Liquibase release 1" || return
	ok_run "$O/l-r2.log" "Liquibase release 2" || return
	grep -q 'D2$' "$O/r.rows" ||
		echo "release 2 runs nothing (Liquibase's rows of R have one deployment)"
}

check_lm() {
	ok_run "$O/l-c1.log" "Liquibase release 1" || return
	ok_run "$O/m-c2.log" "migrator release 2" || return
	same "$O/r.rows" "$O/c.rows" "DATABASECHANGELOG rows"
	same "$O/r.dump" "$O/c.dump" "schemas or table contents"
}

check_ml() {
	ok_run "$O/m-d1.log" "migrator release 1" || return
	ok_run "$O/l-d2.log" "Liquibase release 2" || return
	same "$O/r.rows" "$O/d.rows" "DATABASECHANGELOG rows"
	same "$O/r.dump" "$O/d.dump" "schemas or table contents"
}

check_noop() {
	ok_run "$O/l-a2.log" "Liquibase second update" || return
	ok_run "$O/l-b2.log" "Liquibase update on migrator's database" || return
	ok_run "$O/m-a2.log" "migrator update on Liquibase's database" || return
	summary "$O/l-a2.log" >"$O/a2l.summary"
	summary "$O/l-b2.log" >"$O/b2l.summary"
	same "$O/a2l.summary" "$O/b2l.summary" "Liquibase's summaries (own database, migrator's)"
	same "$O/a2l.rows" "$O/b2l.rows" "rows after Liquibase's second run (own database, migrator's)"
	same "$O/a2l.rows" "$O/a2m.rows" "rows after the second run (Liquibase's, migrator's)"
}

check_rb() {
	local log
	[ ${#ROLLBACK[@]} -gt 0 ] || return 0
	if [ -n "$ROLLBACK_REFUSED" ]; then
		for log in l-a3 l-b3 m-a3; do
			[ "$(rc_of "$O/$log.log")" = 0 ] && echo "$log: ${ROLLBACK[0]} is not refused"
		done
	else
		ok_run "$O/l-a3.log" "Liquibase ${ROLLBACK[0]}" || return
		ok_run "$O/l-b3.log" "Liquibase ${ROLLBACK[0]} on migrator's database" || return
		ok_run "$O/m-a3.log" "migrator ${ROLLBACK[0]} on Liquibase's database" || return
	fi
	same "$O/a-rb.rows" "$O/b-rb.rows" "rows after the rollback (Liquibase's on its own database, on migrator's)"
	same "$O/a-rb.rows" "$O/a2-rb.rows" "rows after the rollback (Liquibase's, migrator's)"
	same "$O/a-rb.dump" "$O/b-rb.dump" "schemas or contents after the rollback (Liquibase's on its own database, on migrator's)"
	same "$O/a-rb.dump" "$O/a2-rb.dump" "schemas or contents after the rollback (Liquibase's, migrator's)"
}

main() {
	local name half1=() half2=() i=0 check out key
	for name in "${NAMES[@]}"; do
		if [ $((i++ % 2)) = 0 ]; then half1+=("$name"); else half2+=("$name"); fi
	done
	echo "${#NAMES[@]} changelog folders; Liquibase: $MG_LIQUIBASE"
	for key in "${!SKIPS[@]}"; do echo "skip $key: ${SKIPS[$key]}"; done | sort
	phase1 1 "${half1[@]}" >.out/phase1.1.log 2>&1 &
	phase1 2 "${half2[@]}" >.out/phase1.2.log 2>&1
	wait
	echo "phase 1 done: $((SECONDS - T0))s ($(tr '\n' ' ' <.out/phase1.1.log)/ $(tr '\n' ' ' <.out/phase1.2.log))"
	phase2 1 "${half1[@]}" >.out/phase2.1.log 2>&1 &
	phase2 2 "${half2[@]}" >.out/phase2.2.log 2>&1
	wait
	echo "phase 2 done: $((SECONDS - T0))s ($(tr '\n' ' ' <.out/phase2.1.log)/ $(tr '\n' ' ' <.out/phase2.2.log))"
	phase3 1 "${half1[@]}" >.out/phase3.1.log 2>&1 &
	phase3 2 "${half2[@]}" >.out/phase3.2.log 2>&1
	wait
	echo "phase 3 done: $((SECONDS - T0))s ($(tr '\n' ' ' <.out/phase3.1.log)/ $(tr '\n' ' ' <.out/phase3.2.log))"
	# the checks read only the snapshots: the databases go meanwhile
	if [ -z "${MG_KEEP:-}" ]; then
		# shellcheck disable=SC2046
		drop_dbs $(dbs "${half1[@]}") &
		# shellcheck disable=SC2046
		drop_dbs $(dbs "${half2[@]}") &
	fi
	for name in "${NAMES[@]}"; do
		conf "$name"
		for check in a sql split lm ml noop rb; do
			if [ -n "${SKIPS[$name:$check]+x}" ]; then
				continue
			fi
			out=$("check_$check")
			if [ -z "$out" ]; then
				MG_QUIET_PASS=1 pass "$name $check"
			else
				fail "$name $check: $out"
			fi
		done
	done
	wait
	echo "$MG_PASSED checks passed in $((SECONDS - T0))s"
	finish
}

main "$@"
exit $?
