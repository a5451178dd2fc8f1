#!/usr/bin/env bash
# Sets up the PostgreSQL server that the head-office tests run against:
# the storage conformance suite (sync/hq/pgstore) and the server, sync and
# fault tests (sync/hq, sync/client), which run on bbolt and PostgreSQL.
#
# It installs Debian's postgresql if missing, starts the cluster on
# 127.0.0.1 only, and creates the role and database the tests use. It
# exports nothing: the one line it prints on standard output is the DSN, so
# CI does
#
#   export TILL_TEST_PG="$(bash sync/README-ci.sh)"
#   go vet ./... && go test -race ./...
#
# Everything else it says goes to standard error. Running it again is safe.
# With CI=true and TILL_TEST_PG unset, the PostgreSQL tests fail instead of
# skipping, so a CI that forgets this script cannot pass by accident.
set -euo pipefail

role=till
password=till-test-only
db=till_test

log() { echo "README-ci.sh: $*" >&2; }

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
fi

ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main"' | grep -q .; then
  log "creating cluster $ver/main"
  $sudo pg_createcluster "$ver" main >&2
fi

# Loopback only: the tests never need more, and nothing else should reach
# it. Debian's postgresql.conf reads conf.d/ last, so this file wins.
conf="/etc/postgresql/$ver/main/conf.d/till-ci.conf"
if [ ! -f "$conf" ]; then
  echo "listen_addresses = '127.0.0.1'" | $sudo tee "$conf" >/dev/null
  changed=1
fi

status=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}')
if [ "$status" != "online" ]; then
  log "starting cluster $ver/main"
  $sudo pg_ctlcluster "$ver" main start >&2
elif [ -n "${changed:-}" ]; then
  log "restarting cluster $ver/main to listen on 127.0.0.1 only"
  $sudo pg_ctlcluster "$ver" main restart >&2
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')

psql_admin() { $sudo runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }

for _ in $(seq 1 30); do
  psql_admin -c 'select 1' >/dev/null 2>&1 && break
  sleep 1
done

psql_admin >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$password';
  ELSE
    ALTER ROLE $role LOGIN PASSWORD '$password';
  END IF;
END
\$\$;
SQL
if ! psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  psql_admin -c "CREATE DATABASE $db OWNER $role" >&2
fi

log "PostgreSQL $ver listening on 127.0.0.1:$port, database $db, role $role"
echo "postgres://$role:$password@127.0.0.1:$port/$db?sslmode=disable"
