//! Phone votes into the workshop session (issues 17 and 18): the room is
//! built from the session's questions, and its counts are copied into the
//! session as [`TallySource::Phones`] tallies, all or nothing.

use crate::model::Questionnaire;
use crate::workshop::{Session, TallySource, WorkshopError};

use super::room::{VotingError, VotingQuestion};

/// The room's questions for a session: the session's questions in its
/// order, with the questionnaire's texts and option labels.
pub fn questions_for_session(
    session: &Session,
    questionnaire: &Questionnaire,
) -> Result<Vec<VotingQuestion>, VotingError> {
    session
        .tallies
        .iter()
        .map(|tally| {
            questionnaire
                .domains
                .iter()
                .flat_map(|d| d.questions.iter())
                .find(|q| q.id == tally.question_id)
                .map(|q| VotingQuestion {
                    id: q.id.clone(),
                    title: q.text.clone(),
                    options: q.options.iter().map(|o| o.label.clone()).collect(),
                })
                .ok_or_else(|| VotingError::UnknownQuestion(tally.question_id.clone()))
        })
        .collect()
}

/// Copies the room's counts (from [`super::LiveRoom::all_counts`]) into the
/// session: every question that received at least one vote gets the
/// phones' counts; the others keep what they had (a show of hands typed in).
/// All or nothing: on a refusal (more votes than the declared room size, a
/// question not in the session) the session is unchanged. Returns how many
/// tallies were replaced.
pub fn record_phone_counts(
    counts: &[(String, Vec<u64>)],
    session: &mut Session,
) -> Result<usize, WorkshopError> {
    let mut updated = session.clone();
    let mut replaced = 0;
    for (question, c) in counts {
        if c.iter().all(|n| *n == 0) {
            continue;
        }
        let as_i64: Vec<i64> = c
            .iter()
            .map(|n| i64::try_from(*n).unwrap_or(i64::MAX))
            .collect();
        updated.record_counts(question, &as_i64, TallySource::Phones)?;
        replaced += 1;
    }
    *session = updated;
    Ok(replaced)
}

/// The session step (for [`crate::usecase::workshop::apply`], which saves it
/// durably) that records the phones' counts of one question.
pub fn counts_step(
    room: &super::LiveRoom,
    question_id: &str,
) -> Result<crate::usecase::workshop::Step, VotingError> {
    let counts = room.counts(question_id)?;
    Ok(crate::usecase::workshop::Step::Counts {
        question: question_id.to_string(),
        counts: counts
            .iter()
            .map(|n| i64::try_from(*n).unwrap_or(i64::MAX))
            .collect(),
        source: TallySource::Phones,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::load::Catalog;
    use crate::voting::LiveRoom;
    use crate::workshop::SessionSetup;

    fn session(room_size: u32) -> (Session, std::sync::Arc<Questionnaire>) {
        let (catalog, _) = Catalog::builtin();
        let q = catalog
            .latest("sportello-polis")
            .unwrap()
            .questionnaire
            .clone();
        let setup = SessionSetup {
            domains: vec![q.domains[0].id.clone()],
            minutes: 90,
            room_size,
        };
        let s = Session::new(&q, &setup, chrono::Utc::now()).unwrap();
        (s, q)
    }

    #[test]
    fn phone_counts_reach_the_session_all_or_nothing() {
        let (mut s, q) = session(3);
        let questions = questions_for_session(&s, &q).unwrap();
        assert_eq!(questions.len(), s.len());
        assert_eq!(questions[0].id, s.tallies[0].question_id);
        let room = LiveRoom::new(questions).unwrap();
        let code = room.code();
        for n in 0..3 {
            let token = format!("session-test-token-{n}");
            let epoch = room.join(&code, &token).unwrap();
            room.vote(epoch, &token, &s.tallies[0].question_id, n % 2)
                .unwrap();
        }
        // A show of hands typed in on the second question stays.
        let second = s.tallies[1].question_id.clone();
        let typed = vec![1i64; s.tallies[1].counts.len().min(3)];
        let mut typed_full = vec![0i64; s.tallies[1].counts.len()];
        typed_full[..typed.len()].copy_from_slice(&typed);
        s.record_counts(&second, &typed_full, TallySource::Hands)
            .unwrap();
        assert_eq!(record_phone_counts(&room.all_counts(), &mut s), Ok(1));
        assert_eq!(s.tallies[0].counts[..2], [2, 1]);
        assert_eq!(s.tallies[0].source, TallySource::Phones);
        assert_eq!(s.tallies[1].source, TallySource::Hands);

        // More phones than the declared room: refused, session unchanged.
        let (mut small, q) = session(2);
        let before = small.clone();
        let room = LiveRoom::new(questions_for_session(&small, &q).unwrap()).unwrap();
        let code = room.code();
        for n in 0..3 {
            let token = format!("session-test-token-{n}");
            let epoch = room.join(&code, &token).unwrap();
            room.vote(epoch, &token, &small.tallies[0].question_id, 0)
                .unwrap();
        }
        assert!(matches!(
            record_phone_counts(&room.all_counts(), &mut small),
            Err(WorkshopError::AboveRoom { .. })
        ));
        assert_eq!(small, before);
        let step = counts_step(&room, &small.tallies[0].question_id).unwrap();
        let crate::usecase::workshop::Step::Counts { counts, source, .. } = step else {
            panic!("not a counts step: {step:?}");
        };
        assert_eq!(source, TallySource::Phones);
        assert_eq!(counts[0], 3);
    }
}
