//! Writing files safely and formatting numbers identically everywhere.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` through a temporary file in the same folder
/// and a rename, so no half-written file ever carries the final name; the
/// data reach the disk before the rename (fsync), so a crash of the whole
/// machine leaves the old file or the new one.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_renamed(path, bytes, true)
}

/// As [`atomic_write`], without waiting for the disk: a killed process
/// still leaves the old file or the new one, but after a crash of the
/// machine the file may be empty or cut short. Only for files that carry
/// their own checksum and are redone when it fails (the parts of a run);
/// one fsync per part serialised the workers of a sweep on slow disks.
pub fn atomic_write_unsynced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_renamed(path, bytes, false)
}

fn write_renamed(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(temp_name(&name));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        if sync { f.sync_all() } else { Ok(()) }
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}

/// A temporary name for `name` that no other process and no other write of
/// this process uses at the same time (pid and a counter), so two writers
/// never share a temporary file.
fn temp_name(name: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.{}.{n}.tmp", std::process::id())
}

/// True for a name [`atomic_write`] uses for its temporary files: what a
/// killed writer leaves behind.
pub fn is_temp_name(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let mut tail = inner.rsplitn(3, '.');
    let numbers = [tail.next(), tail.next()];
    let base = tail.next();
    base.is_some_and(|b| !b.is_empty())
        && numbers
            .iter()
            .all(|n| n.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
}

/// A number as written in every CSV: the shortest text that reads back to
/// the same f64 (platform-independent); NaN (undefined) as an empty cell.
pub fn fmt_num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_writes_never_share_a_temporary_name() {
        let (a, b) = (temp_name("runs.csv"), temp_name("runs.csv"));
        assert_ne!(a, b);
        assert!(a.contains(&std::process::id().to_string()), "{a}");
        assert!(is_temp_name(&a) && is_temp_name(&b));
        for other in [
            "runs.csv",
            ".runs.csv",
            ".regiosim.lock",
            ".runs.csv.tmp",
            ".x.1.tmp",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.csv");
        atomic_write(&path, b"old").unwrap();
        atomic_write_unsynced(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["runs.csv"]);
    }
}
