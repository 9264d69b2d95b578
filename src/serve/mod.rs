//! `regiosim serve`: the what-if page. A local web application (axum on a
//! small tokio runtime; the simulations run on their own rayon pool) that
//! shows a baseline's levers, simulates each change against the baseline
//! with common random numbers and streams the paired differences as the
//! replications finish.
//!
//! Safe by construction: everything the page needs is compiled into the
//! binary and served with a strict Content-Security-Policy; the page makes
//! no request outside the server; request bodies are bounded; the only
//! files ever read are the scenarios named on the command line (addressed
//! by index); every lever value goes through the checks of a scenario
//! file; one simulation runs at a time and a newer request supersedes an
//! older one; on a loopback address only a loopback `Host` is served
//! (no DNS rebinding) and a POST must be JSON from the page's own origin.

pub mod compute;
pub mod levers;
mod report;
pub mod result;
pub mod text;
pub mod variant;

use crate::report::text::Lang;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use compute::{Engine, Job, Update};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use variant::Baseline;

/// The largest request body accepted (413 above it).
pub const MAX_BODY: usize = 64 * 1024;

/// The Content-Security-Policy of every response but a report download.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const INDEX: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

/// What `regiosim serve` was asked for.
#[derive(Debug, Clone)]
pub struct Config {
    pub scenarios: Vec<PathBuf>,
    pub bind: IpAddr,
    pub port: u16,
    pub replications: u32,
    pub years: u32,
    pub seed: u64,
    /// Simulation threads (0: one per core).
    pub threads: usize,
}

struct App {
    baselines: Vec<Baseline>,
    engine: Arc<Engine>,
    replications: u32,
    years: u32,
    seed: u64,
    /// `Some(port)` when bound to a loopback address: the `Host` must then
    /// be a loopback name with this port.
    loopback_port: Option<u16>,
}

/// A bound server, not yet serving.
pub struct Server {
    listener: std::net::TcpListener,
    app: Arc<App>,
}

/// Bad input to `serve` (a scenario, an address in use): exit code 2.
fn input(message: String) -> anyhow::Error {
    crate::cli::InputError(message).into()
}

impl Server {
    /// Loads the scenarios, starts the simulation worker and binds.
    pub fn bind(c: Config) -> anyhow::Result<Server> {
        if c.replications < 2 {
            return Err(input(
                "--replications must be at least 2: an interval needs two replications".into(),
            ));
        }
        if c.years == 0 {
            return Err(input("--years must be at least 1".into()));
        }
        let mut baselines: Vec<Baseline> = Vec::new();
        for p in &c.scenarios {
            let b = Baseline::new(p, c.years)?;
            if let Some(o) = baselines.iter().find(|o| o.name() == b.name()) {
                return Err(input(format!(
                    "scenarios {} and {} are both named `{}`; give each a unique `name`",
                    o.path.display(),
                    p.display(),
                    b.name()
                )));
            }
            baselines.push(b);
        }
        let addr = SocketAddr::new(c.bind, c.port);
        let listener = std::net::TcpListener::bind(addr).map_err(|e| {
            input(format!(
                "cannot listen on {addr}: {e}; choose another --port (0 takes a free one)"
            ))
        })?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let engine = Engine::start(c.replications, c.seed, c.threads)?;
        let app = Arc::new(App {
            baselines,
            engine,
            replications: c.replications,
            years: c.years,
            seed: c.seed,
            loopback_port: c.bind.is_loopback().then_some(port),
        });
        warm_up(&app);
        Ok(Server { listener, app })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the process ends.
    pub fn run(self) -> anyhow::Result<()> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        let app = self.app.clone();
        let router = Router::new()
            .route("/", get(index))
            .route("/app.js", get(app_js))
            .route("/app.css", get(app_css))
            .route("/api/config", get(config))
            .route("/api/run", post(run))
            .route("/api/scenario", post(save))
            .route("/api/report", post(make_report))
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(app.clone(), guard))
            .with_state(app);
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)?;
            axum::serve(listener, router).await
        })?;
        Ok(())
    }
}

/// Simulates the first baseline's replications ahead of the first request.
fn warm_up(app: &App) {
    let Some(b) = app.baselines.first() else {
        return;
    };
    app.engine.submit(Job {
        generation: app.engine.next_generation(),
        base: b.unit.clone(),
        variant: b.unit.clone(),
        gone: Arc::new(AtomicBool::new(false)),
        send: Box::new(|_| true),
    });
}

