//! `regiosim run ... --structures FILE`: structural alternatives run side
//! by side. A structures file names model variants that no data choose
//! between (detection-induced demand on or off, waits that do or do not
//! drive escalation), each a set of scenario keys. The whole run — every
//! scenario, replication, posterior draw — is repeated under each, into
//! DIR/NAME/ (an ordinary run folder: its manifest records the keys as
//! `--set`, so `reproduce`, `report` and `export` work on it), and
//! DIR/structures.csv stacks their whole-horizon effects with a
//! `structure` column (and, over a posterior, the probabilities of a
//! reduction and of an increase).

use super::InputError;
use super::run::RunArgs;
use super::set::Setting;
use crate::output::atomic_write;
use crate::scenario::{self, path_segments};
use anyhow::Context;
use std::collections::BTreeMap;
use std::path::Path;

/// What the file's `[[structure]]` entries say.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    pub name: String,
    pub description: String,
    pub set: Vec<Setting>,
}

/// The most structures one file may name.
const MAX_STRUCTURES: usize = 32;

fn bad(file: &Path, message: String) -> anyhow::Error {
    InputError(format!("{}: {message}", file.display())).into()
}

/// A structure's name is a folder name: lower-case letters, digits and
/// `-`, starting with a letter or digit, at most 64 characters.
fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 64
        && n.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !n.starts_with('-')
}

/// Reads and checks a structures file (every problem is exit 2).
pub fn load(file: &Path) -> anyhow::Result<Vec<Structure>> {
    let text = scenario::read_source(file, "structures file")?;
    let doc: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| bad(file, format!("is not valid TOML: {}", e.message())))?;
    for k in doc.keys() {
        if !["name", "description", "structure"].contains(&k.as_str()) {
            return Err(bad(
                file,
                format!(
                    "unknown key `{k}`; a structures file has `name`, `description` and `[[structure]]` entries"
                ),
            ));
        }
    }
    let Some(toml::Value::Array(entries)) = doc.get("structure") else {
        return Err(bad(
            file,
            "names no structure; add `[[structure]]` entries, each with a `name` and a `set` table of scenario keys (scenarios/structures/dsav.toml is an example)".into(),
        ));
    };
    if entries.len() > MAX_STRUCTURES {
        return Err(bad(
            file,
            format!(
                "names {} structures; at most {MAX_STRUCTURES}",
                entries.len()
            ),
        ));
    }
    let mut out: Vec<Structure> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let at = format!("structure {}", i + 1);
        let Some(t) = e.as_table() else {
            return Err(bad(
                file,
                format!("{at} is not a table; write it as `[[structure]]`"),
            ));
        };
        for k in t.keys() {
            if !["name", "description", "set"].contains(&k.as_str()) {
                return Err(bad(
                    file,
                    format!(
                        "{at}: unknown key `{k}`; a structure has `name`, `description` and `set`"
                    ),
                ));
            }
        }
        let name = match t.get("name").and_then(|v| v.as_str()) {
            Some(n) if valid_name(n) => n.to_string(),
            Some(n) => {
                return Err(bad(
                    file,
                    format!(
                        "{at}: name `{n}` is not a folder name; use lower-case letters, digits and `-` (for example `no-induced-demand`)"
                    ),
                ));
            }
            None => return Err(bad(file, format!("{at} has no `name` (a string)"))),
        };
        if out.iter().any(|s| s.name == name) {
            return Err(bad(
                file,
                format!("{at}: the name `{name}` is used twice; give each structure its own"),
            ));
        }
        let description = t
            .get("description")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let mut set = Vec::new();
        match t.get("set") {
            None => {}
            Some(toml::Value::Table(keys)) => {
                for (key, value) in keys {
                    path_segments(key)
                        .map_err(|m| bad(file, format!("{at} ({name}): set key `{key}`: {m}")))?;
                    set.push(Setting {
                        key: key.clone(),
                        value: value.clone(),
                        text: format!("{key}={value}"),
                    });
                }
            }
            Some(_) => {
                return Err(bad(
                    file,
                    format!(
                        "{at} ({name}): `set` must be a table of scenario keys, for example set = {{ \"dsav.induced_referral_prob\" = 0.0 }}"
                    ),
                ));
            }
        }
        out.push(Structure {
            name,
            description,
            set,
        });
    }
    if out.is_empty() {
        return Err(bad(
            file,
            "names no structure; add `[[structure]]` entries".into(),
        ));
    }
    Ok(out)
}

