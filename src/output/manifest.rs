//! `manifest.json`: everything needed to reproduce a run — version, git
//! commit, each scenario's files with their sha256 and the fully resolved
//! scenario text, seed, replications and the command line. Written last.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub regiosim_version: String,
    /// Empty when the build did not know its commit.
    pub git_commit: String,
    /// The subcommand and arguments that determine the results. Execution
    /// options that never change them (--threads, --out, --quiet) are left
    /// out, so that runs with different thread counts have equal manifests.
    pub command_line: Vec<String>,
    pub seed: u64,
    pub replications: u32,
    pub scenarios: Vec<ManifestScenario>,
    /// For a sweep: the sweep file; `scenarios` then holds the base first
    /// and every variant after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<ManifestSweep>,
    /// For a run over a posterior (`run --posterior`): the posterior file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior: Option<ManifestPosterior>,
    /// Output files and their sha256, in writing order.
    pub outputs: Vec<ManifestFile>,
    /// Seconds since 1970 when the manifest was written: the one field
    /// that differs between otherwise identical runs.
    pub created_unix: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestScenario {
    pub name: String,
    pub path: String,
    pub files: Vec<ManifestFile>,
    pub resolved_sha256: String,
    pub resolved_toml: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestSweep {
    pub path: String,
    pub sha256: String,
    pub text: String,
}

/// The posterior of a run over one: its file and text, and the number of
/// draws (replications / draws per draw).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestPosterior {
    pub path: String,
    pub sha256: String,
    pub draws: u32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
}

impl Manifest {
    pub fn to_json(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s.into_bytes()
    }
}

/// The build's git commit, if it was known at build time.
pub fn git_commit() -> String {
    env!("REGIOSIM_GIT_COMMIT").to_string()
}

pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
