//! The simulations behind the page: one job at a time on a worker thread,
//! its replications in parallel on a rayon pool, a newer job superseding
//! an older one (checked before each replication starts), and every
//! finished replication cached by its scenario's resolved text, so the
//! baseline and views seen before are not simulated again.

use super::variant::Unit;
use crate::model::run_replication;
use crate::output::tables::RunRows;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// Scenarios kept in the cache (each holds its replications' metrics:
/// a few kilobytes per replication).
const CACHED_SCENARIOS: usize = 64;

/// Finished replications by scenario key, the oldest forgotten first.
#[derive(Default)]
struct Cache {
    runs: HashMap<String, BTreeMap<u32, Arc<RunRows>>>,
    order: VecDeque<String>,
}

impl Cache {
    fn get(&self, key: &str) -> BTreeMap<u32, Arc<RunRows>> {
        self.runs.get(key).cloned().unwrap_or_default()
    }

    fn insert(&mut self, key: &str, r: u32, rows: Arc<RunRows>) {
        if !self.runs.contains_key(key) {
            self.order.push_back(key.to_string());
            while self.order.len() > CACHED_SCENARIOS {
                if let Some(old) = self.order.pop_front() {
                    self.runs.remove(&old);
                }
            }
        }
        self.runs
            .entry(key.to_string())
            .or_default()
            .insert(r, rows);
    }
}

/// What a job reports, in order: `Progress` after each replication pair
/// that completes (none for pairs found in the cache), then `Done` or
/// `Superseded`.
pub enum Update {
    Progress {
        base: Vec<Arc<RunRows>>,
        variant: Vec<Arc<RunRows>>,
    },
    Done {
        base: Vec<Arc<RunRows>>,
        variant: Vec<Arc<RunRows>>,
    },
    Superseded,
}

/// A request to compare `variant` with `base` over `replications`.
pub struct Job {
    pub generation: u64,
    pub base: Arc<Unit>,
    pub variant: Arc<Unit>,
    /// Set when the client has gone: the job stops as if superseded.
    pub gone: Arc<AtomicBool>,
    pub send: Box<dyn Fn(Update) -> bool + Send>,
}

pub struct Engine {
    replications: u32,
    seed: u64,
    latest: Arc<AtomicU64>,
    cache: Arc<Mutex<Cache>>,
    pending: Mutex<Option<Job>>,
    wake: Condvar,
    pool: rayon::ThreadPool,
}