/// Runs `a` under every structure of `file`.
pub fn run(a: RunArgs, file: &Path) -> anyhow::Result<()> {
    let structures = load(file)?;
    if a.scenarios.len() < 2 {
        return Err(InputError(
            "--structures puts effects side by side: give a baseline and at least one scenario to compare with it".into(),
        )
        .into());
    }
    for s in &structures {
        if let Some(c) = s.set.iter().find(|x| a.set.iter().any(|y| y.key == x.key)) {
            return Err(InputError(format!(
                "`{}` is set by --set and by structure `{}` of {}; give it in one place",
                c.key,
                s.name,
                file.display()
            ))
            .into());
        }
    }
    let top = a.exec.out.clone();
    std::fs::create_dir_all(&top).with_context(|| format!("cannot create {}", top.display()))?;
    // Every structure is checked (its scenarios built) before any runs.
    for s in &structures {
        let mut settings = a.set.clone();
        settings.extend(s.set.iter().cloned());
        super::run::load_scenarios(&a.scenarios, a.years, &settings)
            .map_err(|e| e.context(format!("structure `{}` of {}", s.name, file.display())))?;
    }
    for (i, s) in structures.iter().enumerate() {
        let mut sub = a.clone();
        sub.set.extend(s.set.iter().cloned());
        sub.exec.out = top.join(&s.name);
        if !a.exec.quiet {
            super::print_stdout(&format!(
                "regiosim: structure {} of {}: `{}`{}\n",
                i + 1,
                structures.len(),
                s.name,
                if s.description.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", s.description)
                }
            ));
        }
        super::run::run(sub)?;
    }
    let table = side_by_side(&top, &structures)?;
    let path = top.join("structures.csv");
    atomic_write(&path, &table).with_context(|| format!("cannot write {}", path.display()))?;
    if !a.exec.quiet {
        super::print_stdout(&summary(&table));
    }
    Ok(())
}

/// The CSV rows of `path` (header first).
fn rows(path: &Path) -> anyhow::Result<Vec<Vec<String>>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.with_context(|| format!("cannot read {}", path.display()))?;
        out.push(rec.iter().map(str::to_string).collect());
    }
    Ok(out)
}