fn is_loopback_host(host: &str, port: u16) -> bool {
    let (name, p) = match host.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(':') && p.chars().all(|c| c.is_ascii_digit()) => {
            (n, p.parse::<u16>().ok())
        }
        _ => (host, Some(80)),
    };
    matches!(name, "127.0.0.1" | "localhost" | "[::1]") && p == Some(port)
}

/// Every request: the `Host` check on loopback, same-origin JSON for a
/// POST; every response: the security headers.
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if let Some(port) = app.loopback_port
        && !is_loopback_host(&host, port)
    {
        return secure(error(
            StatusCode::FORBIDDEN,
            "this server answers only requests to 127.0.0.1 or localhost (Host header)".into(),
        ));
    }
    if req.method() == Method::POST {
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|h| h.to_str().ok());
        if let Some(o) = origin
            && o != format!("http://{host}")
        {
            return secure(error(
                StatusCode::FORBIDDEN,
                "requests from another site are refused (Origin header)".into(),
            ));
        }
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|t| t.split(';').next().map(str::trim) == Some("application/json"));
        if !json {
            return secure(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the levers as JSON (Content-Type: application/json)".into(),
            ));
        }
        let too_long = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|n| n.parse::<u64>().map_or(true, |n| n > MAX_BODY as u64));
        if too_long {
            return secure(too_large());
        }
    }
    secure(next.run(req).await)
}

fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    let set = |h: &mut HeaderMap, k: header::HeaderName, v: &'static str| {
        if !h.contains_key(&k) {
            h.insert(k, HeaderValue::from_static(v));
        }
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::CACHE_CONTROL, "no-store");
    set(
        h,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    r
}

fn error(status: StatusCode, message: String) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

fn too_large() -> Response {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the request is larger than {} KiB", MAX_BODY / 1024),
    )
}

fn asset(kind: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], text).into_response()
}

async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX)
}

async fn app_js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

async fn app_css() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not found".into())
}

fn lang_of(s: Option<&str>) -> Lang {
    match s {
        Some("en") => Lang::En,
        _ => Lang::Nl,
    }
}

/// `lang` from the query string (`?lang=en`).
fn query_lang(uri: &Uri) -> Lang {
    lang_of(
        uri.query()
            .unwrap_or_default()
            .split('&')
            .find_map(|kv| kv.strip_prefix("lang=")),
    )
}

/// GET /api/config: the scenarios with their levers, and the page's words.
async fn config(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let lang = query_lang(&uri);
    let nl = lang == Lang::Nl;
    let scenarios: Vec<serde_json::Value> = app
        .baselines
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let s = &b.loaded.scenario;
            let description = levers::get(&b.table, "description_nl")
                .and_then(|d| d.as_str())
                .filter(|d| nl && !d.is_empty())
                .unwrap_or(&s.description);
            serde_json::json!({
                "index": i,
                "name": s.name,
                "file": b.file_name(),
                "path": b.path.display().to_string(),
                "description": description,
                "start_year": b.start_year(),
                "levers": levers::views(&b.table, nl),
            })
        })
        .collect();
    let body = serde_json::json!({
        "lang": if nl { "nl" } else { "en" },
        "replications": app.replications,
        "years": app.years,
        "seed": app.seed,
        "scenarios": scenarios,
        "figures": result::FIGURES.iter().map(|f| f.id).collect::<Vec<_>>(),
        "ui": text::ui(lang),
    });
    json_response(&body)
}

fn json_response(v: &serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        v.to_string(),
    )
        .into_response()
}

/// A parsed request: the baseline, the validated variant and the language.
struct Asked<'a> {
    base: &'a Baseline,
    variant: variant::Variant,
    lang: Lang,
}

/// Reads a bounded JSON body and builds the variant it asks for; the
/// error response says what is wrong (400) or that the body is too
/// large (413).
async fn asked(app: &App, body: Body) -> Result<Asked<'_>, Response> {
    let bytes: Bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| too_large())?;
    let bad = |m: String| error(StatusCode::BAD_REQUEST, m);
    let v: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("the request is not JSON: {e}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| bad("expected a JSON object {\"baseline\": 0, \"levers\": {...}}".into()))?;
    if let Some(k) = obj
        .keys()
        .find(|k| !matches!(k.as_str(), "baseline" | "levers" | "lang"))
    {
        return Err(bad(format!(
            "unknown field `{k}`; a request has `baseline`, `levers` and `lang`"
        )));
    }
    let n = app.baselines.len();
    let base = match obj.get("baseline") {
        None => app.baselines.first(),
        Some(serde_json::Value::Number(i)) => i
            .as_u64()
            .and_then(|i| app.baselines.get(usize::try_from(i).ok()?)),
        Some(serde_json::Value::String(s)) => app.baselines.iter().find(|b| b.name() == s),
        Some(_) => None,
    }
    .ok_or_else(|| {
        bad(format!(
            "`baseline`: no such scenario; give an index from 0 to {} or a scenario name",
            n.saturating_sub(1)
        ))
    })?;
    let empty = serde_json::Map::new();
    let values = match obj.get("levers") {
        None => &empty,
        Some(serde_json::Value::Object(m)) => m,
        Some(_) => return Err(bad("`levers`: expected an object of lever → value".into())),
    };
    let lang = lang_of(obj.get("lang").and_then(|l| l.as_str()));
    let variant = variant::build(base, values).map_err(bad)?;
    Ok(Asked {
        base,
        variant,
        lang,
    })
}

