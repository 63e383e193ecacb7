#!/usr/bin/env bash
# Installs the Debian packages the tests need and makes sure PostgreSQL runs
# with the project's test role. Safe to run again: it only acts on what is missing.
# With --fonts (what `make run` calls) it installs only the two fonts PDFs embed, and
# only warns when it cannot: the site then runs and says so on its PDF pages.
#   chromium              browser tests (Playwright drives Debian's build)
#   fonts-noto-cjk        Chinese text in the browser and screenshots
#   fonts-arphic-gbsn00lp CJK TrueType font for PDFs (reportlab)
#   fonts-dejavu-core     ☑ and □ in PDFs (the CJK font lacks ☑)
#   gettext               compiling and checking the message catalogues
#   poppler-utils         turning PDFs into text and images in tests
#   zbar-tools            reading the QR code of a printed PDF back in tests (zbarimg)
#   libreoffice-calc      opening every written spreadsheet headless in tests (soffice)
#   libreoffice-writer    laying Word copies out as a reader's word processor would, in tests
#   postgresql            the second database the suite runs on
#   redis-server          the optional cache back end (tested against a real server)
set -euo pipefail

PG_ROLE=${PG_ROLE:-shenbao}
PG_PASSWORD=${PG_PASSWORD:-shenbao}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "system-deps: need root (or sudo) to run: $*" >&2; return 1
  fi
}

if [ "${1:-}" = "--fonts" ]; then
  fonts=()
  dpkg -s fonts-arphic-gbsn00lp >/dev/null 2>&1 || fonts+=(fonts-arphic-gbsn00lp)
  dpkg -s fonts-dejavu-core >/dev/null 2>&1 || fonts+=(fonts-dejavu-core)
  [ ${#fonts[@]} -eq 0 ] && exit 0
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }; then
    echo "system-deps: installing ${fonts[*]} (PDF fonts)"
    as_root apt-get update -qq && \
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${fonts[@]}" >/dev/null && exit 0
  fi
  echo "system-deps: could not install ${fonts[*]}; PDFs stay unavailable until they are installed" >&2
  exit 0
fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
dpkg -s fonts-arphic-gbsn00lp >/dev/null 2>&1 || missing+=(fonts-arphic-gbsn00lp)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc)
dpkg -s libreoffice-writer >/dev/null 2>&1 || missing+=(libreoffice-writer)
command -v make >/dev/null 2>&1 || missing+=(make)
if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! command -v pg_isready >/dev/null 2>&1; then
  missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PostgreSQL: start the cluster if it is installed but stopped.
if ! pg_isready -h 127.0.0.1 -q 2>/dev/null; then
  for version in $(ls /etc/postgresql 2>/dev/null); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q 2>/dev/null && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -q || { echo "system-deps: PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }

# The test role: may log in with a password and create the test database.
psql_admin() { as_root su postgres -c "psql -v ON_ERROR_STOP=1 -tAc \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='${PG_ROLE}'")" != "1" ]; then
  psql_admin "CREATE ROLE ${PG_ROLE} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}'"
  echo "system-deps: created PostgreSQL role ${PG_ROLE}"
fi

# Redis: the optional cache back end has a test against a real server.
if ! (command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1); then
  command -v redis-server >/dev/null 2>&1 || {
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  }
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 10); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi
