#!/bin/sh
# One-shot job in the temporalio/admin-tools image: create Temporal's two PostgreSQL databases and bring their
# schemas to the version this image ships, with temporal-sql-tool (the step Temporal's own compose examples run
# before the server starts). Every step is idempotent: `create` skips an existing database, `setup-schema -v 0.0`
# skips a schema that is already versioned, and `update-schema` applies only newer versions, so the job runs on
# every `docker compose up`, and after an image upgrade it migrates the schema before the new server starts.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS (the PostgreSQL host) is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD (read by temporal-sql-tool) is required}"
port="${DB_PORT:-5432}"
schemas=/etc/temporal/schema/postgresql/v12

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"
}

# database name, then its schema directory under $schemas (the server's DBNAME / VISIBILITY_DBNAME defaults)
for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  database="${pair%%:*}"
  schema="${pair#*:}"
  echo "Schema of ${database}"
  sql_tool --db "$database" create
  sql_tool --db "$database" setup-schema -v 0.0
  sql_tool --db "$database" update-schema -d "$schemas/$schema/versioned"
done
echo "Temporal's schema is up to date"
