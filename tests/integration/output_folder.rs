//! One output folder, one owner: a second writer is refused while the first
//! holds the folder, saved runs of another experiment never mix into a
//! resumed one, a finished run is replaced only with --force, and a new run
//! or merge leaves no output of the old one behind.

use crate::{contents, scenario};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

/// `regiosim run` on the test region (and the POH variant when `two`).
fn run_cmd(out: &Path, seed: &str, replications: &str, two: bool) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regiosim"));
    c.arg("run").arg(scenario("test-region.toml"));
    if two {
        c.arg(scenario("test-region-poh.toml"));
    }
    c.args([
        "--replications",
        replications,
        "--years",
        "2",
        "--seed",
        seed,
        "--quiet",
        "--out",
    ])
    .arg(out);
    c
}

fn output(mut c: Command) -> Output {
    c.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn succeeds(c: Command) {
    let o = output(c);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn fails_with_2(c: Command) -> String {
    let o = output(c);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    stderr(&o)
}

/// A long run into `out`, once it holds the folder's lock.
fn holder(out: &Path) -> Child {
    let mut c = run_cmd(out, "1", "2000", false);
    c.args(["--threads", "1"]);
    let mut child = c.spawn().unwrap();
    let lock = out.join(".regiosim.lock");
    let started = Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains("command")) {
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        assert!(started.elapsed() < Duration::from_secs(60), "no lock taken");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

/// The part files in `dir/parts`.
fn part_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("parts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "part"))
        .collect();
    v.sort();
    v
}

/// The name of a part without its fingerprint prefix: `sSSSSS-rRRRRR`.
fn unit(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy()[..13].to_string()
}

fn merge_cmd(out: &Path, shards: &[PathBuf]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regiosim"));
    c.arg("merge").arg("--out").arg(out).args(shards);
    c
}

#[test]
fn a_second_writer_into_a_folder_in_use_is_refused_and_told_who_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let shards: Vec<PathBuf> = (1..=2)
        .map(|k| {
            let d = dir.path().join(format!("shard{k}"));
            let mut c = run_cmd(&d, "1", "2", false);
            c.args(["--shard", &format!("{k}/2")]);
            succeeds(c);
            d
        })
        .collect();
    let out = dir.path().join("busy");
    let mut first = holder(&out);
    let pid = format!("pid {}", first.id());

    let second = fails_with_2(run_cmd(&out, "2", "2", false));
    let merge = fails_with_2(merge_cmd(&out, &shards));
    let sweep = fails_with_2({
        let mut c = Command::new(env!("CARGO_BIN_EXE_regiosim"));
        let file = crate::sweeps::sweep_file(dir.path(), 2);
        c.arg("sweep")
            .arg(file)
            .arg("--resume")
            .arg("--out")
            .arg(&out);
        c
    });
    for err in [&second, &merge, &sweep] {
        assert!(
            err.contains("is in use by another regiosim process")
                && err.contains(&pid)
                && err.contains("--replications 2000")
                && err.contains("wait until it ends, or choose another --out"),
            "{err}"
        );
    }
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first run goes on undisturbed"
    );
    first.kill().unwrap(); // SIGKILL: the OS releases the lock.
    first.wait().unwrap();
    assert!(!out.join("manifest.json").exists());
    // The lock died with its owner: the folder is usable again.
    let mut c = run_cmd(&out, "1", "2", false);
    c.arg("--force");
    succeeds(c);
    assert!(!out.join(".regiosim.lock").exists(), "removed on exit");
}

#[test]
fn saved_runs_of_another_seed_never_mix_into_a_resumed_run() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean");
    succeeds(run_cmd(&clean, "1", "4", true));

    // Saved runs as a killed run leaves them: half of seed 1 (shard 2/2),
    // and the other half of seed 2 (shard 1/2) under seed 1's names, as
    // two writers sharing a folder left them before parts named their run.
    let (s1, s2) = (dir.path().join("s1"), dir.path().join("s2"));
    let mut c = run_cmd(&s1, "1", "4", true);
    c.args(["--shard", "2/2"]);
    succeeds(c);
    let mut c = run_cmd(&s2, "2", "4", true);
    c.args(["--shard", "1/2"]);
    succeeds(c);
    let mine = part_files(&s1);
    let prefix = mine[0].file_name().unwrap().to_string_lossy()[13..].to_string();
    let mixed = dir.path().join("mixed");
    std::fs::create_dir_all(mixed.join("parts")).unwrap();
    for p in &mine {
        std::fs::copy(p, mixed.join("parts").join(p.file_name().unwrap())).unwrap();
    }
    let theirs = part_files(&s2);
    assert_eq!(mine.len() + theirs.len(), 8);
    for p in &theirs {
        let name = format!("{}{prefix}", unit(p));
        std::fs::copy(p, mixed.join("parts").join(name)).unwrap();
    }

    // Only seed 2's runs: --resume with seed 1 is refused.
    let only_theirs = dir.path().join("only-theirs");
    std::fs::create_dir_all(only_theirs.join("parts")).unwrap();
    for p in &theirs {
        std::fs::copy(p, only_theirs.join("parts").join(p.file_name().unwrap())).unwrap();
    }
    let mut c = run_cmd(&only_theirs, "1", "4", true);
    c.arg("--resume");
    let err = fails_with_2(c);
    assert!(
        err.contains("saved runs of another run")
            && err.contains("--resume needs the same command"),
        "{err}"
    );

    // Mixed: seed 2's runs are ignored and run again with seed 1.
    let mut c = run_cmd(&mixed, "1", "4", true);
    c.arg("--resume");
    let o = output(c);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("are ignored"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(mixed.join("runs.csv")).unwrap(),
        std::fs::read(clean.join("runs.csv")).unwrap(),
        "runs.csv holds seed 1's replications only"
    );
    assert_eq!(contents(&clean), contents(&mixed));
}

