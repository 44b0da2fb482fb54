//! Sentinella: cyber-hygiene self-assessment for Italian comuni and Polis
//! post-office counters.
//!
//! The domain ([`model`], [`scoring`], [`plan`]) is pure: no files, no
//! database, no clock. Loading, storage, reports and exchange files are
//! layers around it; the command line and the desktop app are thin faces.

pub mod model;
pub mod report;
