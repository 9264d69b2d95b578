//! Inline SVG charts: lines with confidence bands, grouped bars with error
//! bars, stacked bars and horizontal bars. Every label is escaped.

use super::data::Est;
use super::text::{Lang, esc, fmt};
use std::fmt::Write;

/// Okabe–Ito colours, readable with colour blindness.
pub const COLOURS: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];

const W: f64 = 900.0;
/// Height of the plot area with its axes; the legend goes below it.
const H: f64 = 320.0;
const L: f64 = 70.0;
const R: f64 = 20.0;
const T: f64 = 20.0;
const B: f64 = 62.0;
/// Height of one line of text.
const LINE: f64 = 14.0;

/// A dashed reference line (a norm), across the chart or over one group.
pub struct Ref {
    pub value: f64,
    pub label: String,
    /// Only over this group of a bar chart (all groups if `None`).
    pub group: Option<usize>,
}

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

fn open(s: &mut String, label: &str, height: f64) {
    let _ = write!(
        s,
        r#"<svg viewBox="0 0 {W} {height}" width="{W}" height="{height}" role="img" aria-label="{}" font-family="system-ui, sans-serif" font-size="12">"#,
        esc(label)
    );
}

/// Lines of at most `n` characters, broken after a space, `-`, `_`, `.`,
/// `,` or `/` where possible (never truncated).
pub fn wrap(s: &str, n: usize) -> Vec<String> {
    let n = n.max(4);
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        cur.push(c);
        if matches!(c, ' ' | '-' | '_' | '.' | ',' | '/') {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for w in words {
        if line.chars().count() + w.trim_end().chars().count() > n && !line.is_empty() {
            lines.push(line.trim_end().to_string());
            line.clear();
        }
        line.push_str(&w);
        while line.chars().count() > n {
            let head: String = line.chars().take(n).collect();
            line = line.chars().skip(n).collect();
            lines.push(head);
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Text over several lines (`tspan`s) from `y` down.
fn text_lines(s: &mut String, x: f64, y: f64, anchor: &str, lines: &[String]) {
    let _ = write!(s, r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}">"#);
    for (i, l) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { LINE };
        let _ = write!(s, r#"<tspan x="{x:.1}" dy="{dy}">{}</tspan>"#, esc(l));
    }
    s.push_str("</text>");
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
    // The label along the axis, on two lines when it is longer than the
    // axis (never cut).
    let lines = wrap(label, ((H - T - B) / 7.0) as usize);
    let _ = write!(
        s,
        r#"<text transform="translate({:.1} {:.1}) rotate(-90)" text-anchor="middle">"#,
        if lines.len() > 1 { 13.0 } else { 16.0 },
        (T + H - B) / 2.0
    );
    for (i, l) in lines.iter().take(2).enumerate() {
        let _ = write!(
            s,
            r#"<tspan x="0" dy="{}">{}</tspan>"#,
            if i == 0 { 0.0 } else { LINE },
            esc(l)
        );
    }
    s.push_str("</text>");
    f
}

/// Characters of a legend line.
const LEGEND_CHARS: usize = 110;

/// The height of the legend below the plot.
fn legend_height(labels: &[String]) -> f64 {
    labels
        .iter()
        .map(|l| wrap(l, LEGEND_CHARS).len() as f64 * LINE + 6.0)
        .sum::<f64>()
        + 8.0
}

/// The legend below the plot, one entry per line in its colour, wrapped.
fn legend(s: &mut String, labels: &[String], colours: &[&str]) {
    let mut y = H + 8.0;
    for (i, l) in labels.iter().enumerate() {
        let lines = wrap(l, LEGEND_CHARS);
        let _ = write!(
            s,
            r#"<rect x="{L}" y="{:.1}" width="12" height="12" fill="{}"/>"#,
            y,
            colour(colours, i)
        );
        text_lines(s, L + 18.0, y + 10.0, "start", &lines);
        y += lines.len() as f64 * LINE + 6.0;
    }
}

/// The colour of series `i`: given, or the palette in order.
fn colour<'a>(colours: &[&'a str], i: usize) -> &'a str {
    colours
        .get(i)
        .copied()
        .unwrap_or(COLOURS[i % COLOURS.len()])
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
    // Bars start at zero, so the axis always shows zero.
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    (lo, if hi > lo { hi } else { lo + 1.0 })
}

/// Dashed reference lines from `x_a` to `x_b` at each norm's value.
fn norm_line(s: &mut String, f: &Frame, r: &Ref, x_a: f64, x_b: f64) {
    let y = f.y(r.value);
    let _ = write!(
        s,
        r##"<line x1="{x_a:.1}" x2="{x_b:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#D55E00" stroke-dasharray="6 4" stroke-width="1.5"/><text x="{:.1}" y="{:.1}" fill="#D55E00">{}</text>"##,
        x_a + 4.0,
        y - 4.0,
        esc(&r.label)
    );
}

/// One line per series over years, with its 95% band; `refs` are dashed
/// norms across the chart.
pub fn lines(
    title: &str,
    series: &[(String, Vec<(i32, Est)>)],
    colours: &[&str],
    y_label: &str,
    refs: &[Ref],
    lang: Lang,
) -> String {
    let labels: Vec<String> = series.iter().map(|(l, _)| l.clone()).collect();
    let mut s = String::new();
    open(&mut s, title, H + legend_height(&labels));
    let years: Vec<i32> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(y, _)| *y))
        .collect();
    let (x0, x1) = (
        *years.iter().min().unwrap_or(&0) as f64,
        *years.iter().max().unwrap_or(&1) as f64,
    );
    let ref_values: Vec<f64> = refs.iter().map(|r| r.value).collect();
    let (lo, hi) = range(
        series.iter().flat_map(|(_, p)| p.iter().map(|(_, e)| e)),
        &ref_values,
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
        let c = colour(colours, i);
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
    for r in refs {
        norm_line(&mut s, &f, r, L, W - R);
    }
    legend(&mut s, &labels, colours);
    s.push_str("</svg>");
    s
}

