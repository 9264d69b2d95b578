//! The state file: header, checksum, payload; and the checks that decide
//! whether a scenario may continue from a saved state.

use super::codec::{DecodeError, Reader, Writer};
use crate::scenario::{Scenario, SchoolType};
use sha2::{Digest, Sha256};

/// The first bytes of every state file.
pub const MAGIC: &[u8; 8] = b"RGSIMST\0";
/// Bumped whenever the layout of the file or of a world's state changes.
pub const FORMAT_VERSION: u32 = 3;

/// Bad input about a saved state (exit code 2): the message names the
/// problem and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StateError(pub String);

/// One saved scenario: its name, the keys of its population (see
/// [`population_keys`]) and, per replication, each region's state.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedScenario {
    pub name: String,
    pub keys: Vec<(String, String)>,
    pub worlds: Vec<Vec<Vec<u8>>>,
}

/// The whole saved state of a run at the start of one model year.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedState {
    pub regiosim_version: String,
    pub seed: u64,
    pub replications: u32,
    /// The model year (0-based, warm-up included) that starts at `date`.
    pub model_year: u32,
    pub date: String,
    pub scenarios: Vec<SavedScenario>,
}

fn fingerprint(keys: &[(String, String)]) -> String {
    let mut h = Sha256::new();
    for (k, v) in keys {
        h.update(k.as_bytes());
        h.update(b"=");
        h.update(v.as_bytes());
        h.update(b"\n");
    }
    hex(&h.finalize())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl SavedState {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut payload = Writer::new();
        for s in &self.scenarios {
            payload.len(s.keys.len());
            for (k, v) in &s.keys {
                payload.str(k);
                payload.str(v);
            }
            payload.len(s.worlds.len());
            for regions in &s.worlds {
                payload.len(regions.len());
                for world in regions {
                    payload.bytes(world);
                }
            }
        }
        let mut w = Writer::new();
        w.buf.extend_from_slice(MAGIC);
        w.u32(FORMAT_VERSION);
        w.str(&self.regiosim_version);
        w.u64(self.seed);
        w.u32(self.replications);
        w.u32(self.model_year);
        w.str(&self.date);
        w.len(self.scenarios.len());
        for s in &self.scenarios {
            w.str(&s.name);
            w.str(&fingerprint(&s.keys));
        }
        w.len(payload.buf.len());
        let sum = Sha256::new()
            .chain_update(&w.buf)
            .chain_update(&payload.buf)
            .finalize();
        w.buf.extend_from_slice(&sum);
        w.buf.extend_from_slice(&payload.buf);
        w.buf
    }

    /// Reads a state file (`what` names it in errors). Checks the magic
    /// bytes, the format version, the checksum and the regiosim version.
    pub fn from_bytes(bytes: &[u8], what: &str) -> Result<SavedState, StateError> {
        let again = "save the state again (regiosim run ... --until DATE --save-state FILE)";
        if bytes.len() < MAGIC.len() + 4 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(StateError(format!(
                "{what} is not a regiosim state file (it does not start with regiosim's state marker); give a file written by --save-state"
            )));
        }
        let r = &mut Reader::new(&bytes[MAGIC.len()..]);
        let damaged =
            |e: DecodeError| StateError(format!("{what} is truncated or damaged ({e}); {again}"));
        let version = r.u32().map_err(damaged)?;
        if version != FORMAT_VERSION {
            return Err(StateError(format!(
                "{what} has state format version {version}; this regiosim reads version {FORMAT_VERSION}: {again} with this regiosim"
            )));
        }
        let header = read_header(r).map_err(damaged)?;
        let Header {
            regiosim_version,
            seed,
            replications,
            model_year,
            date,
            names,
            payload_len,
        } = header;
        let header_len = bytes.len() - r.remaining();
        let sum = r.take(32).map_err(damaged)?.to_vec();
        if r.remaining() as u64 != payload_len {
            return Err(StateError(format!(
                "{what} is truncated or damaged: it holds {} bytes of state where its header says {payload_len}; {again}",
                r.remaining()
            )));
        }
        let payload = r.take(r.remaining()).map_err(damaged)?;
        let actual = Sha256::new()
            .chain_update(&bytes[..header_len])
            .chain_update(payload)
            .finalize();
        if actual[..] != sum[..] {
            return Err(StateError(format!(
                "{what} is damaged: its checksum does not match its contents (sha256 {} where {} was written); {again}",
                hex(&actual),
                hex(&sum)
            )));
        }
        let ours = env!("CARGO_PKG_VERSION");
        if regiosim_version != ours {
            return Err(StateError(format!(
                "{what} was saved by regiosim {regiosim_version}; this is regiosim {ours}, and a state continues only in the version that saved it: continue it with regiosim {regiosim_version}, or {again} with this version"
            )));
        }
        let scenarios = read_payload(&mut Reader::new(payload), &names).map_err(damaged)?;
        if scenarios
            .iter()
            .any(|s| s.worlds.len() != replications as usize)
        {
            return Err(damaged(DecodeError::new(
                "another number of replications than its header says",
            )));
        }
        Ok(SavedState {
            regiosim_version,
            seed,
            replications,
            model_year,
            date,
            scenarios,
        })
    }

    /// Which saved scenario each of `scenarios` continues from: the one
    /// saved scenario for all of them (a fork), or the i-th for the i-th.
    /// Checks seed, replications, date and population; `what` names the file.
    pub fn assign(
        &self,
        scenarios: &[(&Scenario, String)],
        seed: u64,
        replications: u32,
        what: &str,
    ) -> Result<Vec<usize>, StateError> {
        if seed != self.seed {
            return Err(StateError(format!(
                "{what} was saved with --seed {}, this run has --seed {seed}: a run continues with the random numbers it started with; add --seed {}",
                self.seed, self.seed
            )));
        }
        if replications != self.replications {
            return Err(StateError(format!(
                "{what} holds {} replications, this run asks for {replications}: add --replications {}",
                self.replications, self.replications
            )));
        }
        let saved = self.scenarios.len();
        let map: Vec<usize> = match saved {
            1 => vec![0; scenarios.len()],
            n if n == scenarios.len() => (0..n).collect(),
            n => {
                return Err(StateError(format!(
                    "{what} holds {n} scenarios ({}), this run has {}: give one scenario's state (every scenario then starts from it) or one state per scenario, in the same order",
                    self.scenarios
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    scenarios.len()
                )));
            }
        };
        for ((sc, file), &i) in scenarios.iter().zip(&map) {
            let from = &self.scenarios[i];
            let here = population_keys(sc);
            let model_year =
                model_year_of(sc, &self.date).map_err(|e| StateError(format!("{what}: {e}")))?;
            if model_year != self.model_year {
                return Err(StateError(format!(
                    "{what} was saved at {} in model year {} (warm-up included), which is model year {model_year} of scenario `{}` ({file}): use the scenario's original simulation.start_year and warmup_years",
                    self.date, self.model_year, sc.name
                )));
            }
            if let Some(diff) = first_difference(&from.keys, &here) {
                return Err(StateError(format!(
                    "scenario `{}` ({file}) cannot continue from {what} (saved from `{}`): {diff}. A run from a saved state may change policies, capacities and costs, not the population (school groups, gemeenten, wijken, jeugdregio's, start year, years); set the key back, or run without --from-state",
                    sc.name, from.name
                )));
            }
        }
        Ok(map)
    }
}

