//! Words and numbers of the report in Dutch (default) or English, and HTML
//! and Markdown escaping of everything that comes from input files.

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Nl,
    En,
}

/// Escapes text for HTML and SVG (elements and attribute values). Line
/// breaks become spaces (as the browser shows them), so no line of the
/// page's source starts with a text from input.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => o.push(' '),
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

/// Escapes text for one line of Markdown (a heading, a paragraph, a table
/// cell; CommonMark and GitHub's extensions), so that it shows as the text
/// it is: line breaks and other control characters become spaces (no
/// injected heading or list); `<`, `>` and `&` become entities (no HTML,
/// no autolink); `\ ` * _ [ ] # | { } ~` get a backslash everywhere (no
/// code, emphasis, link, image, table cell or attribute), and `(` after a
/// `]`, `!` before a `[`, and `+ - =` or a number's `.`/`)` at the start
/// of the line where they would start a list or a heading.
pub fn md_esc(s: &str) -> String {
    let chars: Vec<char> = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let start = chars.iter().position(|c| *c != ' ').unwrap_or(chars.len());
    let digits_end = start
        + chars[start..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    let mut o = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '&' => {
                o.push_str("&amp;");
                continue;
            }
            '<' => {
                o.push_str("&lt;");
                continue;
            }
            '>' => {
                o.push_str("&gt;");
                continue;
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '{' | '}' | '~' => true,
            '(' => prev == Some(']'),
            '!' => next == Some('['),
            '+' | '-' | '=' => i == start,
            '.' | ')' => i == digits_end && i > start && next.is_none_or(|n| n == ' '),
            _ => false,
        };
        if escape {
            o.push('\\');
        }
        o.push(c);
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
    fn markdown_escaping_leaves_no_markup_and_one_line() {
        let hostile = "<script>alert(1)</script> ![x](http://evil/x.png)\n# Owned | *b* _i_ `c` [l](u) {a} ~~s~~ & \\";
        let e = md_esc(hostile);
        assert_eq!(
            e,
            "&lt;script&gt;alert(1)&lt;/script&gt; \\!\\[x\\]\\(http://evil/x.png) \\# Owned \\| \\*b\\* \\_i\\_ \\`c\\` \\[l\\]\\(u) \\{a\\} \\~\\~s\\~\\~ &amp; \\\\"
        );
        assert!(!e.contains('\n') && !e.contains("](") && !e.contains('<'));
        // Starts of lists and headings only where they would be one.
        assert_eq!(md_esc("- item"), "\\- item");
        assert_eq!(md_esc(" + item"), " \\+ item");
        assert_eq!(md_esc("1. item"), "1\\. item");
        assert_eq!(md_esc("2) item"), "2\\) item");
        assert_eq!(md_esc("== x"), "\\== x");
        assert_eq!(
            md_esc("1.234,5 (9 tot 13) a-b 2025-2030 = c!"),
            "1.234,5 (9 tot 13) a-b 2025-2030 = c!"
        );
        assert_eq!(md_esc("=HYPERLINK(\"x\")"), "\\=HYPERLINK(\"x\")");
    }

    #[test]
    fn escaping_covers_markup() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(esc("a\n# b\r\nc"), "a # b  c");
    }
}
