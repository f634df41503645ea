#!/usr/bin/env bash
# Command-steps benchmark (issue 6): a chain and a 1 -> N -> 1 fan-out of STEPS command steps that each
# 'touch' one small file, run by Sluice with 2 parallel steps and then re-run with nothing changed, against
# the same graphs in GNU make (make -j2) in the same run; wall and user+sys CPU seconds of each. Usage: bench/commands.sh [STEPS] [WORKDIR]
# With AOT=1 the Sluice app is published with Native AOT first and that binary is measured (docs/adr/0006-native-aot.md);
# SLUICE_Sluice__Durability=ProcessCrash in the environment measures Sluice without fsyncs (docs/adr/0007-durability.md).
# APP=path measures a binary published before (for example WORKDIR/aot-app/CommandSteps) without publishing it again.
# BENCH_MIB=N makes every step (in Sluice and in make) write N MiB with dd instead of an empty file with touch, so storing and
# publishing the outputs (hash, fsync, rename) takes real time.
# REPEAT=N runs every case N times, Sluice and make taking turns, and reports the best of each: on a shared machine make's
# own time moves by a third from one run to the next, which one pair of runs passes straight into the ratio.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
steps=${1:-1000}; work=${2:-/tmp/sluice-commands-bench}
command -v make >/dev/null || { echo "GNU make is needed (apt-get install make)" >&2; exit 2; }

if [ -n "${APP:-}" ]; then
  app=("$APP") # a binary built before, to measure it again without publishing it again
elif [ "${AOT:-0}" = 1 ]; then
  dotnet publish "$repo/bench/CommandSteps" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot-app" -v q -nologo >/dev/null
  app=("$work/aot-app/CommandSteps")
else
  dotnet build -c Release "$repo/bench/CommandSteps" -v q -nologo >/dev/null
  app=(dotnet "$repo/bench/CommandSteps/bin/Release/net10.0/CommandSteps.dll")
fi

# Runs a command; prints its wall time and its user+sys CPU time in seconds (children included).
# (Wall time from date, to the nanosecond: make's no-op takes less than time(1)'s 10 ms resolution.)
measure() {
  local t s e; t=$(mktemp); s=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$t" "$@" >/dev/null
  e=$(date +%s.%N); awk -v wall="$(echo "$e - $s" | bc)" '{printf "%.3f %.2f\n", wall, $1 + $2}' "$t"; rm -f "$t"
}
name() { printf 's%04d' "$1"; }

make_one='touch $@'
[ "${BENCH_MIB:-0}" != 0 ] && make_one="dd if=/dev/zero of=\$@ bs=1M count=${BENCH_MIB} status=none"
makefile() { # shape -> Makefile with the same files and commands as the Sluice graph
  local shape=$1 last=$((steps - 1)) i all=""
  for ((i = 0; i < steps; i++)); do all+=" out/$(name $i).txt"; done
  echo "all:$all"
  echo "out/$(name 0).txt: ; @mkdir -p out && $make_one"
  if [ "$shape" = chain ]; then
    for ((i = 1; i < steps; i++)); do echo "out/$(name $i).txt: out/$(name $((i - 1))).txt ; @$make_one"; done
  else
    local middle=""
    for ((i = 1; i < last; i++)); do echo "out/$(name $i).txt: out/$(name 0).txt ; @$make_one"; middle+=" out/$(name $i).txt"; done
    echo "out/$(name $last).txt:$middle ; @$make_one"
  fi
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); app: ${app[*]}"
printf '%-8s %-8s %10s %9s %10s %9s %8s\n' shape case sluice cpu make cpu ratio
repeat=${REPEAT:-1}
# Keeps the faster of two "wall cpu" pairs: best of N by wall time.
best() { if [ -z "$1" ] || awk -v a="$2" -v b="$1" 'BEGIN { exit !(a < b) }'; then echo "$2 $3"; else echo "$1 $4"; fi; }
for shape in chain fanout; do
  s="$work/$shape-sluice"; m="$work/$shape-make"
  export BENCH_SHAPE=$shape BENCH_STEPS=$steps
  full_s=""; full_m=""; noop_s=""; noop_m=""; full_s_cpu=""; full_m_cpu=""; noop_s_cpu=""; noop_m_cpu=""
  for ((r = 0; r < repeat; r++)); do
    rm -rf "$s" "$m" && mkdir -p "$s" "$m"
    makefile "$shape" >"$m/Makefile"
    read -r w c < <(measure "${app[@]}" -C "$s" run -q -j 2); read -r full_s full_s_cpu < <(best "$full_s" "$w" "$c" "$full_s_cpu")
    read -r w c < <(measure make -C "$m" -j2); read -r full_m full_m_cpu < <(best "$full_m" "$w" "$c" "$full_m_cpu")
    read -r w c < <(measure "${app[@]}" -C "$s" run -q -j 2); read -r noop_s noop_s_cpu < <(best "$noop_s" "$w" "$c" "$noop_s_cpu")
    read -r w c < <(measure make -C "$m" -j2); read -r noop_m noop_m_cpu < <(best "$noop_m" "$w" "$c" "$noop_m_cpu")
    test "$(ls "$s/out" | wc -l)" -eq "$steps" && test "$(ls "$m/out" | wc -l)" -eq "$steps"
  done
  printf '%-8s %-8s %9.3fs %8.2fs %9.3fs %8.2fs %7.2fx\n' "$shape" full "$full_s" "$full_s_cpu" "$full_m" "$full_m_cpu" "$(echo "$full_s / $full_m" | bc -l)"
  printf '%-8s %-8s %9.3fs %8.2fs %9.3fs %8.2fs %7.2fx\n' "$shape" no-op "$noop_s" "$noop_s_cpu" "$noop_m" "$noop_m_cpu" "$(echo "$noop_s / $noop_m" | bc -l)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
