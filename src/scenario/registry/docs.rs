//! The registry as text: the key tables of docs/SCENARIOS.md (between
//! `<!-- generated: TABLE -->` and `<!-- end generated -->` markers; the
//! prose around them is kept by hand), and the `params` listing as CSV or
//! markdown.

use super::{Entry, Range, Val, entries};
use crate::scenario::raw::SchoolType;
use crate::scenario::thousands;

/// A number as the docs write it: whole numbers of 1,000 and more with
/// separators, others as Rust prints them (`0.25`, `6`).
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() >= 1_000.0 && v.abs() < 1e15 {
        let s = thousands(v.abs() as u64);
        if v < 0.0 { format!("-{s}") } else { s }
    } else {
        v.to_string()
    }
}

/// A bound as the docs write it: powers of ten from 10⁶ up as `10⁶`.
fn bound(v: f64) -> String {
    let e = v.log10().round();
    if v >= 1e6 && 10f64.powi(e as i32) == v {
        const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
        let digits: String = (e as u32)
            .to_string()
            .chars()
            .map(|c| SUP[c.to_digit(10).unwrap_or(0) as usize])
            .collect();
        format!("10{digits}")
    } else {
        number(v)
    }
}

/// A value as the docs write a default.
pub fn value(v: &Val<'_>) -> String {
    let list = |a: &[f64]| {
        let parts: Vec<String> = a.iter().map(|x| number(*x)).collect();
        format!("[{}]", parts.join(", "))
    };
    match v {
        Val::F(x) | Val::OptF(Some(x)) => number(*x),
        Val::Arr(a) => list(a),
        Val::PerType(t) => SchoolType::ALL
            .iter()
            .map(|&s| format!("{} {}", s.as_str(), number(t.get(s))))
            .collect::<Vec<_>>()
            .join(", "),
        Val::U(x) => x.to_string(),
        Val::I(x) => x.to_string(),
        Val::B(b) | Val::OptB(Some(b)) => b.to_string(),
        Val::OptF(None) | Val::OptB(None) | Val::Other => "—".into(),
    }
}

/// A range as the docs write it.
pub fn range(r: &Range) -> String {
    match *r {
        Range::None => "—".into(),
        Range::Prob => "[0, 1]".into(),
        Range::NonNegative { max, .. } => format!("0–{}", bound(max)),
        Range::Positive { max, .. } => format!("> 0, ≤ {}", bound(max)),
        Range::Count { min, max, .. } => format!("{min}–{}", bound(max as f64)),
        Range::Span { min, max } => format!("{min}–{max}"),
        Range::Shares => "sum to 1".into(),
        Range::Level => "1–4".into(),
        Range::Utilisation { .. } => format!(
            "0, or {}–{}",
            super::MIN_UTILISATION,
            super::MAX_UTILISATION
        ),
        Range::Custom { min, max } => format!("{}–{}", bound(min), bound(max)),
    }
}

fn range_text(e: &Entry) -> String {
    e.spec
        .range_doc
        .map_or_else(|| range(&e.spec.range), str::to_string)
}

/// The header of a table's meaning column.
fn meaning_header(table: &str) -> &'static str {
    if table == "trends" {
        "multiplies"
    } else {
        "meaning"
    }
}

/// The markdown table of one registry table (`needs`, `gemeenten`, ...).
pub fn table(name: &str) -> String {
    let rows: Vec<&Entry> = entries().iter().filter(|e| e.spec.table == name).collect();
    let mut out = String::new();
    if name == "changes" {
        out.push_str("| key | meaning |\n|---|---|\n");
        for e in rows {
            out.push_str(&format!("| `{}` | {} |\n", e.spec.key, e.spec.meaning));
        }
        return out;
    }
    out.push_str(&format!(
        "| key | {} | unit | default | range | source |\n|---|---|---|---|---|---|\n",
        meaning_header(name)
    ));
    for e in rows {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            e.spec.key,
            e.spec.meaning,
            e.spec.unit,
            e.default,
            range_text(e),
            e.spec.source
        ));
    }
    out
}

const BEGIN: &str = "<!-- generated: ";
const END: &str = "<!-- end generated -->";

/// `doc` with every generated block (`<!-- generated: TABLE -->` …
/// `<!-- end generated -->`) filled from the registry, indented as its
/// opening marker; the rest kept as it is. An unknown table or a missing
/// end marker is an error.
pub fn fill(doc: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut lines = doc.split_inclusive('\n').enumerate();
    while let Some((n, line)) = lines.next() {
        out.push_str(line);
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix(BEGIN) else {
            continue;
        };
        let name = rest.trim_end().trim_end_matches("-->").trim();
        let indent = &line[..line.len() - trimmed.len()];
        if name != "metrics" && !entries().iter().any(|e| e.spec.table == name) {
            return Err(format!(
                "line {}: `{name}` is no table of the registry",
                n + 1
            ));
        }
        loop {
            match lines.next() {
                Some((_, l)) if l.trim() == END => {
                    let rows = if name == "metrics" {
                        crate::model::metrics_markdown()
                    } else {
                        table(name)
                    };
                    for row in rows.lines() {
                        out.push_str(&format!("{indent}{row}\n"));
                    }
                    out.push_str(l);
                    break;
                }
                Some(_) => {}
                None => return Err(format!("line {}: `{name}` has no `{END}`", n + 1)),
            }
        }
    }
    Ok(out)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Every declared key as CSV: path, shape, unit, default, range, min, max,
/// prior, prior source, meaning, source.
pub fn csv() -> String {
    let mut out = String::from(
        "path,kind,shape,unit,default,range,min,max,prior,prior_source,meaning,source\n",
    );
    for e in entries() {
        let (min, max) = e
            .spec
            .range
            .bounds()
            .map_or((String::new(), String::new()), |(a, b)| {
                (a.to_string(), b.to_string())
            });
        let fields = [
            e.spec.path.to_string(),
            format!("{:?}", e.spec.kind).to_lowercase(),
            e.shape.to_string(),
            e.spec.unit.to_string(),
            e.default.clone(),
            range_text(e),
            min,
            max,
            e.prior_text(),
            e.spec.prior.map_or("", |p| p.why).to_string(),
            e.spec.meaning.to_string(),
            e.spec.source.to_string(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// Every declared key as one markdown table, with its prior.
pub fn markdown() -> String {
    let mut out = String::from(
        "| key | shape | unit | default | range | prior | meaning | source |\n|---|---|---|---|---|---|---|---|\n",
    );
    for e in entries() {
        let prior = match e.spec.prior {
            Some(p) => format!("{} ({})", e.prior_text(), p.why),
            None => "—".into(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
            e.spec.path,
            e.shape,
            e.spec.unit,
            e.default,
            range_text(e),
            prior,
            e.spec.meaning,
            e.spec.source
        ));
    }
    out
}
