//! Inline SVG charts: lines with confidence bands, grouped bars with error
//! bars, stacked bars and horizontal bars. Every label is escaped.

use super::data::Est;
use super::text::{Lang, esc, fmt};
use std::fmt::Write;

/// Okabe–Ito colours, readable with colour blindness.
pub const COLOURS: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];

const W: f64 = 760.0;
const H: f64 = 300.0;
const L: f64 = 70.0;
const R: f64 = 180.0;
const T: f64 = 20.0;
const B: f64 = 45.0;

fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 6.0)
        .unwrap_or(10.0 * mag);
    // From the last tick at or below `lo` to the first at or above `hi`.
    let first = (lo / step).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    (first..=last.max(first + 1))
        .map(|i| i as f64 * step)
        .collect()
}

struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Frame {
    fn x(&self, v: f64) -> f64 {
        L + (v - self.x0) / (self.x1 - self.x0).max(1e-9) * (W - L - R)
    }
    fn y(&self, v: f64) -> f64 {
        H - B - (v - self.y0) / (self.y1 - self.y0).max(1e-9) * (H - T - B)
    }
}

fn open(s: &mut String, label: &str) {
    let _ = write!(
        s,
        r#"<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{}" font-family="system-ui, sans-serif" font-size="12">"#,
        esc(label)
    );
}

/// The y axis with ticks and gridlines, from `lo` to `hi`; returns the frame.
fn y_axis(s: &mut String, lo: f64, hi: f64, x0: f64, x1: f64, label: &str, lang: Lang) -> Frame {
    let ticks = nice_ticks(lo, hi);
    let f = Frame {
        x0,
        x1,
        y0: *ticks.first().unwrap_or(&lo),
        y1: *ticks.last().unwrap_or(&hi),
    };
    let decimals = if f.y1 - f.y0 < 5.0 {
        2
    } else if f.y1 - f.y0 < 50.0 {
        1
    } else {
        0
    };
    for t in &ticks {
        let y = f.y(*t);
        let _ = write!(
            s,
            r##"<line x1="{L}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            W - R,
            L - 6.0,
            y + 4.0,
            esc(&fmt(*t, decimals, lang))
        );
    }
    let _ = write!(
        s,
        r#"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        (T + H - B) / 2.0,
        esc(label)
    );
    f
}

fn legend(s: &mut String, labels: &[String]) {
    for (i, l) in labels.iter().enumerate() {
        let y = T + 10.0 + 18.0 * i as f64;
        let _ = write!(
            s,
            r#"<rect x="{}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{}" y="{:.1}">{}</text>"#,
            W - R + 12.0,
            y - 10.0,
            COLOURS[i % COLOURS.len()],
            W - R + 30.0,
            y,
            esc(&shorten(l, 24))
        );
    }
}

fn shorten(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        s.to_string()
    } else {
        // Keep the end: variant numbers tell sweep variants apart.
        "…".to_string() + &s.chars().skip(count + 1 - n.max(2)).collect::<String>()
    }
}

/// How many characters fit under a group of `width` pixels.
fn fit(width: f64) -> usize {
    ((width / 7.0) as usize).max(4)
}

