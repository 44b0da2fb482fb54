//! The workshop session and its operations.
//!
//! A session walks through the scored questions of one questionnaire (all
//! its domains, or the ones the trainer chose), in the questionnaire's
//! order. For each question it keeps a [`Tally`]: how many people in the
//! room chose each option (by option index), whether the result has been
//! revealed to the room, and where the counts came from (a show of hands
//! typed by the trainer, or phones). Counts only: a session never holds a
//! name.
//!
//! Every operation checks its input and either applies it whole or returns
//! a [`WorkshopError`] and changes nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Question, Questionnaire, QuestionnaireRef};

/// The largest room a session accepts (people counted in one tally).
pub const MAX_ROOM_SIZE: u32 = 500;
/// The shortest time plan, in minutes.
pub const MIN_MINUTES: u32 = 10;
/// The longest time plan, in minutes (a full working day).
pub const MAX_MINUTES: u32 = 480;
/// Share of the time plan given to the questions (percent); the rest is for
/// the opening and the debrief.
pub const QUESTION_TIME_PERCENT: u32 = 85;

/// Where a tally's counts came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TallySource {
    /// A show of hands, typed in by the trainer.
    Hands,
    /// Votes from participants' phones (the voting server).
    Phones,
}

impl TallySource {
    /// Stable id (storage, files).
    pub fn id(self) -> &'static str {
        match self {
            TallySource::Hands => "hands",
            TallySource::Phones => "phones",
        }
    }

    /// Inverse of [`TallySource::id`].
    pub fn from_id(id: &str) -> Option<TallySource> {
        match id {
            "hands" => Some(TallySource::Hands),
            "phones" => Some(TallySource::Phones),
            _ => None,
        }
    }
}

/// The group's answers to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// The question.
    pub question_id: String,
    /// How many chose each option, by option index.
    pub counts: Vec<u32>,
    /// The room may see the result.
    pub revealed: bool,
    /// Where the counts came from.
    pub source: TallySource,
}

impl Tally {
    /// How many answered.
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }
}

/// What the trainer chooses when starting a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSetup {
    /// Domain ids to cover, in any order; empty for all of them.
    #[serde(default)]
    pub domains: Vec<String>,
    /// The time plan, in minutes.
    pub minutes: u32,
    /// How many people are in the room (the cap of every tally).
    pub room_size: u32,
}

/// A workshop session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    /// The questionnaire and version the session runs.
    pub questionnaire: QuestionnaireRef,
    /// The chosen domain ids, in questionnaire order (every domain when the
    /// trainer chose none).
    pub domains: Vec<String>,
    /// The time plan, in minutes.
    pub minutes: u32,
    /// Declared room size: no tally counts more people.
    pub room_size: u32,
    /// Index of the question on screen.
    pub current: usize,
    /// One tally per question, in the order they are asked.
    pub tallies: Vec<Tally>,
    /// When the session was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// Why a session operation was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkshopError {
    /// The room size is outside 1..=[`MAX_ROOM_SIZE`].
    #[error("the room size must be between 1 and {MAX_ROOM_SIZE} people (got {0})")]
    RoomSize(i64),
    /// The time plan is outside [`MIN_MINUTES`]..=[`MAX_MINUTES`].
    #[error("the time plan must be between {MIN_MINUTES} and {MAX_MINUTES} minutes (got {0})")]
    Minutes(i64),
    /// A chosen domain is not in the questionnaire.
    #[error("domain {0:?} is not in the questionnaire")]
    UnknownDomain(String),
    /// A domain was chosen twice.
    #[error("domain {0:?} is chosen twice")]
    DuplicateDomain(String),
    /// The chosen domains hold no question.
    #[error("the chosen domains hold no question")]
    NoQuestions,
    /// The question is not part of this session.
    #[error("question {0:?} is not part of this session")]
    UnknownQuestion(String),
    /// A question appears twice.
    #[error("question {0:?} appears twice")]
    DuplicateQuestion(String),
    /// A question of the session is missing.
    #[error("question {0:?} of the chosen domains is missing")]
    MissingQuestion(String),
    /// Not one count per option.
    #[error("question {question:?} has {expected} options, but {found} counts were given")]
    OptionCount {
        /// The question.
        question: String,
        /// Its number of options.
        expected: usize,
        /// Counts given.
        found: usize,
    },
    /// A negative count.
    #[error("question {question:?}, option {option}: a count cannot be negative (got {count})")]
    NegativeCount {
        /// The question.
        question: String,
        /// Option number, from 1.
        option: usize,
        /// The count.
        count: i64,
    },
    /// More answers than people in the room.
    #[error("question {question:?}: {total} answers counted, but the room holds {room} people")]
    AboveRoom {
        /// The question.
        question: String,
        /// Sum of the counts given.
        total: i64,
        /// Declared room size.
        room: u32,
    },
    /// A smaller room than answers already counted.
    #[error("the room cannot be smaller than {largest} people: a question already has that many answers")]
    RoomBelowCounts {
        /// The largest total of any tally.
        largest: u32,
    },
    /// A position outside the session.
    #[error("there is no question number {index} (the session has {len})")]
    Position {
        /// Index asked for (from 0).
        index: i64,
        /// Number of questions.
        len: usize,
    },
    /// The session is for another questionnaire.
    #[error("the session is for questionnaire {session}, not {given}")]
    OtherQuestionnaire {
        /// The session's questionnaire and version.
        session: String,
        /// The one given.
        given: String,
    },
}

