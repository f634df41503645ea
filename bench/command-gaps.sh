#!/usr/bin/env bash
# Where a chain of command steps waits (issue 6): runs a STEPS-step chain of `touch` commands under scheduler
# tracepoints and prints the medians of three intervals per step: a program's exit to the next fork, fork to exec,
# and exec to exit; the period of one step; and how many programs first ran on the core that forked them, and when.
# Usage: bench/command-gaps.sh APP [STEPS] [WORKDIR]
# APP is a published bench/CommandSteps binary, or `make` to trace make -j2 on the same graph (bench/commands.sh's
# Makefile). Needs perf and python3; run as root or with kernel.perf_event_paranoid <= -1. Environment variables
# pass through, so SLUICE_Sluice__Durability=ProcessCrash traces the mode without fsyncs (docs/adr/0007-durability.md).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
app=${1:?usage: bench/command-gaps.sh APP [STEPS] [WORKDIR]}; steps=${2:-300}; work=${3:-/tmp/sluice-command-gaps}
rm -rf "$work" && mkdir -p "$work/project"
events=sched:sched_switch,sched:sched_wakeup,sched:sched_process_exit,sched:sched_process_fork,sched:sched_process_exec
if [ "$app" = make ]; then
  # The same Makefile bench/commands.sh writes for a chain.
  (steps=$steps; source <(sed -n '/^name()/p;/^make_one=/p;/^makefile()/,/^}/p' "$repo/bench/commands.sh"); makefile chain) >"$work/project/Makefile"
  perf record -q -o "$work/perf.data" -e "$events" -a -- make -C "$work/project" -j2 >/dev/null 2>&1
else
  BENCH_SHAPE=chain BENCH_STEPS=$steps perf record -q -o "$work/perf.data" -e "$events" -a -- "$app" -C "$work/project" run -q -j 2 >/dev/null 2>&1
fi
perf script -i "$work/perf.data" -F comm,tid,cpu,time,event,trace 2>/dev/null >"$work/trace.txt"
python3 - "$work/trace.txt" <<'PY'
import bisect, re, sys
events = []
for line in open(sys.argv[1]):
    m = re.search(r'\s(\d+\.\d+):\s+sched:(sched_process_\w+):', line)
    if m:
        events.append((float(m.group(1)), m.group(2), line))
forks = [t for t, e, _ in events if e == 'sched_process_fork']
execs = [t for t, e, l in events if e == 'sched_process_exec' and 'touch' in l]
exits = [t for t, e, l in events if e == 'sched_process_exit' and 'comm=touch' in l]
def after(points, t):
    i = bisect.bisect(points, t)
    return points[i] - t if i < len(points) else None
def median(values):
    values = sorted(v for v in values if v is not None)
    return values[len(values) // 2] * 1000 if values else float('nan')
print('%d steps: exit->fork %.3f ms, fork->exec %.3f ms, exec->exit %.3f ms, period %.3f ms' % (
    len(exits), median(after(forks, x) for x in exits), median(after(execs, f) for f in forks),
    median(after(exits, e) for e in execs), (exits[-1] - exits[0]) / (len(exits) - 1) * 1000))
# Where each program first ran: on the core that forked it, or on the other one, which may first have to be woken.
forked = {}
first_run = {}
for t, e, line in events:
    if e == 'sched_process_fork':
        m = re.search(r'\[(\d+)\].*child_pid=(\d+)', line)
        forked[int(m.group(2))] = (t, int(m.group(1)))
for line in open(sys.argv[1]):
    m = re.search(r'\[(\d+)\]\s+(\d+\.\d+):\s+sched:sched_switch:.*next_pid=(\d+)', line)
    if m and int(m.group(3)) in forked and int(m.group(3)) not in first_run:
        first_run[int(m.group(3))] = (float(m.group(2)), int(m.group(1)))
# Only the programs: a fork event is also a new thread of Sluice's.
programs = {int(m.group(1)) for t, e, line in events if e == 'sched_process_exec' and 'touch' in line for m in [re.search(r'pid=(\d+)', line)] if m}
first_run = {pid: v for pid, v in first_run.items() if pid in programs}
same = sum(1 for pid, (t, cpu) in first_run.items() if cpu == forked[pid][1])
print('%d of %d programs first ran on the core that forked them; fork to first run %.3f ms' % (
    same, len(first_run), median(t - forked[pid][0] for pid, (t, cpu) in first_run.items())))
PY
