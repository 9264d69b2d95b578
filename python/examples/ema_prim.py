"""regiosim as a model in the EMA Workbench: uncertainties and levers on
real scenario keys, a small Latin hypercube, and PRIM scenario discovery
of the runs whose second-line referrals lie above the median.

    pip install ./python ema_workbench
    cargo build --release
    python python/examples/ema_prim.py            # from the repository root

16 experiments (8 scenarios x 2 policies) on scenarios/test-region.toml,
2 replications and 2 output years each: well under two minutes. The keys
and their ranges are those of docs/SCENARIOS.md and the shipped sweeps
(scenarios/sweeps/dsav-grid.toml, drechtsteden-lhs.toml).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

import regiosim
from ema_workbench import (
    Model,
    RealParameter,
    ScalarOutcome,
    SequentialEvaluator,
    ema_logging,
    perform_experiments,
)
from ema_workbench.analysis import prim

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "test-region.toml"

# EMA name -> dotted scenario key (docs/SCENARIOS.md), with its range.
UNCERTAINTIES = {
    # School detection of level 1-2 needs is multiplied by 1 + this x DSAV
    # hours (default 0.25; dsav-grid.toml sweeps 0.1 to 0.4).
    "detection_boost": ("dsav.detection_boost_per_hour", 0.1, 0.4),
    # Yearly hazard that an unmet level-1 need rises a level (default 0.6).
    "escalation_1": ("needs.escalation_per_year[0]", 0.4, 0.8),
    # The huisarts's chance to refer a level-2 need (default 0.65;
    # drechtsteden-lhs.toml sweeps 0.3 to 0.8).
    "gp_referral_2": ("huisarts.referral_prob[1]", 0.3, 0.8),
}
LEVERS = {
    # Wijkteam staff per 1,000 students (default 1.2).
    "wijkteam_fte": ("wijkteam.fte_per_1000_students", 0.8, 1.6),
    # Share of families whose practice has a POH-jeugd (default 0).
    "poh_coverage": ("huisarts.poh_coverage", 0.0, 1.0),
    # DSAV presence per school, hours a week (default 6; DSAV switched on).
    "dsav_hours": ("dsav.hours_per_school_week", 0.0, 9.0),
}
OUTCOMES = {
    "referrals_per_1000": "second_line_referrals_per_1000",
    "wait_assessment_days": "wait_assessment_days_mean",
    "cost_total_meur": "cost_total_eur",
}


def regiosim_model(**values):
    """One experiment: the scenario with the sampled keys set, 2
    replications of 2 years; outcomes are the region's means over the
    replications in the last output year."""
    settings = {"dsav.enabled": True}
    for name, (key, _, _) in {**UNCERTAINTIES, **LEVERS}.items():
        if name in values:
            settings[key] = float(values[name])
    # One worker thread per run: EMA may run experiments in parallel.
    df = regiosim.run(SCENARIO, replications=2, years=2, seed=1, set=settings, threads=1)
    last = df[df.year == df.year.max()].set_index("metric")["mean"]
    out = {name: float(last[metric]) for name, metric in OUTCOMES.items()}
    out["cost_total_meur"] /= 1e6
    return out


def build_model() -> Model:
    model = Model("regiosim", function=regiosim_model)
    model.uncertainties = [RealParameter(n, lo, hi) for n, (_, lo, hi) in UNCERTAINTIES.items()]
    model.levers = [RealParameter(n, lo, hi) for n, (_, lo, hi) in LEVERS.items()]
    model.outcomes = [ScalarOutcome(n) for n in OUTCOMES]
    return model


def main(n_scenarios: int = 8, n_policies: int = 2, seed: int = 42):
    ema_logging.log_to_stderr(ema_logging.INFO)
    np.random.seed(seed)  # the Latin hypercube's draws
    model = build_model()
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(
            model, scenarios=n_scenarios, policies=n_policies, evaluator=evaluator
        )
    print(f"{len(experiments)} experiments")
    referrals = outcomes["referrals_per_1000"]
    high = referrals > np.median(referrals)
    print(f"second-line referrals per 1,000 students: median {np.median(referrals):.2f}, "
          f"{int(high.sum())} of {len(high)} runs above it")
    # PRIM on the sampled inputs: which combination of uncertainties and
    # levers makes referrals high?
    x = experiments[list(UNCERTAINTIES) + list(LEVERS)]
    finder = prim.Prim(x, high, threshold=0.6, peel_alpha=0.1)
    box = finder.find_box()
    print(f"box: coverage {box.coverage:.2f}, density {box.density:.2f}, mass {box.mass:.2f}")
    # The restricted dimensions of the chosen box, with their limits.
    box.inspect()
    return experiments, outcomes, box


if __name__ == "__main__":
    if "REGIOSIM_BIN" not in os.environ:
        default = ROOT / "target" / "release" / "regiosim"
        if default.exists():
            os.environ["REGIOSIM_BIN"] = str(default)
    main()
    sys.exit(0)
