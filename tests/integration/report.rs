//! The report: text from input files is escaped, the HTML is
//! self-contained, and in a real headless Chromium it renders (not blank)
//! without any network request.

use crate::{regiosim, scenario, write_scenario};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small run of two scenarios with hostile names and descriptions.
fn hostile_run(dir: &Path) -> PathBuf {
    let base = write_scenario(
        dir,
        "base.toml",
        &format!(
            "extends = {:?}\nname = \"<script>alert(1)</script>\"\ndescription = \"<img src=x onerror=alert(2)> & 'quotes'\"\n",
            scenario("test-region.toml").display().to_string()
        ),
    );
    let variant = write_scenario(
        dir,
        "variant.toml",
        "extends = \"base.toml\"\nname = \"poh \\\"all\\\" <b>\"\n[huisarts]\npoh_coverage = 1.0\n",
    );
    let out = dir.join("run");
    regiosim()
        .arg("run")
        .args([&base, &variant])
        .args(["--replications", "3", "--years", "2", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

fn report(run: &Path, out: &Path, extra: &[&str]) -> String {
    regiosim()
        .arg("report")
        .arg(run)
        .arg("-o")
        .arg(out)
        .args(extra)
        .assert()
        .success();
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn text_from_input_files_is_escaped_and_nothing_is_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let run = hostile_run(dir.path());
    let html = report(&run, &dir.path().join("r.html"), &[]);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt; &amp; &#39;quotes&#39;"));
    assert!(html.contains("poh &quot;all&quot; &lt;b&gt;"));
    let lower = html.to_lowercase();
    assert!(
        !lower.contains("<script") && !lower.contains("<img") && !lower.contains("<b>"),
        "markup from input got through"
    );
    // Self-contained: no references to anything outside the file.
    for needle in [
        "http:", "https:", "<link", "src=\"", "url(", "@import", "<iframe",
    ] {
        assert!(!lower.contains(needle), "report contains {needle}");
    }
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    assert!(html.contains("Vraag naar tweedelijns jeugdhulp") && html.contains("<svg"));
    let en = report(&run, &dir.path().join("r-en.html"), &["--lang", "en"]);
    assert!(en.contains("Second-line demand") && en.contains("lang=\"en\""));
    let md = report(&run, &dir.path().join("r.md"), &["--format", "md"]);
    assert!(
        md.starts_with("# Regionale ondersteuning")
            && md.contains("## Wachttijden en de Treeknorm")
    );
}

#[test]
fn a_missing_run_folder_is_a_clear_input_error() {
    let out = regiosim()
        .args(["report", "no/such/run", "-o", "x.html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/run/manifest.json"));
}

/// Renders `page` headless; returns the screenshot and the URLs of every
/// request the page itself started (browser-internal requests excluded).
fn render(page: &Path, dir: &Path) -> (Vec<u8>, Vec<String>) {
    let (png, netlog) = (dir.join("shot.png"), dir.join("netlog.json"));
    let status = Command::new("chromium")
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
            "--window-size=1000,1600",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&netlog).unwrap()).unwrap();
    let mut urls = Vec::new();
    for e in log["events"].as_array().unwrap() {
        let p = &e["params"];
        if let (Some(url), Some(initiator)) = (p["url"].as_str(), p["initiator"].as_str())
            && initiator != "not an origin"
            && !url.starts_with("file:")
            && !url.starts_with("data:")
        {
            urls.push(url.to_string());
        }
    }
    (std::fs::read(&png).unwrap(), urls)
}

/// Share of pixels that are not (near) white, and the number of colours.
pub(crate) fn ink(png_bytes: &[u8]) -> (f64, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let mut inked = 0usize;
    let mut colours = std::collections::HashSet::new();
    for px in pixels.chunks(channels) {
        if px[..3].iter().any(|&c| c < 235) {
            inked += 1;
        }
        colours.insert((px[0] / 16, px[1] / 16, px[2] / 16));
    }
    (
        inked as f64 / (pixels.len() / channels) as f64,
        colours.len(),
    )
}

#[test]
#[ignore = "needs chromium (scripts/ci/chromium-up.sh); run with --ignored"]
fn the_report_renders_in_headless_chromium_without_network_requests() {
    crate::require_program(
        "chromium",
        "scripts/ci/chromium-up.sh installs Debian's package",
    );
    let dir = tempfile::tempdir().unwrap();
    let run = hostile_run(dir.path());
    let page = dir.path().join("report.html");
    report(&run, &page, &[]);
    let (shot, requests) = render(&page, dir.path());
    let (share, colours) = ink(&shot);
    assert!(
        share > 0.03 && colours > 5,
        "the screenshot looks blank: {share:.3} inked, {colours} colours"
    );
    assert!(
        requests.is_empty(),
        "the report made network requests: {requests:?}"
    );

    // The check itself works: a page that loads an image is caught.
    let control = write_scenario(
        dir.path(),
        "control.html",
        "<html><body><img src=\"http://127.0.0.1:9/x.png\"></body></html>",
    );
    let control_dir = dir.path().join("control");
    std::fs::create_dir_all(&control_dir).unwrap();
    let (_, requests) = render(&control, &control_dir);
    assert!(
        requests.iter().any(|u| u.contains("127.0.0.1:9")),
        "the network check missed a request: {requests:?}"
    );
}

#[test]
fn a_region_of_several_gemeenten_gets_a_section_per_gemeente() {
    let dir = tempfile::tempdir().unwrap();
    let run = hostile_run(dir.path());
    let html = report(&run, &dir.path().join("r.html"), &[]);
    let start = html
        .find("<h2>Per gemeente (")
        .expect("no per-gemeente section");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    // The two gemeenten of scenarios/test-region.toml, each a table row and a
    // bar group; the sentence names the range between them.
    for g in ["Stad", "Dorp"] {
        assert!(section.contains(&format!("<td>{g}</td>")), "{g} missing");
    }
    assert!(section.contains("<svg") && section.contains("loopt de vraag"));
    let en = report(&run, &dir.path().join("r-en.html"), &["--lang", "en"]);
    assert!(en.contains("second-line demand in") && en.contains("youth budget balance"));
}

/// The published run of the repository (manifest.json, summary.csv,
/// comparison.csv and the effect tables; the per-run tables are not kept).
fn published() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("results/nijmegen-dsav")
}

