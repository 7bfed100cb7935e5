# Sourced by the workflow scripts. Settings (environment):
#   MIGRATOR        migrator binary (default: build/migrator of this repo)
#   DB_URL          database URL (jdbc:postgresql://..., postgresql://..., conninfo)
#   DB_USERNAME / DB_PASSWORD   optional credentials (passed as LIQUIBASE_COMMAND_*)
#   CHANGELOG       root changelog (default changelogs/example/db.changelog-master.xml)
#   ARTIFACTS_DIR   where reviewable files go (default artifacts)
#   BACKUP_DIR      backups (default backups)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MIGRATOR=${MIGRATOR:-$repo/build/migrator}
CHANGELOG=${CHANGELOG:-$repo/changelogs/example/db.changelog-master.xml}
ARTIFACTS_DIR=${ARTIFACTS_DIR:-artifacts}
BACKUP_DIR=${BACKUP_DIR:-backups}
: "${DB_URL:?DB_URL is not set}"
# credentials travel in the environment, never on a command line
export LIQUIBASE_COMMAND_URL="$DB_URL"
[ -n "${DB_USERNAME:-}" ] && export LIQUIBASE_COMMAND_USERNAME="$DB_USERNAME"
[ -n "${DB_PASSWORD:-}" ] && export LIQUIBASE_COMMAND_PASSWORD="$DB_PASSWORD"
export LIQUIBASE_COMMAND_BACKUP_DIR="$BACKUP_DIR"
cd "$(dirname "$CHANGELOG")"
CHANGELOG_FILE=$(basename "$CHANGELOG")
mkdir -p "$ARTIFACTS_DIR"
ARTIFACTS_DIR=$(cd "$ARTIFACTS_DIR" && pwd)
m() { "$MIGRATOR" "$@" --changelog-file="$CHANGELOG_FILE"; }
