#!/usr/bin/env bash
# Submits a regiosim sweep to Slurm as N array tasks plus a merge job that
# runs when all of them succeeded. Prints the merge job's id.
#
#   scripts/slurm/submit.sh SWEEP.toml OUT_DIR N [extra sbatch options...]
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SWEEP.toml OUT_DIR N [sbatch options...]" >&2
  exit 2
fi
sweep="$1"; out="$2"; shards="$3"; shift 3
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
array=$(sbatch --parsable --array="1-$shards" "$@" "$here/sweep.sbatch" "$sweep" "$out" "$shards")
array="${array%%;*}"
merge=$(sbatch --parsable --dependency="afterok:$array" --job-name=regiosim-merge "$@" "$here/sweep.sbatch" --merge "$out" "$shards")
echo "${merge%%;*}"
