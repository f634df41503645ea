#!/usr/bin/env bash
# The forecaster benchmark (issue 4): the whole pipeline on TICKERS x YEARS of generated daily data
# (block bootstrap of the real S&P 500 returns on real NYSE dates), cold and then fully reused.
# Usage: bench/forecaster.sh [TICKERS] [YEARS] [WORKDIR]   (defaults 500 20 /tmp/sluice-forecaster-bench)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tickers=${1:-500}; years=${2:-20}; work=${3:-/tmp/sluice-forecaster-bench}

dotnet build -c Release "$repo/examples/StockForecaster" -v q -nologo >/dev/null
dotnet build -c Release "$repo/bench/Forecaster.DataGen" -v q -nologo >/dev/null
app="$repo/examples/StockForecaster/bin/Release/net10.0/StockForecaster.dll"
gen="$repo/bench/Forecaster.DataGen/bin/Release/net10.0/Forecaster.DataGen.dll"

rm -rf "$work" && mkdir -p "$work/config"
cp "$repo/examples/StockForecaster/config/contract.json" "$work/config/"
(cd "$work" && dotnet "$gen" --tickers "$tickers" --years "$years" --seed 1 --out data/bench >/dev/null)

# The issue's workload: AR(1) refitted daily on a 500-day window over the last 1,000 days.
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
sources = json.load(open(f"{work}/data/bench/sources.json"))
settings = {
  "Ingest": {"Sources": [{"Ticker": s["Ticker"], "Kind": "csv", "Path": s["Path"]} for s in sources]},
  "Model": {"Order": 1, "WindowDays": 500, "TestDays": 1000, "RefitEvery": 1, "Horizon": 5},
  "Report": {"ChartTickers": 5},
}
json.dump(settings, open(f"{work}/config/appsettings.json", "w"), indent=2)
PY

rows=$(cat "$work"/data/bench/T*.csv | grep -vc '^Date')
echo "data: $tickers tickers x $years years = $rows rows, $(du -sh "$work/data/bench" | cut -f1)"
for label in cold reused; do
  /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, %M KB peak" dotnet "$app" -C "$work" run -q
done
# Per-step durations of the cold run, and rows per second per step.
dotnet "$app" -C "$work" show "$(dotnet "$app" -C "$work" runs --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[1]["run"])')" --json |
  python3 -c '
import json, sys
rows = int(sys.argv[1])
for s in json.load(sys.stdin)["steps"]:
    ms = sum(a.get("duration_ms") or 0 for a in s["attempts"])
    rate = rows / (ms / 1000) / 1e6 if ms else 0
    print("  %-12s %-9s %7.2f s  %7.2f M rows/s" % (s["step"], s["status"], ms / 1000, rate))
' "$rows"
ls -la "$work/data" "$work/reports" | grep -E 'json|txt|html'
