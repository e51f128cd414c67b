#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine (native prerequisites first), and ends with one summary line
# "tests: N passed, N failed" that CI reads. The exit status is dotnet test's.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/ensure-native.sh" || exit 1
# Debian's Slurm packages for the sweep engine's Slurm test, installed only where missing. Without root or apt-get the
# test is skipped and says why; if the install fails here, the test tries again and fails with the cause.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  "$root/scripts/slurm-test-cluster.sh" install || echo "tests: warning: the Slurm packages could not be installed (the Slurm test will fail)."
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log="$(mktemp)"
# Build the whole solution first, so that the benchmarks and the CLI must compile too, then test without rebuilding.
if dotnet build "$root/OverOpt.MLNet.sln" -c Release --nologo -v quiet 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" -ne 0 ]; then
  rm -f "$log"
  echo "tests: the build failed before tests could run (output above)."
  echo "tests: 0 passed, 0 failed"
  exit 1
fi
# -m:1: the three test assemblies one after another, as the suite has always run on two cores (side by side they would
# race for the cores the timing-sensitive fault tests need).
dotnet test "$root/OverOpt.MLNet.sln" -c Release --nologo --no-build -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "tests: the build or test run failed before tests could be counted (output above)."
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
