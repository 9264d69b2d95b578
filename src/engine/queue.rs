//! The future-event list: a binary heap ordered by (time, insertion number),
//! so events at equal times run in the order they were scheduled.

use super::Time;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Scheduling an event before the current time is a programming error in the
/// model; it is reported, never silently reordered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot schedule an event at time {at}, which is before the current time {now}")]
pub struct ScheduleError {
    pub at: Time,
    pub now: Time,
}

struct Entry<E> {
    time: Time,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // BinaryHeap is a max-heap: reverse so the earliest (time, seq) is on top.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// A priority queue of future events with a clock.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
    now: Time,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(capacity),
            next_seq: 0,
            now: 0,
        }
    }

    /// The current simulated time: the time of the last event popped.
    #[inline]
    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedules `event` at absolute time `at`; `at` must not be in the past.
    #[inline]
    pub fn schedule_at(&mut self, at: Time, event: E) -> Result<(), ScheduleError> {
        if at < self.now {
            return Err(ScheduleError { at, now: self.now });
        }
        self.push(at, event);
        Ok(())
    }

    /// Schedules `event` after `delay` ticks from now (never in the past).
    #[inline]
    pub fn schedule_in(&mut self, delay: Time, event: E) {
        let at = self.now.saturating_add(delay);
        self.push(at, event);
    }

    #[inline]
    fn push(&mut self, time: Time, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
    }

    /// Time of the next event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.peek().map(|e| e.time)
    }

    /// Removes the next event and advances the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        let e = self.heap.pop()?;
        self.now = e.time;
        Some((e.time, e.event))
    }

    /// Advances the clock without an event (to the end of a run window).
    /// The clock never moves backwards.
    pub fn advance_to(&mut self, t: Time) {
        self.now = self.now.max(t);
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

/// Per-entity version numbers for lazy cancellation: an event carries the
/// version of its entity at scheduling time and is dropped as stale when the
/// entity's version has moved on since.
#[derive(Debug, Clone, Default)]
pub struct Versions(Vec<u32>);

impl Versions {
    pub fn new(entities: usize) -> Self {
        Versions(vec![0; entities])
    }

    /// Adds an entity and returns its id.
    pub fn push(&mut self) -> usize {
        self.0.push(0);
        self.0.len() - 1
    }

    /// The current version of `entity`, to stamp on a new event.
    #[inline]
    pub fn current(&self, entity: usize) -> u32 {
        self.0[entity]
    }

    /// Invalidates every pending event of `entity`; returns the new version.
    #[inline]
    pub fn bump(&mut self, entity: usize) -> u32 {
        let v = &mut self.0[entity];
        *v = v.wrapping_add(1);
        *v
    }

    #[inline]
    pub fn is_current(&self, entity: usize, version: u32) -> bool {
        self.0[entity] == version
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_pop_in_insertion_order() {
        let mut q = EventQueue::new();
        for i in 0..100 {
            q.schedule_in(5, i);
        }
        q.schedule_in(1, -1);
        assert_eq!(q.pop(), Some((1, -1)));
        for i in 0..100 {
            assert_eq!(q.pop(), Some((5, i)));
        }
        assert!(q.pop().is_none());
    }

    #[test]
    fn scheduling_in_the_past_is_an_error() {
        let mut q = EventQueue::new();
        q.schedule_in(10, ());
        q.pop();
        assert_eq!(q.schedule_at(3, ()), Err(ScheduleError { at: 3, now: 10 }));
        assert!(q.schedule_at(10, ()).is_ok());
    }

    #[test]
    fn stale_versions_are_detected() {
        let mut v = Versions::new(2);
        let stamp = v.current(1);
        assert!(v.is_current(1, stamp));
        v.bump(1);
        assert!(!v.is_current(1, stamp));
        assert!(v.is_current(0, 0));
    }
}
