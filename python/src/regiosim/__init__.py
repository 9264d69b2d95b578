"""regiosim from Python: run scenarios, sweeps and comparisons with the
``regiosim`` binary and get the results as pandas DataFrames.

A thin wrapper around the binary (see python/README.md for why): each call
runs ``regiosim run|sweep --json`` in a subprocess and reads the JSON
summary it prints, so the numbers are the binary's own, bit for bit the
ones in its CSV files.

>>> import regiosim
>>> df = regiosim.run("scenarios/test-region.toml", replications=2, years=2,
...                   set={"huisarts.poh_coverage": 0.5})
>>> df[df.metric == "second_line_referrals_per_1000"][["year", "mean", "ci95_low", "ci95_high"]]
"""

from ._core import (
    RegiosimError,
    binary,
    compare,
    read,
    run,
    summary,
    sweep,
    toml_value,
)

__all__ = [
    "RegiosimError",
    "binary",
    "compare",
    "read",
    "run",
    "summary",
    "sweep",
    "toml_value",
]
__version__ = "0.4.0"
