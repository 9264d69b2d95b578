"""The tests run the binary named by REGIOSIM_BIN, or target/release/regiosim
of this repository (scripts/ci/python-test.sh sets it)."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config):
    if "REGIOSIM_BIN" not in os.environ:
        default = ROOT / "target" / "release" / "regiosim"
        if not default.exists():
            raise pytest.UsageError(
                f"{default} is missing: run `cargo build --release`, or set REGIOSIM_BIN"
            )
        os.environ["REGIOSIM_BIN"] = str(default)


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def test_region(root) -> Path:
    return root / "scenarios" / "test-region.toml"
