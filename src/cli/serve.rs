//! `regiosim serve SCENARIO... [--port P] [--bind ADDR]`: the what-if page
//! (see `crate::serve`). The first line on stdout is the page's address.

use crate::serve::{Config, Server};
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Scenario files the page offers as baselines (the first is shown first).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; the default serves this computer only.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Replications per view (replication r shares random streams across scenarios).
    #[arg(long, default_value_t = 10)]
    pub replications: u32,
    /// Output years, overriding `simulation.years` of every scenario.
    #[arg(long, default_value_t = 5)]
    pub years: u32,
    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Simulation threads (0: one per core). Never changes the results.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

pub fn serve(a: ServeArgs) -> anyhow::Result<()> {
    let server = Server::bind(Config {
        scenarios: a.scenarios,
        bind: a.bind,
        port: a.port,
        replications: a.replications,
        years: a.years,
        seed: a.seed,
        threads: a.threads,
    })?;
    let addr = server.local_addr()?;
    super::print_stdout(&format!("http://{addr}/\n"));
    eprintln!("regiosim serve: the what-if page is at http://{addr}/ (Ctrl-C stops it)");
    server.run()
}
