//! The voting room, pure: questions, session code, per-question state, one
//! vote per device per question, counts. No I/O, no clock, no randomness of
//! its own: the caller hands in entropy (the server reads it from the OS).
//!
//! What is kept about a device: a salted SHA-256 of its token (the salt is
//! random per room epoch and never leaves the room), the option it chose for
//! each question, nothing else. No address, no name, no time.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::model::Questionnaire;

/// Characters of a session code: upper-case letters and digits that cannot be
/// mistaken for one another when read off a projector (no 0/O, 1/I/L, 2/Z,
/// 5/S, 8/B).
pub const CODE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";
/// Length of a session code (25^6, about 244 million codes).
pub const CODE_LEN: usize = 6;
/// Bytes of entropy a room needs: the code, then the salt.
pub const ENTROPY_LEN: usize = CODE_LEN + SALT_LEN;
const SALT_LEN: usize = 32;
/// A device token: 16 to 64 characters of `[A-Za-z0-9_-]`.
pub const TOKEN_MIN: usize = 16;
/// See [`TOKEN_MIN`].
pub const TOKEN_MAX: usize = 64;
/// Most devices one room accepts in an epoch (a room holds 10-40 people; the
/// cap bounds memory against a flood of fresh tokens).
pub const MAX_DEVICES: usize = 500;
/// Most questions and options a room carries (the built-in questionnaires
/// have well under these).
pub const MAX_QUESTIONS: usize = 500;
/// See [`MAX_QUESTIONS`].
pub const MAX_OPTIONS: usize = 12;

/// One question as the room sees it: plain text only, no assessment data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VotingQuestion {
    /// The questionnaire's question id.
    pub id: String,
    /// The question's text.
    pub title: String,
    /// The options' labels, in the questionnaire's order.
    pub options: Vec<String>,
}

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionState {
    /// Votes are accepted and can be changed.
    Open,
    /// Votes are refused; results still hidden.
    Closed,
    /// Votes are refused; the distribution is public.
    Revealed,
}

/// Every refusal of the room, typed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VotingError {
    /// A room needs at least one question.
    #[error("the room has no questions")]
    NoQuestions,
    /// Too many questions, or a question with no or too many options.
    #[error("question {id}: {reason}")]
    BadQuestion {
        /// Question id.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// A domain asked for is not in the questionnaire.
    #[error("unknown domain {0}")]
    UnknownDomain(String),
    /// The session code does not match.
    #[error("wrong session code")]
    WrongCode,
    /// The device token is malformed.
    #[error("malformed device token (16-64 characters of A-Z, a-z, 0-9, _ and -)")]
    BadToken,
    /// The device has not joined this epoch of the room.
    #[error("this device has not joined the session (or the session was reset)")]
    NotJoined,
    /// The request belongs to an epoch before the last reset.
    #[error("the session was reset (epoch {current}, request for {sent})")]
    StaleEpoch {
        /// Epoch in the request.
        sent: u64,
        /// Current epoch.
        current: u64,
    },
    /// No question has this id.
    #[error("unknown question {0}")]
    UnknownQuestion(String),
    /// The question exists but is not the one being asked now.
    #[error("question {0} is not the current question")]
    NotCurrent(String),
    /// The question is closed (or revealed).
    #[error("question {0} is closed")]
    Closed(String),
    /// The option index is out of range.
    #[error("option {index} does not exist (the question has {count})")]
    BadOption {
        /// Index sent.
        index: usize,
        /// Number of options.
        count: usize,
    },
    /// The room already holds [`MAX_DEVICES`] devices.
    #[error("the session is full ({MAX_DEVICES} devices)")]
    Full,
    /// Navigation past the first or last question.
    #[error("there is no {0} question")]
    NoSuchMove(&'static str),
    /// Opening a question whose results were already shown.
    #[error("question {0} was already revealed")]
    AlreadyRevealed(String),
}

/// A salted hash of a device token.
type TokenHash = [u8; 32];

#[derive(Debug, Clone)]
struct Slot {
    question: VotingQuestion,
    state: QuestionState,
    votes: HashMap<TokenHash, usize>,
    counts: Vec<u64>,
}

/// What a phone may see of the current question. Counts only when revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneView {
    /// The room's epoch (changes on reset).
    pub epoch: u64,
    /// 0-based index of the current question.
    pub index: usize,
    /// Number of questions.
    pub total: usize,
    /// Question id.
    pub id: String,
    /// Question text.
    pub title: String,
    /// Options.
    pub options: Vec<String>,
    /// State.
    pub state: QuestionState,
    /// The distribution, once revealed.
    pub counts: Option<Vec<u64>>,
}

