#!/bin/sh
# time-command.sh LOG COMMAND...: runs COMMAND and appends "<wall seconds> <exit code> COMMAND..."
# to LOG. bench/run.py makes it the launcher of the smc harness's custom commands (CMake's
# RULE_LAUNCH_CUSTOM), so that the wall time of every `smc compile` that smc_add_model runs is
# recorded as it runs in the build.
log="$1"
shift
start=$(date +%s%N)
"$@"
rc=$?
end=$(date +%s%N)
ns=$((end - start))
echo "$((ns / 1000000000)).$(printf '%06d' $((ns / 1000 % 1000000))) $rc $*" >>"$log"
exit $rc