/// The fields of a state file before its checksum.
struct Header {
    regiosim_version: String,
    seed: u64,
    replications: u32,
    model_year: u32,
    date: String,
    /// Each scenario's name and population fingerprint.
    names: Vec<(String, String)>,
    payload_len: u64,
}

fn read_header(r: &mut Reader) -> Result<Header, DecodeError> {
    Ok(Header {
        regiosim_version: r.str()?,
        seed: r.u64()?,
        replications: r.u32()?,
        model_year: r.u32()?,
        date: r.str()?,
        names: r.vec(16, |r| Ok((r.str()?, r.str()?)))?,
        payload_len: r.u64()?,
    })
}

fn read_payload(
    p: &mut Reader,
    names: &[(String, String)],
) -> Result<Vec<SavedScenario>, DecodeError> {
    let mut v = Vec::new();
    for (name, fp) in names {
        let keys = p.vec(16, |r| Ok((r.str()?, r.str()?)))?;
        if &fingerprint(&keys) != fp {
            return Err(DecodeError::new(
                "a population that does not match its fingerprint",
            ));
        }
        let worlds = p.vec(8, |r| r.vec(8, |r| Ok(r.bytes()?.to_vec())))?;
        v.push(SavedScenario {
            name: name.clone(),
            keys,
            worlds,
        });
    }
    p.finish()?;
    Ok(v)
}

