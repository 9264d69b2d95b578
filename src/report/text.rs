//! Words and numbers of the report in Dutch (default) or English, and HTML
//! escaping of everything that comes from input files.

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Nl,
    En,
}

/// Escapes text for HTML and SVG (elements and attribute values).
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A number with `decimals` decimals and thousands separators: 1.234,5
/// in Dutch, 1,234.5 in English.
pub fn fmt(x: f64, decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let (thousands, point) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "−"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

/// A share as a percentage: 0.123 → "12,3%".
pub fn pct(x: f64, lang: Lang) -> String {
    format!(
        "{}%",
        fmt(
            100.0 * x,
            if (100.0 * x).abs() < 10.0 { 1 } else { 0 },
            lang
        )
    )
}

/// Euros in millions: "€ 40,4 mln" / "€40.4 m".
pub fn meur(x: f64, lang: Lang) -> String {
    match lang {
        Lang::Nl => format!("€ {} mln", fmt(x / 1e6, 1, lang)),
        Lang::En => format!("€{} m", fmt(x / 1e6, 1, lang)),
    }
}

/// The date of a Unix time (UTC), as YYYY-MM-DD.
pub fn date(unix: u64) -> String {
    // Civil-from-days (H. Hinnant's algorithm).
    let z = (unix / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Picks the Dutch or English text.
pub fn t(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(fmt(1234567.891, 1, Lang::Nl), "1.234.567,9");
        assert_eq!(fmt(1234567.891, 1, Lang::En), "1,234,567.9");
        assert_eq!(fmt(-0.04, 1, Lang::Nl), "−0,0".replace('−', ""));
        assert_eq!(fmt(-12.6, 0, Lang::En), "−13");
        assert_eq!(pct(0.1234, Lang::Nl), "12%");
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_795_351_313), "2026-11-22");
    }

    #[test]
    fn escaping_covers_markup() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }
}