/// Grouped bars with 95% error bars, one series per colour; `refs` are
/// dashed norms, over one group or all.
pub fn bars(
    title: &str,
    groups: &[(String, Vec<Est>)],
    series: &[String],
    colours: &[&str],
    y_label: &str,
    refs: &[Ref],
    lang: Lang,
) -> String {
    let mut s = String::new();
    open(&mut s, title, H + legend_height(series));
    let ref_values: Vec<f64> = refs.iter().map(|r| r.value).collect();
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
            let (y0, y1) = (f.y(0.0), f.y(e.mean));
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"#,
                y0.min(y1),
                bar_w - 2.0,
                (y0 - y1).abs(),
                colour(colours, i)
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
        let lines: Vec<String> = wrap(label, fit(group_w)).into_iter().take(3).collect();
        text_lines(
            &mut s,
            L + group_w * (g as f64 + 0.5),
            H - B + 18.0,
            "middle",
            &lines,
        );
    }
    for r in refs {
        let (a, b) = match r.group {
            Some(g) => (L + group_w * g as f64, L + group_w * (g as f64 + 1.0)),
            None => (L, W - R),
        };
        norm_line(&mut s, &f, r, a, b);
    }
    legend(&mut s, series, colours);
    s.push_str("</svg>");
    s
}

/// Characters of a label left of a horizontal bar.
const HBAR_LABEL: usize = 44;

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
    let labels: Vec<Vec<String>> = items.iter().map(|(l, _)| wrap(l, HBAR_LABEL)).collect();
    let rows: Vec<f64> = labels
        .iter()
        .map(|l| 10.0 + LINE * l.len() as f64)
        .map(|h| h.max(24.0))
        .collect();
    let h = 40.0 + rows.iter().sum::<f64>();
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
    let (left, width) = (330.0, W - 330.0 - 90.0);
    let mut y = 10.0;
    for (i, (_, v)) in items.iter().enumerate() {
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
        text_lines(&mut s, left - 8.0, y + 12.0, "end", &labels[i]);
        let _ = write!(
            s,
            r#"<rect x="{left}" y="{y:.1}" width="{w:.1}" height="16" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            if *v < 0.0 { COLOURS[5] } else { COLOURS[0] },
            label_x,
            y + 12.0,
            esc(&fmt(*v, 3, lang))
        );
        s.push_str(&whisker);
        y += rows[i];
    }
    let _ = write!(
        s,
        r#"<text x="{left}" y="{:.1}">{}</text></svg>"#,
        h - 8.0,
        esc(x_label)
    );
    s
}

