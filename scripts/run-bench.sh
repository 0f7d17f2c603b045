#!/usr/bin/env bash
# `make bench` driver: runs every benchmark program already built under <build dir>/bench (bench_* executables,
# discovered by name so new ones are picked up), with no arguments, and prints their figures. Builds nothing.
# Benchmarks print figures and never assert on time; a benchmark that fails is reported and the run goes on,
# and the exit status is non-zero if any failed.
set -u

dir="${1:-build/release}"
[[ -d "$dir" ]] && dir=$(cd "$dir" && pwd)
if [[ ! -d "$dir/bench" ]]; then
  echo "run-bench: no $dir/bench (build the release tree first: make build)" >&2
  exit 2
fi

mapfile -t programs < <(find "$dir/bench" -type f -executable -name 'bench_*' | sort)
if [[ ${#programs[@]} -eq 0 ]]; then
  echo "run-bench: no bench_* programs under $dir/bench" >&2
  exit 2
fi

failed=()
echo "run-bench: ${#programs[@]} benchmark(s) from $dir on $(nproc) core(s), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (figures are lower when other processes share the cores)"
for program in "${programs[@]}"; do
  echo
  echo "=== $(basename "$program") ==="
  start=$(date +%s)
  # Run from a scratch directory so a benchmark's temporary files never land in the tree.
  scratch=$(mktemp -d)
  (cd "$scratch" && "$program" </dev/null)
  rc=$?
  rm -rf "$scratch"
  echo "--- $(basename "$program"): exit $rc, $(($(date +%s) - start)) s"
  [[ $rc -eq 0 ]] || failed+=("$(basename "$program")")
done

echo
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "run-bench: failed: ${failed[*]}"
  exit 1
fi
echo "run-bench: all ${#programs[@]} benchmark(s) ran"
