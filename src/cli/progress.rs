//! The one progress-bar factory: hidden when stdout is not a terminal, with
//! `--quiet`, or when NO_COLOR is set.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub fn bar(len: u64, what: &str, quiet: bool) -> ProgressBar {
    let hidden =
        quiet || !std::io::stdout().is_terminal() || std::env::var_os("NO_COLOR").is_some();
    let bar = ProgressBar::with_draw_target(
        Some(len),
        if hidden {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stdout()
        },
    );
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} {per_sec} ETA {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}
