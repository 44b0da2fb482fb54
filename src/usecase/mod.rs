//! The use cases: every operation a face performs (the `sentinella`
//! command line and the desktop app), as one library call with typed
//! inputs, typed results and a typed error. A face parses its input, calls
//! one of these, and presents the result; it never decides policy, so the
//! two faces cannot disagree.
//!
//! - [`assessment`]: create, open, answer, complete, reopen, delete, list,
//!   history of the assessments of the store;
//! - [`planning`]: score and plan with the previous assessment; the plan
//!   PDF;
//! - [`export`]: the signed result file for the coordinator;
//! - [`verify`]: verify result files;
//! - [`collect`]: import result files into the coordinator database;
//!   accept a new key for held-back files; the keys on record;
//! - [`territory`]: resolve the territory a coordinator asks about;
//! - [`aggregate`]: gather the current results, the figures by territory,
//!   CSV tables, the territorial PDF summary;
//! - [`incident`]: "Incidente in corso": emergency contacts, open an
//!   incident, log, tick steps, mark deadlines, drafts, the incident PDF;
//! - [`pack`]: the coordinator's packs: import (trust on first use, no
//!   rollback, all or nothing), active alerts, issue and history;
//! - [`names`]: the file names offered for what is written;
//! - [`workshop`]: workshop sessions (create, step, counts, reveal, reset),
//!   session files, the debrief PDF;
//! - [`phone_vote`]: "Voto dai telefoni" on a workshop session: start the
//!   server, keep the phones in step, combine their counts with typed ones.
//!
//! The policies decided here once for both faces (see each module, and
//! `docs/use-cases.md`):
//! - export: a draft assessment of the store is refused; blank notes are
//!   not notes ([`export`]);
//! - the previous assessment of a plan ([`planning`]);
//! - territory matching is loose ([`territory`]).

pub mod aggregate;
pub mod assessment;
pub mod collect;
pub mod export;
pub mod incident;
pub mod names;
pub mod pack;
pub mod phone_vote;
pub mod planning;
pub mod territory;
pub mod verify;
pub mod workshop;
