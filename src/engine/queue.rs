//! The future-event list: a binary heap ordered by (time, insertion number),
//! so events at equal times run in the order they were scheduled.

use super::Time;
use crate::checkpoint::codec::{DecodeError, Reader, Writer};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

/// Scheduling an event before the current time is a programming error in the
/// model; it is reported, never silently reordered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot schedule an event at time {at}, which is before the current time {now}")]
pub struct ScheduleError {
    pub at: Time,
    pub now: Time,
}

/// A heap entry: (time, insertion number) packed into one `u128`, so the
/// heap compares one integer per step; equal times order by insertion.
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E: Copy> Clone for Entry<E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E: Copy> Copy for Entry<E> {}

impl<E> Entry<E> {
    #[inline]
    fn time(&self) -> Time {
        (self.key >> 64) as Time
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // BinaryHeap is a max-heap: reverse so the earliest key is on top.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// Far buckets kept in a vector indexed by bucket number (with 28-day
/// buckets, 5,000 years); later ones in a `BTreeMap`.
const DENSE_BUCKETS: Time = 1 << 16;

/// A priority queue of future events (small `Copy` values) with a clock.
///
/// Optionally bucketed (a two-level calendar queue): events before
/// `near_end` are near, later ones wait in buckets of `width` ticks. When
/// the near events run out, the next bucket is sorted once into `run`, which
/// is then consumed from its end; events scheduled into the near window
/// after that go to a binary heap, and each pop takes the earlier of the two.
/// A model with many far-future events (every healthy student's next onset)
/// then touches its events almost sequentially instead of walking a large
/// heap. The order of events is the same with or without buckets: by (time,
/// insertion number).
///
/// A bucket is sorted by a stable radix sort on the time within the bucket
/// (two 8-bit passes for a bucket of up to 65,536 ticks): its events were
/// appended in insertion order, so equal times keep that order, and the
/// sort costs the same per event whatever the number of events.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    /// A bucket's events sorted by descending key: the next one is last.
    run: Vec<Entry<E>>,
    /// Events at or after `near_end`, indexed by bucket number (time /
    /// width); buckets before `next_bucket` have been taken. Bucket numbers
    /// from `DENSE_BUCKETS` on wait in `overflow` instead.
    far: Vec<Vec<Entry<E>>>,
    next_bucket: usize,
    overflow: BTreeMap<Time, Vec<Entry<E>>>,
    far_len: usize,
    /// Events after this time would never run: they are not kept.
    horizon: Time,
    /// The radix sort's second buffer, kept between buckets.
    scratch: Vec<Entry<E>>,
    width: Time,
    /// `heap` and `run` hold exactly the events before this time.
    near_end: Time,
    next_seq: u64,
    now: Time,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// A queue without buckets: one binary heap.
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_buckets(capacity, Time::MAX)
    }

    /// A bucketed queue: events are sorted `width` ticks at a time.
    /// `capacity` is the expected number of events in the heap.
    pub fn with_buckets(capacity: usize, width: Time) -> Self {
        let width = width.max(1);
        EventQueue {
            heap: BinaryHeap::with_capacity(capacity),
            run: Vec::new(),
            far: Vec::new(),
            next_bucket: 0,
            overflow: BTreeMap::new(),
            far_len: 0,
            horizon: Time::MAX,
            scratch: Vec::new(),
            width,
            near_end: width,
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
        let e = Entry {
            key: (u128::from(time) << 64) | u128::from(seq),
            event,
        };
        if time > self.horizon {
            return;
        }
        if time < self.near_end {
            self.heap.push(e);
            return;
        }
        let bucket = time / self.width;
        if bucket < DENSE_BUCKETS {
            let b = bucket as usize;
            if b >= self.far.len() {
                self.far.resize_with(b + 1, Vec::new);
            }
            self.far[b].push(e);
        } else {
            self.overflow.entry(bucket).or_default().push(e);
        }
        self.far_len += 1;
    }

    /// The next bucket with events, taken out of `far` or `overflow`.
    fn next_far_bucket(&mut self) -> Option<(Time, Vec<Entry<E>>)> {
        while self.next_bucket < self.far.len() {
            let b = self.next_bucket;
            self.next_bucket += 1;
            if !self.far[b].is_empty() {
                return Some((b as Time, std::mem::take(&mut self.far[b])));
            }
        }
        self.overflow.pop_first()
    }

    /// Sorts the next bucket into `run` when the near events have run out.
    #[inline]
    fn refill(&mut self) {
        if !self.heap.is_empty() || !self.run.is_empty() || self.far_len == 0 {
            return;
        }
        if let Some((bucket, mut entries)) = self.next_far_bucket() {
            let start = bucket.saturating_mul(self.width);
            self.near_end = (bucket + 1).saturating_mul(self.width);
            self.far_len -= entries.len();
            let bits = Time::BITS - (self.width - 1).leading_zeros();
            if bits <= 32 {
                radix_sort_descending(&mut entries, &mut self.scratch, start, bits);
            } else {
                entries.sort_unstable_by_key(|e| std::cmp::Reverse(e.key));
            }
            self.run = entries;
        }
    }

    /// Whether the next near event is the last of `run` (else the heap's top).
    #[inline]
    fn next_is_run(&self) -> bool {
        match (self.run.last(), self.heap.peek()) {
            (Some(r), Some(h)) => r.key < h.key,
            (r, _) => r.is_some(),
        }
    }

    /// The last of `run` if `from_run`, else the heap's top.
    #[inline]
    fn top(&self, from_run: bool) -> Option<&Entry<E>> {
        if from_run {
            self.run.last()
        } else {
            self.heap.peek()
        }
    }

    /// The next near event, without sorting in a new bucket (so it may be
    /// absent although later events exist). For prefetching.
    #[inline]
    pub fn peek_near(&self) -> Option<&E> {
        self.top(self.next_is_run()).map(|e| &e.event)
    }

    /// Removes the next event and advances the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        self.pop_until(Time::MAX)
    }