/// The first key whose value differs, said in words.
fn first_difference(saved: &[(String, String)], here: &[(String, String)]) -> Option<String> {
    for (i, (k, v)) in saved.iter().enumerate() {
        match here.get(i) {
            Some((k2, v2)) if k2 == k && v2 == v => continue,
            Some((k2, v2)) if k2 == k => {
                return Some(format!("its `{k}` is {v2}, the saved population's is {v}"));
            }
            Some((k2, _)) => {
                return Some(format!(
                    "it has `{k2}` where the saved population has `{k}` (another number of entries)"
                ));
            }
            None => return Some(format!("it has no `{k}`, which the saved population has")),
        }
    }
    here.get(saved.len())
        .map(|(k, _)| format!("it has `{k}`, which the saved population lacks"))
}

/// The keys of a scenario that a run from a saved state may not change:
/// what the saved students, schools and person numbers depend on.
pub fn population_keys(sc: &Scenario) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    let mut push = |k: String, x: String| v.push((k, x));
    let sim = &sc.simulation;
    push("simulation.start_year".into(), sim.start_year.to_string());
    push(
        "simulation.warmup_years".into(),
        sim.warmup_years.to_string(),
    );
    push("simulation.years".into(), sim.years.to_string());
    push("jeugdregios".into(), sc.jeugdregios.join(", "));
    // School sizes over the run, hence person numbers, follow it.
    push(
        "trends.population".into(),
        format!("{:?}", sc.trends.population),
    );
    push("gemeenten (count)".into(), sc.gemeenten.len().to_string());
    let mut wijk_no = vec![0usize; sc.gemeenten.len()];
    for (g, gem) in sc.gemeenten.iter().enumerate() {
        push(format!("gemeenten[{g}].name"), gem.name.clone());
        push(
            format!("gemeenten[{g}].inhabitants"),
            format!("{:?}", gem.inhabitants),
        );
        push(
            format!("gemeenten[{g}].jeugdregio"),
            gem.jeugdregio.to_string(),
        );
    }
    push("wijken (count)".into(), sc.wijken.len().to_string());
    for w in &sc.wijken {
        let (g, j) = (w.gemeente, wijk_no.get(w.gemeente).copied().unwrap_or(0));
        if let Some(n) = wijk_no.get_mut(g) {
            *n += 1;
        }
        push(format!("gemeenten[{g}].wijken[{j}].name"), w.name.clone());
        push(
            format!("gemeenten[{g}].wijken[{j}].weight"),
            format!("{:?}", w.weight),
        );
    }
    push("schools (count)".into(), sc.school_groups.len().to_string());
    for (i, grp) in sc.school_groups.iter().enumerate() {
        push(format!("schools[{i}].name"), grp.name.clone());
        push(
            format!("schools[{i}].type"),
            school_type_name(grp.school_type).into(),
        );
        push(format!("schools[{i}].count"), grp.count.to_string());
        push(format!("schools[{i}].students"), grp.students.to_string());
        let wijken: Vec<String> = grp.wijken.iter().map(|w| w.to_string()).collect();
        push(format!("schools[{i}].wijken"), wijken.join(","));
        push(
            format!("schools[{i}].catchment"),
            format!("{:?}", grp.catchment).to_lowercase(),
        );
    }
    v
}