/// What the trainer sees of the current question: how many voted, never who
/// and never what until the question is revealed (then the counts are in
/// `question.counts`, as for phones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainerView {
    /// The phone's view of the same question.
    pub question: PhoneView,
    /// How many devices voted on this question.
    pub voted: u64,
    /// How many devices joined this epoch.
    pub joined: u64,
}

/// The voting room.
#[derive(Debug, Clone)]
pub struct VotingRoom {
    code: String,
    salt: [u8; SALT_LEN],
    epoch: u64,
    current: usize,
    slots: Vec<Slot>,
    joined: HashSet<TokenHash>,
    /// Bumped on every change a phone should hear about (question moved,
    /// state changed, reset).
    phase: u64,
    /// Bumped on every accepted vote or reset.
    tally: u64,
}

/// The questions of a questionnaire, in order, optionally only those of some
/// domains (by domain id). Each option is its label, special answers ("Non
/// so", "Non applicabile") included.
pub fn questions_from(
    questionnaire: &Questionnaire,
    domains: &[String],
) -> Result<Vec<VotingQuestion>, VotingError> {
    for wanted in domains {
        if !questionnaire.domains.iter().any(|d| &d.id == wanted) {
            return Err(VotingError::UnknownDomain(wanted.clone()));
        }
    }
    Ok(questionnaire
        .domains
        .iter()
        .filter(|d| domains.is_empty() || domains.contains(&d.id))
        .flat_map(|d| d.questions.iter())
        .map(|q| VotingQuestion {
            id: q.id.clone(),
            title: q.text.clone(),
            options: q.options.iter().map(|o| o.label.clone()).collect(),
        })
        .collect())
}

