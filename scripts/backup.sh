#!/usr/bin/env bash
# Back up the database and the private files together, into one new folder:
#   DATABASE_URL=postgres://… SHENBAO_PRIVATE_MEDIA_ROOT=/srv/shenbao/private scripts/backup.sh /backups/2026-12-03
#
# The order keeps them consistent: the database is dumped FIRST (one snapshot), the files copied AFTER.
# A file is written before the row naming it commits, and removed only after the commit that stopped
# naming it; so every file the dump names already existed when the dump began, and a submission's files
# are never removed at all. Copying the files first would miss every upload made during the copy whose
# row then lands in the dump. (The only file the copy can miss is a draft's upload replaced or purged in
# the seconds between the two; check_private_files, run by restore.sh, lists any such row.)
#
# Writes database.dump (pg_dump's custom format), private.tar and SHA256SUMS. PostgreSQL only: SQLite
# is for development. A private store in an object store (PRIVATE_STORAGE=s3) is not copied here: keep
# bucket versioning on, and take its copy after the dump in the same way.
set -euo pipefail

dest=${1:?usage: scripts/backup.sh DEST_DIR (a new, empty folder)}
: "${DATABASE_URL:?set DATABASE_URL to the postgres://… URL of the site database}"
: "${SHENBAO_PRIVATE_MEDIA_ROOT:?set SHENBAO_PRIVATE_MEDIA_ROOT to the folder of private files}"
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "backup.sh: DATABASE_URL is not a PostgreSQL URL" >&2; exit 2 ;;
esac
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
    echo "backup.sh: $dest is not empty; give a new folder" >&2
    exit 2
fi
mkdir -p "$dest"

# 1. The database, as one consistent snapshot.
pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.dump" --dbname="$DATABASE_URL"

# 2. Then the private files. GNU tar answers 1 when a file changed or vanished while it was read (a
#    draft's upload replaced meanwhile): the archive is still good, so that is only a warning.
status=0
tar --create --file="$dest/private.tar" --directory="$SHENBAO_PRIVATE_MEDIA_ROOT" . || status=$?
if [ "$status" -eq 1 ]; then
    echo "backup.sh: some private files changed during the copy (drafts in progress); kept as read" >&2
elif [ "$status" -ne 0 ]; then
    exit "$status"
fi

(cd "$dest" && sha256sum database.dump private.tar > SHA256SUMS)
echo "Backup written to $dest"
