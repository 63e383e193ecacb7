#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an EMPTY private folder:
#   createdb -h … -U … shenbao_restored
#   DATABASE_URL=postgres://…/shenbao_restored SHENBAO_PRIVATE_MEDIA_ROOT=/srv/shenbao/private-restored \
#       scripts/restore.sh /backups/2026-12-03
#
# Stop the site (web server and task workers) first when restoring over the live configuration. The
# files are unpacked before the database is loaded, so no moment exists where rows name absent files.
# At the end, `manage.py check_private_files --verify` (Django connected to the restored database and
# folder) confirms that every file the database names is there and reads back intact.
set -euo pipefail

src=${1:?usage: scripts/restore.sh BACKUP_DIR}
: "${DATABASE_URL:?set DATABASE_URL to the postgres://… URL of the (empty) database to restore into}"
: "${SHENBAO_PRIVATE_MEDIA_ROOT:?set SHENBAO_PRIVATE_MEDIA_ROOT to the (empty) folder to restore into}"
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PY:-python}

(cd "$src" && sha256sum --check --quiet SHA256SUMS)
if [ -e "$SHENBAO_PRIVATE_MEDIA_ROOT" ] && [ -n "$(ls -A "$SHENBAO_PRIVATE_MEDIA_ROOT")" ]; then
    echo "restore.sh: $SHENBAO_PRIVATE_MEDIA_ROOT is not empty" >&2
    exit 2
fi
mkdir -p "$SHENBAO_PRIVATE_MEDIA_ROOT"

# 1. The files, then 2. the database (one transaction: all of it or nothing).
tar --extract --file="$src/private.tar" --directory="$SHENBAO_PRIVATE_MEDIA_ROOT"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$src/database.dump"

# 3. Every row's file present and intact.
(cd "$root" && "$python" manage.py check_private_files --verify)
echo "Restored from $src"
