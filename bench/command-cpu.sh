#!/usr/bin/env bash
# Where the CPU time of a chain (or fan-out) of command steps goes (issue 6): runs a STEPS-step graph of `touch` commands
# under the sched_stat_runtime tracepoint, which reports every thread's run time as it is accounted, and prints CPU
# milliseconds per step for each kind of thread. A CPU-time figure is far steadier than a wall-clock one on a shared
# VM: it does not count the time a thread waited for a core the host gave to someone else.
# Usage: bench/command-cpu.sh APP [STEPS] [WORKDIR]
# APP is a published bench/CommandSteps binary, or `make` for make -j2 on the same graph (bench/commands.sh's Makefile).
# BENCH_SHAPE=fanout measures the 1 -> N -> 1 graph. Needs perf and python3; run as root or with
# kernel.perf_event_paranoid <= -1. Environment variables pass through (SLUICE_Sluice__Durability=ProcessCrash).
# The tracepoint itself costs a little on every context switch, so compare builds measured the same way, not with
# the figures of bench/commands.sh.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
app=${1:?usage: bench/command-cpu.sh APP [STEPS] [WORKDIR]}; steps=${2:-1000}; work=${3:-/tmp/sluice-command-cpu}
shape=${BENCH_SHAPE:-chain}
rm -rf "$work" && mkdir -p "$work/project"
if [ "$app" = make ]; then
  (source <(sed -n '/^name()/p;/^make_one=/p;/^makefile()/,/^}/p' "$repo/bench/commands.sh"); makefile "$shape") >"$work/project/Makefile"
  perf record -q -e sched:sched_stat_runtime -a -o "$work/perf.data" -- make -C "$work/project" -j2 >/dev/null 2>&1
else
  BENCH_SHAPE=$shape BENCH_STEPS=$steps perf record -q -e sched:sched_stat_runtime -a -o "$work/perf.data" -- "$app" -C "$work/project" run -q -j 2 >/dev/null 2>&1
fi
perf script -i "$work/perf.data" -F comm,pid,tid,trace 2>/dev/null >"$work/runtime.txt"
python3 - "$work/runtime.txt" "$steps" "$(basename "$app")" <<'PY'
import collections, re, sys
lines, steps, app = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cpu = collections.Counter()
main = None  # the process that was started: its threads are the orchestrator's, other processes are its programs
for line in open(lines):
    m = re.match(r'\s*(.*?)\s+(\d+)/(\d+)\s+comm=.*? pid=\d+ runtime=(\d+)', line)
    if not m:
        continue
    comm, pid, runtime = m.group(1), int(m.group(2)), int(m.group(4))
    if main is None and comm.startswith(app[:15]):
        main = pid
    if comm.startswith('touch'):
        kind = 'programs'
    elif pid == main:
        kind = 'command threads' if comm.startswith('Sluice command') else 'SQLite writer' if 'SQLite w' in comm else 'make' if app == 'make' else 'other threads'
    elif comm.startswith('Sluice command') or comm.startswith('make'):
        kind = 'children before exec'  # a spawned child keeps its parent's thread name until its exec
    else:
        kind = 'everything else'
    cpu[kind] += runtime
order = ['command threads', 'make', 'children before exec', 'programs', 'SQLite writer', 'other threads', 'everything else']
print(', '.join('%s %.3f' % (k, cpu[k] / 1e6 / steps) for k in order if k in cpu) + ' (CPU ms per step)')
PY
