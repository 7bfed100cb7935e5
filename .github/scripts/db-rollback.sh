#!/usr/bin/env bash
# Emergency rollback: db-rollback.sh preview|apply tag|count|changeset|backup VALUE
#   changeset VALUE is path::id::author; backup VALUE is a backup id or latest.
# The preview prints exactly what apply will run (docs/emergency-rollback.md).
. "$(dirname "$0")/common.sh"
mode=${1:?preview or apply} kind=${2:?tag, count, changeset or backup} value=${3:?value}
sql=""
[ "$mode" = preview ] && sql="-sql"
case "$kind" in
tag) m "rollback$sql" --tag="$value" ;;
count) m "rollback-count$sql" --count="$value" ;;
changeset)
	force=""
	[ "$mode" = apply ] && force="--force"
	m "rollback-one-changeset$sql" --changeset-identifier="$value" $force
	;;
backup)
	if [ "$mode" = preview ]; then
		"$MIGRATOR" backup verify "$value" ${BACKUP_KEY_FILE:+--key-file="$BACKUP_KEY_FILE"}
		"$MIGRATOR" backup list
	else
		"$MIGRATOR" restore --backup-id="$value" --force \
			${BACKUP_KEY_FILE:+--key-file="$BACKUP_KEY_FILE"}
	fi
	;;
*) echo "unknown kind '$kind'" >&2; exit 2 ;;
esac
