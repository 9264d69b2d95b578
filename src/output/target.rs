//! Writing a file the user named on the command line (`report -o PATH`)
//! without destroying what PATH is: `-` is standard output; a character
//! device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written
//! straight through; a symbolic link keeps being a link and its target is
//! replaced atomically; a regular file, or a new one, is replaced
//! atomically ([`atomic_write`]).

use super::atomic_write;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Symbolic links followed before giving up (Linux's own limit).
const MAX_LINKS: usize = 40;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// The user named something that cannot take the output (exit 2).
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    /// Writing failed (a full disk, `/dev/full`, no permission).
    #[error("cannot write {path}: {error}")]
    Io { path: String, error: std::io::Error },
}

impl TargetError {
    /// True when the path given was at fault, not the writing.
    pub fn is_input(&self) -> bool {
        matches!(self, TargetError::Input { .. })
    }
}

fn input(path: &Path, message: impl Into<String>) -> TargetError {
    TargetError::Input {
        path: path.display().to_string(),
        message: message.into(),
    }
}

fn io(path: &Path, error: std::io::Error) -> TargetError {
    TargetError::Io {
        path: path.display().to_string(),
        error,
    }
}

/// True for `-`, the name of standard output.
pub fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

/// Writes `bytes` to `path` (see the module documentation).
pub fn write_target(path: &Path, bytes: &[u8]) -> Result<(), TargetError> {
    if is_stdout(path) {
        return write_stdout(bytes);
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(input(
            path,
            "is a folder; give a file name (or - for standard output)",
        )),
        Ok(m) if m.is_file() => match resolve(path)? {
            // A link through /proc (`/dev/stdout` redirected to a file):
            // its target is an open file of this process, not a name.
            Resolved::Magic => write_through(path, bytes),
            Resolved::Path(real) => atomic_write(&real, bytes).map_err(|e| io(path, e)),
        },
        Ok(m) => {
            use std::os::unix::fs::FileTypeExt;
            let t = m.file_type();
            if t.is_char_device() || t.is_fifo() {
                write_through(path, bytes)
            } else {
                Err(input(
                    path,
                    "is neither a file, a character device nor a pipe; give a file name (or - for standard output)",
                ))
            }
        }
        Err(e) => {
            // A link loop is reported here, with its own message.
            let real = match resolve(path)? {
                Resolved::Path(real) => real,
                Resolved::Magic => path.to_path_buf(),
            };
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(io(path, e));
            }
            // Nothing there yet, or a link to something not there yet.
            let dir = real.parent().filter(|d| !d.as_os_str().is_empty());
            if let Some(dir) = dir
                && !dir.is_dir()
            {
                return Err(input(
                    path,
                    format!(
                        "the folder {} does not exist; create it first",
                        dir.display()
                    ),
                ));
            }
            atomic_write(&real, bytes).map_err(|e| io(path, e))
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), TargetError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`regiosim report DIR -o - | head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(TargetError::Io {
            path: "standard output".into(),
            error: e,
        }),
        _ => Ok(()),
    }
}

/// Writes into what is already there, without a temporary file: the
/// only way to write to a device or a pipe. Appends, so that a
/// `/dev/stdout` redirected with `>>` keeps what the file had.
fn write_through(path: &Path, bytes: &[u8]) -> Result<(), TargetError> {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| io(path, e))?;
    f.write_all(bytes)
        .and_then(|()| f.flush())
        .map_err(|e| io(path, e))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// The path with every symbolic link followed.
    Path(PathBuf),
    /// A link in /proc: its target is not a name that can be replaced.
    Magic,
}

/// Follows the symbolic links of `path` itself (a link to a link, a link
/// that is relative to its own folder, a link to a file not there yet).
pub fn resolve(path: &Path) -> Result<Resolved, TargetError> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p).map_err(|e| io(path, e))?;
                let dir = match p.parent().filter(|d| !d.as_os_str().is_empty()) {
                    Some(d) => std::fs::canonicalize(d).map_err(|e| io(path, e))?,
                    None => std::env::current_dir().map_err(|e| io(path, e))?,
                };
                if dir.starts_with("/proc") {
                    return Ok(Resolved::Magic);
                }
                p = dir.join(target);
            }
            _ => return Ok(Resolved::Path(p)),
        }
    }
    Err(input(path, "too many levels of symbolic links"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_relative_to_their_own_folder() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::os::unix::fs::symlink("real.html", sub.join("a")).unwrap();
        std::os::unix::fs::symlink("sub/a", dir.path().join("b")).unwrap();
        let real = std::fs::canonicalize(&sub).unwrap().join("real.html");
        assert_eq!(
            resolve(&dir.path().join("b")).unwrap(),
            Resolved::Path(real.clone())
        );
        // A link to a file not there yet creates the file, keeps the link.
        write_target(&dir.path().join("b"), b"one").unwrap();
        assert_eq!(std::fs::read(&real).unwrap(), b"one");
        assert!(
            std::fs::symlink_metadata(dir.path().join("b"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_link_loop_or_a_folder_is_an_input_error() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        let e = write_target(&dir.path().join("loop"), b"x").unwrap_err();
        assert!(e.is_input(), "{e}");
        let e = write_target(dir.path(), b"x").unwrap_err();
        assert!(e.is_input() && e.to_string().contains("is a folder"), "{e}");
        let e = write_target(&dir.path().join("no/such/r.html"), b"x").unwrap_err();
        assert!(
            e.is_input() && e.to_string().contains("does not exist"),
            "{e}"
        );
    }
}
