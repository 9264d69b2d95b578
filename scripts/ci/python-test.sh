#!/usr/bin/env bash
# The Python package (python/) against the release binary: a fresh virtual
# environment with the package, pandas, pytest and the EMA Workbench, then
# its tests (the EMA example included). Run after `cargo build --release`.
# Any failure, a failed pip install included, fails the script.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin="${REGIOSIM_BIN:-$PWD/target/release/regiosim}"
if [ ! -x "$bin" ]; then
  echo "python-test: $bin is missing; run cargo build --release first" >&2
  exit 1
fi
venv="${REGIOSIM_VENV:-target/python-venv}"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check ./python pandas pytest ema_workbench
REGIOSIM_BIN="$bin" MPLBACKEND=Agg "$venv/bin/python" -m pytest -q python/tests
