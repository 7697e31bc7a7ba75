#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the store-backed tests; prints its URL.
# Installs the distribution's server package when it is missing.
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDATA="${PGDATA:-/tmp/talentgap-pg}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"
id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
if [ -f "$PGDATA/postmaster.pid" ]; then
  su postgres -c "$BIN/pg_ctl -D $PGDATA stop -m fast" >&2 || true
fi
rm -rf "$PGDATA" && mkdir -p "$PGDATA" && chown postgres "$PGDATA"
su postgres -c "$BIN/initdb -D $PGDATA -A trust -U postgres" >/dev/null
su postgres -c "$BIN/pg_ctl -D $PGDATA -o '-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp' -l $PGDATA/log -w start" >&2
su postgres -c "$BIN/createdb -h 127.0.0.1 -p $PGPORT talentgap_test"
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/talentgap_test"
