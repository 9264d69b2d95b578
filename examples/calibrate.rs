//! Fits the calibrated parameters to the in-sample targets of DESIGN §3
//! (docs/CALIBRATION.md) by damped fixed-point iteration, printing each step.
//!
//! cargo run --release --example calibrate -- --replications 4 --iterations 8
//!
//! Fitted together on the four seed regions' history from 2015 to 2023:
//! `needs.onset_per_year` per school type (the 2023 level; targets: the
//! 2016 shares of students with jeugdhulp by school type), the onset
//! trend's factor up to 2016 (target: use in 2023),
//! Deventer's `second_line.assessments_per_week_per_1000` (target: assessment
//! waits of 4-9 months) and Drechtsteden's `signalling.parents_per_year`
//! (target: half of referrals via the huisarts).

use clap::Parser;
use regiosim::calibration::{
    Fit, TARGET_ALL, TARGET_DEVENTER_WAIT, TARGET_GP_SHARE, TARGET_ROUTE_SHARES,
    TARGET_SHARE_VERBLIJF, TARGET_SHARES, TARGET_USE, evaluate,
};
use regiosim::output::stats::Summary;
use std::path::Path;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 4)]
    replications: u32,
    #[arg(long, default_value_t = 8)]
    iterations: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut fit = Fit::current(&dir)?;
    for it in 0..a.iterations {
        let e = evaluate(&dir, &fit, a.replications, a.seed)?;
        println!("iteration {it}: {fit:?}");
        let types: Vec<String> = e
            .share_by_type
            .iter()
            .map(|s| format!("{:.3}", s.mean))
            .collect();
        let uses: Vec<String> = TARGET_USE
            .iter()
            .zip(&e.use_by_year)
            .map(|((y, _, _), s)| format!("{y} {:.3}", s.mean))
            .collect();
        println!(
            "  2016 shares PO,SBO,SO,VO,VSO,MBO = {} | all {:.3} | use {} | Deventer wait {:.0} d | Drechtsteden GP share {:.3}",
            types.join(","),
            e.share_all.mean,
            uses.join(", "),
            e.deventer_wait.mean,
            e.drechtsteden_gp_share.mean
        );
        // 2023 against 2016: the level rises, the factor up to 2016 falls
        // by as much, so 2016 keeps its rates.
        let use_at = |year: i32| {
            let i = TARGET_USE.iter().position(|u| u.0 == year).unwrap();
            (TARGET_USE[i].1, e.use_by_year[i].mean)
        };
        let (target23, model23) = use_at(2023);
        let g = (target23 / model23).powf(1.2).clamp(0.8, 1.25);
        fit.onset.iter_mut().for_each(|x| *x *= g);
        fit.onset_2016 /= g;
        // Shares: multiplicative steps on the onset hazards, damped.
        for (t, target) in TARGET_SHARES {
            let model = e.share_by_type[t.index()].mean;
            if model > 0.0 {
                fit.onset[t.index()] *= (target / model).powf(0.8);
            }
        }
        // MBO has no type target: follow VO, then the overall 11% of 2016.
        fit.onset[5] = fit.onset[3] * (TARGET_ALL / e.share_all.mean).powf(0.5).clamp(0.8, 1.25);
        // The wait grows with the planned load: aim at the middle of the range.
        let (lo, hi) = TARGET_DEVENTER_WAIT;
        let mid = (lo + hi) / 2.0;
        fit.deventer_utilisation *= (mid / e.deventer_wait.mean).powf(0.1).clamp(0.95, 1.05);
        let step = (TARGET_GP_SHARE / e.drechtsteden_gp_share.mean)
            .powf(1.5)
            .clamp(0.8, 1.5);
        fit.drechtsteden_parents.iter_mut().for_each(|x| *x *= step);
    }
    // The fitted values, evaluated: the table of docs/CALIBRATION.md.
    let e = evaluate(&dir, &fit, a.replications, a.seed)?;
    println!("final: {fit:?}");
    let row = |name: &str, target: String, s: &Summary| {
        println!(
            "| {name} | {target} | {:.3} ({:.3}–{:.3}) |",
            s.mean, s.low, s.high
        );
    };
    println!("| target | value | model (95% CI) |\n|---|---|---|");
    for (t, target) in TARGET_SHARES {
        row(
            &format!("youth care share {}", t.as_str()),
            format!("{target}"),
            &e.share_by_type[t.index()],
        );
    }
    let (lo, hi) = TARGET_DEVENTER_WAIT;
    row(
        "Deventer assessment wait (days)",
        format!("{lo}–{hi}"),
        &e.deventer_wait,
    );
    row(
        "Drechtsteden share via huisarts",
        format!("{TARGET_GP_SHARE}"),
        &e.drechtsteden_gp_share,
    );
    for ((year, target, fitted), s) in TARGET_USE.iter().zip(&e.use_by_year) {
        let role = if *fitted { "" } else { " (held out)" };
        row(
            &format!("youth care share, all, {year}{role}"),
            format!("{target}"),
            s,
        );
    }
    row(
        "users 2021 / users 2015 (held out)",
        "1.21".into(),
        &e.users_2021_over_2015,
    );
    for ((name, target), s) in TARGET_ROUTE_SHARES.iter().zip(&e.route_shares) {
        row(
            &format!("share of referrals via {name} (4 baselines pooled)"),
            format!("{target}"),
            s,
        );
    }
    row(
        "share of starts with stay (4 baselines pooled)",
        format!("{TARGET_SHARE_VERBLIJF}"),
        &e.share_verblijf,
    );
    Ok(())
}
