//! Output files: CSV tables built as bytes (pure functions, easy to test),
//! statistics over replications, the manifest, and writes that never leave a
//! half-written file under a final name.

pub mod cell;
pub mod drivers;
pub mod effects;
pub mod files;
pub mod forecast;
pub mod json;
pub mod manifest;
pub mod stats;
pub mod tables;
pub mod target;
pub mod typed;
pub mod uncertainty;
pub mod xlsx;

pub use cell::{read_text_cell, text_cell};
pub use files::{atomic_write, atomic_write_unsynced, fmt_num, is_temp_name};
