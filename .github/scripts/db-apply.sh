#!/usr/bin/env bash
# Apply job (behind the environment approval): refuses to run without a
# verified backup at the current history state.
. "$(dirname "$0")/common.sh"
m update --require-backup="${REQUIRE_BACKUP_AGE:-2h}"
