#!/usr/bin/env bash
# No-op re-run benchmark (issue 3): wall time, CPU and peak memory of `run` on a STEPS-step chain whose every step is
# reused, from process start to exit, with the Native AOT build of bench/ChainApp. Usage: bench/noop.sh [STEPS] [ROUNDS] [WORKDIR]
# APP=path measures a ChainApp binary published before instead of publishing one into WORKDIR/app.
# BASE=path alternates a second binary with it, round by round (each in a project folder of its own, prepared by its
# own full run), so both see the same moments of a shared machine: only alternated figures compare (docs/benchmarks.md).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
steps=${1:-10000}; rounds=${2:-5}; work=${3:-/tmp/sluice-noop-bench}
mkdir -p "$work"

if [ -z "${APP:-}" ]; then
  dotnet publish "$repo/bench/ChainApp" -c Release -r linux-x64 -p:PublishAot=true -o "$work/app" -v q -nologo >/dev/null
  APP="$work/app/ChainApp"
fi

names=(app); bins=("$APP")
if [ -n "${BASE:-}" ]; then names+=(base); bins+=("$BASE"); fi

# A project folder per binary, after one full run: every step has a checkpoint, so `run` reuses them all.
for i in "${!bins[@]}"; do
  dir="$work/project-${names[$i]}"
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && "${bins[$i]}" "$steps" run -q >/dev/null)
  (cd "$dir" && "${bins[$i]}" "$steps" run -q >/dev/null) # the first no-op re-run also checkpoints the log of the full one
done

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); steps: $steps; rounds: $rounds"
printf '%-6s %6s %8s %8s %8s %9s\n' binary round wall user sys peak-KB
declare -A walls
for ((r = 1; r <= rounds; r++)); do
  for i in "${!bins[@]}"; do
    # Wall and CPU from the shell's own timer, to the millisecond (time(1) rounds to 10 ms); peak memory from time(1).
    t=$(mktemp); cd "$work/project-${names[$i]}"
    TIMEFORMAT='%3R %3U %3S'
    { time /usr/bin/time -f "%M" -o "$t" nice -n -5 "${bins[$i]}" "$steps" run -q >/dev/null; } 2>"$t.times"
    cd - >/dev/null; read -r wall user sys <"$t.times"; read -r peak <"$t"; rm -f "$t" "$t.times"
    printf '%-6s %6d %7.3fs %7.3fs %7.3fs %9d\n' "${names[$i]}" "$r" "$wall" "$user" "$sys" "$peak"
    walls[${names[$i]}]+="$wall "
  done
done

for name in "${names[@]}"; do
  # shellcheck disable=SC2086
  printf '%-6s wall min %s  median %s  max %s\n' "$name" $(printf '%s\n' ${walls[$name]} | sort -n | awk '{ v[NR] = $1 } END { print v[1], v[int((NR + 1) / 2)], v[NR] }')
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
