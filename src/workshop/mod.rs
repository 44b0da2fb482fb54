//! Workshop mode ("Modalità formazione"): a trainer runs the questionnaire
//! with a room of 10–40 people, one question at a time, and collects the
//! group's answers as anonymous counts per option.
//!
//! Pure, like the rest of the domain: no files, no database, no clock.
//! - [`session`]: the [`Session`] (questions, position, tallies, reveal
//!   flags) and its operations, each checked and typed;
//! - [`group`]: the group's typical answer per question, turned into an
//!   [`AnswerSheet`](crate::model::AnswerSheet) and run through the same
//!   scoring and plan rules as an assessment ("six measures to take home");
//! - [`file`]: the `sentinella-workshop/1` JSON export and its strict
//!   reader.
//!
//! Storage ([`crate::store::workshop`]) keeps sessions in their own
//! database file, never with real assessments; the debrief PDF is
//! [`crate::report::debrief_pdf`]; the faces call
//! [`crate::usecase::workshop`].

pub mod file;
pub mod group;
pub mod session;

pub use file::{FileError, SessionFile, WORKSHOP_FORMAT};
pub use group::{group_outcome, typical_option, GroupOutcome};
pub use session::{
    Session, SessionSetup, Tally, TallySource, WorkshopError, MAX_MINUTES, MAX_ROOM_SIZE,
    MIN_MINUTES,
};
