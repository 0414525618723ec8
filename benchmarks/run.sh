#!/usr/bin/env bash
# The benchmark on SQLite and on a throwaway PostgreSQL server, at one size.
#
#   benchmarks/run.sh [CANDIDATES] [RESULTS_FOLDER]        (defaults: 1000, benchmarks/results)
#
# Writes sqlite-CANDIDATES.json and postgresql-CANDIDATES.json (and .txt tables) to the folder.
# Extra arguments for `manage.py benchmark` go in BENCHMARK_ARGS, e.g. "--requests 50".
set -euo pipefail

cd "$(dirname "$0")/.."
candidates="${1:-1000}"
results="${2:-benchmarks/results}"
mkdir -p "$results"
python=.venv/bin/python
[ -x "$python" ] || python=python3
# shellcheck disable=SC2086
args=(--candidates "$candidates" ${BENCHMARK_ARGS:-})

echo "== SQLite, $candidates candidates"
env -u DATABASE_URL "$python" manage.py benchmark "${args[@]}" --output "$results/sqlite-$candidates.json" \
    | grep -v '^{' | tee "$results/sqlite-$candidates.txt"

echo "== PostgreSQL, $candidates candidates"
.ci/postgres "$python" manage.py benchmark "${args[@]}" --output "$results/postgresql-$candidates.json" \
    | grep -v '^{' | tee "$results/postgresql-$candidates.txt"
