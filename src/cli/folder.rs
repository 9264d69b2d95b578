//! Owning an output folder: one process at a time writes to it (an
//! advisory lock on `DIR/.regiosim.lock`, released by the OS when the
//! process ends, however it ends), a finished run in it is recognised, and
//! the outputs a new run will not write are removed, the manifest first.

use super::InputError;
use crate::experiment::Table;
use crate::output::is_temp_name;
use crate::output::manifest::Manifest;
use anyhow::Context;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file in an output folder.
pub const LOCK: &str = ".regiosim.lock";
/// Written last by a complete run or merge: the folder holds a finished run.
pub const MANIFEST: &str = "manifest.json";
/// Written last by a shard: the folder holds a finished shard.
pub const SHARD: &str = "shard.json";

/// The lock on an output folder; dropping it removes the lock file and
/// releases the lock.
pub struct FolderLock {
    path: PathBuf,
    file: Option<File>,
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // Removed while still locked: whoever opened it meanwhile sees
            // that its file is no longer the folder's lock and opens anew.
            let _ = std::fs::remove_file(&self.path);
            drop(file);
        }
    }
}

/// Takes the lock on `dir` (created if needed) for this process, or fails
/// with an input error naming the process that holds it.
pub fn lock(dir: &Path) -> anyhow::Result<FolderLock> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    let path = dir.join(LOCK);
    // A few tries: the owner may remove the file between our open and lock.
    for _ in 0..10 {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                let owner = std::fs::read_to_string(&path).unwrap_or_default();
                return Err(InputError(format!(
                    "{} is in use by another regiosim process ({}); wait until it ends, or choose another --out",
                    dir.display(),
                    describe_owner(&owner)
                ))
                .into());
            }
            Err(fs4::TryLockError::Error(e)) => {
                eprintln!(
                    "warning: cannot lock {} ({e}); this file system may not support file locks: make sure no other regiosim process writes to {}",
                    path.display(),
                    dir.display()
                );
                return Ok(FolderLock { path, file: None });
            }
        }
        if !is_same_file(&file, &path) {
            continue;
        }
        let mut held = FolderLock {
            path,
            file: Some(file),
        };
        write_owner(&mut held)?;
        return Ok(held);
    }
    Err(anyhow::anyhow!(
        "cannot take the lock {}: it keeps being replaced",
        path.display()
    ))
}

fn write_owner(lock: &mut FolderLock) -> anyhow::Result<()> {
    let Some(file) = lock.file.as_mut() else {
        return Ok(());
    };
    let command: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let text = format!(
        "pid {}\nhost {}\ncommand {}\n",
        std::process::id(),
        host_name(),
        command.join(" ")
    );
    file.set_len(0)
        .and_then(|()| file.write_all(text.as_bytes()))
        .with_context(|| format!("cannot write the lock file {}", lock.path.display()))
}

/// "pid P on HOST: `COMMAND`" from a lock file's text.
fn describe_owner(text: &str) -> String {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    match (field("pid"), field("host"), field("command")) {
        (Some(pid), host, command) => format!(
            "pid {pid} on {}{}",
            host.unwrap_or("an unknown host"),
            command.map(|c| format!(": `{c}`")).unwrap_or_default()
        ),
        _ => "it is just starting".to_string(),
    }
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "an unknown host".to_string())
}

/// Whether the locked `file` is still the one at `path` (the previous
/// owner removes the file when it ends).
#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

/// If `dir` holds a finished run: how it was made, for a message.
pub fn finished_run(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    Some(match serde_json::from_str::<Manifest>(&text) {
        Ok(m) => format!("`regiosim {}`", m.command_line.join(" ")),
        Err(_) => format!("its {MANIFEST}"),
    })
}

/// Every file name a run, sweep, shard or merge writes in its output folder.
fn outputs() -> impl Iterator<Item = &'static str> {
    [MANIFEST, SHARD]
        .into_iter()
        .chain(Table::ALL.into_iter().map(Table::file_name))
        .chain([super::export::WORKBOOK])
}

/// Readies `dir` for a run that writes the tables `keep`: removes the
/// manifest and the shard description first (so the folder never looks
/// finished while it is not), then every other output not in `keep`, and
/// the temporary files of killed writers.
pub fn clear_outputs(dir: &Path, keep: &[&str]) -> anyhow::Result<()> {
    for name in outputs().filter(|n| !keep.contains(n)) {
        remove_if_present(&dir.join(name))?;
    }
    remove_temporaries(dir)
}

/// Removes what [`crate::output::atomic_write`] left half-written in `dir`
/// when its writer was killed.
pub fn remove_temporaries(dir: &Path) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        if is_temp_name(&e.file_name().to_string_lossy()) {
            remove_if_present(&e.path())?;
        }
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_a_folder_is_refused_and_names_the_owner() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = lock(&out).unwrap();
        let err = lock(&out).err().expect("the folder is locked");
        let text = format!("{err:#}");
        assert!(super::super::is_input_error(&err), "{text}");
        assert!(
            text.contains(&format!("pid {}", std::process::id()))
                && text.contains("wait until it ends, or choose another --out"),
            "{text}"
        );
        drop(first);
        assert!(!out.join(LOCK).exists(), "the lock file is removed");
        let again = lock(&out).expect("free again once the owner is gone");
        drop(again);
    }

    #[test]
    fn clearing_removes_the_manifest_and_every_output_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let all: Vec<&str> = outputs().collect();
        for name in all.iter().chain(&["notes.txt", ".runs.csv.12.0.tmp"]) {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        clear_outputs(dir.path(), &["runs.csv", "summary.csv"]).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["notes.txt", "runs.csv", "summary.csv"]);
    }

    #[test]
    fn the_owner_of_a_lock_is_described_from_its_file() {
        assert_eq!(
            describe_owner("pid 12\nhost node3\ncommand regiosim run a.toml\n"),
            "pid 12 on node3: `regiosim run a.toml`"
        );
        assert_eq!(describe_owner(""), "it is just starting");
    }
}
