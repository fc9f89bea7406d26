#!/bin/sh
# One-shot job in the temporalio/admin-tools image, after the server is up: create the namespace the app uses
# (unless it exists) and register the workflow's custom search attributes on it, so runs can be filtered in the
# Web UI (`TailorStage = "generating"`). Safe to run again: an existing namespace is left alone, and registering an
# attribute that exists with the same type is a no-op; one that exists with another type fails the job.
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS (the frontend, host:port) is required}"
namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-168h}"
attempts="${SETUP_ATTEMPTS:-60}"

# NAME=TYPE, as workflows/search_attributes.py defines them (tests/deploy/test_temporal_setup.py keeps them equal).
search_attributes="TailorStage=Keyword TailorCompany=Keyword TailorGenerator=Keyword TailorJobTitle=Text"

# The frontend accepts connections before every service behind it is ready, and a new namespace takes a few
# seconds to reach every frontend: retry, but stop at once on an answer that retrying cannot change.
retry() {
  n=1
  until output=$("$@" 2>&1); do
    case "$output" in
      *"different type"*) echo "$output" >&2; return 1 ;;
      *"already exists"*) echo "$output"; return 0 ;;  # created meanwhile, by us or another run of this job
    esac
    if [ "$n" -ge "$attempts" ]; then
      echo "$output" >&2
      return 1
    fi
    echo "retrying ($n/$attempts): $*" >&2
    n=$((n + 1))
    sleep 2
  done
  echo "$output"
}

echo "Waiting for Temporal at ${TEMPORAL_ADDRESS}"
retry temporal operator cluster health --address "$TEMPORAL_ADDRESS"

if temporal operator namespace describe --namespace "$namespace" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  echo "Namespace ${namespace} exists"
else
  retry temporal operator namespace create --namespace "$namespace" --retention "$retention" \
    --address "$TEMPORAL_ADDRESS"
fi

set --
for pair in $search_attributes; do
  set -- "$@" --name "${pair%%=*}" --type "${pair#*=}"
done
retry temporal operator search-attribute create --namespace "$namespace" --address "$TEMPORAL_ADDRESS" "$@"

# Frontends and history hosts pick up namespace changes on their registry refresh (10 s by default); wait that
# long, so a worker started after this job never meets an attribute that is not there yet.
sleep "${REGISTRY_REFRESH_SECONDS:-10}"
echo "Namespace ${namespace} is ready, with search attributes: ${search_attributes}"