/// `structures.csv`: per structure, the rows of its `horizon.csv` for the
/// whole horizon, with `prob_reduction` and `prob_increase` from its
/// `probabilities.csv` when it ran over a posterior (empty otherwise).
fn side_by_side(top: &Path, structures: &[Structure]) -> anyhow::Result<Vec<u8>> {
    let mut w = crate::output::tables::writer();
    let mut header_written = false;
    for s in structures {
        let dir = top.join(&s.name);
        let horizon = rows(&dir.join("horizon.csv"))?;
        let Some((head, body)) = horizon.split_first() else {
            continue;
        };
        let col = |n: &str| head.iter().position(|h| h == n);
        let (Some(from), Some(to)) = (col("from_year"), col("to_year")) else {
            anyhow::bail!("{}: horizon.csv has no from_year/to_year", dir.display());
        };
        if !header_written {
            let mut h = vec!["structure".to_string()];
            h.extend(head.iter().cloned());
            h.extend(["prob_reduction".to_string(), "prob_increase".to_string()]);
            let _ = w.write_record(&h);
            header_written = true;
        }
        let years = |r: &Vec<String>| -> (i64, i64) {
            (r[from].parse().unwrap_or(0), r[to].parse().unwrap_or(0))
        };
        let (first, last) = body
            .iter()
            .map(&years)
            .fold((i64::MAX, i64::MIN), |(a, b), (f, t)| (a.min(f), b.max(t)));
        // (scenario, area, metric) -> (prob_reduction, prob_increase)
        let mut probs: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
        let pfile = dir.join("probabilities.csv");
        if pfile.exists() {
            let p = rows(&pfile)?;
            if let Some((ph, pb)) = p.split_first() {
                let pc = |n: &str| ph.iter().position(|h| h == n);
                if let (Some(sc), Some(ar), Some(pf), Some(pt), Some(me), Some(red), Some(inc)) = (
                    pc("scenario"),
                    pc("area"),
                    pc("from_year"),
                    pc("to_year"),
                    pc("metric"),
                    pc("prob_reduction"),
                    pc("prob_increase"),
                ) {
                    for r in pb {
                        if r[pf].parse::<i64>().ok() == Some(first)
                            && r[pt].parse::<i64>().ok() == Some(last)
                        {
                            probs.insert(
                                (r[sc].clone(), r[ar].clone(), r[me].clone()),
                                (r[red].clone(), r[inc].clone()),
                            );
                        }
                    }
                }
            }
        }
        let (sc, ar, me) = (col("scenario"), col("area"), col("metric"));
        for r in body.iter().filter(|r| years(r) == (first, last)) {
            let mut row = vec![crate::output::text_cell(&s.name).into_owned()];
            row.extend(r.iter().cloned());
            let key = match (sc, ar, me) {
                (Some(a), Some(b), Some(c)) => Some((r[a].clone(), r[b].clone(), r[c].clone())),
                _ => None,
            };
            let (red, inc) = key.and_then(|k| probs.get(&k).cloned()).unwrap_or_default();
            row.extend([red, inc]);
            let _ = w.write_record(&row);
        }
    }
    Ok(crate::output::tables::finish(w))
}

/// One line per structure and compared scenario: the whole-horizon effect
/// on second-line referrals in the region.
fn summary(table: &[u8]) -> String {
    let mut r = csv::ReaderBuilder::new().from_reader(table);
    let head: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => return String::new(),
    };
    let col = |n: &str| head.iter().position(|h| h == n);
    let mut text = String::from(
        "regiosim: structural alternatives side by side (structures.csv); second-line referrals over the horizon:\n",
    );
    let (Some(st), Some(sc), Some(kind), Some(me), Some(d), Some(lo), Some(hi), Some(red)) = (
        col("structure"),
        col("scenario"),
        col("area_kind"),
        col("metric"),
        col("difference_mean"),
        col("ci95_low"),
        col("ci95_high"),
        col("prob_reduction"),
    ) else {
        return text;
    };
    for rec in r.records().flatten() {
        if &rec[kind] != "region" || &rec[me] != "second_line_referrals" {
            continue;
        }
        let num = |i: usize| rec[i].parse::<f64>().unwrap_or(f64::NAN);
        let p = if rec[red].is_empty() {
            String::new()
        } else {
            format!(
                ", P(reduction) {}",
                rec[red]
                    .parse::<f64>()
                    .map_or(rec[red].to_string(), |x| format!("{x:.2}"))
            )
        };
        text.push_str(&format!(
            "  {:<28} {:<24} {:+.0} (95% CI {:+.0} to {:+.0}){p}\n",
            &rec[st],
            &rec[sc],
            num(d),
            num(lo),
            num(hi)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_structure_name_is_a_folder_name() {
        assert!(valid_name("no-induced-demand"));
        assert!(valid_name("as-calibrated-2"));
        for n in ["", "-x", "No", "a b", "a/b", "..", "a_b"] {
            assert!(!valid_name(n), "{n}");
        }
    }
}
