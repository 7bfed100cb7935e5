#!/usr/bin/env bash
# Plan job: validate, then write the SQL the update will run and the SQL
# that would roll it back, for review (uploaded as artifacts).
. "$(dirname "$0")/common.sh"
m validate
m update-sql --output-file="$ARTIFACTS_DIR/update.sql"
m future-rollback-sql --output-file="$ARTIFACTS_DIR/future-rollback.sql"
m status --verbose > "$ARTIFACTS_DIR/status-before.txt"
echo "plan written to $ARTIFACTS_DIR"
