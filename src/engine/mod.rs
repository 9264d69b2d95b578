//! The discrete-event core: integer time, a FIFO-tie event queue (optionally
//! bucketed), counter-based random streams and the event loop.
//!
//! Invariant: nothing in this module does I/O, prints or exits. Progress is
//! reported through a callback that the caller supplies.

mod queue;
mod rng;
mod run;

pub use queue::{EventQueue, ScheduleError};
pub use rng::{Decision, Philox4x32, Stream, StreamKey};
pub use run::{Handler, Progress, run_until};

/// Simulated time in integer ticks. The regional model uses one tick per
/// minute; other models (such as the M/M/c example) choose their own unit.
pub type Time = u64;

/// Ticks per time unit for models that count in minutes.
pub mod minutes {
    use super::Time;
    pub const HOUR: Time = 60;
    pub const DAY: Time = 24 * HOUR;
    pub const WEEK: Time = 7 * DAY;
    /// A model year: 52 weeks and one day (365 days; leap days are ignored).
    pub const YEAR: Time = 365 * DAY;
}