fn school_type_name(t: SchoolType) -> &'static str {
    match t {
        SchoolType::PO => "PO",
        SchoolType::SBO => "SBO",
        SchoolType::SO => "SO",
        SchoolType::VO => "VO",
        SchoolType::VSO => "VSO",
        SchoolType::MBO => "MBO",
    }
}

/// `YYYY-MM-DD` as (year, month, day), checked as a calendar date.
pub fn parse_date(s: &str) -> Result<(i32, u32, u32), String> {
    let bad = || format!("`{s}` is not a date YYYY-MM-DD (for example 2027-01-01)");
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d) = (
        y.parse::<i32>().map_err(|_| bad())?,
        m.parse::<u32>().map_err(|_| bad())?,
        d.parse::<u32>().map_err(|_| bad())?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d == 0 || d > days[(m - 1) as usize] {
        return Err(bad());
    }
    Ok((y, m, d))
}

/// The model year (0-based, warm-up included) that starts on `date`: only
/// the first day of a simulated year after the first can be saved (the
/// model's years are its unit of budgets, capacities and cohorts), and
/// not the last year's end (nothing would be left to continue).
pub fn model_year_of(sc: &Scenario, date: &str) -> Result<u32, String> {
    let (y, m, d) = parse_date(date)?;
    let sim = &sc.simulation;
    let first = i64::from(sim.start_year) - i64::from(sim.warmup_years) + 1;
    let last = i64::from(sim.start_year) + i64::from(sim.years) - 1;
    let range = if first <= last {
        format!("choose {first}-01-01 to {last}-01-01")
    } else {
        "this scenario has a single simulated year, so there is no date to save at; add warm-up or output years".to_string()
    };
    if (m, d) != (1, 1) {
        return Err(format!(
            "{date}: a state can be saved only on the first day of a simulated year (YYYY-01-01), where the model's years start; {range}"
        ));
    }
    let y = i64::from(y);
    if y < first || y > last {
        return Err(format!(
            "{date} is outside the run of scenario `{}` ({}-01-01 to the end of {last}, warm-up included); {range}",
            sc.name,
            first - 1
        ));
    }
    Ok((y - first + 1) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_calendar_dates() {
        assert_eq!(parse_date("2028-01-01"), Ok((2028, 1, 1)));
        assert_eq!(parse_date("2028-02-29"), Ok((2028, 2, 29)));
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "2027-1-1",
            "27-01-01",
            "2027-01-01x",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_flipped_byte_or_a_cut_is_caught_by_the_checksum_or_the_length() {
        let s = SavedState {
            regiosim_version: env!("CARGO_PKG_VERSION").into(),
            seed: 3,
            replications: 1,
            model_year: 2,
            date: "2024-01-01".into(),
            scenarios: vec![SavedScenario {
                name: "x".into(),
                keys: vec![("k".into(), "v".into())],
                worlds: vec![vec![vec![1, 2, 3]]],
            }],
        };
        let b = s.to_bytes();
        assert_eq!(SavedState::from_bytes(&b, "f").unwrap(), s);
        let mut flipped = b.clone();
        *flipped.last_mut().unwrap() ^= 1;
        let e = SavedState::from_bytes(&flipped, "f").unwrap_err().0;
        assert!(e.contains("checksum"), "{e}");
        for cut in [0, 9, 20, b.len() - 1] {
            assert!(SavedState::from_bytes(&b[..cut], "f").is_err());
        }
    }
}