impl WorkshopError {
    /// The message for the trainer, in Italian (the app shows it as is).
    pub fn italian(&self) -> String {
        let people = |n: i64| {
            if n == 1 {
                "1 persona".to_string()
            } else {
                format!("{n} persone")
            }
        };
        match self {
            WorkshopError::RoomSize(_) => format!(
                "Il numero di partecipanti deve essere fra 1 e {MAX_ROOM_SIZE}."
            ),
            WorkshopError::Minutes(_) => format!(
                "La durata deve essere fra {MIN_MINUTES} e {MAX_MINUTES} minuti."
            ),
            WorkshopError::UnknownDomain(_) | WorkshopError::DuplicateDomain(_) => {
                "Uno degli argomenti scelti non è nel questionario.".into()
            }
            WorkshopError::NoQuestions => "Gli argomenti scelti non hanno domande.".into(),
            WorkshopError::UnknownQuestion(_)
            | WorkshopError::DuplicateQuestion(_)
            | WorkshopError::MissingQuestion(_)
            | WorkshopError::OtherQuestionnaire { .. } => {
                "La sessione non corrisponde al suo questionario.".into()
            }
            WorkshopError::OptionCount { expected, .. } => {
                format!("Servono {expected} conteggi, uno per risposta.")
            }
            WorkshopError::NegativeCount { option, .. } => {
                format!("Il conteggio della risposta {option} non può essere negativo.")
            }
            WorkshopError::AboveRoom { total, room, .. } => format!(
                "Sono state contate {} ma in aula ci sono {}: correggi i conteggi o il numero di partecipanti.",
                if *total == 1 { "1 risposta".to_string() } else { format!("{total} risposte") },
                people(i64::from(*room))
            ),
            WorkshopError::RoomBelowCounts { largest } => format!(
                "Una domanda ha già {}: i partecipanti non possono essere meno.",
                if *largest == 1 { "1 risposta".to_string() } else { format!("{largest} risposte") }
            ),
            WorkshopError::Position { .. } => "Questa domanda non è nella sessione.".into(),
        }
    }
}

fn check_room(room_size: i64) -> Result<u32, WorkshopError> {
    u32::try_from(room_size)
        .ok()
        .filter(|r| (1..=MAX_ROOM_SIZE).contains(r))
        .ok_or(WorkshopError::RoomSize(room_size))
}

fn check_minutes(minutes: i64) -> Result<u32, WorkshopError> {
    u32::try_from(minutes)
        .ok()
        .filter(|m| (MIN_MINUTES..=MAX_MINUTES).contains(m))
        .ok_or(WorkshopError::Minutes(minutes))
}

/// The questions a session over `domains` asks, in questionnaire order, and
/// the domain ids in questionnaire order (all of them when `domains` is
/// empty).
fn selected<'q>(
    q: &'q Questionnaire,
    domains: &[String],
) -> Result<(Vec<String>, Vec<&'q Question>), WorkshopError> {
    for (i, d) in domains.iter().enumerate() {
        if !q.domains.iter().any(|x| &x.id == d) {
            return Err(WorkshopError::UnknownDomain(d.clone()));
        }
        if domains[..i].contains(d) {
            return Err(WorkshopError::DuplicateDomain(d.clone()));
        }
    }
    let chosen: Vec<_> = q
        .domains
        .iter()
        .filter(|d| domains.is_empty() || domains.contains(&d.id))
        .collect();
    let questions: Vec<&Question> = chosen.iter().flat_map(|d| d.questions.iter()).collect();
    if questions.is_empty() {
        return Err(WorkshopError::NoQuestions);
    }
    Ok((chosen.iter().map(|d| d.id.clone()).collect(), questions))
}

