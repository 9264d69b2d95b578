//! A sweep run as a Slurm job array on a real single-node cluster
//! (scripts/ci/slurm-up.sh starts one) gives the bytes of a local run.
//! Ignored by a plain `cargo test` (it needs a cluster); `.ci/run` starts
//! one and runs it with `--ignored`, where a missing `sbatch` fails.

use crate::contents;
use crate::sweeps::{sweep, sweep_file};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn cluster_is_up() -> bool {
    Command::new("sinfo")
        .args(["-h", "-o", "%T"])
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("idle"))
}

#[test]
#[ignore = "needs a Slurm cluster (scripts/ci/slurm-up.sh); run with --ignored"]
fn a_sweep_on_slurm_merges_to_the_bytes_of_a_local_run() {
    crate::require_program(
        "sbatch",
        "scripts/ci/slurm-up.sh installs Slurm and starts a local cluster",
    );
    assert!(
        cluster_is_up(),
        "sbatch is on PATH but no Slurm node is idle: run scripts/ci/slurm-up.sh"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(dir.path(), 4);
    let local = dir.path().join("local");
    sweep(&file, &local, &[]);

    let cluster = dir.path().join("cluster");
    let submit = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/slurm/submit.sh");
    let out = Command::new("bash")
        .arg(&submit)
        .arg(&file)
        .arg(&cluster)
        .arg("3")
        .current_dir(dir.path())
        .env("REGIOSIM", env!("CARGO_BIN_EXE_regiosim"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "submit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let started = Instant::now();
    while !cluster.join("manifest.json").exists() {
        if started.elapsed() > Duration::from_secs(300) {
            let logs: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".log"))
                .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                .collect();
            panic!(
                "the Slurm sweep did not finish in 5 minutes; job logs:\n{}",
                logs.join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        cluster.join("shard-3/shard.json").exists(),
        "the array ran three shards"
    );
    assert_eq!(contents(&local), contents(&cluster));
}
