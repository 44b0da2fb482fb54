//! Voting from phones in a workshop (issue 18): the room ([`room`], pure),
//! the room shared with the trainer's controls ([`live`]), the local HTTP
//! server the phones talk to ([`server`]), the join QR code ([`qr`]) and the
//! addresses the server may listen on ([`lan`]); the phones' counts go into
//! the workshop session through [`workshop`]. See docs/voting.md.

pub mod lan;
pub mod live;
pub mod qr;
pub mod room;
pub mod server;
pub mod workshop;

pub use live::{LiveError, LiveRoom};
pub use room::{
    questions_from, PhoneView, QuestionState, TrainerView, VotingError, VotingQuestion, VotingRoom,
};
pub use server::{ServerConfig, ServerError, ServerHandle, StopReason};
