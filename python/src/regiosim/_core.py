"""The wrapper: find the binary, build its command line, run it, read its
JSON summary into DataFrames."""

from __future__ import annotations

import json
import math
import numbers
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import pandas as pd

PathLike = Union[str, os.PathLike]


class RegiosimError(RuntimeError):
    """The binary failed. ``returncode`` 2 means bad input (the message
    names the problem and the fix), 1 a failure; ``stderr`` is its output."""

    def __init__(self, command: Sequence[str], returncode: int, stderr: str):
        self.command = list(command)
        self.returncode = returncode
        self.stderr = stderr
        kind = "bad input" if returncode == 2 else f"exit code {returncode}"
        super().__init__(f"regiosim failed ({kind}): {stderr.strip()}")

    @property
    def bad_input(self) -> bool:
        return self.returncode == 2


def binary() -> str:
    """The regiosim binary: ``$REGIOSIM_BIN``, else ``regiosim`` on PATH,
    else ``target/release/regiosim`` in the current folder or a folder
    above it (a checkout of the repository)."""
    env = os.environ.get("REGIOSIM_BIN")
    if env:
        if not (os.path.isfile(env) and os.access(env, os.X_OK)):
            raise FileNotFoundError(f"REGIOSIM_BIN={env} is not an executable file")
        return env
    on_path = shutil.which("regiosim")
    if on_path:
        return on_path
    here = Path.cwd().resolve()
    for folder in [here, *here.parents]:
        candidate = folder / "target" / "release" / "regiosim"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise FileNotFoundError(
        "regiosim binary not found: set REGIOSIM_BIN, put regiosim on PATH, "
        "or build it with `cargo build --release` in the repository"
    )


def toml_value(value: Any) -> str:
    """A Python value as the TOML text of ``--set KEY=VALUE``: bool, int,
    float (exactly, shortest round-trip form), str, or a list of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"{value!r} is not a finite number")
        return repr(x)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot pass {type(value).__name__} {value!r} as a scenario value")


def _set_args(settings: Optional[Mapping[str, Any]]) -> list:
    args = []
    for key, value in (settings or {}).items():
        args += ["--set", f"{key}={toml_value(value)}"]
    return args


def _execute(args: list, out: Optional[PathLike], threads: int) -> dict:
    """Runs ``regiosim ARGS --json --quiet --out DIR --force`` and returns the
    JSON summary; without ``out`` the folder is a temporary one, removed
    after reading."""
    tmp = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="regiosim-")
        folder = Path(tmp.name) / "out"
    else:
        folder = Path(out)
    command = [binary(), *args, "--json", "--quiet", "--force", "--threads", str(threads),
               "--out", str(folder)]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RegiosimError(command, done.returncode, done.stderr)
        doc = json.loads(done.stdout)
        if tmp is not None:
            doc["out"] = None
        return doc
    finally:
        if tmp is not None:
            tmp.cleanup()


def _frame(doc: dict, key: str) -> pd.DataFrame:
    df = pd.DataFrame.from_records(doc.get(key, []))
    # A column of undefined numbers only (null in JSON, an empty CSV cell)
    # is a float column of NaN, as pandas reads it from the CSV.
    for col in df.columns:
        if df[col].isna().all():
            df[col] = df[col].astype(float)
    df.attrs["out"] = doc.get("out")
    df.attrs["command_line"] = doc.get("command_line", [])
    df.attrs["scenarios"] = doc.get("scenarios", [])
    return df


def summary(doc: dict, table: str = "summary") -> pd.DataFrame:
    """One table of a JSON summary (``summary``, ``comparison`` or, for
    Morris and Sobol' sweeps, ``sensitivity``) as a DataFrame."""
    return _frame(doc, table)


def _run_args(scenarios: Iterable[PathLike], replications: int, seed: int,
              years: Optional[int], set: Optional[Mapping[str, Any]]) -> list:
    args = ["run", *[str(s) for s in scenarios], "--replications", str(replications),
            "--seed", str(seed)]
    if years is not None:
        args += ["--years", str(years)]
    return args + _set_args(set)


def run(scenario: PathLike, *more: PathLike, replications: int = 8, seed: int = 1,
        years: Optional[int] = None, set: Optional[Mapping[str, Any]] = None,
        out: Optional[PathLike] = None, threads: int = 0) -> pd.DataFrame:
    """Runs one or more scenarios and returns the region rows of
    ``summary.csv`` (scenario, year, area, area_kind, metric, mean, sd, ci95_low,
    ci95_high, n), one row per scenario, output year and metric.

    ``set`` maps dotted scenario keys to values (``{"dsav.enabled": True,
    "collaboration.model": "netwerk"}``), set in every scenario and checked
    like a value in the file. ``out`` keeps the output folder (every CSV,
    the manifest) there, replacing what it held; by default it is a
    temporary folder, removed after reading. ``threads`` 0 uses every core;
    the results never depend on it."""
    doc = _execute(_run_args([scenario, *more], replications, seed, years, set), out, threads)
    return _frame(doc, "summary")


def compare(baseline: PathLike, *scenarios: PathLike, replications: int = 8, seed: int = 1,
            years: Optional[int] = None, set: Optional[Mapping[str, Any]] = None,
            out: Optional[PathLike] = None, threads: int = 0) -> pd.DataFrame:
    """Runs the baseline and each scenario and returns the region rows of
    ``comparison.csv``: per scenario, year and metric the paired difference
    from the baseline (replications share random streams) with its 95%
    interval and the relative difference."""
    if not scenarios:
        raise ValueError("compare needs a baseline and at least one scenario")
    doc = _execute(_run_args([baseline, *scenarios], replications, seed, years, set), out,
                   threads)
    return _frame(doc, "comparison")


def sweep(sweep_file: PathLike, seed: int = 1, years: Optional[int] = None,
          set: Optional[Mapping[str, Any]] = None, out: Optional[PathLike] = None,
          threads: int = 0) -> pd.DataFrame:
    """Runs a sweep file (grid, Latin hypercube, Morris or Sobol') and
    returns the region rows of ``summary.csv`` for the base and every
    variant; ``set`` sets keys of the base (hence of every variant). Pass
    ``out`` to read ``variants.csv`` or ``sensitivity.csv`` afterwards with
    :func:`read`."""
    args = ["sweep", str(sweep_file), "--seed", str(seed)]
    if years is not None:
        args += ["--years", str(years)]
    doc = _execute(args + _set_args(set), out, threads)
    return _frame(doc, "summary")


def read(out: PathLike, table: str = "summary") -> pd.DataFrame:
    """Any CSV table of a finished run's folder (``runs``, ``summary``,
    ``comparison``, ``horizon``, ``cost_effectiveness``, ``by_school_type``,
    ``timeseries``, ``variants``, ``sensitivity``) as a DataFrame, read as
    written (text cells the CSV guards against spreadsheet formulas keep
    their leading ``'``)."""
    name = table if table.endswith(".csv") else f"{table}.csv"
    return pd.read_csv(Path(out) / name, keep_default_na=False, na_values=[""])
