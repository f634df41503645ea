#!/usr/bin/env bash
# Two builds of bench/CommandSteps against make on one graph (issue 6), taking turns: each round runs make, the two
# builds (the base first in odd rounds, the new one first in even rounds) and make again, and prints each build's wall
# time over the mean of that round's two make runs.
# On a shared machine make's own time moves by a third between minutes; a ratio taken within one round, between
# runs seconds apart, moves much less. Usage: bench/commands-ab.sh BASE_APP NEW_APP [chain|fanout] [ROUNDS] [STEPS] [WORKDIR]
# Environment variables pass through: SLUICE_Sluice__Durability=ProcessCrash measures both builds without fsyncs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
base=${1:?usage: bench/commands-ab.sh BASE_APP NEW_APP [chain|fanout] [ROUNDS] [STEPS] [WORKDIR]}; new=${2:?}
shape=${3:-chain}; rounds=${4:-5}; steps=${5:-1000}; work=${6:-/tmp/sluice-commands-ab}
command -v make >/dev/null || { echo "GNU make is needed (apt-get install make)" >&2; exit 2; }
rm -rf "$work" && mkdir -p "$work/make"
# The same Makefile bench/commands.sh writes.
(source <(sed -n '/^name()/p;/^make_one=/p;/^makefile()/,/^}/p' "$repo/bench/commands.sh"); makefile "$shape") >"$work/make/Makefile"
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
make_run() { rm -rf "$work/make/out"; seconds make -C "$work/make" -j2; }
sluice_run() { rm -rf "$work/sluice" && mkdir -p "$work/sluice"; BENCH_SHAPE=$shape BENCH_STEPS=$steps seconds "$1" -C "$work/sluice" run -q -j 2; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $shape of $steps; base $base; new $new"
for ((r = 1; r <= rounds; r++)); do
  # The builds take turns at going first: one build in both slots differed from itself by up to 0.06x in its median
  # (a control, docs/benchmarks.md), and whatever of that belongs to the slot cancels over an even number of rounds.
  if ((r % 2)); then
    m1=$(make_run); b=$(sluice_run "$base"); n=$(sluice_run "$new"); m2=$(make_run)
  else
    m1=$(make_run); n=$(sluice_run "$new"); b=$(sluice_run "$base"); m2=$(make_run)
  fi
  awk -v m1="$m1" -v m2="$m2" -v b="$b" -v n="$n" 'BEGIN { m = (m1 + m2) / 2; printf "round %d: make %.3f s, base %.3f s (%.2fx), new %.3f s (%.2fx)\n", '"$r"', m, b, b / m, n, n / m }'
done | tee "$work/rounds.txt"
# The median ratio of each build over the rounds.
for build in base new; do
  grep -o "$build [0-9.]* s ([0-9.]*x)" "$work/rounds.txt" | sed 's/.*(\(.*\)x)/\1/' | sort -n |
    awk -v b="$build" '{ v[NR] = $1 } END { printf "%s: median %.2fx of %d rounds\n", b, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), NR }'
done
