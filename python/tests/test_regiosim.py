"""The wrapper against the real binary: DataFrames equal to the CSV files,
--set passed through and recorded, errors raised with the binary's text."""

import json
import math
import os
import runpy
import sys

import pandas as pd
import pytest

import regiosim


def test_run_returns_the_region_rows_of_summary_csv_exactly(tmp_path, test_region):
    out = tmp_path / "out"
    df = regiosim.run(test_region, replications=3, years=2, seed=5, out=out)
    assert list(df.columns) == [
        "scenario", "year", "area", "area_kind", "metric", "mean", "sd", "ci95_low", "ci95_high",
        "n",
    ]
    assert df.attrs["out"] == str(out)
    region = df.attrs["scenarios"][0]["region"]
    assert region == "Testregio"
    csv = regiosim.read(out, "summary")
    expected = csv[csv.area == region].reset_index(drop=True)
    pd.testing.assert_frame_equal(df, expected, check_exact=True)
    assert set(df.year) == {2025, 2026}
    # n counts the replications where the metric is defined (a share of no
    # POH trajectories, say, is undefined everywhere: n = 0, mean NaN).
    defined = df["mean"].notna()
    assert (df.n[defined] == 3).all() and (df.n[~defined] == 0).all()


def test_one_replication_gives_nan_intervals_like_the_csv(tmp_path, test_region):
    out = tmp_path / "out"
    df = regiosim.run(test_region, replications=1, years=1, out=out)
    csv = regiosim.read(out, "summary")
    expected = csv[csv.area == "Testregio"].reset_index(drop=True)
    pd.testing.assert_frame_equal(df, expected, check_exact=True)
    assert df.ci95_low.isna().all()


def test_set_changes_the_scenario_and_is_recorded_in_the_manifest(tmp_path, test_region):
    out = tmp_path / "out"
    settings = {"huisarts.poh_coverage": 0.5, "collaboration.model": "netwerk",
                "dsav.enabled": True, "needs.escalation_per_year": [0.5, 0.4, 0.2]}
    df = regiosim.run(test_region, replications=2, years=1, set=settings, out=out)
    manifest = json.loads((out / "manifest.json").read_text())
    cl = manifest["command_line"]
    assert "huisarts.poh_coverage=0.5" in cl
    assert "collaboration.model=\"netwerk\"" in cl
    assert "needs.escalation_per_year=[0.5, 0.4, 0.2]" in cl
    resolved = manifest["scenarios"][0]["resolved_toml"]
    assert "poh_coverage = 0.5" in resolved and 'model = "netwerk"' in resolved
    plain = regiosim.run(test_region, replications=2, years=1)
    assert plain.attrs["out"] is None, "a temporary folder is removed"
    key = ["scenario", "year", "metric"]
    a = df.set_index(key)["mean"]
    b = plain.set_index(key)["mean"]
    assert a.loc[("test-region", 2025, "students")] == b.loc[("test-region", 2025, "students")]
    assert not a.equals(b)


def test_a_bad_key_raises_bad_input_with_the_suggestion(test_region):
    with pytest.raises(regiosim.RegiosimError) as e:
        regiosim.run(test_region, replications=1, years=1,
                     set={"dsav.hours_per_schoolweek": 4})
    assert e.value.bad_input
    assert "did you mean `hours_per_school_week`" in str(e.value)


def test_compare_returns_paired_differences_of_the_region(tmp_path, root, test_region):
    out = tmp_path / "out"
    df = regiosim.compare(test_region, root / "scenarios" / "test-region-poh.toml",
                          replications=2, years=1, out=out)
    assert set(df.scenario) == {"test-region-poh"}
    assert set(df.baseline) == {"test-region"}
    csv = regiosim.read(out, "comparison")
    expected = csv[csv.area == "Testregio"].reset_index(drop=True)
    pd.testing.assert_frame_equal(df, expected, check_exact=True)
    with pytest.raises(ValueError):
        regiosim.compare(test_region)


def test_sweep_returns_the_base_and_every_variant(tmp_path, test_region):
    sweep_file = tmp_path / "sweep.toml"
    sweep_file.write_text(
        f'name = "t"\nbase = {json.dumps(str(test_region))}\nreplications = 2\n'
        'method = "grid"\n\n[[parameters]]\npath = "huisarts.poh_coverage"\n'
        "values = [0.2, 0.6]\n"
    )
    out = tmp_path / "out"
    df = regiosim.sweep(sweep_file, years=1, set={"wijkteam.fte_per_1000_students": 1.4},
                        out=out)
    assert sorted(set(df.scenario)) == ["t-v0001", "t-v0002", "test-region"]
    variants = regiosim.read(out, "variants")
    assert list(variants["huisarts.poh_coverage"][1:]) == [0.2, 0.6]


def test_values_become_toml_exactly():
    import numpy as np

    assert regiosim.toml_value(True) == "true"
    assert regiosim.toml_value(3) == "3"
    assert regiosim.toml_value(np.int64(3)) == "3"
    assert regiosim.toml_value(0.1) == "0.1"
    assert regiosim.toml_value(np.float64(0.30000000000000004)) == "0.30000000000000004"
    assert regiosim.toml_value('a "b"') == '"a \\"b\\""'
    assert regiosim.toml_value([1, 0.5]) == "[1, 0.5]"
    with pytest.raises(ValueError):
        regiosim.toml_value(math.inf)
    with pytest.raises(TypeError):
        regiosim.toml_value({"a": 1})


def test_the_binary_is_found_through_regiosim_bin(monkeypatch, tmp_path):
    assert os.path.samefile(regiosim.binary(), os.environ["REGIOSIM_BIN"])
    monkeypatch.setenv("REGIOSIM_BIN", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError):
        regiosim.binary()


def test_the_ema_workbench_example_runs_its_hypercube_and_prim(root, capsys):
    # Imported, never skipped: scripts/ci/python-test.sh installs it.
    import ema_workbench  # noqa: F401

    sys.path.insert(0, str(root / "python" / "examples"))
    try:
        example = runpy.run_path(str(root / "python" / "examples" / "ema_prim.py"))
    finally:
        sys.path.pop(0)
    experiments, outcomes, box = example["main"]()
    assert len(experiments) == 16
    assert set(outcomes) == {"referrals_per_1000", "wait_assessment_days", "cost_total_meur"}
    refs = outcomes["referrals_per_1000"]
    assert all(r > 0 for r in refs)
    assert len(set(refs)) > 1, "the sampled keys change the outcome"
    # The levers reach the scenario: POH coverage is sampled, not constant.
    assert experiments["poh_coverage"].nunique() == 2
    assert 0 < box.coverage <= 1 and 0 < box.density <= 1
    assert "experiments" in capsys.readouterr().out
