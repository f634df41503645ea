#!/bin/sh
# Runs the forecaster once, by hand: ./scripts/forecast.sh [sluice arguments...]
# With no arguments it runs the whole pipeline; anything else is passed to the pipeline app,
# for example `./scripts/forecast.sh plan` or `./scripts/forecast.sh run --from model`.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "$#" -eq 0 ]; then set -- run; fi
exec dotnet run --project "$here" -c Release -- --project-dir "$here" "$@"