#[test]
fn a_finished_run_is_replaced_only_with_force_and_leaves_no_stale_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    succeeds(run_cmd(&out, "1", "2", true));
    assert!(out.join("comparison.csv").exists());
    let before = contents(&out);

    let err = fails_with_2(run_cmd(&out, "1", "2", false));
    assert!(
        err.contains("holds a finished run (`regiosim run ")
            && err.contains("add --force to replace it, or choose another --out"),
        "{err}"
    );
    let mut c = run_cmd(&out, "1", "2", true);
    c.arg("--resume");
    let err = fails_with_2(c);
    assert!(
        err.contains("holds a finished run") && err.contains("nothing to resume"),
        "{err}"
    );
    assert_eq!(contents(&out), before, "a refused run changes nothing");

    // With --force: a one-scenario run, without the old comparison tables.
    std::fs::write(out.join("variants.csv"), "stale").unwrap();
    std::fs::write(out.join("shard.json"), "stale").unwrap();
    let mut c = run_cmd(&out, "1", "2", false);
    c.arg("--force");
    succeeds(c);
    let fresh = dir.path().join("fresh");
    succeeds(run_cmd(&fresh, "1", "2", false));
    assert_eq!(contents(&out), contents(&fresh));
}

#[test]
fn a_merge_into_a_finished_run_leaves_no_stale_outputs_even_when_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    succeeds(run_cmd(&single, "3", "2", false));
    let shards: Vec<PathBuf> = (1..=2)
        .map(|k| {
            let d = dir.path().join(format!("shard{k}"));
            let mut c = run_cmd(&d, "3", "2", false);
            c.args(["--shard", &format!("{k}/2")]);
            succeeds(c);
            d
        })
        .collect();
    // The folder holds another finished run, with the tables of a sweep.
    let out = dir.path().join("out");
    succeeds(run_cmd(&out, "1", "2", true));
    for stale in ["variants.csv", "sensitivity.csv", "shard.json"] {
        std::fs::write(out.join(stale), "stale").unwrap();
    }

    // A merge cut short (summary.csv cannot be written) leaves no manifest
    // that would describe the new tables as the old run.
    std::fs::remove_file(out.join("summary.csv")).unwrap();
    std::fs::create_dir(out.join("summary.csv")).unwrap();
    let o = output(merge_cmd(&out, &shards));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("summary.csv"), "the path is named: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    let os = lines[0].rsplit(": ").next().unwrap();
    assert_eq!(err.matches(os).count(), 1, "the OS error once: {err}");
    assert!(!out.join("manifest.json").exists());
    assert!(!out.join("comparison.csv").exists());

    std::fs::remove_dir(out.join("summary.csv")).unwrap();
    succeeds(merge_cmd(&out, &shards));
    assert_eq!(contents(&single), contents(&out));
}
