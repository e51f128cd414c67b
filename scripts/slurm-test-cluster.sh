#!/usr/bin/env bash
# A one-machine Slurm cluster for the test suite (the sweep engine's Slurm test), after
# ../shared/docs/scale-out.md: slurmctld and slurmd on 127.0.0.1 (ports 16817/16818), AuthType=auth/none,
# CredType=cred/none (no munge daemon), started in the foreground mode in the background and stopped by their pids.
#
#   scripts/slurm-test-cluster.sh install     installs Debian's packages if any is missing (root, apt-get)
#   scripts/slurm-test-cluster.sh start DIR   installs if needed, writes DIR/slurm.conf, starts both daemons, waits
#                                             until the node is idle, prints SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-test-cluster.sh stop DIR    stops the daemons that 'start DIR' started (by the pids it saved)
#
# Exit status 3: this machine cannot have the cluster (not root, no apt-get); 1: anything else went wrong.
set -euo pipefail

packages=(slurmctld slurmd slurm-client slurm-wlm-basic-plugins)

say() { echo "slurm-test-cluster: $*" >&2; }

missing_packages() {
  local p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

install() {
  local need
  need=$(command -v dpkg-query >/dev/null && missing_packages || echo "${packages[*]}")
  [ -z "$need" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "cannot install $(echo $need): not running as root."
    exit 3
  fi
  if ! command -v apt-get >/dev/null; then
    say "cannot install $(echo $need): apt-get is missing (not Debian or Ubuntu)."
    exit 3
  fi
  say "installing $(echo $need) (one time)..."
  export DEBIAN_FRONTEND=noninteractive
  # No daemon of the packages' own is started: there may be no init system, and ours use their own configuration.
  local policy=/usr/sbin/policy-rc.d placed=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && placed=1
  fi
  local status=0
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null; } || status=$?
  [ "$placed" = 1 ] && rm -f "$policy"
  if [ "$status" -ne 0 ]; then
    say "apt-get failed (status $status) installing $(echo $need)."
    exit 1
  fi
}

write_conf() {
  local dir=$1 host cpus
  host=$(hostname -s)
  cpus=$(nproc)
  cat >"$dir/slurm.conf" <<CONF
ClusterName=t
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/none
CredType=cred/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MpiDefault=none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/ctld.pid
SlurmdPidFile=$dir/d.pid
SlurmctldLogFile=$dir/log/ctld.log
SlurmdLogFile=$dir/log/d.log
SlurmctldPort=16817
SlurmdPort=16818
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MaxArraySize=1001
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

stop() {
  local dir=$1 name pid
  for name in slurmd slurmctld; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$name.pid"
  done
}

start() {
  local dir=$1
  install
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  dir=$(cd "$dir" && pwd)
  stop "$dir"
  write_conf "$dir"
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -D -i </dev/null >"$dir/log/ctld.out" 2>&1 &
  echo $! >"$dir/slurmctld.pid"
  slurmd -D </dev/null >"$dir/log/d.out" 2>&1 &
  echo $! >"$dir/slurmd.pid"
  local state=""
  for _ in $(seq 120); do
    state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n1 || true)
    [ "$state" = "idle" ] && { echo "SLURM_CONF=$SLURM_CONF"; return 0; }
    sleep 0.5
  done
  say "the node is not idle after 60 s (state: '${state:-none}'). Logs:"
  tail -n 20 "$dir"/log/* >&2 || true
  stop "$dir"
  exit 1
}

case "${1:-}" in
  install) install ;;
  start) [ -n "${2:-}" ] || { say "usage: $0 start DIR"; exit 1; }; start "$2" ;;
  stop) [ -n "${2:-}" ] || { say "usage: $0 stop DIR"; exit 1; }; stop "$(cd "$2" 2>/dev/null && pwd || echo "$2")" ;;
  *) say "usage: $0 install | start DIR | stop DIR"; exit 1 ;;
esac