impl Session {
    /// A new session over the chosen domains of `q`, every count at zero,
    /// nothing revealed, on the first question.
    pub fn new(
        q: &Questionnaire,
        setup: &SessionSetup,
        now: DateTime<Utc>,
    ) -> Result<Session, WorkshopError> {
        let room_size = check_room(i64::from(setup.room_size))?;
        let minutes = check_minutes(i64::from(setup.minutes))?;
        let (domains, questions) = selected(q, &setup.domains)?;
        Ok(Session {
            questionnaire: QuestionnaireRef {
                id: q.id.clone(),
                version: q.version.clone(),
            },
            domains,
            minutes,
            room_size,
            current: 0,
            tallies: questions
                .iter()
                .map(|question| Tally {
                    question_id: question.id.clone(),
                    counts: vec![0; question.options.len()],
                    revealed: false,
                    source: TallySource::Hands,
                })
                .collect(),
            created_at: now,
            updated_at: now,
        })
    }

    /// Check that the session fits `q` (same id and version, every question
    /// in it with the same number of options): a session read back from
    /// storage or a file is only used with its own questionnaire.
    pub fn check_against(&self, q: &Questionnaire) -> Result<(), WorkshopError> {
        if q.id != self.questionnaire.id || q.version != self.questionnaire.version {
            return Err(WorkshopError::OtherQuestionnaire {
                session: format!("{} {}", self.questionnaire.id, self.questionnaire.version),
                given: format!("{} {}", q.id, q.version),
            });
        }
        let (_, questions) = selected(q, &self.domains)?;
        for (i, t) in self.tallies.iter().enumerate() {
            if self.tallies[..i]
                .iter()
                .any(|o| o.question_id == t.question_id)
            {
                return Err(WorkshopError::DuplicateQuestion(t.question_id.clone()));
            }
            let Some(question) = questions.iter().find(|x| x.id == t.question_id) else {
                return Err(WorkshopError::UnknownQuestion(t.question_id.clone()));
            };
            if question.options.len() != t.counts.len() {
                return Err(WorkshopError::OptionCount {
                    question: t.question_id.clone(),
                    expected: question.options.len(),
                    found: t.counts.len(),
                });
            }
        }
        if let Some(missing) = questions
            .iter()
            .find(|x| !self.tallies.iter().any(|t| t.question_id == x.id))
        {
            return Err(WorkshopError::MissingQuestion(missing.id.clone()));
        }
        if self.current >= self.tallies.len() {
            return Err(WorkshopError::Position {
                index: i64::try_from(self.current).unwrap_or(i64::MAX),
                len: self.tallies.len(),
            });
        }
        Ok(())
    }

    /// Number of questions.
    pub fn len(&self) -> usize {
        self.tallies.len()
    }

    /// Always false: a session has at least one question.
    pub fn is_empty(&self) -> bool {
        self.tallies.is_empty()
    }

    /// The tally of the question on screen.
    pub fn current_tally(&self) -> &Tally {
        // `current` is kept below `len()` by every operation, and a session
        // has at least one question.
        &self.tallies[self.current.min(self.tallies.len().saturating_sub(1))]
    }

    /// The tally of a question.
    pub fn tally(&self, question_id: &str) -> Option<&Tally> {
        self.tallies.iter().find(|t| t.question_id == question_id)
    }

    fn tally_mut(&mut self, question_id: &str) -> Result<&mut Tally, WorkshopError> {
        self.tallies
            .iter_mut()
            .find(|t| t.question_id == question_id)
            .ok_or_else(|| WorkshopError::UnknownQuestion(question_id.to_string()))
    }

    /// Seconds the time plan gives each question: [`QUESTION_TIME_PERCENT`]
    /// of the plan, shared evenly.
    pub fn seconds_per_question(&self) -> u32 {
        let n = u32::try_from(self.tallies.len()).unwrap_or(u32::MAX).max(1);
        self.minutes * 60 * QUESTION_TIME_PERCENT / 100 / n
    }

    /// Move to the next question; false (and nothing changes) on the last.
    pub fn next_question(&mut self) -> bool {
        if self.current + 1 < self.tallies.len() {
            self.current += 1;
            true
        } else {
            false
        }
    }