    /// Removes the next event if its time is at most `end`, and advances
    /// the clock to its time; otherwise leaves the queue as it is.
    #[inline]
    pub fn pop_until(&mut self, end: Time) -> Option<(Time, E)> {
        self.refill();
        let from_run = self.next_is_run();
        if self.top(from_run)?.time() > end {
            return None;
        }
        let e = if from_run {
            self.run.pop()
        } else {
            self.heap.pop()
        }?;
        self.now = e.time();
        Some((self.now, e.event))
    }

    /// Events scheduled after `t` will never be run (the model stops at
    /// `t`), so they are not kept. They still take an insertion number: the
    /// order of the other events does not depend on the horizon.
    pub fn set_horizon(&mut self, t: Time) {
        self.horizon = t;
    }

    /// The horizon set with [`EventQueue::set_horizon`] (none: `Time::MAX`).
    pub fn horizon(&self) -> Time {
        self.horizon
    }

    /// Advances the clock without an event (to the end of a run window).
    /// The clock never moves backwards.
    pub fn advance_to(&mut self, t: Time) {
        self.now = self.now.max(t);
    }

    /// The number of events waiting (not counting those dropped beyond the
    /// horizon).
    pub fn len(&self) -> usize {
        self.heap.len() + self.run.len() + self.far_len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the whole queue: clock, insertion counter, horizon, and every
    /// event where it waits (heap, sorted run, buckets), so that a queue
    /// read back with [`EventQueue::decode`] pops the same events in the
    /// same order. The heap's own layout does not matter: keys are unique.
    pub fn encode(&self, w: &mut Writer, event: impl Fn(&E, &mut Writer)) {
        let entries = |w: &mut Writer, v: &mut dyn Iterator<Item = &Entry<E>>, n: usize| {
            w.len(n);
            for e in v {
                w.u128(e.key);
                event(&e.event, w);
            }
        };
        w.u64(self.now);
        w.u64(self.next_seq);
        w.u64(self.horizon);
        w.u64(self.width);
        w.u64(self.near_end);
        w.len(self.next_bucket);
        w.len(self.far_len);
        entries(w, &mut self.heap.iter(), self.heap.len());
        entries(w, &mut self.run.iter(), self.run.len());
        w.len(self.far.len());
        for b in &self.far {
            entries(w, &mut b.iter(), b.len());
        }
        w.len(self.overflow.len());
        for (&bucket, b) in &self.overflow {
            w.u64(bucket);
            entries(w, &mut b.iter(), b.len());
        }
    }

    /// Reads a queue written by [`EventQueue::encode`]; checks that every
    /// event is where the queue's invariants say it must be.
    pub fn decode(
        r: &mut Reader,
        event: impl Fn(&mut Reader) -> Result<E, DecodeError>,
    ) -> Result<Self, DecodeError> {
        let bad = |what: &str| DecodeError::new(format!("event list: {what}"));
        let now = r.u64()?;
        let next_seq = r.u64()?;
        let horizon = r.u64()?;
        let width = r.u64()?;
        let near_end = r.u64()?;
        let next_bucket = r.len(0)?;
        let far_len = r.u64()?;
        if width == 0 {
            return Err(bad("a bucket width of 0"));
        }
        let entries = |r: &mut Reader| {
            r.vec(17, |r| {
                let key = r.u128()?;
                let e = Entry {
                    key,
                    event: event(r)?,
                };
                if (key as u64) >= next_seq || e.time() < now {
                    return Err(bad("an event numbered or timed outside the queue's clock"));
                }
                Ok(e)
            })
        };
        let heap = entries(r)?;
        let run = entries(r)?;
        if heap.iter().chain(&run).any(|e| e.time() >= near_end) {
            return Err(bad("a near event after the near window"));
        }
        if run.windows(2).any(|p| p[0].key <= p[1].key) {
            return Err(bad("a sorted bucket out of order"));
        }
        let buckets = r.len(8)?;
        if buckets as Time > DENSE_BUCKETS || next_bucket > buckets {
            return Err(bad("too many buckets"));
        }
        let mut far = Vec::with_capacity(buckets);
        let mut count = 0u64;
        for b in 0..buckets {
            let v = entries(r)?;
            if v.iter()
                .any(|e| e.time() / width != b as Time || e.time() < near_end)
            {
                return Err(bad("an event in the wrong bucket"));
            }
            count += v.len() as u64;
            far.push(v);
        }
        let mut overflow = BTreeMap::new();
        for _ in 0..r.len(16)? {
            let bucket = r.u64()?;
            let v = entries(r)?;
            if bucket < DENSE_BUCKETS || v.iter().any(|e| e.time() / width != bucket) {
                return Err(bad("an event in the wrong far bucket"));
            }
            count += v.len() as u64;
            overflow.insert(bucket, v);
        }
        if count != far_len {
            return Err(bad("a count of far events that does not add up"));
        }
        Ok(EventQueue {
            heap: BinaryHeap::from(heap),
            run,
            far,
            next_bucket,
            overflow,
            far_len: far_len as usize,
            horizon,
            scratch: Vec::new(),
            width,
            near_end,
            next_seq,
            now,
        })
    }
}

/// Sorts `v`, whose entries lie in `[start, start + 2^bits)` and were
/// appended in insertion order, into descending (time, insertion) order:
/// a stable least-significant-digit radix sort on `time - start`, 8 bits a
/// pass, whose last pass writes from the back. `scratch` is the second
/// buffer; the two may swap.
fn radix_sort_descending<E: Copy>(
    v: &mut Vec<Entry<E>>,
    scratch: &mut Vec<Entry<E>>,
    start: Time,
    bits: u32,
) {
    const DIGIT: u32 = 8;
    let n = v.len();
    if n == 0 {
        return;
    }
    let passes = bits.div_ceil(DIGIT).max(1);
    let digit = |e: &Entry<E>, pass: u32| ((e.time() - start) >> (pass * DIGIT)) as usize & 0xff;
    for pass in 0..passes {
        let mut count = [0usize; 256];
        for e in v.iter() {
            count[digit(e, pass)] += 1;
        }
        let last = pass + 1 == passes;
        // A pass that leaves every entry in place can be skipped, except
        // the last one, which also reverses.
        if !last && count.contains(&n) {
            continue;
        }
        let mut at = [0usize; 256];
        let mut sum = 0;
        for (a, c) in at.iter_mut().zip(count) {
            *a = sum;
            sum += c;
        }
        // Every place is written below: old contents only fill the length.
        scratch.truncate(n);
        scratch.resize(n, v[0]);
        for e in v.iter() {
            let d = digit(e, pass);
            let pos = if last { n - 1 - at[d] } else { at[d] };
            at[d] += 1;
            scratch[pos] = *e;
        }
        std::mem::swap(v, scratch);
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
    fn buckets_never_change_the_order_of_events() {
        use crate::engine::StreamKey;
        let mut r = StreamKey::new(3, 0).stream(0, 0);
        let mut plain = EventQueue::new();
        let mut bucketed = EventQueue::with_buckets(0, 7);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for i in 0..50u32 {
            let t = (r.uniform() * 40.0) as u64;
            plain.schedule_in(t, i);
            bucketed.schedule_in(t, i);
        }
        let mut id = 50u32;
        for _ in 0..5_000 {
            let hint = bucketed.peek_near().copied();
            let (Some(x), Some(y)) = (plain.pop(), bucketed.pop()) else {
                break;
            };
            // The prefetch hint, when there is one, is the next event.
            assert!(hint.is_none_or(|h| h == y.1));
            a.push(x);
            b.push(y);
            for _ in 0..(r.uniform() * 3.2) as u32 {
                let delay = if r.bernoulli(0.3) {
                    0
                } else {
                    (r.uniform() * 100.0) as u64
                };
                plain.schedule_in(delay, id);
                bucketed.schedule_in(delay, id);
                id += 1;
            }
            assert_eq!(plain.len(), bucketed.len());
        }
        assert!(a.len() > 1_000);
        assert_eq!(a, b);
    }

    #[test]
    fn radix_sort_matches_a_comparison_sort() {
        use crate::engine::StreamKey;
        let mut r = StreamKey::new(11, 0).stream(0, 0);
        let mut scratch = Vec::new();
        // Widths of one pass, two passes, three passes; few and many
        // distinct times (equal times must keep insertion order).
        for (bits, spread) in [
            (1, 2),
            (3, 8),
            (16, 40_320),
            (16, 3),
            (20, 1 << 20),
            (9, 300),
        ] {
            for n in [0, 1, 2, 1000] {
                let start = 5_000_000;
                let mut v: Vec<Entry<u32>> = (0..n)
                    .map(|i| Entry {
                        key: (u128::from(start + (r.uniform() * spread as f64) as Time) << 64)
                            | u128::from(i as u64),
                        event: i,
                    })
                    .collect();
                let mut expected: Vec<u32> = v.iter().map(|e| e.event).collect();
                let key = |i: &u32| std::cmp::Reverse(v[*i as usize].key);
                expected.sort_by_key(key);
                radix_sort_descending(&mut v, &mut scratch, start, bits);
                let got: Vec<u32> = v.iter().map(|e| e.event).collect();
                assert_eq!(got, expected, "bits {bits}, spread {spread}, n {n}");
            }
        }
    }

    #[test]
    fn a_horizon_drops_only_events_after_it() {
        use crate::engine::StreamKey;
        let mut r = StreamKey::new(5, 0).stream(0, 0);
        let mut plain = EventQueue::new();
        // Narrow buckets, so that some events wait in the overflow map.
        let mut cut = EventQueue::with_buckets(0, 3);
        let horizon = 400_000;
        cut.set_horizon(horizon);
        for i in 0..2_000u32 {
            // Up to twice the horizon, some beyond the dense buckets.
            let t = (r.uniform() * 2.0 * horizon as f64) as u64;
            plain.schedule_in(t, i);
            cut.schedule_in(t, i);
        }
        let (mut a, mut b) = (Vec::new(), Vec::new());
        while let Some(x) = plain.pop_until(horizon) {
            a.push(x);
            // Events scheduled while running, some beyond the horizon.
            let d = (r.uniform() * 1000.0) as u64;
            let later = if x.1 % 3 == 0 { horizon } else { d };
            plain.schedule_in(later, x.1 + 10_000);
            let y = cut.pop_until(horizon);
            assert_eq!(y, Some(x));
            b.push(y);
            cut.schedule_in(later, x.1 + 10_000);
        }
        assert!(a.len() > 1_000);
        assert_eq!(cut.pop(), None);
        assert!(plain.pop().is_some_and(|(t, _)| t > horizon));
    }

    #[test]
    fn pop_until_leaves_later_events_in_place() {
        let mut q = EventQueue::with_buckets(0, 2);
        q.schedule_in(5, 'b');
        q.schedule_in(1, 'a');
        assert_eq!(q.pop_until(3), Some((1, 'a')));
        assert_eq!(q.pop_until(3), None);
        assert_eq!((q.now(), q.len()), (1, 1));
        assert_eq!(q.pop_until(5), Some((5, 'b')));
        assert_eq!(q.pop_until(Time::MAX), None);
    }

    #[test]
    fn a_decoded_queue_pops_what_the_original_pops() {
        use crate::engine::StreamKey;
        let mut r = StreamKey::new(9, 0).stream(0, 0);
        let mut q = EventQueue::with_buckets(0, 5);
        for i in 0..3_000u32 {
            // Some far beyond the dense buckets (into the overflow map).
            let t = if i % 50 == 0 {
                400_000 + u64::from(i)
            } else {
                (r.uniform() * 900.0) as u64
            };
            q.schedule_in(t, i);
        }
        for _ in 0..700 {
            q.pop();
        }
        let mut w = Writer::new();
        q.encode(&mut w, |e, w| w.u32(*e));
        let mut rd = Reader::new(&w.buf);
        let mut back = EventQueue::decode(&mut rd, |r| r.u32()).unwrap();
        rd.finish().unwrap();
        assert_eq!((back.now(), back.len()), (q.now(), q.len()));
        for i in 0..2_300u32 {
            if i % 7 == 0 {
                q.schedule_in(3, i + 10_000);
                back.schedule_in(3, i + 10_000);
            }
            assert_eq!(q.pop(), back.pop());
        }
        // A truncated copy is an error, never a panic.
        for cut in [0, 10, w.buf.len() / 2, w.buf.len() - 1] {
            assert!(
                EventQueue::<u32>::decode(&mut Reader::new(&w.buf[..cut]), |r| r.u32()).is_err()
            );
        }
    }

    #[test]
    fn scheduling_in_the_past_is_an_error() {
        let mut q = EventQueue::new();
        q.schedule_in(10, ());
        q.pop();
        assert_eq!(q.schedule_at(3, ()), Err(ScheduleError { at: 3, now: 10 }));
        assert!(q.schedule_at(10, ()).is_ok());
    }
}
