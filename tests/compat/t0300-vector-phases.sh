#!/usr/bin/env bash
# The later phases of the shared vectors (vector.conf `post_update`): second
# runs after edits (runOnChange, runAlways, validCheckSum), clear-checksums,
# v8 checksum upgrades, tag, status and validate, run by migrator with the
# very command lines gen.sh gave real Liquibase 4.28; after every phase the
# DATABASECHANGELOG rows (and schema where recorded) must equal Liquibase's.
. "$(dirname "$0")/../lib/test-lib.sh"

VEC=$MG_SHARED/liquibase/vectors
[ -d "$VEC" ] || skip "no vectors at $VEC"
scratch=$(mktemp -d)
at_exit "rm -rf '$scratch'"

# Phases that need commands migrator does not have yet.
phase_skip() {
	:
}

# The helpers vector.conf calls, as in gen.sh but with migrator as `lb`
# and `rows`/`dump_schema` comparing instead of writing.
psqlv() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "$1" >/dev/null; }
lb() {
	( cd "$WORK" && "$MIGRATOR" --url="$(jdbc_url "$DB")" --username="$PGUSER" \
		--password="$PGPASSWORD" "$@" )
}
exec 3>&1 # assertions report here even inside post_update's redirection
rows() {
	local got
	got=$(dump_rows "$DB")
	assert_eq "$(cat "$EXPECT/$1")" "$got" "$NAME: rows $1" >&3
}
phase() { cp -r "$EXPECT/$1/." "$WORK/"; }
# gen.sh runs a Java helper (ChecksumDump) to print checksum pre-images;
# what it printed for this vector is its checksum-preimage.txt
java() { cat "$EXPECT/checksum-preimage.txt"; }

run_phases() {
	EXPECT=$1
	NAME=$(basename "$EXPECT")
	DB=mgp_${NAME%%-*}
	WORK=$scratch/$NAME/work
	VDIR=$scratch/$NAME/out
	mkdir -p "$WORK" "$VDIR"
	( cd "$EXPECT" && find . -type f ! -name 'expected-rows*.tsv' ! -name 'update*.sql' \
		! -name 'schema*.sql' ! -name '*.log' ! -name 'checksum-preimage*.txt' \
		! -name 'rollback*.sql' ! -name 'vector.conf' ! -path './phase*' ! -name '*.out' \
		! -name '*.generated.*' -print0 | xargs -0 -I{} cp --parents {} "$WORK/" )
	CHANGELOG=""; LB_ARGS=(); CMD_ARGS=(); CP=/nonexistent
	unset -f post_update
	. "$EXPECT/vector.conf"
	if [ -z "$CHANGELOG" ]; then
		for c in changelog.xml changelog.yaml changelog.json changelog.sql; do
			[ -f "$EXPECT/$c" ] && { CHANGELOG=$c; break; }
		done
	fi
	new_db "$DB" >/dev/null
	lb "${LB_ARGS[@]}" --changelog-file="$CHANGELOG" update "${CMD_ARGS[@]}" \
		>"$VDIR/first.log" 2>&1
	rows expected-rows.tsv || sed 's/^/    | /' "$VDIR/first.log" | head -n 20
	# gen.sh's dump_schema writes files; here it compares
	dump_schema() { dump_schema_cmp "$@"; }
	post_update >"$VDIR/phases.log" 2>&1
	unset -f dump_schema
	# the rollback scripts gen.sh recorded (rollback*.sql) must be the same
	for f in "$EXPECT"/rollback*.sql; do
		[ -f "$f" ] || continue
		if [ ! -f "$VDIR/$(basename "$f")" ]; then
			fail "$NAME: $(basename "$f") was not produced"
			continue
		fi
		# (lines "--   ..." quote each tool's own error message)
		assert_eq "$(norm_sql "$f" | grep -v '^--   ')" \
			"$(norm_sql "$VDIR/$(basename "$f")" | grep -v '^--   ')" \
			"$NAME: $(basename "$f") equals Liquibase's"
	done
	drop_db "$DB"
}

# test-lib's dump_schema, kept under another name for the comparison
eval "$(declare -f dump_schema | sed '1s/dump_schema/real_dump_schema/')"
dump_schema_cmp() {
	assert_eq "$(cat "$EXPECT/$1")" "$(real_dump_schema "$DB")" "$NAME: schema $1" >&3
}

for d in "$VEC"/[0-9][0-9]-*/; do
	d=${d%/}
	name=$(basename "$d")
	[ -n "${MG_VECTORS:-}" ] && ! [[ $name =~ $MG_VECTORS ]] && continue
	grep -q "post_update" "$d/vector.conf" 2>/dev/null || continue
	why=$(phase_skip "$name")
	if [ -n "$why" ]; then
		echo "skip $name: $why"
		continue
	fi
	run_phases "$d"
	eval "$(declare -f real_dump_schema | sed '1s/real_dump_schema/dump_schema/')"
done
finish
