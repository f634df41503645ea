#!/usr/bin/env bash
# Crash soak: the CI crash test (tests/Sluice.Cli.Tests/EndToEnd/CrashTests.cs) with many more SIGKILLs.
# Each iteration kills the Hello sample at a random moment while it writes a large artifact, then checks
# that published files are whole, the run store is consistent and the next run resumes byte-identically.
#
# Then the command-step crash test (tests/Sluice.Yaml.Tests/CommandStepCrashTests.cs) kills the sluice tool at random
# moments of forced runs of a fan-out of programs, checking the same invariants.
#
#   bench/soak-crash.sh              # 500 iterations (about 30 minutes on 2 cores), then 100 of the command-step test
#   bench/soak-crash.sh 2000 300     # more
#   SLUICE_CRASH_SEED=123 bench/soak-crash.sh 50   # replay the seed a failure printed
set -euo pipefail
cd "$(dirname "$0")/.."
export SLUICE_CRASH_ITERATIONS="${1:-500}"
export SLUICE_COMMAND_CRASH_ITERATIONS="${2:-100}"
dotnet test tests/Sluice.Cli.Tests --filter CrashTests --logger "console;verbosity=detailed"
exec dotnet test tests/Sluice.Yaml.Tests --filter CommandStepCrashTests --logger "console;verbosity=detailed"
