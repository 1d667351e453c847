#!/usr/bin/env bash
# Migrations against the schema, with Prisma's own diff and no download (STACK.md):
#   scripts/migrations.sh check        exit 1 if prisma/migrations does not build exactly schema.prisma
#   scripts/migrations.sh new <name>   write prisma/migrations/<timestamp>_<name>/migration.sql, the SQL
#                                      that brings the migrations up to schema.prisma
# Both replay the migrations into a fresh, throw-away PostgreSQL database (the server the tests use, see
# scripts/test-postgres.sh): through the driver adapter the 6.19 CLI takes the configured database as its
# shadow, and PGlite cannot be one (it refuses several commands in one prepared statement).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-postgres.sh

command=${1:-}
case "$command" in
  check) ;;
  new)
    name=${2:-}
    if ! [[ "$name" =~ ^[a-z0-9_]+$ ]]; then
      echo "usage: npm run db:new-migration -- <name in lower_snake_case>" >&2
      exit 2
    fi
    ;;
  *)
    echo "usage: scripts/migrations.sh check | new <name>" >&2
    exit 2
    ;;
esac

scratch="migrations_scratch_$$"
admin() { node -e '
  const pg = require("pg");
  const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
  client.connect().then(() => client.query(process.argv[1])).then(() => client.end(), (e) => { console.error(e.message); process.exit(1); });
' "$1"; }
admin "CREATE DATABASE $scratch"
trap 'admin "DROP DATABASE IF EXISTS $scratch WITH (FORCE)"' EXIT
scratch_url=$(node -e 'const u = new URL(process.env.TEST_POSTGRES_URL); u.pathname = "/" + process.argv[1]; console.log(u.toString())' "$scratch")

diff_to_schema() {
  DATABASE_URL="$scratch_url" npx prisma migrate diff --config prisma/prisma.config.ts \
    --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma "$@"
}

if [ "$command" = check ]; then
  set +e
  out=$(diff_to_schema --exit-code 2>&1)
  status=$?
  set -e
  case $status in
    0) echo "migrations match prisma/schema.prisma" ;;
    2)
      echo "$out" >&2
      echo "prisma/migrations does not build prisma/schema.prisma: write the missing migration with 'npm run db:new-migration -- <name>'" >&2
      exit 1
      ;;
    *)
      echo "$out" >&2
      exit 1
      ;;
  esac
else
  sql=$(diff_to_schema --script 2>/dev/null)
  if ! grep -qvE '^(--.*)?$' <<<"$sql"; then
    echo "prisma/schema.prisma has no change that the migrations lack: nothing to write"
    exit 0
  fi
  dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
  mkdir -p "$dir"
  printf '%s\n' "$sql" >"$dir/migration.sql"
  echo "wrote $dir/migration.sql: read it, then commit it with the schema change"
fi
