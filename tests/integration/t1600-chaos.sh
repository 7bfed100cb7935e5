#!/usr/bin/env bash
# Crash safety, the quick form of tests/stress/chaos.sh: a 150-changeset
# update with a 3,000-row loadData killed (SIGKILL) at 14 random points
# (by time, by statement, between changesets, inside a changeset's
# transaction, while the lock is taken, while loadData streams), then
# rollback-count killed at 10, and PostgreSQL shut down (immediate) once
# in each. After every kill the database must hold exactly the first k
# changesets (schema and rows as a clean run to k leaves them), with no
# advisory lock left; the next run must take over the dead runner's lock
# row and finish, leaving what a clean run leaves. Runs on a cluster of
# its own (the server is restarted). About 90 s.
unset MG_PG_DIR
. "$(dirname "$0")/../lib/test-lib.sh"
work=$(mktemp -d)
at_exit "rm -rf '$work'"
MG_PG_LOG=$(readlink -f "$MG_PG_DIR/postgres.log") run python3 "$MG_SRC/tests/stress/chaos.py" \
    --migrator "$MIGRATOR" --work "$work" --changesets 150 --load-rows 3000 \
    --kills 14 --rollback-kills 10 --pg-crashes 1 --seed "${MG_CHAOS_SEED:-$RANDOM}"
echo "$OUT" | grep '^chaos:'
[ -z "$ERR" ] || echo "$ERR" | tail -n 20
assert_eq 0 "$RC" "no kill left the database different from a clean run, and every next run finished"
assert_contains "$OUT" " 0 failures" "the summary counts no failure"
assert_contains "$OUT" "update   pgcrash" "the server was shut down during an update"
assert_contains "$OUT" "rollback pgcrash" "and during a rollback-count"
finish
