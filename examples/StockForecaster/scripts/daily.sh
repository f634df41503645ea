#!/bin/sh
# The entry point a scheduler calls (see jobs/): one run for the trading day that just closed.
# It never overlaps a run already in progress (--wait queues behind it) and exits non-zero on
# failure so cron or systemd can report it; alerts are raised by the pipeline itself.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
export SLUICE_ENVIRONMENT="${SLUICE_ENVIRONMENT:-Production}"
# The data date the run is for (Airflow calls it the logical date): part of the ingest step's
# fingerprint, so a new day re-fetches live sources while a re-run of the same day reuses.
export SLUICE_Ingest__AsOf="${SLUICE_Ingest__AsOf:-$(TZ=America/New_York date +%F)}"
exec dotnet run --project "$here" -c Release -- --project-dir "$here" run --wait "$@"
