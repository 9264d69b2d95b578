//! An M/M/c queue built on the engine, and the Erlang C formula it must
//! reproduce: the reference check that the event loop, the queue and the
//! random streams are right. Used by `examples/mmc.rs`, the tests and benches.

use crate::engine::{EventQueue, Handler, Stream, StreamKey, Time, run_until};
use std::collections::VecDeque;

/// Ticks per model time unit: exponential times are rounded to 1e-6 units.
pub const TICKS: f64 = 1_000_000.0;

/// The command line of the M/M/c examples.
#[derive(Debug, Clone, clap::Parser)]
pub struct MmcArgs {
    #[arg(long, default_value_t = 5)]
    pub servers: u32,
    #[arg(long, default_value_t = 4.0)]
    pub arrival_rate: f64,
    #[arg(long, default_value_t = 1.0)]
    pub service_rate: f64,
    #[arg(long, default_value_t = 1_000_000)]
    pub customers: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

impl MmcArgs {
    /// The queue of these arguments; the first 1% of customers is warm-up.
    pub fn params(&self) -> MmcParams {
        MmcParams {
            servers: self.servers,
            arrival_rate: self.arrival_rate,
            service_rate: self.service_rate,
            customers: self.customers,
            warmup_customers: self.customers / 100,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MmcParams {
    pub servers: u32,
    pub arrival_rate: f64,
    pub service_rate: f64,
    pub customers: u64,
    /// Customers at the start whose waits are not counted (initial transient).
    pub warmup_customers: u64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MmcResult {
    /// Mean wait in the queue (before service starts), in time units.
    pub mean_wait: f64,
    pub customers_counted: u64,
    pub events: u64,
}

#[derive(Clone, Copy)]
enum Ev {
    Arrival,
    Departure,
}

struct Mmc {
    p: MmcParams,
    arrivals: Stream,
    services: Stream,
    busy: u32,
    waiting: VecDeque<(u64, Time)>,
    arrived: u64,
    wait_sum: f64,
    counted: u64,
}

impl Mmc {
    fn ticks(x: f64) -> Time {
        (x * TICKS).round() as Time
    }

    fn start_service(
        &mut self,
        customer: u64,
        arrived_at: Time,
        now: Time,
        q: &mut EventQueue<Ev>,
    ) {
        if customer >= self.p.warmup_customers {
            self.wait_sum += (now - arrived_at) as f64 / TICKS;
            self.counted += 1;
        }
        let s = self
            .services
            .exponential(self.p.service_rate)
            .unwrap_or(0.0);
        q.schedule_in(Self::ticks(s), Ev::Departure);
    }
}

impl Handler<Ev> for Mmc {
    #[inline]
    fn handle(&mut self, now: Time, ev: Ev, q: &mut EventQueue<Ev>) {
        match ev {
            Ev::Arrival => {
                let id = self.arrived;
                self.arrived += 1;
                if self.arrived < self.p.customers {
                    let gap = self
                        .arrivals
                        .exponential(self.p.arrival_rate)
                        .unwrap_or(0.0);
                    q.schedule_in(Self::ticks(gap), Ev::Arrival);
                }
                if self.busy < self.p.servers {
                    self.busy += 1;
                    self.start_service(id, now, now, q);
                } else {
                    self.waiting.push_back((id, now));
                }
            }
            Ev::Departure => match self.waiting.pop_front() {
                Some((id, at)) => self.start_service(id, at, now, q),
                None => self.busy -= 1,
            },
        }
    }
}

/// Simulates one replication of the M/M/c queue.
pub fn simulate_mmc(p: MmcParams, seed: u64, replication: u32) -> MmcResult {
    let key = StreamKey::new(seed, replication);
    let mut m = Mmc {
        p,
        arrivals: key.stream(0, 0),
        services: key.stream(1, 0),
        busy: 0,
        waiting: VecDeque::new(),
        arrived: 0,
        wait_sum: 0.0,
        counted: 0,
    };
    let mut q = EventQueue::with_capacity(p.servers as usize + 1);
    if p.customers > 0 {
        q.schedule_in(0, Ev::Arrival);
    }
    let events = run_until(&mut m, &mut q, Time::MAX, &mut |_| {});
    MmcResult {
        mean_wait: if m.counted > 0 {
            m.wait_sum / m.counted as f64
        } else {
            0.0
        },
        customers_counted: m.counted,
        events,
    }
}

/// Erlang C: the probability that an arriving customer has to wait in an
/// M/M/c queue. `None` when the queue is unstable (utilisation >= 1).
pub fn erlang_c(servers: u32, arrival_rate: f64, service_rate: f64) -> Option<f64> {
    let a = arrival_rate / service_rate;
    let c = f64::from(servers);
    let rho = a / c;
    if servers == 0 || !(0.0..1.0).contains(&rho) {
        return None;
    }
    // Sum a^k/k! iteratively to stay finite for large c.
    let mut term = 1.0;
    let mut sum = 0.0;
    for k in 0..servers {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    let tail = term / (1.0 - rho);
    Some(tail / (sum + tail))
}

/// Mean wait in the queue of an M/M/c queue in steady state.
pub fn erlang_c_mean_wait(servers: u32, arrival_rate: f64, service_rate: f64) -> Option<f64> {
    let pw = erlang_c(servers, arrival_rate, service_rate)?;
    Some(pw / (f64::from(servers) * service_rate - arrival_rate))
}

/// The same M/M/c queue as a bare loop over a `BinaryHeap` — no engine,
/// no handler trait, no progress callback — with the same random streams:
/// the yardstick for the engine's overhead (`benches/engine.rs`,
/// `examples/mmc_heap.rs`). Returns the same result as [`simulate_mmc`].
pub fn simulate_mmc_bare(p: MmcParams, seed: u64, replication: u32) -> MmcResult {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let key = StreamKey::new(seed, replication);
    let (mut arrivals, mut services) = (key.stream(0, 0), key.stream(1, 0));
    let ticks = |x: f64| (x * TICKS).round() as Time;
    // (time, insertion number, is_departure)
    let mut heap: BinaryHeap<Reverse<(Time, u64, bool)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut waiting: VecDeque<(u64, Time)> = VecDeque::new();
    let (mut busy, mut arrived, mut counted, mut events) = (0u32, 0u64, 0u64, 0u64);
    let mut wait_sum = 0.0;
    if p.customers > 0 {
        heap.push(Reverse((0, seq, false)));
        seq += 1;
    }
    while let Some(Reverse((now, _, departure))) = heap.pop() {
        events += 1;
        let mut start = |id: u64,
                         at: Time,
                         heap: &mut BinaryHeap<Reverse<(Time, u64, bool)>>,
                         seq: &mut u64| {
            if id >= p.warmup_customers {
                wait_sum += (now - at) as f64 / TICKS;
                counted += 1;
            }
            let s = services.exponential(p.service_rate).unwrap_or(0.0);
            heap.push(Reverse((now + ticks(s), *seq, true)));
            *seq += 1;
        };
        if departure {
            match waiting.pop_front() {
                Some((id, at)) => start(id, at, &mut heap, &mut seq),
                None => busy -= 1,
            }
        } else {
            let id = arrived;
            arrived += 1;
            if arrived < p.customers {
                let gap = arrivals.exponential(p.arrival_rate).unwrap_or(0.0);
                heap.push(Reverse((now + ticks(gap), seq, false)));
                seq += 1;
            }
            if busy < p.servers {
                busy += 1;
                start(id, now, &mut heap, &mut seq);
            } else {
                waiting.push_back((id, now));
            }
        }
    }
    MmcResult {
        mean_wait: if counted > 0 {
            wait_sum / counted as f64
        } else {
            0.0
        },
        customers_counted: counted,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bare_loop_computes_what_the_engine_computes() {
        let p = MmcParams {
            servers: 3,
            arrival_rate: 2.5,
            service_rate: 1.0,
            customers: 20_000,
            warmup_customers: 100,
        };
        assert_eq!(simulate_mmc(p, 5, 1), simulate_mmc_bare(p, 5, 1));
    }

    #[test]
    fn erlang_c_known_values() {
        // M/M/1: P(wait) = rho, Wq = rho / (mu - lambda).
        assert!((erlang_c(1, 0.5, 1.0).unwrap() - 0.5).abs() < 1e-12);
        assert!((erlang_c_mean_wait(1, 0.5, 1.0).unwrap() - 1.0).abs() < 1e-12);
        // c = 2, a = 1: C = (1/2 * 2) / (1 + 1 + 1) = 1/3.
        assert!((erlang_c(2, 1.0, 1.0).unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(erlang_c(2, 2.0, 1.0), None);
    }
}
