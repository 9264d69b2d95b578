//! `regiosim completions SHELL` (a completion script on stdout) and
//! `regiosim man [SUBCOMMAND] [--out DIR]` (the manual page on stdout, or
//! every page written to DIR), both generated from the argument
//! definitions, so they never drift from `--help`.

use super::{Cli, InputError};
use anyhow::Context;
use clap::CommandFactory;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  regiosim completions bash > ~/.local/share/bash-completion/completions/regiosim
  regiosim completions zsh > ~/.zfunc/_regiosim
  regiosim completions fish > ~/.config/fish/completions/regiosim.fish")]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  regiosim man | man -l -
  regiosim man run | man -l -
  regiosim man --out /usr/local/share/man/man1")]
pub struct ManArgs {
    /// The page of one subcommand (default: regiosim's own page).
    pub subcommand: Option<String>,
    /// Write every page (regiosim.1, regiosim-run.1, ...) into this folder
    /// instead of one page on standard output.
    #[arg(
        short = 'o',
        long = "out",
        value_name = "DIR",
        conflicts_with = "subcommand"
    )]
    pub out: Option<PathBuf>,
}

pub fn completions(a: CompletionsArgs) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "regiosim", &mut buf);
    super::print_stdout(&String::from_utf8_lossy(&buf));
    Ok(())
}

pub fn man(a: ManArgs) -> anyhow::Result<()> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    if let Some(dir) = a.out {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        clap_mangen::generate_to(cmd, &dir)
            .with_context(|| format!("cannot write the manual pages to {}", dir.display()))?;
        return Ok(());
    }
    let page = match a.subcommand {
        None => cmd,
        Some(name) => {
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .collect();
            cmd.find_subcommand(&name).cloned().ok_or_else(|| {
                InputError(format!(
                    "`{name}` is no subcommand; one of: {}",
                    names.join(", ")
                ))
            })?
        }
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf)?;
    super::print_stdout(&String::from_utf8_lossy(&buf));
    Ok(())
}
