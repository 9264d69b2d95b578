//! The what-if page (`regiosim serve`): served from the binary under a
//! strict Content-Security-Policy, bound to loopback, bodies bounded, no
//! path from the client opened, every lever checked, and the difference it
//! shows is what `regiosim run` of the saved scenario computes.

use crate::{regiosim, scenario};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};

/// A running `regiosim serve`, stopped when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `regiosim serve ARGS --port 0` and reads the address it prints
/// as its first line.
fn serve(args: &[&str]) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regiosim"))
        .arg("serve")
        .args(args)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start regiosim serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("http://")
        .and_then(|a| a.strip_suffix('/'))
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("the first line is not the address: {line:?}"));
    Served { child, addr }
}

fn test_region() -> Served {
    let base = scenario("test-region.toml");
    serve(&[
        base.to_str().unwrap(),
        "--replications",
        "3",
        "--years",
        "2",
        "--threads",
        "2",
    ])
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The NDJSON lines of a streamed reply.
    fn lines(&self) -> Vec<serde_json::Value> {
        self.body
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// One HTTP/1.1 request over a plain TcpStream (`raw_path` sent as it is),
/// the reply read to its end and de-chunked.
fn request(
    addr: SocketAddr,
    method: &str,
    raw_path: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {raw_path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let framed = |h: &str| extra.iter().any(|(k, _)| k.eq_ignore_ascii_case(h));
    if !framed("transfer-encoding") && !framed("content-length") {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading all of a large body.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no reply: {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut rest = &raw[split + 4..];
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let mut body = Vec::new();
    if chunked {
        loop {
            let eol = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..eol]).trim(), 16).unwrap();
            if size == 0 {
                break;
            }
            body.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
            rest = &rest[eol + 2 + size + 2..];
        }
    } else {
        body = rest.to_vec();
    }
    Reply {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

fn post(addr: SocketAddr, path: &str, body: &str) -> Reply {
    request(
        addr,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

#[test]
fn the_page_is_served_under_a_strict_csp_and_references_nothing_outside() {
    let s = test_region();
    for path in ["/", "/app.js", "/app.css"] {
        let r = request(s.addr, "GET", path, &[], b"");
        assert_eq!(r.status, 200, "{path}");
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(csp.starts_with(CSP), "{path}: CSP {csp:?}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        let lower = r.body.to_lowercase();
        // (CSS and HTML only for `url(`: the script's `URL.createObjectURL(`
        // makes the local download of a saved scenario.)
        let needles: &[&str] = match path {
            "/app.js" => &["http://", "https://"],
            _ => &["http://", "https://", "@import", "url("],
        };
        for needle in needles {
            assert!(!lower.contains(needle), "{path} contains {needle}");
        }
    }
    let js = request(s.addr, "GET", "/app.js", &[], b"").body;
    // Text from the server is set as text, never parsed as markup.
    for needle in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!js.contains(needle), "app.js uses {needle}");
    }
}

#[test]
fn a_lever_change_shows_the_paired_difference_that_run_of_the_saved_scenario_computes() {
    let s = test_region();
    let levers = r#"{"baseline": 0, "levers": {"dsav.enabled": true, "wijkteam_fte": 0.9}}"#;
    let r = post(s.addr, "/api/run", levers);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("application/x-ndjson")
    );
    let lines = r.lines();
    let done = lines.last().unwrap();
    assert_eq!(done["type"], "done", "{}", r.body);
    assert_eq!(done["done"], 3);
    let figures = done["comparison"]["figures"].as_array().unwrap();
    let referrals = figures.iter().find(|f| f["id"] == "referrals").unwrap();
    let d = &referrals["last"]["difference"];
    let (mean, low, high) = (
        d["mean"].as_f64().unwrap(),
        d["low"].as_f64().unwrap(),
        d["high"].as_f64().unwrap(),
    );
    assert!(low < mean && mean < high, "no interval: {d}");
    assert!(
        referrals["sentence"]
            .as_str()
            .unwrap()
            .starts_with("In 2026 worden")
    );
    // The paths as given (quoted for a shell where they need it).
    let command = done["command"].as_str().unwrap();
    assert!(
        command.starts_with("regiosim run ")
            && command.contains("test-region.toml")
            && command.contains("test-region-whatif.toml")
            && command.ends_with(" --replications 3 --years 2 --seed 1"),
        "{command}"
    );
    let waits = figures
        .iter()
        .find(|f| f["id"] == "wait_assessment")
        .unwrap();
    assert_eq!(waits["norm"], 28.0);

    // The saved scenario, next to a copy of the baseline, run by the CLI.
    let saved = post(s.addr, "/api/scenario", levers);
    assert_eq!(saved.status, 200);
    assert_eq!(
        saved.header("content-disposition"),
        Some("attachment; filename=\"test-region-whatif.toml\"")
    );
    assert!(saved.body.contains("extends = \"test-region.toml\""));
    assert!(
        !saved.body.contains("[needs]"),
        "more than the changed keys:\n{}",
        saved.body
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        scenario("test-region.toml"),
        dir.path().join("test-region.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("test-region-whatif.toml"), &saved.body).unwrap();
    regiosim()
        .current_dir(dir.path())
        .args(["run", "test-region.toml", "test-region-whatif.toml"])
        .args([
            "--replications",
            "3",
            "--years",
            "2",
            "--seed",
            "1",
            "--quiet",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("out/comparison.csv")).unwrap();
    let row: Vec<&str> = csv
        .lines()
        .find(|l| l.contains(",2026,Testregio,region,second_line_referrals_per_1000,"))
        .unwrap()
        .split(',')
        .collect();
    let cli: Vec<f64> = row[8..12].iter().map(|x| x.parse().unwrap()).collect();
    let sd = cli[1];
    assert_eq!((cli[0], cli[2], cli[3]), (mean, low, high), "sd {sd}");

    // The same view in English, now from the cache, gives the same numbers.
    let en = post(
        s.addr,
        "/api/run",
        r#"{"levers": {"wijkteam_fte": 0.9, "dsav.enabled": true}, "lang": "en"}"#,
    );
    let lines = en.lines();
    let again = lines.last().unwrap();
    let f = &again["comparison"]["figures"][0];
    assert_eq!(f["last"]["difference"], *d);
    assert!(
        f["sentence"]
            .as_str()
            .unwrap()
            .starts_with("In 2026 the variant refers")
    );
}

#[test]
fn an_unchanged_view_differs_by_exactly_nothing() {
    let s = test_region();
    let r = post(s.addr, "/api/run", r#"{"levers": {"dsav.enabled": false}}"#);
    let lines = r.lines();
    let done = lines.last().unwrap();
    assert_eq!(done["unchanged"], true);
    for f in done["comparison"]["figures"].as_array().unwrap() {
        let d = &f["horizon"]["difference"];
        assert!(d["mean"] == 0.0 || d["mean"].is_null(), "{}: {d}", f["id"]);
    }
}

#[test]
fn a_bad_lever_is_refused_with_its_key_named() {
    let s = test_region();
    for (levers, named) in [
        (
            r#"{"huisarts.poh_coverage": 1.5}"#,
            "`huisarts.poh_coverage`",
        ),
        (r#"{"wijkteam_fte": -1}"#, "`wijkteam_fte`"),
        (r#"{"dsav.enabled": "yes"}"#, "`dsav.enabled`"),
        (
            r#"{"collaboration.model": "chaos"}"#,
            "`collaboration.model`",
        ),
        (
            r#"{"budget.cut_schedule": [0.1, 2]}"#,
            "`budget.cut_schedule`",
        ),
        (
            r#"{"needs.onset_per_year": 1}"#,
            "unknown lever `needs.onset_per_year`",
        ),
    ] {
        let r = post(s.addr, "/api/run", &format!(r#"{{"levers": {levers}}}"#));
        assert_eq!(r.status, 400, "{levers}: {}", r.body);
        let message = r.json()["error"].as_str().unwrap().to_string();
        assert!(message.contains(named), "{levers}: {message}");
    }
    let r = post(s.addr, "/api/run", r#"{"baseline": 7}"#);
    assert_eq!(r.status, 400);
    let r = request(
        s.addr,
        "POST",
        "/api/run",
        &[("Content-Type", "text/plain")],
        b"{}",
    );
    assert_eq!(r.status, 415);
}

#[test]
fn a_body_over_the_limit_gets_413() {
    let s = test_region();
    let big = format!(r#"{{"levers": {{}}, "pad": "{}"}}"#, "x".repeat(70 * 1024));
    let r = post(s.addr, "/api/run", &big);
    assert_eq!(r.status, 413);
    // Without a Content-Length (chunked), the limit holds while reading.
    let mut chunked = Vec::new();
    for piece in big.as_bytes().chunks(8192) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let r = request(
        s.addr,
        "POST",
        "/api/run",
        &[
            ("Content-Type", "application/json"),
            ("Transfer-Encoding", "chunked"),
        ],
        &chunked,
    );
    assert_eq!(r.status, 413);
    // A declared length far beyond memory is refused before anything is read.
    let r = request(
        s.addr,
        "POST",
        "/api/run",
        &[
            ("Content-Type", "application/json"),
            ("Content-Length", "999999999999"),
        ],
        b"",
    );
    assert_eq!(r.status, 413);
    // The server is still there.
    assert_eq!(request(s.addr, "GET", "/", &[], b"").status, 200);
}

#[test]
fn no_path_from_the_client_reaches_the_file_system() {
    let s = test_region();
    for path in [
        "/../../etc/passwd",
        "/static/..%2f..%2fCargo.toml",
        "/%2e%2e/%2e%2e/Cargo.toml",
        "/Cargo.toml",
        "/src/serve/assets/app.js",
        "/scenarios/test-region.toml",
        "/api/../Cargo.toml",
    ] {
        let r = request(s.addr, "GET", path, &[], b"");
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(
            !r.body.contains("[package]") && !r.body.contains("root:"),
            "{path}"
        );
    }
}

#[test]
fn the_server_binds_loopback_by_default_and_answers_only_a_loopback_host() {
    let s = test_region();
    assert_eq!(s.addr.ip(), std::net::IpAddr::from([127, 0, 0, 1]));
    // Bound to 127.0.0.1 only, not to every address.
    let other = SocketAddr::from(([127, 0, 0, 2], s.addr.port()));
    assert!(
        TcpStream::connect(other).is_err(),
        "also listening on {other}"
    );
    // A page elsewhere reaching us by a rebound name is refused.
    let mut t = TcpStream::connect(s.addr).unwrap();
    write!(
        t,
        "GET / HTTP/1.1\r\nHost: attacker.example:{}\r\nConnection: close\r\n\r\n",
        s.addr.port()
    )
    .unwrap();
    let mut reply = String::new();
    t.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 403"), "{reply}");
    let r = request(
        s.addr,
        "POST",
        "/api/run",
        &[
            ("Content-Type", "application/json"),
            ("Origin", "http://attacker.example"),
        ],
        b"{}",
    );
    assert_eq!(r.status, 403);
}

#[test]
fn a_hostile_scenario_name_travels_as_json_text() {
    let dir = tempfile::tempdir().unwrap();
    let base = crate::write_scenario(
        dir.path(),
        "hostile.toml",
        &format!(
            "extends = {:?}\nname = \"<script>alert(1)</script>\"\n",
            scenario("test-region.toml").display().to_string()
        ),
    );
    let s = serve(&[
        base.to_str().unwrap(),
        "--replications",
        "2",
        "--years",
        "1",
    ]);
    let config = request(s.addr, "GET", "/api/config", &[], b"");
    assert_eq!(
        config.json()["scenarios"][0]["name"],
        "<script>alert(1)</script>"
    );
    let page = request(s.addr, "GET", "/", &[], b"").body;
    assert!(!page.contains("alert(1)"), "the page embeds scenario text");
}

#[test]
fn serve_with_a_bad_scenario_is_an_input_error() {
    let out = regiosim()
        .args(["serve", "no/such/scenario.toml", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/scenario.toml"));
}

/// Runs headless Chromium on `url` until the page is idle (virtual time):
/// the DOM after its scripts ran, a screenshot, and every request the page
/// started (browser-internal ones excluded).
fn chromium(url: &str, dir: &std::path::Path) -> (String, Vec<u8>, Vec<String>) {
    let run = |extra: &[String]| {
        let out = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--window-size=1200,1600",
                "--virtual-time-budget=60000",
            ])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .args(extra)
            .arg(url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "chromium: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let dom = String::from_utf8(run(&["--dump-dom".into()])).unwrap();
    let (png, netlog) = (dir.join("shot.png"), dir.join("netlog.json"));
    run(&[
        format!("--screenshot={}", png.display()),
        format!("--log-net-log={}", netlog.display()),
    ]);
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&netlog).unwrap()).unwrap();
    let mut urls = Vec::new();
    for e in log["events"].as_array().unwrap() {
        let p = &e["params"];
        if let (Some(url), Some(initiator)) = (p["url"].as_str(), p["initiator"].as_str())
            && initiator != "not an origin"
            && !url.starts_with("data:")
        {
            urls.push(url.to_string());
        }
    }
    (dom, std::fs::read(&png).unwrap(), urls)
}

/// The `data-last` JSON of a figure in the page's DOM.
fn figure_data(dom: &str, id: &str) -> serde_json::Value {
    let start = dom
        .find(&format!("id=\"figure-{id}\" data-last=\""))
        .unwrap_or_else(|| panic!("figure {id} not drawn"));
    let rest = &dom[start..];
    let value = &rest[rest.find("data-last=\"").unwrap() + 11..];
    let value = &value[..value.find('"').unwrap()];
    serde_json::from_str(&value.replace("&quot;", "\"").replace("&amp;", "&")).unwrap()
}

#[test]
#[ignore = "needs chromium (scripts/ci/chromium-up.sh); run with --ignored"]
fn the_page_in_headless_chromium_draws_the_cli_numbers_without_outside_requests() {
    crate::require_program(
        "chromium",
        "scripts/ci/chromium-up.sh installs Debian's package",
    );
    let s = test_region();
    let dir = tempfile::tempdir().unwrap();
    // The numbers of the view, straight from the server. This also caches
    // them: Chromium's virtual time does not wait for a slow streamed body,
    // so on a busy machine the page would be dumped before it is drawn.
    let direct = post(
        s.addr,
        "/api/run",
        r#"{"levers": {"dsav.enabled": true, "wijkteam_fte": 0.9}}"#,
    );
    let lines = direct.lines();
    let want = &lines.last().unwrap()["comparison"]["figures"][0]["last"];
    // The view in the page's address: DSAV on, wijkteams at 90%.
    let url = format!("http://{}/#dsav.enabled=true&wijkteam_fte=0.9", s.addr);
    let (dom, shot, requests) = chromium(&url, dir.path());
    let status = dom
        .find("id=\"status\"")
        .map(|i| &dom[i..dom.len().min(i + 300)]);
    assert!(
        dom.contains("data-state=\"done\""),
        "the page did not finish: {status:?}"
    );
    let shown = figure_data(&dom, "referrals");
    assert_eq!(
        shown, *want,
        "the page shows other numbers than the server computed"
    );
    let sentence = lines.last().unwrap()["comparison"]["figures"][0]["sentence"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        dom.contains(&sentence),
        "the sentence is not shown: {sentence}"
    );
    let (share, colours) = crate::report::ink(&shot);
    assert!(
        share > 0.03 && colours > 5,
        "blank screenshot: {share:.3} inked, {colours} colours"
    );
    let own = format!("http://{}/", s.addr);
    let outside: Vec<&String> = requests.iter().filter(|u| !u.starts_with(&own)).collect();
    assert!(
        outside.is_empty(),
        "requests outside the server: {outside:?}"
    );
    assert!(
        requests.iter().any(|u| u.ends_with("/api/run")),
        "no run request seen: {requests:?}"
    );
}

#[test]
fn maak_rapport_returns_the_report_of_a_computed_view() {
    let s = test_region();
    let view = r#"{"levers": {"integraal.enabled": true}}"#;
    // Not computed yet: the page asks to wait, nothing is simulated for it.
    assert_eq!(post(s.addr, "/api/report", view).status, 409);
    let run = post(s.addr, "/api/run", view);
    assert_eq!(run.lines().last().unwrap()["type"], "done");
    let r = post(s.addr, "/api/report", view);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"test-region-whatif-rapport.html\"")
    );
    assert_eq!(
        r.header("content-security-policy"),
        Some("default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    );
    assert!(
        r.body.starts_with("<!DOCTYPE html>")
            && r.body.contains("Vraag naar tweedelijns jeugdhulp")
    );
    assert!(r.body.contains("test-region-whatif"));
}
