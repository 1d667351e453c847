#!/usr/bin/env bash
# `npm test`: types, lint and format, migrations against the schema, unit, database (PGlite and PostgreSQL), storage (folder and S3), mail (SMTP) and browser
# tests. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
source scripts/test-postgres.sh
export DATABASE_URL=""
npx prisma generate --config prisma/prisma.config.ts >/dev/null
npx tsc --noEmit
npm run -s lint
npx prettier --check --log-level warn .
bash scripts/migrations.sh check
NODE_ENV=production npx remix build >/dev/null
npx vitest run --config tests/vitest.config.ts
npx playwright test --config tests/playwright.config.ts
# The register → file → submit → receipt mail flow once more with files in S3 instead of the folder store.
E2E_STORE=s3 npx playwright test --config tests/playwright.config.ts registration.spec.ts filing.spec.ts \
  -g "register → staff verify|receives the receipt by e-mail"
echo "test suite finished in $(( $(date +%s) - start )) s"
