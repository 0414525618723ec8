#!/usr/bin/env bash
# One large centre, measured twice: generated once in a throwaway PostgreSQL server, timed by the
# benchmark (every page and download, ops/benchmark/page_list.py), then loaded by the load test
# (benchmarks/load.sh: 100 simulated people for two minutes) against the same database.
#
#   benchmarks/scale.sh [CANDIDATES] [RESULTS_FOLDER]      (defaults: 10000, benchmarks/results)
#
# BENCHMARK_ARGS passes more to `manage.py benchmark` (the PDF, bulk exports, upload and signed-file
# measurements do not depend on the centre's size: "--skip pdf --skip bulk ..." leaves them out).
set -euo pipefail

cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ] || [[ "$DATABASE_URL" != postgres* ]]; then
    exec .ci/postgres "$0" "$@"
fi

candidates="${1:-10000}"
results="${2:-benchmarks/results}"
mkdir -p "$results"
python=.venv/bin/python
[ -x "$python" ] || python=python3
table="$results/postgresql-$candidates.txt"

started=$(date +%s)
# shellcheck disable=SC2086  # BENCHMARK_ARGS is words
"$python" manage.py benchmark --candidates "$candidates" --keep ${BENCHMARK_ARGS:-} \
    --output "$results/postgresql-$candidates.json" | grep -v '^{' | tee "$table"
folder="$(sed -n 's/^Working in \(.*\) on postgresql\.$/\1/p' "$table")"
[ -d "$folder" ] || { echo "benchmarks/scale.sh: the benchmark's folder was not kept" >&2; exit 1; }
trap 'rm -rf "$folder"' EXIT
echo "Benchmark done in $(( $(date +%s) - started )) s; now the load test on the same centre."
CENTRE_FOLDER="$folder" benchmarks/load.sh "$candidates" "$results"
echo "Everything done in $(( $(date +%s) - started )) s."
