//! A waiting list in front of a pool of servers (intake workers, assessment
//! or treatment places). Entries carry the student's care version, so a
//! student who leaves the list (need resolved, moved away) is skipped lazily
//! when the entry reaches the front.

use crate::engine::Time;
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub student: u32,
    pub ticket: u32,
    pub since: Time,
}

#[derive(Debug, Default, Clone)]
pub struct Service {
    pub capacity: u32,
    pub busy: u32,
    queue: VecDeque<Entry>,
    /// Entries served before any in `queue` (triage: urgent cases first).
    urgent: VecDeque<Entry>,
    /// Live entries in `queue` (stale ones excluded).
    waiting: u32,
}

impl Service {
    pub fn new(capacity: u32) -> Self {
        Service {
            capacity,
            ..Default::default()
        }
    }

    pub fn waiting(&self) -> u32 {
        self.waiting
    }

    pub fn join(&mut self, e: Entry) {
        self.queue.push_back(e);
        self.waiting += 1;
    }

    /// Joins the list ahead of every non-urgent entry (behind earlier
    /// urgent ones).
    pub fn join_urgent(&mut self, e: Entry) {
        self.urgent.push_back(e);
        self.waiting += 1;
    }

    /// A live entry became stale (its student left the list).
    pub fn withdraw(&mut self) {
        self.waiting -= 1;
    }

    pub fn has_free_server(&self) -> bool {
        self.busy < self.capacity
    }

    /// Takes the next live entry for a free server, if both exist.
    pub fn start_next(&mut self, is_live: impl Fn(&Entry) -> bool) -> Option<Entry> {
        if !self.has_free_server() {
            return None;
        }
        let e = self.pop_live(is_live)?;
        self.busy += 1;
        Some(e)
    }

    /// Removes the next live entry from the list without serving it.
    pub fn pop_live(&mut self, is_live: impl Fn(&Entry) -> bool) -> Option<Entry> {
        while let Some(e) = self.urgent.pop_front().or_else(|| self.queue.pop_front()) {
            if is_live(&e) {
                self.waiting -= 1;
                return Some(e);
            }
        }
        None
    }

    /// A server starts on an entry taken with [`Service::pop_live`].
    pub fn occupy(&mut self) {
        self.busy += 1;
    }

    /// Puts an entry back at the front of the list (behind urgent ones).
    pub fn push_front(&mut self, e: Entry) {
        self.queue.push_front(e);
        self.waiting += 1;
    }

    /// A server finished (or its student left).
    pub fn release(&mut self) {
        self.busy -= 1;
    }
}
