#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (slurmctld and slurmd on
# localhost, munge for authentication) for the Slurm integration test.
# Installs Debian's slurm-wlm and munge when they are missing. Exits 0 with a
# message when Slurm cannot be had; the test then says it is skipped.
set -uo pipefail
log=/tmp/regiosim-slurm-up.log
if ! command -v slurmctld >/dev/null 2>&1; then
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge; } >"$log" 2>&1; then
    echo "slurm-up: could not install slurm-wlm and munge (see $log); the Slurm test will be skipped"
    exit 0
  fi
fi
if sinfo -h -o %T 2>/dev/null | grep -q idle; then
  echo "slurm-up: a cluster is already running"
  exit 0
fi
mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key >>"$log" 2>&1
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null
chmod 700 /etc/munge; chmod 400 /etc/munge/munge.key
pgrep -x munged >/dev/null || runuser -u munge -- munged >>"$log" 2>&1 || munged --force >>"$log" 2>&1
host=$(hostname -s)
cat >/etc/slurm/slurm.conf <<CONF
ClusterName=regiosim-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
pgrep -x slurmctld >/dev/null || slurmctld >>"$log" 2>&1
pgrep -x slurmd >/dev/null || slurmd >>"$log" 2>&1
for _ in $(seq 1 60); do
  if sinfo -h -o %T 2>/dev/null | grep -q idle; then
    echo "slurm-up: single-node cluster on $host is up"
    exit 0
  fi
  sleep 1
done
echo "slurm-up: the cluster did not come up (see $log and /var/log/slurm); the Slurm test will be skipped"
exit 0
