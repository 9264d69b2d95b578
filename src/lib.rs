//! regiosim: a parallel discrete-event, agent-based simulator of a Dutch
//! regional support system (schools, wijkteams, huisarts routes and
//! specialist youth care with their waiting lists).

pub mod engine;
pub mod queueing;
pub mod scenario;

pub mod backtest;
pub mod calibrate;
pub mod calibration;
pub mod checkpoint;
pub mod cli;
pub mod experiment;
pub mod model;
pub mod output;
pub mod report;
pub mod serve;
pub mod state;