    /// Move to the previous question; false (and nothing changes) on the
    /// first.
    pub fn previous_question(&mut self) -> bool {
        if self.current > 0 {
            self.current -= 1;
            true
        } else {
            false
        }
    }

    /// Move to question `index` (from 0).
    pub fn go_to(&mut self, index: i64) -> Result<(), WorkshopError> {
        let len = self.tallies.len();
        match usize::try_from(index) {
            Ok(i) if i < len => {
                self.current = i;
                Ok(())
            }
            _ => Err(WorkshopError::Position { index, len }),
        }
    }

    /// Record the counts of a question (one per option, by option index),
    /// replacing the previous ones. Refused when a count is negative, when
    /// there is not one count per option, or when more answers are counted
    /// than people in the room. The reveal flag is kept.
    ///
    /// The trainer's typed show of hands comes with [`TallySource::Hands`];
    /// the phone-voting server records with [`TallySource::Phones`].
    pub fn record_counts(
        &mut self,
        question_id: &str,
        counts: &[i64],
        source: TallySource,
    ) -> Result<(), WorkshopError> {
        let room = self.room_size;
        let tally = self.tally_mut(question_id)?;
        if counts.len() != tally.counts.len() {
            return Err(WorkshopError::OptionCount {
                question: question_id.to_string(),
                expected: tally.counts.len(),
                found: counts.len(),
            });
        }
        let mut checked = Vec::with_capacity(counts.len());
        let mut total: i64 = 0;
        for (i, &c) in counts.iter().enumerate() {
            if c < 0 {
                return Err(WorkshopError::NegativeCount {
                    question: question_id.to_string(),
                    option: i + 1,
                    count: c,
                });
            }
            total = total.saturating_add(c);
            if total > i64::from(room) {
                return Err(WorkshopError::AboveRoom {
                    question: question_id.to_string(),
                    total: counts.iter().fold(0_i64, |a, &c| a.saturating_add(c)),
                    room,
                });
            }
            // At most `room` (≤ 500) here, so it fits.
            checked.push(u32::try_from(c).unwrap_or(room));
        }
        tally.counts = checked;
        tally.source = source;
        Ok(())
    }

    /// Show (or hide again) a question's result to the room.
    pub fn set_revealed(&mut self, question_id: &str, revealed: bool) -> Result<(), WorkshopError> {
        self.tally_mut(question_id)?.revealed = revealed;
        Ok(())
    }

    /// Change the declared room size; refused below a total already counted.
    pub fn set_room_size(&mut self, room_size: i64) -> Result<(), WorkshopError> {
        let size = check_room(room_size)?;
        let largest = self.tallies.iter().map(Tally::total).max().unwrap_or(0);
        if largest > size {
            return Err(WorkshopError::RoomBelowCounts { largest });
        }
        self.room_size = size;
        Ok(())
    }

    /// Clear the session for a new group: every count back to zero, every
    /// result hidden, back to the first question.
    pub fn reset_counts(&mut self) {
        for t in &mut self.tallies {
            t.counts.iter_mut().for_each(|c| *c = 0);
            t.revealed = false;
            t.source = TallySource::Hands;
        }
        self.current = 0;
    }

    /// Number of questions with at least one answer counted.
    pub fn answered(&self) -> usize {
        self.tallies.iter().filter(|t| t.total() > 0).count()
    }
}

/// Re-check a minutes value read from storage or a file.
pub(crate) fn minutes_from(value: i64) -> Result<u32, WorkshopError> {
    check_minutes(value)
}

