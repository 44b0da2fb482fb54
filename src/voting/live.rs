//! The room shared between the server and the trainer's controls: the pure
//! [`VotingRoom`] behind a lock, change notifications, and the time of the
//! last activity (for the idle timeout). The trainer's controls are plain
//! library calls here; the app's presenter window calls them directly.

use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use tokio::sync::watch;

use super::room::{
    PhoneView, QuestionState, TrainerView, VotingError, VotingQuestion, VotingRoom, ENTROPY_LEN,
};

/// Errors of the live room: the room's own refusals, or no randomness.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The room refused.
    #[error(transparent)]
    Room(#[from] VotingError),
    /// The operating system gave no random bytes.
    #[error("no random bytes from the operating system: {0}")]
    Random(String),
}

fn entropy<const N: usize>() -> Result<[u8; N], LiveError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| LiveError::Random(e.to_string()))?;
    Ok(buf)
}

/// A room in use.
#[derive(Debug)]
pub struct LiveRoom {
    room: Mutex<VotingRoom>,
    phase: watch::Sender<u64>,
    tally: watch::Sender<u64>,
    activity: Mutex<Instant>,
}

impl LiveRoom {
    /// A room over `questions` with a fresh random code and salt.
    pub fn new(questions: Vec<VotingQuestion>) -> Result<Self, LiveError> {
        let room = VotingRoom::new(questions, &entropy::<ENTROPY_LEN>()?)?;
        Ok(Self::from_room(room))
    }

    /// Wraps an existing room.
    pub fn from_room(room: VotingRoom) -> Self {
        let (phase, _) = watch::channel(room.phase());
        let (tally, _) = watch::channel(room.tally_version());
        LiveRoom {
            room: Mutex::new(room),
            phase,
            tally,
            activity: Mutex::new(Instant::now()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, VotingRoom> {
        // A panic while holding the lock cannot leave the room half-changed
        // (every change is a few assignments after all checks): go on.
        self.room.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records activity (any request, any trainer action).
    pub fn touch(&self) {
        *self.activity.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    /// When the room was last used.
    pub fn last_activity(&self) -> Instant {
        *self.activity.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the room, then publishes what changed.
    fn with<T>(&self, f: impl FnOnce(&mut VotingRoom) -> T) -> T {
        self.touch();
        let mut room = self.lock();
        let out = f(&mut room);
        let (phase, tally) = (room.phase(), room.tally_version());
        drop(room);
        self.phase
            .send_if_modified(|v| std::mem::replace(v, phase) != phase);
        self.tally
            .send_if_modified(|v| std::mem::replace(v, tally) != tally);
        out
    }

    /// The session code.
    pub fn code(&self) -> String {
        self.lock().code().to_string()
    }

    /// Checks a code without joining.
    pub fn check_code(&self, typed: &str) -> Result<(), VotingError> {
        self.lock().check_code(typed)
    }

    /// A device joins; returns the epoch.
    pub fn join(&self, code: &str, token: &str) -> Result<u64, VotingError> {
        self.with(|r| r.join(code, token))
    }

    /// A device votes on the current question.
    pub fn vote(
        &self,
        epoch: u64,
        token: &str,
        question: &str,
        option: usize,
    ) -> Result<(), VotingError> {
        self.with(|r| r.vote(epoch, token, question, option))
    }

    /// What phones see.
    pub fn phone_view(&self) -> PhoneView {
        self.lock().phone_view()
    }

    /// What the trainer sees of the current question.
    pub fn trainer_view(&self) -> TrainerView {
        self.lock().trainer_view()
    }

    /// Counts of one question.
    pub fn counts(&self, question: &str) -> Result<Vec<u64>, VotingError> {
        self.lock().counts(question).map(<[u64]>::to_vec)
    }

    /// State of a question.
    pub fn state(&self, question: &str) -> Result<QuestionState, VotingError> {
        self.lock().state(question)
    }

    /// Every question's counts, in order.
    pub fn all_counts(&self) -> Vec<(String, Vec<u64>)> {
        self.lock()
            .all_counts()
            .into_iter()
            .map(|(id, c)| (id.to_string(), c.to_vec()))
            .collect()
    }

    /// Trainer: next question.
    pub fn next_question(&self) -> Result<(), VotingError> {
        self.with(VotingRoom::next_question)
    }

    /// Trainer: previous question.
    pub fn previous_question(&self) -> Result<(), VotingError> {
        self.with(VotingRoom::previous_question)
    }

    /// Trainer: go to a question by id.
    pub fn go_to(&self, question: &str) -> Result<(), VotingError> {
        self.with(|r| r.go_to(question))
    }

    /// Trainer: open the current question again.
    pub fn open(&self) -> Result<(), VotingError> {
        self.with(VotingRoom::open)
    }

    /// Trainer: close the current question.
    pub fn close(&self) {
        self.with(VotingRoom::close)
    }

    /// Trainer: reveal the current question's distribution.
    pub fn reveal(&self) {
        self.with(VotingRoom::reveal)
    }

    /// Trainer: hide a revealed distribution again (votes stay closed).
    pub fn hide(&self) {
        self.with(VotingRoom::hide)
    }

    /// Trainer: clear every vote (new epoch, new salt).
    pub fn reset(&self) -> Result<(), LiveError> {
        let salt = entropy::<32>()?;
        self.with(|r| r.reset(&salt));
        Ok(())
    }

    /// Notified on every change phones should hear about.
    pub fn subscribe_phase(&self) -> watch::Receiver<u64> {
        self.phase.subscribe()
    }

    /// Notified on every accepted vote (and reset): the presenter's counts.
    pub fn subscribe_tally(&self) -> watch::Receiver<u64> {
        self.tally.subscribe()
    }
}