fn range<'a>(values: impl Iterator<Item = &'a Est>, refs: &[f64]) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for e in values {
        for v in [e.mean, e.low, e.high] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    for r in refs {
        hi = hi.max(*r);
        lo = lo.min(*r);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    (lo.min(0.0), if hi > lo { hi } else { lo + 1.0 })
}

/// One line per series over years, with its 95% band.
pub fn lines(
    title: &str,
    series: &[(String, Vec<(i32, Est)>)],
    y_label: &str,
    lang: Lang,
) -> String {
    let mut s = String::new();
    open(&mut s, title);
    let years: Vec<i32> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(y, _)| *y))
        .collect();
    let (x0, x1) = (
        *years.iter().min().unwrap_or(&0) as f64,
        *years.iter().max().unwrap_or(&1) as f64,
    );
    let (lo, hi) = range(
        series.iter().flat_map(|(_, p)| p.iter().map(|(_, e)| e)),
        &[],
    );
    let f = y_axis(&mut s, lo, hi, x0, x1.max(x0 + 1.0), y_label, lang);
    let mut ys: Vec<i32> = years.clone();
    ys.sort();
    ys.dedup();
    for y in &ys {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{y}</text>"#,
            f.x(*y as f64),
            H - B + 18.0
        );
    }
    for (i, (_, pts)) in series.iter().enumerate() {
        let c = COLOURS[i % COLOURS.len()];
        let band: Vec<String> = pts
            .iter()
            .map(|(y, e)| format!("{:.1},{:.1}", f.x(*y as f64), f.y(e.high)))
            .chain(
                pts.iter()
                    .rev()
                    .map(|(y, e)| format!("{:.1},{:.1}", f.x(*y as f64), f.y(e.low))),
            )
            .collect();
        let _ = write!(
            s,
            r#"<polygon points="{}" fill="{c}" fill-opacity="0.18"/>"#,
            band.join(" ")
        );
        let line: Vec<String> = pts
            .iter()
            .map(|(y, e)| format!("{:.1},{:.1}", f.x(*y as f64), f.y(e.mean)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{c}" stroke-width="2.5"/>"#,
            line.join(" ")
        );
    }
    legend(
        &mut s,
        &series.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
    );
    s.push_str("</svg>");
    s
}

/// Grouped bars with 95% error bars; `refs` are dashed reference lines.
pub fn bars(
    title: &str,
    groups: &[(String, Vec<Est>)],
    series: &[String],
    y_label: &str,
    refs: &[(f64, String)],
    lang: Lang,
) -> String {
    let mut s = String::new();
    open(&mut s, title);
    let ref_values: Vec<f64> = refs.iter().map(|r| r.0).collect();
    let (lo, hi) = range(groups.iter().flat_map(|(_, v)| v.iter()), &ref_values);
    let n = groups.len().max(1) as f64;
    let f = y_axis(&mut s, lo, hi, 0.0, n, y_label, lang);
    let group_w = (W - L - R) / n;
    let k = series.len().max(1) as f64;
    let bar_w = (group_w * 0.8 / k).min(60.0);
    for (g, (label, values)) in groups.iter().enumerate() {
        let gx = L + group_w * g as f64 + (group_w - bar_w * k) / 2.0;
        for (i, e) in values.iter().enumerate() {
            if !e.mean.is_finite() {
                continue;
            }
            let x = gx + bar_w * i as f64;
            let (y0, y1) = (f.y(0f64.max(f.y0)), f.y(e.mean));
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"#,
                y0.min(y1),
                bar_w - 2.0,
                (y0 - y1).abs(),
                COLOURS[i % COLOURS.len()]
            );
            if e.low.is_finite() && e.high.is_finite() {
                let cx = x + (bar_w - 2.0) / 2.0;
                let _ = write!(
                    s,
                    r##"<line x1="{cx:.1}" x2="{cx:.1}" y1="{:.1}" y2="{:.1}" stroke="#333" stroke-width="1.5"/>"##,
                    f.y(e.low),
                    f.y(e.high)
                );
            }
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            L + group_w * (g as f64 + 0.5),
            H - B + 18.0,
            esc(&shorten(label, fit(group_w)))
        );
    }
    for (v, label) in refs {
        let y = f.y(*v);
        let _ = write!(
            s,
            r##"<line x1="{L}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#D55E00" stroke-dasharray="6 4" stroke-width="1.5"/><text x="{}" y="{:.1}" fill="#D55E00">{}</text>"##,
            W - R,
            L + 4.0,
            y - 4.0,
            esc(label)
        );
    }
    legend(&mut s, series);
    s.push_str("</svg>");
    s
}

