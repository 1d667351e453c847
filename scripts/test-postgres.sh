#!/usr/bin/env bash
# Sourced by scripts/test.sh: makes sure a PostgreSQL server is running on this machine for the database
# tests and exports TEST_POSTGRES_URL (an account allowed to create databases). .ci/run installs the
# server from Debian's packages; on a developer machine: apt-get install -y postgresql.
set -euo pipefail
if [ -n "${TEST_POSTGRES_URL:-}" ]; then return 0 2>/dev/null || exit 0; fi
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "PostgreSQL is needed for the database tests: apt-get install -y postgresql (see .ci/run), or set TEST_POSTGRES_URL." >&2
  exit 1
fi
cluster=$(pg_lsclusters --no-header | head -n1)
if [ -z "$cluster" ]; then
  echo "No PostgreSQL cluster found (pg_lsclusters is empty): pg_createcluster 15 main" >&2
  exit 1
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start
fi
as_postgres() { if [ "$(id -u)" = "0" ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='portal_test'\"" | grep -q 1 ||
  as_postgres "psql -p $port -qc \"CREATE ROLE portal_test LOGIN CREATEDB PASSWORD 'portal_test'\""
# A second role for the audit tests (R-LOG-1): the portal's runtime role, which owns no table.
as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='portal_test_runtime'\"" | grep -q 1 ||
  as_postgres "psql -p $port -qc \"CREATE ROLE portal_test_runtime LOGIN PASSWORD 'portal_test_runtime'\""
export TEST_POSTGRES_URL="postgresql://portal_test:portal_test@127.0.0.1:${port}/postgres"
export TEST_POSTGRES_RUNTIME_URL="postgresql://portal_test_runtime:portal_test_runtime@127.0.0.1:${port}/postgres"
