#!/usr/bin/env bash
# Backup job: a verified backup; its manifest is uploaded as an artifact.
. "$(dirname "$0")/common.sh"
id=$("$MIGRATOR" backup ${BACKUP_KEY_FILE:+--encrypt --key-file="$BACKUP_KEY_FILE"})
"$MIGRATOR" backup drill "$id" ${BACKUP_KEY_FILE:+--key-file="$BACKUP_KEY_FILE"}
cp "$BACKUP_DIR"/*-"$id".manifest.json "$ARTIFACTS_DIR/"
echo "$id" > "$ARTIFACTS_DIR/backup-id"
echo "backup $id verified and drilled"
