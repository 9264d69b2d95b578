//! A waiting list in front of a pool of servers (intake workers, assessment
//! or treatment places). Entries carry the student's care version, so a
//! student who leaves the list (need resolved, moved away) is skipped lazily
//! when the entry reaches the front.

use crate::checkpoint::codec::{DecodeError, Reader, Writer};
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

    /// Writes capacity, servers busy and both lists, stale entries too.
    pub fn encode(&self, w: &mut Writer) {
        w.u32(self.capacity);
        w.u32(self.busy);
        w.u32(self.waiting);
        for list in [&self.queue, &self.urgent] {
            w.len(list.len());
            for e in list {
                e.encode(w);
            }
        }
    }

    /// Reads a list written by [`Service::encode`]; every entry's student
    /// must be below `students`.
    pub fn decode(r: &mut Reader, students: usize) -> Result<Self, DecodeError> {
        let capacity = r.u32()?;
        let busy = r.u32()?;
        let waiting = r.u32()?;
        let mut list = || -> Result<VecDeque<Entry>, DecodeError> {
            Ok(r.vec(16, |r| Entry::decode(r, students))?.into())
        };
        let queue = list()?;
        let urgent = list()?;
        if waiting as usize > queue.len() + urgent.len() {
            return Err(DecodeError::new("a waiting list counts more than it holds"));
        }
        Ok(Service {
            capacity,
            busy,
            queue,
            urgent,
            waiting,
        })
    }
}

impl Entry {
    pub fn encode(&self, w: &mut Writer) {
        w.u32(self.student);
        w.u32(self.ticket);
        w.u64(self.since);
    }

    pub fn decode(r: &mut Reader, students: usize) -> Result<Self, DecodeError> {
        let e = Entry {
            student: r.u32()?,
            ticket: r.u32()?,
            since: r.u64()?,
        };
        if e.student as usize >= students {
            return Err(DecodeError::new("a waiting-list entry of no student"));
        }
        Ok(e)
    }
}
