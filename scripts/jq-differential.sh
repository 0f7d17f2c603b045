#!/usr/bin/env bash
# Runs the jq differential corpus (400 generated programs + version probes) against jq 1.6 (/usr/bin/jq) and,
# when jq-wasm is installed, against jq 1.7 from the npm package jq-wasm. Manual step: it never installs
# anything. Install jq-wasm by hand outside the tree first:  npm install --prefix /tmp/jqwasm jq-wasm
# Usage: scripts/jq-differential.sh [build dir with tests/jq/differential/jq_differential] (default build/asan)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build="${1:-build/asan}"
tool="$build/tests/jq/differential/jq_differential"
if [[ ! -x "$tool" ]]; then
  echo "jq-differential: $tool not built (cmake --build $build --target jq_differential)" >&2
  exit 2
fi
rc=0
if [[ -x /usr/bin/jq ]]; then
  echo "### reference: $(/usr/bin/jq --version)"
  "$tool" --reference "/usr/bin/jq -c -f" --doc "$root/docs/jq-differences.md" || rc=1
fi
prefix="${JQ_WASM_PREFIX:-/tmp/jqwasm}"
for candidate in "$prefix" "$root"; do
  if [[ -d "$candidate/node_modules/jq-wasm" ]]; then
    echo "### reference: jq-wasm (jq 1.7) from $candidate/node_modules"
    # jq-wasm is 1.7: compare with the same doc; differences it shows that 1.6 does not are ours to explain.
    JQ_WASM_PREFIX="$candidate" "$tool" --bundle 1 --reference "node $root/tests/jq/differential/jqwasm_run.js" \
      --doc "$root/docs/jq-differences.md" || rc=1
    exit $rc
  fi
done
echo "### jq-wasm not installed (npm install --prefix /tmp/jqwasm jq-wasm); skipped the jq 1.7 comparison"
exit $rc
