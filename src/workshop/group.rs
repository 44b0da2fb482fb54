//! The group's answers: the typical answer to each question, and what the
//! scoring and plan rules make of them.
//!
//! The typical answer is the option most people chose. Ties go to the more
//! cautious answer, so that a split room never hides a gap:
//! - among tied options, the lowest level wins;
//! - "Non so" counts as level 0 and wins a tie with a level-0 option (it
//!   also yields a question for the IT supplier);
//! - "Non applicabile" loses every tie: it is the typical answer only when
//!   strictly more people chose it than any other option.
//!
//! A question nobody answered has no typical answer and is left out of the
//! group's score and plan (so are the questions the session does not ask):
//! the six measures come only from what the group answered.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::session::Session;
use crate::model::{
    Answer, AnswerOption, AnswerSheet, Audience, Organization, Question, Questionnaire,
    QuestionnaireRef, SpecialAnswer, ANSWERS_FORMAT,
};
use crate::plan::{self, Plan};
use crate::scoring::{self, Score};

/// How cautious an option is, for ties: lower wins.
fn caution(option: &AnswerOption) -> u8 {
    match (option.kind, option.level) {
        (Some(SpecialAnswer::Unknown), _) => 0,
        (Some(SpecialAnswer::NotApplicable), _) => u8::MAX,
        // Level 0 ranks after "Non so"; level n after level n-1.
        (None, Some(level)) => level.saturating_mul(2).saturating_add(1),
        (None, None) => u8::MAX - 1,
    }
}

/// The index of the group's typical answer to `question` given the counts
/// (by option index), or `None` when nobody answered.
pub fn typical_option(question: &Question, counts: &[u32]) -> Option<usize> {
    let max = counts.iter().copied().max().filter(|&m| m > 0)?;
    counts
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c == max)
        .filter_map(|(i, _)| question.options.get(i).map(|o| (i, caution(o))))
        .min_by_key(|&(i, caution)| (caution, i))
        .map(|(i, _)| i)
}

/// What the group's answers amount to.
#[derive(Debug, Clone, Serialize)]
pub struct GroupOutcome {
    /// The typical answers, as an answers sheet of a placeholder
    /// organization ("Il gruppo"): no name of a comune or a person.
    pub sheet: AnswerSheet,
    /// The questionnaire reduced to the questions the group answered.
    #[serde(skip)]
    pub questionnaire: Questionnaire,
    /// Its score.
    pub score: Score,
    /// Its plan; [`Plan::priority_actions`] are the six measures to take
    /// home.
    pub plan: Plan,
}

/// The placeholder organization of the group's answers: a small comune
/// with no name, code or place (the incident card uses its kind).
pub fn group_organization(kind: Audience) -> Organization {
    Organization {
        name: "Il gruppo".into(),
        istat_code: String::new(),
        province: String::new(),
        region: String::new(),
        population: 0,
        kind,
    }
}

/// Turn the session's typical answers into answers, and run them through
/// the same scoring and plan as an assessment of `q` (the session's
/// questionnaire, see [`Session::check_against`]).
pub fn group_outcome(q: &Questionnaire, session: &Session, on: NaiveDate) -> GroupOutcome {
    let mut answers = BTreeMap::new();
    for t in &session.tallies {
        if let Some(question) = q.question(&t.question_id) {
            if let Some(i) = typical_option(question, &t.counts) {
                if let Some(option) = question.options.get(i) {
                    answers.insert(
                        question.id.clone(),
                        Answer {
                            option: option.id.clone(),
                            note: None,
                        },
                    );
                }
            }
        }
    }
    let mut reduced = q.clone();
    for d in &mut reduced.domains {
        d.questions.retain(|x| answers.contains_key(&x.id));
    }
    reduced.domains.retain(|d| !d.questions.is_empty());
    let sheet = AnswerSheet {
        format: ANSWERS_FORMAT.into(),
        questionnaire: QuestionnaireRef {
            id: q.id.clone(),
            version: q.version.clone(),
        },
        organization: group_organization(q.audience),
        assessed_on: on,
        assessor_role: None,
        context: BTreeMap::new(),
        answers,
    };
    let score = scoring::score(&reduced, &sheet);
    let plan = plan::build(&reduced, &sheet, &score);
    GroupOutcome {
        sheet,
        questionnaire: reduced,
        score,
        plan,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::load::Catalog;
    use crate::workshop::{SessionSetup, TallySource};
    use chrono::Utc;

    fn comune() -> Questionnaire {
        let (catalog, _) = Catalog::builtin();
        (*catalog.latest("comune").unwrap().questionnaire).clone()
    }

    fn index_of(q: &Question, pred: impl Fn(&AnswerOption) -> bool) -> usize {
        q.options.iter().position(pred).unwrap()
    }

    #[test]
    fn ties_go_to_the_cautious_answer() {
        let q = comune();
        let question = q
            .questions()
            .map(|(_, x)| x)
            .find(|x| {
                x.options
                    .iter()
                    .any(|o| o.kind == Some(SpecialAnswer::NotApplicable))
            })
            .unwrap_or_else(|| q.questions().next().unwrap().1);
        let n = question.options.len();
        let lowest = index_of(question, |o| o.level == Some(0));
        let highest = index_of(question, |o| o.level == Some(question.max_level()));
        let unknown = index_of(question, |o| o.kind == Some(SpecialAnswer::Unknown));
        assert_eq!(typical_option(question, &vec![0; n]), None);
        let mut c = vec![0; n];
        c[highest] = 5;
        c[lowest] = 5;
        assert_eq!(typical_option(question, &c), Some(lowest));
        c[unknown] = 5;
        assert_eq!(typical_option(question, &c), Some(unknown));
        c[highest] = 6;
        assert_eq!(typical_option(question, &c), Some(highest));
        if let Some(na) = question
            .options
            .iter()
            .position(|o| o.kind == Some(SpecialAnswer::NotApplicable))
        {
            c[na] = 6;
            assert_eq!(typical_option(question, &c), Some(highest));
            c[na] = 7;
            assert_eq!(typical_option(question, &c), Some(na));
        }
    }

    #[test]
    fn outcome_uses_only_the_answered_questions() {
        let q = comune();
        let setup = SessionSetup {
            domains: vec![],
            minutes: 90,
            room_size: 30,
        };
        let mut s = Session::new(&q, &setup, Utc::now()).unwrap();
        // The whole room answers the first eight questions at level 0.
        for t in s.tallies.clone().iter().take(8) {
            let question = q.question(&t.question_id).unwrap();
            let mut counts = vec![0_i64; t.counts.len()];
            counts[index_of(question, |o| o.level == Some(0))] = 20;
            s.record_counts(&t.question_id, &counts, TallySource::Hands)
                .unwrap();
        }
        let out = group_outcome(&q, &s, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(out.sheet.answers.len(), 8);
        assert_eq!(out.questionnaire.question_count(), 8);
        assert!(out.plan.actions.iter().all(|a| !a.unanswered));
        let six: Vec<_> = out.plan.priority_actions().collect();
        assert_eq!(six.len(), 6);
        assert!(six
            .iter()
            .all(|a| out.sheet.answers.contains_key(&a.question_id)));
        assert_eq!(out.sheet.organization.name, "Il gruppo");
    }
}
