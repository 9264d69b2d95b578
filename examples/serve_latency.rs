//! The what-if page's latency: request → full response (the `done` line)
//! of `POST /api/run`, for a scenario, years and replications as the page
//! uses them. Starts the server in this process on an ephemeral port and
//! times the first request (baseline and variant: nothing cached yet) and
//! then N requests with distinct lever settings (the baseline cached, the
//! variant new each time).
//!
//! cargo run --release --example serve_latency -- [SCENARIO] [--replications R] [--years Y] [--threads T]
//! (default: scenarios/nijmegen.toml, 10 replications, 5 years, all cores)

use regiosim::serve::{Config, Server};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

/// Distinct views a policy officer might try, one request each.
const VIEWS: [&str; 10] = [
    r#"{"dsav.enabled": true}"#,
    r#"{"huisarts.poh_coverage": 0.5}"#,
    r#"{"wijkteam_fte": 0.9}"#,
    r#"{"second_line_capacity": 1.2}"#,
    r#"{"integraal.enabled": true}"#,
    r#"{"wijkteam.mandate": false}"#,
    r#"{"collaboration.model": "netwerk"}"#,
    r#"{"budget.cut_schedule": [0.05, 0.1, 0.15], "budget.cut_levers": ["second_line_capacity"]}"#,
    r#"{"dsav.enabled": true, "dsav.hours_per_school_week": 4.0}"#,
    r#"{"huisarts.poh_coverage": 1.0, "wijkteam_fte": 0.9}"#,
];

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str, default: u32| -> u32 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let scenario = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || !args[i - 1].starts_with("--")))
        .map(|(_, a)| a.clone())
        .unwrap_or_else(|| "scenarios/nijmegen.toml".into());
    let (replications, years, threads) = (
        opt("--replications", 10),
        opt("--years", 5),
        opt("--threads", 0),
    );
    let server = Server::bind(Config {
        scenarios: vec![scenario.clone().into()],
        bind: [127, 0, 0, 1].into(),
        port: 0,
        replications,
        years,
        seed: 1,
        threads: threads as usize,
    })?;
    let addr = server.local_addr()?;
    std::thread::spawn(move || server.run());

    println!(
        "{scenario}: {years} years, {replications} replications, {} threads",
        if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            threads as usize
        }
    );
    let cpu0 = cpu_seconds();
    let cold = time(addr, r#"{"huisarts.poh_coverage": 0.25}"#)?;
    let cpu1 = cpu_seconds();
    println!(
        "first request (baseline and variant simulated): {cold:.3} s ({})",
        cpu_text(cpu0, cpu1, 1)
    );
    let mut warm = Vec::new();
    for v in VIEWS {
        let s = time(addr, v)?;
        println!("  {s:.3} s  {v}");
        warm.push(s);
    }
    let cpu2 = cpu_seconds();
    warm.sort_by(f64::total_cmp);
    let median = 0.5 * (warm[warm.len() / 2 - 1] + warm[warm.len() / 2]);
    println!(
        "later requests (baseline cached), {} views: median {median:.3} s, max {:.3} s",
        warm.len(),
        warm[warm.len() - 1]
    );
    println!("  ({})", cpu_text(cpu1, cpu2, warm.len()));
    let again = time(addr, VIEWS[0])?;
    println!("a view seen before (all cached): {again:.3} s");
    Ok(())
}

/// CPU seconds this process has used (user + system), where Linux's
/// /proc tells them: on a busy machine the wall time depends on the other
/// load, the CPU time much less.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn cpu_text(from: Option<f64>, to: Option<f64>, requests: usize) -> String {
    match (from, to) {
        (Some(a), Some(b)) => format!("CPU {:.3} s per request", (b - a) / requests as f64),
        _ => "CPU time unknown".into(),
    }
}

/// Seconds from sending the request to the end of the response, which must
/// end with a `done` line.
fn time(addr: SocketAddr, levers: &str) -> anyhow::Result<f64> {
    let body = format!(r#"{{"baseline": 0, "levers": {levers}}}"#);
    let started = Instant::now();
    let mut s = TcpStream::connect(addr)?;
    write!(
        s,
        "POST /api/run HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let secs = started.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&raw);
    let last = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or_default();
    anyhow::ensure!(
        last.contains(r#""type":"done""#),
        "no done line for {levers}: {}",
        &text[..text.len().min(400)]
    );
    Ok(secs)
}