#[test]
fn the_published_run_that_keeps_only_some_outputs_still_has_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(&published(), &dir.path().join("x.html"), &[]);
    assert!(html.contains("nijmegen-dsav") && html.contains("lager dan in de basis"));
}

#[test]
fn report_to_dash_prints_the_html_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = regiosim()
        .current_dir(dir.path())
        .arg("report")
        .arg(published())
        .args(["-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    let file = report(&published(), &dir.path().join("r.html"), &[]);
    assert_eq!(html, file, "stdout differs from the file");
    assert!(!dir.path().join("-").exists(), "wrote a file named -");
}

#[test]
fn report_to_a_symlink_keeps_the_link_and_replaces_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::write(pages.join("real.html"), "old").unwrap();
    // A relative link, run from another folder: it is relative to its own.
    std::os::unix::fs::symlink("pages/real.html", dir.path().join("link.html")).unwrap();
    let html = report(&published(), &dir.path().join("link.html"), &[]);
    let link = std::fs::symlink_metadata(dir.path().join("link.html")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert_eq!(
        std::fs::read_link(dir.path().join("link.html")).unwrap(),
        Path::new("pages/real.html")
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        std::fs::read_to_string(pages.join("real.html")).unwrap(),
        html
    );
    let left: Vec<_> = std::fs::read_dir(&pages).unwrap().collect();
    assert_eq!(left.len(), 1, "a temporary file was left: {left:?}");
}

#[test]
fn report_to_dev_null_leaves_it_a_character_device() {
    use std::os::unix::fs::FileTypeExt;
    let null = Path::new("/dev/null");
    let writable = std::fs::OpenOptions::new().write(true).open(null).is_ok();
    if !writable {
        eprintln!("skipped: /dev/null is not writable here");
        return;
    }
    regiosim()
        .arg("report")
        .arg(published())
        .args(["-o", "/dev/null"])
        .assert()
        .success();
    let m = std::fs::symlink_metadata(null).unwrap();
    assert!(m.file_type().is_char_device(), "/dev/null was replaced");
}

#[test]
fn a_report_that_cannot_be_written_is_an_error_naming_the_path() {
    use std::os::unix::fs::FileTypeExt;
    let full = Path::new("/dev/full");
    if !std::fs::metadata(full).is_ok_and(|m| m.file_type().is_char_device()) {
        eprintln!("skipped: no /dev/full here");
        return;
    }
    let out = regiosim()
        .arg("report")
        .arg(published())
        .args(["-o", "/dev/full"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write /dev/full"), "{err}");
    let m = std::fs::symlink_metadata(full).unwrap();
    assert!(m.file_type().is_char_device(), "/dev/full was replaced");
}

#[test]
fn a_report_never_overwrites_the_run_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    copy_dir(&published(), &run);
    let before = std::fs::read(run.join("summary.csv")).unwrap();
    let out = regiosim()
        .arg("report")
        .arg(&run)
        .arg("-o")
        .arg(run.join("summary.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the run's own summary.csv"));
    assert_eq!(std::fs::read(run.join("summary.csv")).unwrap(), before);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

#[test]
fn a_summary_cut_at_a_row_boundary_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    copy_dir(&published(), &run);
    // Half the rows, ending on a full line: still a valid CSV.
    let text = std::fs::read_to_string(run.join("summary.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let cut = lines[..lines.len() / 2].join("\n") + "\n";
    std::fs::write(run.join("summary.csv"), cut).unwrap();
    let out = regiosim()
        .arg("report")
        .arg(&run)
        .arg("-o")
        .arg(dir.path().join("r.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("summary.csv") && err.contains("cut short") && err.contains("reproduce"),
        "{err}"
    );
    assert!(!dir.path().join("r.html").exists());

    // A file the report needs, listed in the manifest but gone.
    std::fs::write(run.join("summary.csv"), &text).unwrap();
    std::fs::remove_file(run.join("comparison.csv")).unwrap();
    let out = regiosim()
        .arg("report")
        .arg(&run)
        .arg("-o")
        .arg(dir.path().join("r.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("comparison.csv") && err.contains("missing"),
        "{err}"
    );
}

#[test]
fn markdown_and_html_reports_show_hostile_names_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let base = write_scenario(
        dir.path(),
        "base.toml",
        &format!(
            "extends = {:?}\nname = \"=HYPERLINK(\\\"http://x\\\")\"\ndescription = \"<script>alert(1)</script> ![x](http://evil/x.png)\\n# Owned\"\n[region]\nname = \"@Regio [klik](http://evil)\"\n",
            scenario("test-region.toml").display().to_string()
        ),
    );
    let variant = write_scenario(
        dir.path(),
        "variant.toml",
        "extends = \"base.toml\"\nname = \"-poh | *all*\"\n[huisarts]\npoh_coverage = 1.0\n",
    );
    let run = dir.path().join("run");
    regiosim()
        .arg("run")
        .args([&base, &variant])
        .args(["--replications", "3", "--years", "2", "--quiet", "--out"])
        .arg(&run)
        .assert()
        .success();

    let md = report(&run, &dir.path().join("r.md"), &["--format", "md"]);
    let lower = md.to_lowercase();
    assert!(
        !lower.contains("<script") && !lower.contains("<img"),
        "{md}"
    );
    assert!(!md.contains("](http"), "a link or image got through:\n{md}");
    assert!(
        !md.lines().any(|l| l.trim_start().starts_with("# Owned")),
        "an injected heading got through:\n{md}"
    );
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(md.contains("\\=HYPERLINK(\"http://x\")") && md.contains("\\# Owned"));
    // The variant's name in a table cell does not split the cell.
    assert!(md.contains("\\-poh \\| \\*all\\*"), "{md}");
    // Names read back from the CSV as written: the baseline's numbers are found.
    assert!(md.contains("wachten jongeren"), "{md}");

    let html = report(&run, &dir.path().join("r.html"), &[]);
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script") && !lower.contains("<img"));
    assert!(!html.lines().any(|l| l.trim_start().starts_with("# Owned")));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; ![x](http://evil/x.png) # Owned"));
    assert!(html.contains("=HYPERLINK(&quot;http://x&quot;)") && html.contains("wachten jongeren"));

    // No spreadsheet formula in any CSV cell of the run.
    for e in std::fs::read_dir(&run).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_path(&p)
                .unwrap();
            for rec in r.records() {
                for cell in rec.unwrap().iter() {
                    assert!(!cell.starts_with('='), "{}: cell {cell:?}", p.display());
                }
            }
        }
    }
}

#[test]
fn a_manifest_listing_an_output_outside_its_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    copy_dir(&published(), &run);
    let path = run.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    m["outputs"][0]["path"] = "../../etc/passwd".into();
    std::fs::write(&path, serde_json::to_string(&m).unwrap()).unwrap();
    let out = regiosim()
        .arg("report")
        .arg(&run)
        .arg("-o")
        .arg(dir.path().join("r.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("../../etc/passwd") && err.contains("not a file name"),
        "{err}"
    );
}
