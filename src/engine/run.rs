//! The event loop: pop, dispatch, report progress.

use super::{EventQueue, Time};

/// A model that reacts to its events by changing state and scheduling more.
pub trait Handler<E> {
    fn handle(&mut self, now: Time, event: E, queue: &mut EventQueue<E>);

    /// A hint that `next` is probably the event after the one about to be
    /// handled: a model may start loading the memory it will touch, so the
    /// load overlaps the current event's work. Must not change any state.
    #[inline]
    fn prefetch(&self, _next: &E) {}
}

/// What the loop reports to its progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub now: Time,
    pub end: Time,
    pub events: u64,
}

/// How many events run between two progress reports.
const REPORT_EVERY: u64 = 1 << 16;

/// Runs events with time <= `end` in (time, insertion) order, then advances
/// the clock to `end`. Returns the number of events handled.
pub fn run_until<E: Copy, H: Handler<E> + ?Sized>(
    model: &mut H,
    queue: &mut EventQueue<E>,
    end: Time,
    progress: &mut dyn FnMut(Progress),
) -> u64 {
    let mut events = 0u64;
    while let Some((now, ev)) = queue.pop_until(end) {
        if let Some(next) = queue.peek_near() {
            model.prefetch(next);
        }
        model.handle(now, ev, queue);
        events += 1;
        if events.is_multiple_of(REPORT_EVERY) {
            progress(Progress { now, end, events });
        }
    }
    queue.advance_to(end);
    progress(Progress {
        now: end,
        end,
        events,
    });
    events
}
