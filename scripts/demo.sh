#!/usr/bin/env bash
# `make demo`: a complete resync on this machine, with nothing to configure. Starts sentry-sim (a medium,
# deterministic Sentry organization) on 127.0.0.1, runs `sentry-port sync` into a local catalog file, prints
# the summary and a few entities, and stops the simulator.
set -euo pipefail
BUILD=${1:-build/release}
SIM="$BUILD/tools/sentry-sim/sentry-sim"
CLI="$BUILD/src/cli/sentry-port"
for bin in "$SIM" "$CLI"; do
  [ -x "$bin" ] || { echo "demo: $bin is missing; run 'make build' first" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sentry-port-demo.XXXXXX")
SIM_PID=""
cleanup() {
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

TOKEN="sntryi_demo0000000000000000000000000000000000000000000000000000000001"
# Sentry's published rate limits, scaled up 20x so the demo takes seconds instead of minutes.
"$SIM" --listen 127.0.0.1:0 --port-file "$WORK/port" --seed 1 --preset "${DEMO_PRESET:-medium}" \
  --token "$TOKEN" --budget-multiplier 20 >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
[ -s "$WORK/port" ] || { echo "demo: sentry-sim did not start:" >&2; cat "$WORK/sim.log" >&2; exit 1; }
PORT=$(cat "$WORK/port")
echo "== sentry-sim: a simulated Sentry organization 'acme' on http://127.0.0.1:$PORT"

# Only what the demo needs: Sentry credentials, no Port credentials (so the target is the local catalog).
export OCEAN__INTEGRATION__CONFIG__SENTRY_HOST="http://127.0.0.1:$PORT"
export OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN="$TOKEN"
export OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION=acme
unset OCEAN__PORT__CLIENT_ID OCEAN__PORT__CLIENT_SECRET
DB="$WORK/catalog.db"

echo "== sentry-port sync (default mapping: users, teams, project environments, issues)"
status=0
"$CLI" sync --target "local:$DB" || status=$?
echo
echo "== blueprints in the local catalog"
"$CLI" catalog --db "$DB" blueprints --json >"$WORK/blueprints.json"
"$CLI" jq -r '.[] | "\(.identifier)\t\(.title)"' "$WORK/blueprints.json"
echo
echo "== three sentryIssue entities (sentry-port catalog ... | sentry-port jq)"
"$CLI" catalog --db "$DB" entities sentryIssue --json >"$WORK/issues.json"
"$CLI" jq -c '.[:3][] | {identifier, title, properties, relations}' "$WORK/issues.json"
echo
echo "== second sync: nothing changed in Sentry, so nothing is written"
"$CLI" sync --target "local:$DB" || status=$?
# Exit status 1 means the resync ran but some entities were rejected (shown above, e.g. a project in two
# teams for a single "team" relation, exactly as Port would reject it): the demo itself still succeeded.
[ "$status" -le 1 ] || exit "$status"
echo "== demo done (last sync exit status: $status)"
