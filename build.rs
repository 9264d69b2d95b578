//! Records the git commit of the build for the manifest and `--version`,
//! when known.
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

fn main() {
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_default();
    println!("cargo:rustc-env=REGIOSIM_GIT_COMMIT={commit}");
    let version = env!("CARGO_PKG_VERSION");
    let text = if commit.is_empty() {
        format!("{version} (commit unknown)")
    } else {
        format!("{version} (commit {})", &commit[..commit.len().min(12)])
    };
    println!("cargo:rustc-env=REGIOSIM_VERSION={text}");
    // Rebuild when HEAD moves; in a git worktree `.git` is a file, so ask
    // git where HEAD and the branch refs are.
    for p in ["HEAD", "refs/heads", "packed-refs"] {
        let path = git(&["rev-parse", "--git-path", p]).unwrap_or_else(|| format!(".git/{p}"));
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
