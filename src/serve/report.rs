//! "Maak rapport": the report of `regiosim report` for the current view.
//! The baseline and the variant, with their cached replications, are
//! written as a finished run (tables and manifest, as `regiosim run`
//! writes them) into a temporary folder, read back by `report::load` and
//! rendered; the folder is removed again.

use super::variant::{self, Baseline, Variant};
use crate::experiment::Experiment;
use crate::output::manifest::ManifestFile;
use crate::output::tables::RunRows;
use crate::report::{self, text::Lang};
use crate::scenario::sha256_hex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir() -> std::io::Result<TempDir> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "regiosim-serve-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir(&dir)?;
    Ok(TempDir(dir))
}

/// The report's HTML, from the replications of both scenarios (all of
/// `replications` must be there).
pub fn html(
    base: &Baseline,
    v: &Variant,
    runs: [BTreeMap<u32, Arc<RunRows>>; 2],
    replications: u32,
    seed: u64,
    lang: Lang,
) -> anyhow::Result<String> {
    let variant_path = base
        .path
        .parent()
        .unwrap_or(Path::new(""))
        .join(variant::file_name(base));
    let exp = Experiment {
        scenarios: vec![base.loaded.clone(), v.loaded.clone()],
        replications,
        seed,
        command_line: vec![
            "run".into(),
            base.path.display().to_string(),
            variant_path.display().to_string(),
            "--replications".into(),
            replications.to_string(),
            "--seed".into(),
            seed.to_string(),
            "--years".into(),
            base.loaded.scenario.simulation.years.to_string(),
        ],
        sweep: None,
        posterior: None,
        start: None,
        states: Vec::new(),
    };
    let rows: BTreeMap<(usize, u32), RunRows> = runs
        .iter()
        .enumerate()
        .flat_map(|(s, m)| m.iter().map(move |(r, rows)| ((s, *r), (**rows).clone())))
        .collect();
    let results = exp
        .assemble(rows)
        .ok_or_else(|| anyhow::anyhow!("the view's replications are not all computed yet"))?;
    let dir = temp_dir()?;
    let mut outputs = Vec::new();
    for (name, bytes) in exp.tables(&results) {
        std::fs::write(dir.0.join(name), &bytes)?;
        outputs.push(ManifestFile {
            path: name.to_string(),
            sha256: sha256_hex(&bytes),
        });
    }
    std::fs::write(dir.0.join("manifest.json"), exp.manifest(outputs).to_json())?;
    let data = report::load(&dir.0)?;
    Ok(report::html(&data, lang))
}