/// Stacked bars: one bar per label, one segment per part.
pub fn stacked(
    title: &str,
    bars: &[(String, Vec<f64>)],
    parts: &[String],
    y_label: &str,
    lang: Lang,
) -> String {
    let mut s = String::new();
    open(&mut s, title);
    let hi = bars
        .iter()
        .map(|(_, v)| v.iter().filter(|x| x.is_finite()).sum::<f64>())
        .fold(0.0, f64::max);
    let n = bars.len().max(1) as f64;
    let f = y_axis(
        &mut s,
        0.0,
        if hi > 0.0 { hi } else { 1.0 },
        0.0,
        n,
        y_label,
        lang,
    );
    let group_w = (W - L - R) / n;
    let bar_w = (group_w * 0.6).min(90.0);
    for (g, (label, values)) in bars.iter().enumerate() {
        let x = L + group_w * g as f64 + (group_w - bar_w) / 2.0;
        let mut acc = 0.0;
        for (i, v) in values.iter().enumerate() {
            if !v.is_finite() || *v <= 0.0 {
                continue;
            }
            let (y0, y1) = (f.y(acc), f.y(acc + v));
            acc += v;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y1:.1}" width="{bar_w:.1}" height="{:.1}" fill="{}"/>"#,
                y0 - y1,
                COLOURS[i % COLOURS.len()]
            );
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            x + bar_w / 2.0,
            H - B + 18.0,
            esc(&shorten(label, fit(group_w)))
        );
    }
    legend(&mut s, parts);
    s.push_str("</svg>");
    s
}

/// Horizontal bars, largest first (rankings and sensitivity indices), with
/// an interval (low, high) drawn as a whisker on each bar if given.
pub fn hbars(
    title: &str,
    items: &[(String, f64)],
    intervals: Option<&[(f64, f64)]>,
    x_label: &str,
    lang: Lang,
) -> String {
    let mut s = String::new();
    let h = 40.0 + 24.0 * items.len() as f64;
    let _ = write!(
        s,
        r#"<svg viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="{}" font-family="system-ui, sans-serif" font-size="12">"#,
        esc(title)
    );
    let highs = intervals.unwrap_or(&[]).iter().map(|(_, hi)| hi.abs());
    let max = items
        .iter()
        .map(|(_, v)| v.abs())
        .chain(highs)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-12);
    let (left, width) = (260.0, W - 260.0 - 90.0);
    for (i, (label, v)) in items.iter().enumerate() {
        let y = 10.0 + 24.0 * i as f64;
        let w = if v.is_finite() {
            v.abs() / max * width
        } else {
            0.0
        };
        // The whisker, from the low to the high end (negative ends at 0),
        // drawn over the bar.
        let mut label_x = left + w + 6.0;
        let mut whisker = String::new();
        if let Some(&(lo, hi)) = intervals.and_then(|iv| iv.get(i))
            && lo.is_finite()
            && hi.is_finite()
        {
            let x = |v: f64| left + v.max(0.0) / max * width;
            let (x1, x2, ym) = (x(lo), x(hi), y + 8.0);
            let _ = write!(
                whisker,
                r##"<path d="M{x1:.1} {:.1}V{:.1}M{x1:.1} {ym:.1}H{x2:.1}M{x2:.1} {:.1}V{:.1}" stroke="#333" stroke-width="1.5" fill="none"/>"##,
                ym - 4.0,
                ym + 4.0,
                ym - 4.0,
                ym + 4.0
            );
            label_x = label_x.max(x2 + 6.0);
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text><rect x="{left}" y="{y:.1}" width="{w:.1}" height="16" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            left - 8.0,
            y + 12.0,
            esc(&shorten(label, 36)),
            if *v < 0.0 { COLOURS[5] } else { COLOURS[0] },
            label_x,
            y + 12.0,
            esc(&fmt(*v, 3, lang))
        );
        s.push_str(&whisker);
    }
    let _ = write!(
        s,
        r#"<text x="{left}" y="{:.1}">{}</text></svg>"#,
        h - 8.0,
        esc(x_label)
    );
    s
}
