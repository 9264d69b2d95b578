//! One integration-test binary; files are named by behaviour.

mod analysts;
mod backtest;
mod bad_input;
mod budgets;
mod calibrate;
mod calibration;
mod care_forms;
mod checkpoint;
mod cli;
mod determinism;
mod effects;
mod engine_mmc;
mod forecast;
mod fuzz;
mod levers;
mod mechanisms;
mod model_ledger;
mod output_folder;
mod posterior_runs;
mod reading;
mod registry;
mod report;
mod routes;
mod scopes;
mod serve;
mod slurm;
mod snapshots;
mod state;
mod state_runs;
mod stationarity;
mod structures;
pub mod sweeps;
mod trends;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `regiosim` binary built for these tests.
pub fn regiosim() -> assert_cmd::Command {
    assert_cmd::Command::from_std(Command::new(env!("CARGO_BIN_EXE_regiosim")))
}

/// Panics (the test fails) unless `program` runs: the tests that need an
/// outside program are `#[ignore]`d, so `cargo test` lists them as ignored
/// where the program may be missing, and `.ci/run` runs them with
/// `--ignored` after installing the program — there a missing program is a
/// failure, never a silent pass.
pub fn require_program(program: &str, how: &str) {
    if Command::new(program).arg("--version").output().is_err() {
        panic!("{program} is not installed or not on PATH: {how}");
    }
}

/// A shipped scenario by file name.
pub fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Writes `text` as a scenario file in `dir` and returns its path.
pub fn write_scenario(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write test scenario");
    p
}

/// Every file's bytes in `dir` (not folders), sorted by name; the manifest
/// without its `created_unix` line, the one field that differs between
/// otherwise identical runs.
pub fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let mut bytes = std::fs::read(&p).unwrap();
            if name == "manifest.json" {
                let text = String::from_utf8(bytes).unwrap();
                bytes = text
                    .lines()
                    .filter(|l| !l.contains("\"created_unix\""))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into_bytes();
            }
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}