impl Engine {
    /// An engine whose worker thread runs for the life of the process.
    pub fn start(replications: u32, seed: u64, threads: usize) -> anyhow::Result<Arc<Engine>> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("regiosim-sim-{i}"))
            .build()?;
        let engine = Arc::new(Engine {
            replications,
            seed,
            latest: Arc::new(AtomicU64::new(0)),
            cache: Arc::default(),
            pending: Mutex::new(None),
            wake: Condvar::new(),
            pool,
        });
        let worker = engine.clone();
        std::thread::Builder::new()
            .name("regiosim-serve-worker".into())
            .spawn(move || worker.work())?;
        Ok(engine)
    }

    /// A new generation: every job of an older one is superseded.
    pub fn next_generation(&self) -> u64 {
        self.latest.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Queues `job`; a job still waiting is superseded by it at once.
    pub fn submit(&self, job: Job) {
        let old = self
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .replace(job);
        if let Some(old) = old {
            (old.send)(Update::Superseded);
        }
        self.wake.notify_one();
    }

    /// The cached replications of a scenario.
    pub fn cached(&self, key: &str) -> BTreeMap<u32, Arc<RunRows>> {
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
    }

    fn work(&self) {
        loop {
            let job = {
                let mut slot = self.pending.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if let Some(job) = slot.take() {
                        break job;
                    }
                    slot = self.wake.wait(slot).unwrap_or_else(|e| e.into_inner());
                }
            };
            self.run(job);
        }
    }

    fn run(&self, job: Job) {
        let latest = self.latest.clone();
        let (generation, gone) = (job.generation, job.gone.clone());
        let stale =
            move || latest.load(Ordering::SeqCst) != generation || gone.load(Ordering::SeqCst);
        if stale() {
            (job.send)(Update::Superseded);
            return;
        }
        let (mut base, mut variant) = {
            let c = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            (c.get(&job.base.key), c.get(&job.variant.key))
        };
        let same = job.base.key == job.variant.key;
        let (tx, rx) = std::sync::mpsc::channel::<(bool, u32, Arc<RunRows>)>();
        for r in 0..self.replications {
            for (is_base, unit, have) in [(true, &job.base, &base), (false, &job.variant, &variant)]
            {
                if have.contains_key(&r) || (same && !is_base) {
                    continue;
                }
                let (unit, tx, stale, cache, seed) = (
                    unit.clone(),
                    tx.clone(),
                    stale.clone(),
                    self.cache.clone(),
                    self.seed,
                );
                self.pool.spawn(move || {
                    if stale() {
                        return;
                    }
                    let result = run_replication(&unit.scenario, seed, r, &mut |_| {});
                    let rows = Arc::new(RunRows::from_result(r, &result));
                    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(
                        &unit.key,
                        r,
                        rows.clone(),
                    );
                    let _ = tx.send((is_base, r, rows));
                });
            }
        }
        drop(tx);
        let pairs = |base: &BTreeMap<u32, Arc<RunRows>>, variant: &BTreeMap<u32, Arc<RunRows>>| {
            let v = if same { base } else { variant };
            base.iter()
                .filter_map(|(r, b)| Some((b.clone(), v.get(r)?.clone())))
                .unzip::<_, _, Vec<_>, Vec<_>>()
        };
        let mut client_here = true;
        for (is_base, r, rows) in rx {
            let (mine, other) = if is_base {
                (&mut base, &variant)
            } else {
                (&mut variant, &base)
            };
            mine.insert(r, rows);
            let complete = same || other.contains_key(&r);
            if complete && client_here && !stale() {
                let (b, v) = pairs(&base, &variant);
                if b.len() == self.replications as usize {
                    continue; // `Done` follows
                }
                client_here = (job.send)(Update::Progress {
                    base: b,
                    variant: v,
                });
                if !client_here {
                    job.gone.store(true, Ordering::SeqCst);
                }
            }
        }
        let (b, v) = pairs(&base, &variant);
        if stale() || b.len() < self.replications as usize {
            (job.send)(Update::Superseded);
        } else {
            (job.send)(Update::Done {
                base: b,
                variant: v,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn unit() -> Arc<Unit> {
        let b = crate::serve::variant::Baseline::new(
            std::path::Path::new("scenarios/test-region.toml"),
            1,
        )
        .unwrap();
        b.unit.clone()
    }

    /// A job whose updates arrive on the returned channel.
    fn job(engine: &Engine, unit: &Arc<Unit>) -> (Job, mpsc::Receiver<&'static str>) {
        let (tx, rx) = mpsc::channel();
        let job = Job {
            generation: engine.next_generation(),
            base: unit.clone(),
            variant: unit.clone(),
            gone: Arc::new(AtomicBool::new(false)),
            send: Box::new(move |u| {
                let kind = match u {
                    Update::Progress { .. } => "progress",
                    Update::Done { .. } => "done",
                    Update::Superseded => "superseded",
                };
                tx.send(kind).is_ok()
            }),
        };
        (job, rx)
    }

    #[test]
    fn a_newer_request_supersedes_a_waiting_and_a_stale_one() {
        let engine = Engine::start(2, 1, 1).unwrap();
        let u = unit();
        // Keep the worker busy: a job that blocks in its first update.
        let (release, blocked) = mpsc::channel::<()>();
        let (entered_tx, entered) = mpsc::channel::<()>();
        let blocker = Job {
            generation: engine.next_generation(),
            base: u.clone(),
            variant: u.clone(),
            gone: Arc::new(AtomicBool::new(false)),
            send: Box::new(move |_| {
                let _ = entered_tx.send(());
                let _ = blocked.recv();
                true
            }),
        };
        engine.submit(blocker);
        entered.recv().unwrap();
        // A waits; B replaces it: A is superseded at once, without results.
        let (a, a_rx) = job(&engine, &u);
        engine.submit(a);
        let (b, b_rx) = job(&engine, &u);
        engine.submit(b);
        assert_eq!(a_rx.recv().unwrap(), "superseded");
        // C is older than the newest generation when it starts: superseded.
        let (c, c_rx) = job(&engine, &u);
        let _ = engine.next_generation();
        drop(b_rx);
        engine.submit(c);
        drop(release);
        assert_eq!(c_rx.recv().unwrap(), "superseded");
        assert!(c_rx.recv().is_err(), "a superseded job sent more");
        assert!(a_rx.recv().is_err(), "a superseded job sent more");
    }

    #[test]
    fn finished_replications_are_cached_and_not_run_again() {
        let engine = Engine::start(2, 1, 1).unwrap();
        let u = unit();
        let (j, rx) = job(&engine, &u);
        engine.submit(j);
        assert_eq!(rx.iter().last(), Some("done"));
        let cached = engine.cache.lock().unwrap().get(&u.key).len();
        assert_eq!(cached, 2);
        // All cached: done at once, no progress lines.
        let (j, rx) = job(&engine, &u);
        engine.submit(j);
        assert_eq!(rx.iter().collect::<Vec<_>>(), vec!["done"]);
    }
}