/// Re-check a room size read from storage or a file.
pub(crate) fn room_from(value: i64) -> Result<u32, WorkshopError> {
    check_room(value)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::load::Catalog;

    fn comune() -> Questionnaire {
        let (catalog, _) = Catalog::builtin();
        (*catalog.latest("comune").unwrap().questionnaire).clone()
    }

    fn setup(domains: &[&str]) -> SessionSetup {
        SessionSetup {
            domains: domains.iter().map(|s| s.to_string()).collect(),
            minutes: 90,
            room_size: 30,
        }
    }

    #[test]
    fn new_session_covers_the_chosen_domains_in_order() {
        let q = comune();
        let all = Session::new(&q, &setup(&[]), Utc::now()).unwrap();
        assert_eq!(all.len(), q.question_count());
        assert_eq!(all.domains.len(), q.domains.len());
        let last = q.domains.last().unwrap().id.clone();
        let first = q.domains[0].id.clone();
        let two = Session::new(&q, &setup(&[&last, &first]), Utc::now()).unwrap();
        assert_eq!(two.domains, vec![first.clone(), last.clone()]);
        assert_eq!(
            two.len(),
            q.domains[0].questions.len() + q.domains.last().unwrap().questions.len()
        );
        assert_eq!(two.tallies[0].question_id, q.domains[0].questions[0].id);
        assert!(two.check_against(&q).is_ok());
    }

    #[test]
    fn bad_setups_are_refused() {
        let q = comune();
        let now = Utc::now();
        let mut s = setup(&["nope"]);
        assert_eq!(
            Session::new(&q, &s, now),
            Err(WorkshopError::UnknownDomain("nope".into()))
        );
        let d = q.domains[0].id.clone();
        s = setup(&[&d, &d]);
        assert_eq!(
            Session::new(&q, &s, now),
            Err(WorkshopError::DuplicateDomain(d))
        );
        s = setup(&[]);
        s.room_size = 0;
        assert_eq!(Session::new(&q, &s, now), Err(WorkshopError::RoomSize(0)));
        s.room_size = 501;
        assert_eq!(Session::new(&q, &s, now), Err(WorkshopError::RoomSize(501)));
        s.room_size = 30;
        s.minutes = 5;
        assert_eq!(Session::new(&q, &s, now), Err(WorkshopError::Minutes(5)));
    }

    #[test]
    fn counts_are_checked_and_nothing_changes_on_refusal() {
        let q = comune();
        let mut s = Session::new(&q, &setup(&[]), Utc::now()).unwrap();
        let id = s.tallies[0].question_id.clone();
        let n = s.tallies[0].counts.len();
        let mut counts = vec![0_i64; n];
        counts[0] = 10;
        counts[1] = 20;
        s.record_counts(&id, &counts, TallySource::Hands).unwrap();
        assert_eq!(s.tallies[0].total(), 30);
        let before = s.clone();
        counts[1] = -1;
        assert!(matches!(
            s.record_counts(&id, &counts, TallySource::Hands),
            Err(WorkshopError::NegativeCount {
                option: 2,
                count: -1,
                ..
            })
        ));
        counts[1] = 21;
        assert!(matches!(
            s.record_counts(&id, &counts, TallySource::Phones),
            Err(WorkshopError::AboveRoom {
                total: 31,
                room: 30,
                ..
            })
        ));
        counts[1] = 1_000_000;
        assert!(s.record_counts(&id, &counts, TallySource::Hands).is_err());
        assert!(matches!(
            s.record_counts(&id, &counts[..n - 1], TallySource::Hands),
            Err(WorkshopError::OptionCount { .. })
        ));
        assert_eq!(
            s.record_counts("nope", &counts, TallySource::Hands),
            Err(WorkshopError::UnknownQuestion("nope".into()))
        );
        assert_eq!(
            s.set_room_size(29),
            Err(WorkshopError::RoomBelowCounts { largest: 30 })
        );
        assert_eq!(s, before);
        s.set_room_size(40).unwrap();
        assert_eq!(s.room_size, 40);
    }

    #[test]
    fn navigation_stays_inside_and_reset_clears() {
        let q = comune();
        let mut s = Session::new(&q, &setup(&[]), Utc::now()).unwrap();
        assert!(!s.previous_question());
        assert!(s.next_question());
        assert_eq!(s.current, 1);
        s.go_to(i64::try_from(s.len()).unwrap() - 1).unwrap();
        assert!(!s.next_question());
        assert!(s.go_to(-1).is_err());
        assert!(s.go_to(i64::try_from(s.len()).unwrap()).is_err());
        let id = s.current_tally().question_id.clone();
        let mut counts = vec![0_i64; s.current_tally().counts.len()];
        counts[0] = 3;
        s.record_counts(&id, &counts, TallySource::Phones).unwrap();
        s.set_revealed(&id, true).unwrap();
        assert_eq!(s.answered(), 1);
        s.reset_counts();
        assert_eq!(s.answered(), 0);
        assert_eq!(s.current, 0);
        assert!(s
            .tallies
            .iter()
            .all(|t| !t.revealed && t.source == TallySource::Hands));
    }

    #[test]
    fn time_plan_is_shared_among_questions() {
        let q = comune();
        let s = Session::new(&q, &setup(&[]), Utc::now()).unwrap();
        let n = u32::try_from(s.len()).unwrap();
        assert_eq!(s.seconds_per_question(), 90 * 60 * 85 / 100 / n);
    }
}