/// POST /api/run: the comparison as NDJSON lines, one as each replication
/// pair finishes (`progress`), then `done` (or `superseded` when a newer
/// request took over).
async fn run(State(app): State<Arc<App>>, body: Body) -> Response {
    let a = match asked(&app, body).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let start_year = a.base.start_year();
    let total = app.replications;
    let lang = a.lang;
    let command = variant::command(a.base, app.years, app.replications, app.seed);
    let unchanged = a.variant.overrides.is_empty();
    let started = Instant::now();
    let send = move |u: Update| -> bool {
        let line = match u {
            Update::Superseded => serde_json::json!({ "type": "superseded" }),
            Update::Progress { base, variant } | Update::Done { base, variant } => {
                let done = base.len();
                let kind = if done == total as usize {
                    "done"
                } else {
                    "progress"
                };
                serde_json::json!({
                    "type": kind,
                    "done": done,
                    "total": total,
                    "elapsed_ms": started.elapsed().as_millis() as u64,
                    "unchanged": unchanged,
                    "command": command,
                    "comparison": result::compare(&base, &variant, start_year, lang),
                })
            }
        };
        tx.send(format!("{line}\n")).is_ok()
    };
    app.engine.submit(Job {
        generation: app.engine.next_generation(),
        base: a.base.unit.clone(),
        variant: a.variant.unit.clone(),
        gone: Arc::new(AtomicBool::new(false)),
        send: Box::new(send),
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        let line = rx.recv().await?;
        Some((Ok::<_, std::convert::Infallible>(line), rx))
    });
    (
        [(header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8")],
        Body::from_stream(stream),
    )
        .into_response()
}

/// POST /api/scenario: the variant as a scenario file to download.
async fn save(State(app): State<Arc<App>>, body: Body) -> Response {
    let a = match asked(&app, body).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let text = variant::scenario_file(a.base, &a.variant, app.replications, app.seed);
    let disposition = format!("attachment; filename=\"{}\"", variant::file_name(a.base));
    let mut r = (
        [(header::CONTENT_TYPE, "application/toml; charset=utf-8")],
        text,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The Content-Security-Policy of a report download: its own inline
/// styles, nothing fetched.
const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// POST /api/report: the `regiosim report` HTML of the view, once its
/// replications are computed (409 before).
async fn make_report(State(app): State<Arc<App>>, body: Body) -> Response {
    let a = match asked(&app, body).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let runs = [
        app.engine.cached(&a.base.unit.key),
        app.engine.cached(&a.variant.unit.key),
    ];
    let n = app.replications as usize;
    if runs.iter().any(|r| r.len() < n) {
        return error(
            StatusCode::CONFLICT,
            "this view is still being computed; make the report when it is done".into(),
        );
    }
    let (replications, seed, lang) = (app.replications, app.seed, a.lang);
    let file = variant::file_name(a.base).replace(".toml", "-rapport.html");
    // A few small files written and read back: quick enough to do here.
    let html = report::html(a.base, &a.variant, runs, replications, seed, lang);
    match html {
        Ok(html) => {
            let mut r = (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CONTENT_SECURITY_POLICY, REPORT_CSP),
                ],
                html,
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot make the report: {}", crate::cli::error_text(&e)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_loopback_host_with_our_port_is_served() {
        assert!(is_loopback_host("127.0.0.1:8080", 8080));
        assert!(is_loopback_host("localhost:8080", 8080));
        assert!(is_loopback_host("[::1]:8080", 8080));
        assert!(is_loopback_host("localhost", 80));
        assert!(!is_loopback_host("evil.example:8080", 8080));
        assert!(!is_loopback_host("127.0.0.1:8081", 8080));
        assert!(!is_loopback_host("", 8080));
        assert!(!is_loopback_host("127.0.0.1.evil.example:8080", 8080));
    }
}
