#!/usr/bin/env bash
# Stress (not run by CI; its quick form is tests/integration/t1600-chaos.sh):
# crash safety of `update` and `rollback-count` on a 1,000-changeset
# changelog with a 20,000-row loadData, killed 200 + 200 times (SIGKILL at
# random points) plus 5 + 5 immediate shutdowns of PostgreSQL. See
# tests/stress/chaos.py for the kill points and the checks.
#
#   tests/stress/chaos.sh     [MG_CHAOS_CHANGESETS=1000] [MG_CHAOS_KILLS=200]
#                             [MG_CHAOS_ROWS=20000] [MG_CHAOS_CRASHES=5] [MG_CHAOS_SEED=1]
#
# It always starts a cluster of its own (the server is killed and restarted).
unset MG_PG_DIR
. "$(dirname "$0")/../lib/test-lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
work=$(mktemp -d)
at_exit "rm -rf '$work'"
kills=${MG_CHAOS_KILLS:-200}
MG_PG_LOG=$(readlink -f "$MG_PG_DIR/postgres.log") python3 "$MG_SRC/tests/stress/chaos.py" \
    --migrator "$MIGRATOR" --work "$work" \
    --changesets "${MG_CHAOS_CHANGESETS:-1000}" --load-rows "${MG_CHAOS_ROWS:-20000}" \
    --kills "$kills" --rollback-kills "$kills" --pg-crashes "${MG_CHAOS_CRASHES:-5}" \
    --seed "${MG_CHAOS_SEED:-1}" ${MG_CHAOS_VERBOSE:+--verbose}
rc=$?
assert_eq 0 "$rc" "chaos: every kill left the database as a clean run does, and the next run finished"
finish
