//! Writing files safely and formatting numbers identically everywhere.

use std::io::Write;
use std::path::Path;

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
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
    }
    std::fs::rename(&tmp, path)
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
