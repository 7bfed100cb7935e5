#!/usr/bin/env bash
# The migration workflow, run locally: the scripts the GitHub workflows
# call (plan -> backup -> apply -> verify, and the emergency rollback),
# and the shipped flow file, including a failing stage and the endStage.
. "$(dirname "$0")/../lib/test-lib.sh"
command -v pg_dump >/dev/null || skip "pg_dump not installed"

db=t0900
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db; drop_db t0900b"
cp -r "$MG_SRC/changelogs/example" "$work/example"
scripts=$MG_SRC/.github/scripts
export MIGRATOR DB_URL="$url" CHANGELOG="$work/example/db.changelog-master.xml"
export ARTIFACTS_DIR="$work/artifacts" BACKUP_DIR="$work/backups"

run "$scripts/db-apply.sh"
assert_eq 1 "$RC" "apply refuses to run before a backup"
run "$scripts/db-plan.sh"
assert_eq 0 "$RC" "plan"
assert_contains "$(cat "$work/artifacts/update.sql")" "CREATE TABLE public.customer" "plan writes the update SQL"
assert_contains "$(cat "$work/artifacts/future-rollback.sql")" "DROP TABLE public.customer" \
    "and the SQL that would roll it back"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE schemaname='public'")" "plan changes nothing"
run "$scripts/db-backup.sh"
assert_eq 0 "$RC" "backup (verified and drilled)"
assert_eq "1" "$(ls "$work"/artifacts/*.manifest.json | wc -l)" "the manifest is an artifact"
run "$scripts/db-apply.sh"
assert_eq 0 "$RC" "apply with a fresh backup"
run "$scripts/db-verify.sh"
assert_eq 0 "$RC" "verify: nothing pending"
assert_contains "$(cat "$work/artifacts/history.json")" '"orderExecuted": 7' "history artifact"

# emergency rollback: preview, then apply, by tag, count, changeset and backup
run "$scripts/db-rollback.sh" preview count 1
assert_contains "$OUT" "Rolling Back ChangeSet: db.changelog-master.xml::release-1.0::shop" "preview by count"
assert_eq "7" "$(psql_q $db "SELECT count(*) FROM databasechangelog")" "the preview changes nothing"
run "$scripts/db-rollback.sh" apply tag v1.0
assert_eq 0 "$RC" "rollback to the tag"
assert_eq "6" "$(psql_q $db "SELECT count(*) FROM databasechangelog")" "the tagging changeset is undone"
run "$scripts/db-rollback.sh" apply changeset "changes/seed.json::seed-1::shop"
assert_eq 0 "$RC" "rollback of one changeset"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM product")" "its rollback ran"
bid=$(cat "$work/artifacts/backup-id")
run "$scripts/db-rollback.sh" preview backup "$bid"
assert_eq 0 "$RC" "preview of a restore verifies the backup"
run "$scripts/db-rollback.sh" apply backup "$bid"
assert_eq 0 "$RC" "restore of the pre-migration backup"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE schemaname='public' AND tablename NOT LIKE 'databasechange%'")" \
    "the database is as before the migration"

# the shipped flow file, end to end, with a JSON report
new_db t0900b >/dev/null
cd "$work/example" || exit 1
run "$MIGRATOR" flow --flow-file="$MG_SRC/changelogs/migrate.flow.yaml" \
    --changelog-file=db.changelog-master.xml --url="$(pg_url t0900b)" --output=json
assert_eq 0 "$RC" "the migrate flow passes"
assert_eq "Validate:passed Backup:passed Review:passed Apply:passed endStage:passed" \
    "$(python3 -c 'import json,sys; print(" ".join(s["name"]+":"+s["result"] for s in json.load(sys.stdin)["stages"]))' <<<"$OUT")" \
    "every stage is reported"
assert_contains "$OUT" '"artifacts/update.sql"' "with the files it wrote"
assert_eq "7" "$(psql_q t0900b "SELECT count(*) FROM databasechangelog")" "and the database is migrated"

cat > failing.flow.yaml <<'YAML'
globalVariables:
  MARK: end-ran
stages:
  One:
    actions:
      - type: shell
        command: "true"
  Two:
    actions:
      - type: shell
        command: exit 3
      - type: shell
        command: touch never-runs
  Three:
    actions:
      - type: migrator
        command: update
endStage:
  actions:
    - type: shell
      command: touch ${MARK}
YAML
run "$MIGRATOR" flow --flow-file=failing.flow.yaml --output=json
assert_eq 3 "$RC" "a failing stage fails the flow with its exit status"
assert_contains "$OUT" '"name": "Three",
      "result": "skipped"' "later stages are skipped"
[ -f end-ran ] && pass "the endStage still runs" || fail "the endStage still runs"
[ -f never-runs ] && fail "a failed stage stops at its failing action" || pass "a failed stage stops at its failing action"
# a flow file of the wrong shape is refused before anything runs (it used
# to crash: found by tests/fuzz/fuzz_flow)
cat > list-args.flow.yaml <<'YAML'
stages:
  One:
    actions:
      - type: shell
        command: touch list-args-ran
      - type: migrator
        command: update
        cmdArgs: [verbose, contexts]
YAML
run "$MIGRATOR" flow --flow-file=list-args.flow.yaml
assert_eq 3 "$RC" "cmdArgs given as a list: invalid flow file"
assert_contains "$ERR" "list-args.flow.yaml:8:19: 'cmdArgs' holds 'name: value' entries, not a list" \
    "with the place and what is wrong"
[ -f list-args-ran ] && fail "and nothing ran" || pass "and nothing ran"
printf 'stages:\n  - {actions: [], other: 1}\n' > nameless.flow.yaml
run "$MIGRATOR" flow --flow-file=nameless.flow.yaml
assert_eq 3 "$RC" "a stage without a name: invalid flow file"
assert_contains "$ERR" "nameless.flow.yaml:2:5: a stage needs a name" "with the place"
finish
