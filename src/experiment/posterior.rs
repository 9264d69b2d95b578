//! Runs over a calibration's posterior (`run --posterior posterior.csv`):
//! D draws from the weighted particles (multinomial resampling with the
//! run's seed), replication r running with draw r / (R / D), the same draw
//! in every scenario of the run so comparisons stay paired. With D = R
//! (the default) each replication has its own draw; with D < R each draw
//! runs R / D replications, the nested design whose spread splits the
//! variance into a parameter and a Monte Carlo part. The posterior's text
//! is kept in the manifest, so `reproduce` needs no file.

use crate::calibrate::design::{Purpose, stream};
use crate::output::manifest::ManifestPosterior;
use crate::output::read_text_cell;
use crate::scenario::{self, LoadedScenario, Problem, Scenario, ScenarioError, sha256_hex};
use std::path::Path;

/// A posterior ensemble and the scenarios of its draws.
#[derive(Debug, Clone)]
pub struct Posterior {
    pub source: ManifestPosterior,
    /// The calibrated keys, in the file's column order.
    pub keys: Vec<String>,
    /// Per particle: its values of `keys`.
    pub values: Vec<Vec<f64>>,
    /// Per draw: the particle drawn.
    pub chosen: Vec<usize>,
    /// Replications per draw (R / D).
    pub per_draw: u32,
    /// [scenario][draw]: the scenarios with the draw's values set.
    scenarios: Vec<Vec<Scenario>>,
}

fn bad(path: &Path, message: String) -> ScenarioError {
    ScenarioError::Invalid {
        file: path.to_path_buf(),
        problems: vec![Problem {
            path: "posterior".into(),
            message,
        }],
    }
}

/// The keys, weights and values of a `posterior.csv`.
pub fn parse(
    path: &Path,
    text: &str,
) -> Result<(Vec<String>, Vec<f64>, Vec<Vec<f64>>), ScenarioError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows = r.records();
    let header = match rows.next() {
        Some(Ok(h)) => h,
        _ => {
            return Err(bad(
                path,
                "is empty; give the posterior.csv of `regiosim calibrate`".into(),
            ));
        }
    };
    let cells: Vec<&str> = header.iter().map(read_text_cell).collect();
    let n = cells.len();
    if n < 4 || cells[0] != "particle" || cells[1] != "weight" || cells[n - 1] != "distance" {
        return Err(bad(
            path,
            "is not a posterior.csv of `regiosim calibrate` (columns particle, weight, the parameters, distance)".into(),
        ));
    }
    let keys: Vec<String> = cells[2..n - 1].iter().map(|s| s.to_string()).collect();
    let (mut weights, mut values) = (Vec::new(), Vec::new());
    for (i, row) in rows.enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| bad(path, format!("line {line}: {e}")))?;
        if row.len() != n {
            return Err(bad(
                path,
                format!("line {line} has {} cells, the header {n}", row.len()),
            ));
        }
        let num = |j: usize| -> Result<f64, ScenarioError> {
            row[j]
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    bad(
                        path,
                        format!("line {line}: `{}` is not a finite number", &row[j]),
                    )
                })
        };
        let w = num(1)?;
        if w < 0.0 {
            return Err(bad(path, format!("line {line}: weight {w} is negative")));
        }
        weights.push(w);
        values.push((2..n - 1).map(num).collect::<Result<Vec<_>, _>>()?);
    }
    if weights.iter().sum::<f64>() <= 0.0 {
        return Err(bad(path, "has no particle with a positive weight".into()));
    }
    Ok((keys, weights, values))
}

/// `draws` particles drawn with replacement by weight.
fn resample(weights: &[f64], draws: u32, seed: u64) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    let mut rng = stream(seed, Purpose::PosteriorDraws, 0);
    (0..draws)
        .map(|_| {
            let u = rng.uniform() * total;
            let mut cum = 0.0;
            for (i, w) in weights.iter().enumerate() {
                cum += w;
                if u < cum {
                    return i;
                }
            }
            weights.len() - 1
        })
        .collect()
}

impl Posterior {
    /// Reads the posterior at `path` for `replications` in `draws` draws.
    pub fn load(
        path: &Path,
        draws: Option<u32>,
        replications: u32,
        seed: u64,
        scenarios: &[LoadedScenario],
    ) -> Result<Posterior, ScenarioError> {
        let text = scenario::read_source(path, "posterior file")?;
        let draws = draws.unwrap_or(replications);
        if draws == 0 || !replications.is_multiple_of(draws) {
            return Err(bad(
                path,
                format!(
                    "--posterior-draws {draws} must divide --replications {replications} (each draw runs replications / draws replications)"
                ),
            ));
        }
        let source = ManifestPosterior {
            path: path.display().to_string(),
            sha256: sha256_hex(text.as_bytes()),
            draws,
            text,
        };
        Posterior::from_source(source, replications, seed, scenarios)
    }

    /// Rebuilds the draws from a manifest's record.
    pub fn from_source(
        source: ManifestPosterior,
        replications: u32,
        seed: u64,
        scenarios: &[LoadedScenario],
    ) -> Result<Posterior, ScenarioError> {
        let path = Path::new(&source.path).to_path_buf();
        let (keys, weights, values) = parse(&path, &source.text)?;
        let chosen = resample(&weights, source.draws, seed);
        let mut built = Vec::new();
        for l in scenarios {
            let table: toml::Table = l.resolved_toml.parse().unwrap_or_default();
            let file = l.sources.first().map_or(path.clone(), |s| s.path.clone());
            let mut per = Vec::new();
            for (d, &p) in chosen.iter().enumerate() {
                let overrides: Vec<(String, toml::Value)> = keys
                    .iter()
                    .zip(&values[p])
                    .map(|(k, &x)| (k.clone(), toml::Value::Float(x)))
                    .collect();
                let s =
                    scenario::with_overrides(&file, table.clone(), l.sources.clone(), &overrides)
                        .map_err(|e| match e {
                        ScenarioError::Invalid { file, problems } => ScenarioError::Invalid {
                            file,
                            problems: problems
                                .into_iter()
                                .map(|q| Problem {
                                    path: format!("posterior draw {d} (particle {p}): {}", q.path),
                                    message: q.message,
                                })
                                .collect(),
                        },
                        other => other,
                    })?;
                per.push(s.scenario);
            }
            built.push(per);
        }
        Ok(Posterior {
            per_draw: replications / source.draws.max(1),
            source,
            keys,
            values,
            chosen,
            scenarios: built,
        })
    }

    /// The draw replication `r` runs with.
    pub fn draw_of(&self, r: u32) -> usize {
        (r / self.per_draw.max(1)) as usize
    }

    /// The scenario `s` with the draw of replication `r`.
    pub fn scenario(&self, s: usize, r: u32) -> &Scenario {
        &self.scenarios[s][self.draw_of(r)]
    }

    /// `posterior_draws.csv`: per replication its draw, particle and values.
    pub fn draws_csv(&self, replications: u32) -> Vec<u8> {
        let mut w = crate::output::tables::writer();
        let mut header = vec!["replication".to_string(), "draw".into(), "particle".into()];
        header.extend(
            self.keys
                .iter()
                .map(|k| crate::output::text_cell(k).into_owned()),
        );
        let _ = w.write_record(&header);
        for r in 0..replications {
            let d = self.draw_of(r);
            let p = self.chosen[d];
            let mut row = vec![r.to_string(), d.to_string(), p.to_string()];
            row.extend(self.values[p].iter().map(|&x| crate::output::fmt_num(x)));
            let _ = w.write_record(&row);
        }
        crate::output::tables::finish(w)
    }
}