/// Checks the shape of a device token.
pub fn valid_token(token: &str) -> bool {
    (TOKEN_MIN..=TOKEN_MAX).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A session code from entropy bytes (uniform enough: 256 mod 25 = 6, a
/// bias of under 3% that does not matter with the slowing of wrong tries).
fn code_from(entropy: &[u8]) -> String {
    entropy
        .iter()
        .take(CODE_LEN)
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// Normalises what a participant typed: spaces and dashes dropped, lower
/// case raised.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl VotingRoom {
    /// A room over `questions`, with the code and the salt drawn from
    /// `entropy`. Every question starts open; the first is current.
    pub fn new(
        questions: Vec<VotingQuestion>,
        entropy: &[u8; ENTROPY_LEN],
    ) -> Result<Self, VotingError> {
        if questions.is_empty() {
            return Err(VotingError::NoQuestions);
        }
        if questions.len() > MAX_QUESTIONS {
            return Err(VotingError::BadQuestion {
                id: questions[MAX_QUESTIONS].id.clone(),
                reason: format!("more than {MAX_QUESTIONS} questions"),
            });
        }
        let mut seen = HashSet::new();
        for q in &questions {
            if q.options.is_empty() || q.options.len() > MAX_OPTIONS {
                return Err(VotingError::BadQuestion {
                    id: q.id.clone(),
                    reason: format!("{} options (1 to {MAX_OPTIONS} allowed)", q.options.len()),
                });
            }
            if !seen.insert(q.id.clone()) {
                return Err(VotingError::BadQuestion {
                    id: q.id.clone(),
                    reason: "the id appears twice".into(),
                });
            }
        }
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&entropy[CODE_LEN..]);
        Ok(VotingRoom {
            code: code_from(entropy),
            salt,
            epoch: 1,
            current: 0,
            slots: questions
                .into_iter()
                .map(|question| Slot {
                    counts: vec![0; question.options.len()],
                    question,
                    state: QuestionState::Open,
                    votes: HashMap::new(),
                })
                .collect(),
            joined: HashSet::new(),
            phase: 1,
            tally: 0,
        })
    }

    /// The session code participants type.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The current epoch (1 at start, +1 on every reset).
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Changes a phone should hear about bump this.
    pub fn phase(&self) -> u64 {
        self.phase
    }

    /// Accepted votes and resets bump this.
    pub fn tally_version(&self) -> u64 {
        self.tally
    }

    /// Number of questions.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Never true (a room has at least one question); for clippy's sake.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The questions, in order.
    pub fn questions(&self) -> impl Iterator<Item = &VotingQuestion> {
        self.slots.iter().map(|s| &s.question)
    }

    /// Index of the current question.
    pub fn current_index(&self) -> usize {
        self.current
    }

    fn hash(&self, token: &str) -> TokenHash {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(token.as_bytes());
        h.finalize().into()
    }

    /// Checks the code (as typed) without changing anything.
    pub fn check_code(&self, typed: &str) -> Result<(), VotingError> {
        let typed = normalise_code(typed);
        // Constant-time enough for six characters over a rate-limited
        // network: compare every byte.
        let same = typed.len() == self.code.len()
            && typed
                .bytes()
                .zip(self.code.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if same {
            Ok(())
        } else {
            Err(VotingError::WrongCode)
        }
    }

    /// A device joins with the session code; returns the epoch its votes
    /// must carry. Joining again is harmless.
    pub fn join(&mut self, code: &str, token: &str) -> Result<u64, VotingError> {
        self.check_code(code)?;
        if !valid_token(token) {
            return Err(VotingError::BadToken);
        }
        let hash = self.hash(token);
        if !self.joined.contains(&hash) {
            if self.joined.len() >= MAX_DEVICES {
                return Err(VotingError::Full);
            }
            self.joined.insert(hash);
        }
        Ok(self.epoch)
    }

    fn slot_index(&self, question_id: &str) -> Result<usize, VotingError> {
        self.slots
            .iter()
            .position(|s| s.question.id == question_id)
            .ok_or_else(|| VotingError::UnknownQuestion(question_id.to_string()))
    }

    /// A device votes (or changes its vote) on the current question.
    pub fn vote(
        &mut self,
        epoch: u64,
        token: &str,
        question_id: &str,
        option: usize,
    ) -> Result<(), VotingError> {
        if !valid_token(token) {
            return Err(VotingError::BadToken);
        }
        if epoch != self.epoch {
            return Err(VotingError::StaleEpoch {
                sent: epoch,
                current: self.epoch,
            });
        }
        let hash = self.hash(token);
        if !self.joined.contains(&hash) {
            return Err(VotingError::NotJoined);
        }
        let index = self.slot_index(question_id)?;
        if index != self.current {
            return Err(VotingError::NotCurrent(question_id.to_string()));
        }
        let slot = &mut self.slots[index];
        if slot.state != QuestionState::Open {
            return Err(VotingError::Closed(question_id.to_string()));
        }
        let count = slot.counts.len();
        if option >= count {
            return Err(VotingError::BadOption {
                index: option,
                count,
            });
        }
        if let Some(previous) = slot.votes.insert(hash, option) {
            slot.counts[previous] = slot.counts[previous].saturating_sub(1);
        }
        slot.counts[option] += 1;
        self.tally += 1;
        Ok(())
    }

    /// What a phone sees now.
    pub fn phone_view(&self) -> PhoneView {
        self.view_of(self.current)
    }

    fn view_of(&self, index: usize) -> PhoneView {
        let slot = &self.slots[index];
        PhoneView {
            epoch: self.epoch,
            index,
            total: self.slots.len(),
            id: slot.question.id.clone(),
            title: slot.question.title.clone(),
            options: slot.question.options.clone(),
            state: slot.state,
            counts: (slot.state == QuestionState::Revealed).then(|| slot.counts.clone()),
        }
    }

    /// What the trainer sees of the current question.
    pub fn trainer_view(&self) -> TrainerView {
        let slot = &self.slots[self.current];
        TrainerView {
            question: self.view_of(self.current),
            voted: slot.votes.len() as u64,
            joined: self.joined.len() as u64,
        }
    }

    /// Counts per option index of a question, for the session model (the
    /// faces show them only once revealed).
    pub fn counts(&self, question_id: &str) -> Result<&[u64], VotingError> {
        Ok(&self.slots[self.slot_index(question_id)?].counts)
    }

    /// How many devices voted on a question (never who, never what).
    pub fn voted(&self, question_id: &str) -> Result<u64, VotingError> {
        Ok(self.slots[self.slot_index(question_id)?].votes.len() as u64)
    }

    /// State of a question.
    pub fn state(&self, question_id: &str) -> Result<QuestionState, VotingError> {
        Ok(self.slots[self.slot_index(question_id)?].state)
    }

    /// Every question with its counts, in order (for the session model).
    pub fn all_counts(&self) -> Vec<(&str, &[u64])> {
        self.slots
            .iter()
            .map(|s| (s.question.id.as_str(), s.counts.as_slice()))
            .collect()
    }

    /// Moves to the next question.
    pub fn next_question(&mut self) -> Result<(), VotingError> {
        if self.current + 1 >= self.slots.len() {
            return Err(VotingError::NoSuchMove("next"));
        }
        self.current += 1;
        self.phase += 1;
        Ok(())
    }

    /// Moves to the previous question.
    pub fn previous_question(&mut self) -> Result<(), VotingError> {
        if self.current == 0 {
            return Err(VotingError::NoSuchMove("previous"));
        }
        self.current -= 1;
        self.phase += 1;
        Ok(())
    }

    /// Moves to a question by id.
    pub fn go_to(&mut self, question_id: &str) -> Result<(), VotingError> {
        let index = self.slot_index(question_id)?;
        if index != self.current {
            self.current = index;
            self.phase += 1;
        }
        Ok(())
    }

    /// Opens the current question again (not once revealed).
    pub fn open(&mut self) -> Result<(), VotingError> {
        let slot = &mut self.slots[self.current];
        match slot.state {
            QuestionState::Open => Ok(()),
            QuestionState::Revealed => Err(VotingError::AlreadyRevealed(slot.question.id.clone())),
            QuestionState::Closed => {
                slot.state = QuestionState::Open;
                self.phase += 1;
                Ok(())
            }
        }
    }

    /// Closes the current question: its votes are final.
    pub fn close(&mut self) {
        let slot = &mut self.slots[self.current];
        if slot.state == QuestionState::Open {
            slot.state = QuestionState::Closed;
            self.phase += 1;
        }
    }

    /// Reveals the current question's distribution (closing it).
    pub fn reveal(&mut self) {
        let slot = &mut self.slots[self.current];
        if slot.state != QuestionState::Revealed {
            slot.state = QuestionState::Revealed;
            self.phase += 1;
        }
    }

    /// Hides a revealed question again: its distribution leaves the phones,
    /// its votes stay final (closed). Nothing happens otherwise.
    pub fn hide(&mut self) {
        let slot = &mut self.slots[self.current];
        if slot.state == QuestionState::Revealed {
            slot.state = QuestionState::Closed;
            self.phase += 1;
        }
    }

    /// Clears every vote and every joined device, reopens every question,
    /// goes back to the first one and starts a new epoch with a new salt:
    /// requests made before the reset are refused. The code stays, so phones
    /// join again by themselves.
    pub fn reset(&mut self, fresh_salt: &[u8; 32]) {
        self.salt = *fresh_salt;
        self.epoch += 1;
        self.current = 0;
        self.joined.clear();
        for slot in &mut self.slots {
            slot.votes.clear();
            slot.counts.iter_mut().for_each(|c| *c = 0);
            slot.state = QuestionState::Open;
        }
        self.phase += 1;
        self.tally += 1;
    }

    /// Recounts a question from the stored votes (for tests and checks).
    pub fn recount(&self, question_id: &str) -> Result<Vec<u64>, VotingError> {
        let slot = &self.slots[self.slot_index(question_id)?];
        let mut counts = vec![0u64; slot.counts.len()];
        for option in slot.votes.values() {
            counts[*option] += 1;
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    fn questions(n: usize) -> Vec<VotingQuestion> {
        (0..n)
            .map(|i| VotingQuestion {
                id: format!("q{i}"),
                title: format!("Domanda {i}"),
                options: vec!["Sì".into(), "No".into(), "Non so".into()],
            })
            .collect()
    }

    fn room(n: usize) -> VotingRoom {
        let mut entropy = [0u8; ENTROPY_LEN];
        for (i, b) in entropy.iter_mut().enumerate() {
            *b = (i * 37 % 251) as u8;
        }
        VotingRoom::new(questions(n), &entropy).unwrap()
    }

    fn token(i: usize) -> String {
        format!("device-token-{i:08}")
    }

    #[test]
    fn code_uses_only_unambiguous_characters() {
        let r = room(1);
        assert_eq!(r.code().len(), CODE_LEN);
        assert!(r.code().bytes().all(|b| CODE_ALPHABET.contains(&b)));
        for bad in b"0O1IL2Z5S8B" {
            assert!(!CODE_ALPHABET.contains(bad));
        }
        let typed = r.code().to_lowercase();
        let spaced = format!("{} {}", &typed[..3], &typed[3..]);
        assert_eq!(r.check_code(&spaced), Ok(()));
    }

    #[test]
    fn join_vote_change_and_count() {
        let mut r = room(2);
        let code = r.code().to_string();
        assert_eq!(r.join("WRONG1", &token(1)), Err(VotingError::WrongCode));
        assert_eq!(r.join(&code, "short"), Err(VotingError::BadToken));
        let epoch = r.join(&code, &token(1)).unwrap();
        assert_eq!(r.join(&code, &token(1)), Ok(epoch));
        assert_eq!(
            r.vote(epoch, &token(2), "q0", 0),
            Err(VotingError::NotJoined)
        );
        r.vote(epoch, &token(1), "q0", 0).unwrap();
        r.vote(epoch, &token(1), "q0", 2).unwrap();
        assert_eq!(r.counts("q0").unwrap(), &[0, 0, 1]);
        assert_eq!(r.voted("q0").unwrap(), 1);
        assert_eq!(
            r.vote(epoch, &token(1), "q0", 3),
            Err(VotingError::BadOption { index: 3, count: 3 })
        );
        assert_eq!(
            r.vote(epoch, &token(1), "q9", 0),
            Err(VotingError::UnknownQuestion("q9".into()))
        );
        assert_eq!(
            r.vote(epoch, &token(1), "q1", 0),
            Err(VotingError::NotCurrent("q1".into()))
        );
        // Hidden from phones until revealed.
        assert_eq!(r.phone_view().counts, None);
        r.close();
        assert_eq!(
            r.vote(epoch, &token(1), "q0", 1),
            Err(VotingError::Closed("q0".into()))
        );
        r.reveal();
        assert_eq!(r.phone_view().counts, Some(vec![0, 0, 1]));
        assert_eq!(r.open(), Err(VotingError::AlreadyRevealed("q0".into())));
        assert_eq!(r.counts("q0").unwrap(), &[0, 0, 1]);
        // Hidden again: off the phones, votes still closed.
        let phase = r.phase();
        r.hide();
        assert!(r.phase() > phase);
        assert_eq!(r.state("q0"), Ok(QuestionState::Closed));
        assert_eq!(r.phone_view().counts, None);
        assert_eq!(
            r.vote(epoch, &token(1), "q0", 1),
            Err(VotingError::Closed("q0".into()))
        );
        // Hiding what is not revealed does nothing.
        let phase = r.phase();
        r.hide();
        assert_eq!(r.phase(), phase);
    }

    #[test]
    fn reset_refuses_old_epoch_and_old_registrations() {
        let mut r = room(1);
        let code = r.code().to_string();
        let epoch = r.join(&code, &token(1)).unwrap();
        r.vote(epoch, &token(1), "q0", 1).unwrap();
        let phase = r.phase();
        r.reset(&[9u8; 32]);
        assert!(r.phase() > phase);
        assert_eq!(r.counts("q0").unwrap(), &[0, 0, 0]);
        assert_eq!(
            r.vote(epoch, &token(1), "q0", 1),
            Err(VotingError::StaleEpoch {
                sent: 1,
                current: 2
            })
        );
        // Even with the new epoch forged in, the old registration is gone.
        assert_eq!(r.vote(2, &token(1), "q0", 1), Err(VotingError::NotJoined));
        assert_eq!(r.counts("q0").unwrap(), &[0, 0, 0]);
        // Joining again works (the code stays).
        let epoch = r.join(&code, &token(1)).unwrap();
        assert_eq!(epoch, 2);
        r.vote(epoch, &token(1), "q0", 1).unwrap();
        assert_eq!(r.counts("q0").unwrap(), &[0, 1, 0]);
    }

    #[test]
    fn navigation_stops_at_the_ends() {
        let mut r = room(2);
        assert_eq!(
            r.previous_question(),
            Err(VotingError::NoSuchMove("previous"))
        );
        r.next_question().unwrap();
        assert_eq!(r.next_question(), Err(VotingError::NoSuchMove("next")));
        assert_eq!(r.phone_view().id, "q1");
        r.go_to("q0").unwrap();
        assert_eq!(r.current_index(), 0);
        assert!(r.go_to("nope").is_err());
    }

    #[test]
    fn device_cap_holds() {
        let mut r = room(1);
        let code = r.code().to_string();
        for i in 0..MAX_DEVICES {
            r.join(&code, &token(i)).unwrap();
        }
        assert_eq!(r.join(&code, &token(MAX_DEVICES)), Err(VotingError::Full));
        // A device already in may join again.
        assert!(r.join(&code, &token(0)).is_ok());
    }

    #[test]
    fn bad_rooms_are_refused() {
        let e = [0u8; ENTROPY_LEN];
        assert_eq!(
            VotingRoom::new(vec![], &e).unwrap_err(),
            VotingError::NoQuestions
        );
        let mut qs = questions(2);
        qs[1].id = "q0".into();
        assert!(matches!(
            VotingRoom::new(qs, &e),
            Err(VotingError::BadQuestion { .. })
        ));
        let mut qs = questions(1);
        qs[0].options.clear();
        assert!(VotingRoom::new(qs, &e).is_err());
    }

    #[test]
    fn tokens_are_stored_only_as_salted_hashes() {
        let mut r = room(1);
        let code = r.code().to_string();
        let t = token(7);
        let epoch = r.join(&code, &t).unwrap();
        r.vote(epoch, &t, "q0", 0).unwrap();
        let dump = format!("{r:?}");
        assert!(!dump.contains(&t), "the raw token must not be kept");
    }

    #[derive(Debug, Clone)]
    enum Op {
        Join(usize),
        Vote(usize, usize),
        Next,
        Previous,
        Close,
        Open,
        Reveal,
        Reset,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0usize..12).prop_map(Op::Join),
            8 => (0usize..12, 0usize..4).prop_map(|(t, o)| Op::Vote(t, o)),
            1 => Just(Op::Next),
            1 => Just(Op::Previous),
            1 => Just(Op::Close),
            1 => Just(Op::Open),
            1 => Just(Op::Reveal),
            1 => Just(Op::Reset),
        ]
    }

    proptest! {
        #[test]
        fn counts_equal_distinct_voters(ops in proptest::collection::vec(op(), 0..200)) {
            let mut r = room(3);
            let code = r.code().to_string();
            // Our own record of the last accepted vote per (question, token).
            let mut expected: Vec<HashMap<usize, usize>> = vec![HashMap::new(); 3];
            for op in ops {
                match op {
                    Op::Join(t) => { r.join(&code, &token(t)).unwrap(); }
                    Op::Vote(t, o) => {
                        let q = r.phone_view().id;
                        let i = r.current_index();
                        let before = r.counts(&q).unwrap().to_vec();
                        match r.vote(r.epoch(), &token(t), &q, o) {
                            Ok(()) => { expected[i].insert(t, o); }
                            Err(_) => prop_assert_eq!(r.counts(&q).unwrap(), before.as_slice()),
                        }
                    }
                    Op::Next => { let _ = r.next_question(); }
                    Op::Previous => { let _ = r.previous_question(); }
                    Op::Close => r.close(),
                    Op::Open => { let _ = r.open(); }
                    Op::Reveal => r.reveal(),
                    Op::Reset => {
                        r.reset(&[3u8; 32]);
                        expected.iter_mut().for_each(HashMap::clear);
                    }
                }
                for (i, q) in ["q0", "q1", "q2"].iter().enumerate() {
                    let counts = r.counts(q).unwrap();
                    let total: u64 = counts.iter().sum();
                    prop_assert_eq!(total, expected[i].len() as u64);
                    prop_assert_eq!(total, r.voted(q).unwrap());
                    let recount = r.recount(q).unwrap();
                    prop_assert_eq!(counts, recount.as_slice());
                    let mut want = vec![0u64; 3];
                    for o in expected[i].values() { want[*o] += 1; }
                    prop_assert_eq!(counts, want.as_slice());
                }
            }
        }
    }
}
