#!/usr/bin/env bash
# The load test: 100 simulated people of mixed roles for two minutes against gunicorn on loopback,
# with a generated centre in a throwaway PostgreSQL server (.ci/postgres).
#
#   benchmarks/load.sh [CANDIDATES] [RESULTS_FOLDER]       (defaults: 1000, benchmarks/results)
#
# USERS, SPAWN_RATE and DURATION change the load (100, 10 a second, 2m). Everything it starts, it
# stops; the server listens on 127.0.0.1 only and locust refuses any other host.
#
# CENTRE_FOLDER=DIR uses a centre already generated in DATABASE_URL's database instead of making
# one: the folder `manage.py benchmark --keep` leaves (its sign-in.json, keys.env and var/), so one
# 10,000-candidate centre serves the benchmark and the load test (benchmarks/README.md).
#
#   DATABASE_URL=postgres://... CENTRE_FOLDER=/path/to/centre benchmarks/load.sh 10000
set -euo pipefail

if [ -n "${CENTRE_FOLDER:-}" ]; then
    CENTRE_FOLDER="$(cd "$CENTRE_FOLDER" && pwd)"
    for name in sign-in.json keys.env var; do
        [ -e "$CENTRE_FOLDER/$name" ] || { echo "benchmarks/load.sh: $CENTRE_FOLDER has no $name" >&2; exit 2; }
    done
    if [[ "${DATABASE_URL:-}" != postgres* ]]; then
        echo "benchmarks/load.sh: CENTRE_FOLDER needs DATABASE_URL, the PostgreSQL database its centre is in" >&2
        exit 2
    fi
fi
cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ] || [[ "$DATABASE_URL" != postgres* ]]; then
    exec .ci/postgres "$0" "$@"
fi

candidates="${1:-1000}"
results="$(mkdir -p "${2:-benchmarks/results}" && cd "${2:-benchmarks/results}" && pwd)"
users="${USERS:-100}"
spawn_rate="${SPAWN_RATE:-10}"
duration="${DURATION:-2m}"
python=.venv/bin/python
[ -x "$python" ] || python=python3
locust="$(dirname "$python")/locust"
command -v "$locust" >/dev/null 2>&1 || locust=locust
command -v "$locust" >/dev/null 2>&1 || { echo "locust is not installed: pip install -e '.[bench]'" >&2; exit 1; }

work="$(mktemp -d -t portfolio-load.XXXXXX)"
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Production's settings: debug off, hashed static files; plain HTTP on loopback (no TLS redirect).
export DJANGO_SETTINGS_MODULE=config.settings
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="$("$python" -c 'import secrets; print(secrets.token_urlsafe(48))')"
export PORTFOLIO_BACKUP_KEY="$("$python" -c 'import secrets; print(secrets.token_urlsafe(48))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export PORTFOLIO_SITE_URL=http://127.0.0.1:8000
export DJANGO_SECURE_SSL_REDIRECT=false
export PORTFOLIO_LOG_LEVEL=WARNING
export PORTFOLIO_LOAD_SUMMARY="$results/locust-$candidates-summary.json"
if [ -n "${CENTRE_FOLDER:-}" ]; then
    export PORTFOLIO_VAR_DIR="$CENTRE_FOLDER/var"
    export PORTFOLIO_EVIDENCE_ROOT="$CENTRE_FOLDER/var/evidence"
    export PORTFOLIO_PEOPLE_JSON="$CENTRE_FOLDER/sign-in.json"
    # The keys its sign-offs were signed with, so the pages read them as intact.
    set -a
    # shellcheck disable=SC1091
    . "$CENTRE_FOLDER/keys.env"
    set +a
    echo "Using the centre already generated (${CENTRE_FOLDER}) ..."
    "$python" manage.py collectstatic --noinput >"$work/setup.log" 2>&1
else
    export PORTFOLIO_VAR_DIR="$work/var"
    export PORTFOLIO_EVIDENCE_ROOT="$work/var/evidence"
    export PORTFOLIO_PEOPLE_JSON="$work/people.json"
    "$python" manage.py migrate --noinput >"$work/setup.log" 2>&1
    "$python" manage.py collectstatic --noinput >>"$work/setup.log" 2>&1
    assessors=$(( candidates / 50 > 2 ? candidates / 50 : 2 ))
    echo "Generating a centre of $candidates candidates and $assessors assessors ..."
    "$python" manage.py generate_centre --candidates="$candidates" --assessors="$assessors" --evidence=60 \
        --seed=42 --people-json="$PORTFOLIO_PEOPLE_JSON" >>"$work/setup.log" 2>&1
fi

echo "Load average before the load: $(cut -d' ' -f1-3 /proc/loadavg)"
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
gunicorn="$(dirname "$python")/gunicorn"
if [ -f config/gunicorn.conf.py ]; then
    BIND="127.0.0.1:$port" "$gunicorn" -c config/gunicorn.conf.py >"$work/gunicorn.log" 2>&1 &
else
    "$gunicorn" config.wsgi --bind "127.0.0.1:$port" --workers 3 >"$work/gunicorn.log" 2>&1 &
fi
server=$!
for _ in $(seq 1 60); do
    if "$python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/health/', timeout=2)" 2>/dev/null; then
        break
    fi
    sleep 1
done

echo "Load: $users users, $spawn_rate a second, for $duration, against http://127.0.0.1:$port ..."
# The server's CPU so far and its workers' peak memory, before and after (benchmarks/server_usage.py).
usage_before="$("$python" benchmarks/server_usage.py "$server" || echo '{}')"
status=0
timeout --kill-after=30 600 "$locust" -f benchmarks/locustfile.py --headless -u "$users" -r "$spawn_rate" \
    -t "$duration" --stop-timeout 10 --host "http://127.0.0.1:$port" --csv "$results/locust-$candidates" \
    --only-summary >"$results/locust-$candidates.txt" 2>&1 || status=$?
usage_after="$("$python" benchmarks/server_usage.py "$server" || echo '{}')"
echo "{\"before\": $usage_before, \"after\": $usage_after, \"load_average_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" \
    >"$results/locust-$candidates-server.json"
cat "$results/locust-$candidates.txt" | sed -n '/Response time percentiles/,$p'
failures="$(awk -F, '$2 == "Aggregated" { print $4 }' "$results/locust-${candidates}_stats.csv" 2>/dev/null || true)"
echo "After the sign-in burst (p95 per page), and failures over the whole run:"
{ cat "$PORTFOLIO_LOAD_SUMMARY" && echo; } 2>/dev/null || echo "(no summary written)"
echo "The server (gunicorn, before the load -> after; CPU seconds, peak MB per worker):"
cat "$results/locust-$candidates-server.json"
echo "Results in $results/locust-$candidates* (failures: ${failures:-?}; locust exit $status)."
exit "$status"
