//! The report for a gemeente: one self-contained HTML file (inline CSS and
//! SVG, no scripts, fonts or requests) or a Markdown summary, in Dutch by
//! default or English, from a finished run or sweep folder.

pub mod data;
mod kind;
mod ranking;
mod sections;
mod svg;
pub mod text;
mod uncertainty;

pub use data::{ReportError, RunData, load};
use sections::{Section, build};
use std::fmt::Write;
use text::{Lang, esc, md_esc, t};

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}\
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem}\
p.reading{font-size:1.05rem;background:#f3f7fb;border-left:4px solid #0072B2;padding:.5rem .8rem}\
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}\
th{background:#eef2f6}div.table{overflow-x:auto;max-width:100%}td{overflow-wrap:anywhere}svg{display:block;width:100%;height:auto;margin:.6rem 0}footer{margin-top:3rem;font-size:.85rem;color:#555}";

fn title(d: &RunData, lang: Lang) -> String {
    let region = d.place();
    format!(
        "{} — {}",
        t(
            lang,
            "Regionale ondersteuning: doorrekening",
            "Regional support system: simulation report"
        ),
        region
    )
}

/// The report as one self-contained HTML page.
pub fn html(d: &RunData, lang: Lang) -> String {
    let sections = build(d, lang);
    let mut s = String::new();
    let code = match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    };
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <title>{}</title><style>{CSS}</style></head><body>\n<h1>{}</h1>\n<p>{}</p>\n",
        esc(&title(d, lang)),
        esc(&title(d, lang)),
        esc(t(
            lang,
            "Doorrekening met regiosim van de regionale ondersteuning: scholen, wijkteams, huisartsen en specialistische jeugdhulp. Elk scenario is meerdere keren doorgerekend, met steeds ander toeval; elk getal is het gemiddelde met een 95%-betrouwbaarheidsinterval (de marge door toeval). Een verschil met de basis is steeds berekend tussen doorrekeningen met hetzelfde toeval, zodat het verschil door het beleid komt.",
            "A regiosim simulation of the regional support system: schools, wijkteams, huisartsen and specialist youth care. Each scenario is simulated several times, each time with different chance; every number is the mean with a 95% confidence interval (the margin due to chance). A difference from the baseline is always computed between simulations with the same chance, so the difference comes from the policy."
        ))
    );
    for sec in &sections {
        section_html(&mut s, sec);
    }
    let _ = write!(
        s,
        "<footer>{} <code>regiosim reproduce</code>.</footer>\n</body></html>\n",
        esc(t(
            lang,
            "Gemaakt met regiosim. Alle aannames staan in docs/ODD.md en docs/SCENARIOS.md; de doorrekening is te herhalen met",
            "Made with regiosim. Every assumption is in docs/ODD.md and docs/SCENARIOS.md; the run can be repeated with"
        ))
    );
    s
}

fn section_html(s: &mut String, sec: &Section) {
    let _ = writeln!(s, "<section><h2>{}</h2>", esc(&sec.title));
    if !sec.sentence.is_empty() {
        let _ = writeln!(s, "<p class=\"reading\">{}</p>", esc(&sec.sentence));
    }
    if let Some(svg) = &sec.svg {
        s.push_str(svg);
        s.push('\n');
    }
    if let Some((head, rows)) = &sec.table {
        s.push_str("<div class=\"table\"><table><thead><tr>");
        for h in head {
            let _ = write!(s, "<th>{}</th>", esc(h));
        }
        s.push_str("</tr></thead><tbody>");
        for r in rows {
            s.push_str("<tr>");
            for c in r {
                let _ = write!(s, "<td>{}</td>", esc(c));
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table></div>\n");
    }
    s.push_str("</section>\n");
}

/// The report as a Markdown summary: the sentences and the tables. Every
/// text is escaped whole ([`md_esc`]): names from input files show as the
/// text they are, and the report's own words need no markup.
pub fn markdown(d: &RunData, lang: Lang) -> String {
    let md_cell = |c: &String| md_esc(c);
    let mut s = format!("# {}\n\n", md_esc(&title(d, lang)));
    for sec in build(d, lang) {
        let _ = write!(s, "## {}\n\n", md_esc(&sec.title));
        if !sec.sentence.is_empty() {
            let _ = write!(s, "{}\n\n", md_esc(&sec.sentence));
        }
        if let Some((head, rows)) = &sec.table {
            let _ = writeln!(
                s,
                "| {} |",
                head.iter().map(md_cell).collect::<Vec<_>>().join(" | ")
            );
            let _ = writeln!(s, "|{}|", vec!["---"; head.len()].join("|"));
            for r in rows {
                let _ = writeln!(
                    s,
                    "| {} |",
                    r.iter().map(md_cell).collect::<Vec<_>>().join(" | ")
                );
            }
            s.push('\n');
        }
    }
    s
}