/// A point of a cost-effectiveness plane: label (a number), effect and
/// cost with their intervals.
pub struct PlanePoint {
    pub label: String,
    pub effect: Est,
    pub cost: Est,
}

/// The incremental cost-effectiveness plane: effect (outcomes avoided) on
/// the x axis, cost difference on the y axis, both through zero, each
/// point with its 95% whiskers; the four quadrants are named.
pub fn plane(
    title: &str,
    points: &[PlanePoint],
    x_label: &str,
    y_label: &str,
    quadrants: [&str; 4],
    lang: Lang,
) -> String {
    let mut s = String::new();
    open(&mut s, title, H);
    let ext = |f: &dyn Fn(&PlanePoint) -> Est| {
        let (lo, hi) = range(points.iter().map(f).collect::<Vec<_>>().iter(), &[]);
        let m = lo.abs().max(hi.abs()).max(1e-9);
        (-m, m)
    };
    let (xlo, xhi) = ext(&|p| p.effect);
    let (ylo, yhi) = ext(&|p| p.cost);
    let f = y_axis(&mut s, ylo, yhi, xlo, xhi, y_label, lang);
    let (zx, zy) = (f.x(0.0), f.y(0.0));
    let _ = write!(
        s,
        r##"<line x1="{zx:.1}" x2="{zx:.1}" y1="{T}" y2="{:.1}" stroke="#555"/><line x1="{L}" x2="{:.1}" y1="{zy:.1}" y2="{zy:.1}" stroke="#555"/>"##,
        H - B,
        W - R
    );
    // Quadrants: cheaper and better (bottom right), costlier and better
    // (top right), costlier and worse (top left), cheaper and worse.
    for (q, (x, y, anchor)) in [
        (W - R - 4.0, H - B - 6.0, "end"),
        (W - R - 4.0, T + 12.0, "end"),
        (L + 4.0, T + 12.0, "start"),
        (L + 4.0, H - B - 6.0, "start"),
    ]
    .iter()
    .enumerate()
    {
        let _ = write!(
            s,
            r##"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" fill="#555">{}</text>"##,
            esc(quadrants[q])
        );
    }
    {
        let ticks = nice_ticks(xlo, xhi);
        for t in ticks.iter().filter(|t| **t >= xlo && **t <= xhi) {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                f.x(*t),
                H - B + 18.0,
                esc(&fmt(*t, 0, lang))
            );
        }
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
        (L + W - R) / 2.0,
        H - B + 40.0,
        esc(x_label)
    );
    for p in points {
        if !(p.effect.mean.is_finite() && p.cost.mean.is_finite()) {
            continue;
        }
        let (x, y) = (f.x(p.effect.mean), f.y(p.cost.mean));
        if p.effect.low.is_finite() && p.effect.high.is_finite() {
            let _ = write!(
                s,
                r##"<line x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#999"/>"##,
                f.x(p.effect.low),
                f.x(p.effect.high)
            );
        }
        if p.cost.low.is_finite() && p.cost.high.is_finite() {
            let _ = write!(
                s,
                r##"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#999"/>"##,
                f.y(p.cost.low),
                f.y(p.cost.high)
            );
        }
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            COLOURS[0],
            x + 6.0,
            y - 6.0,
            esc(&p.label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_and_are_never_truncated() {
        let name = "nijmegen-dsav-with-a-very-long-variant-name_0017";
        let lines = wrap(name, 12);
        assert!(lines.iter().all(|l| l.chars().count() <= 12), "{lines:?}");
        assert_eq!(lines.concat(), name);
        assert_eq!(wrap("kort", 12), ["kort"]);
    }

    #[test]
    fn an_axis_of_bars_always_shows_zero() {
        let all_negative = [Est {
            mean: -8.0,
            low: -9.0,
            high: -7.0,
        }];
        let (lo, hi) = range(all_negative.iter(), &[]);
        assert!(lo <= -9.0 && hi >= 0.0, "{lo} {hi}");
    }
}
