#!/usr/bin/env bash
# Verify job: nothing may be pending after the apply.
. "$(dirname "$0")/common.sh"
status=$(m status --verbose)
echo "$status" | tee "$ARTIFACTS_DIR/status-after.txt"
case "$status" in
*"is up to date"*) ;;
*) echo "changesets are still pending" >&2; exit 1 ;;
esac
"$MIGRATOR" history --output=json > "$ARTIFACTS_DIR/history.json"
