//! Properties of the scoring model (docs/scoring.md), checked with random
//! answers to every built-in questionnaire and the test questionnaire.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use proptest::prelude::*;
use sentinella::model::{
    Answer, AnswerSheet, Audience, Organization, Questionnaire, QuestionnaireRef, SpecialAnswer,
    ANSWERS_FORMAT,
};
use sentinella::scoring::{self, QuestionState, Score};

const EPS: f64 = 1e-9;

fn questionnaires() -> Vec<Arc<Questionnaire>> {
    static ALL: std::sync::OnceLock<Vec<Arc<Questionnaire>>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        common::catalog()
            .entries()
            .iter()
            .map(|e| e.questionnaire.clone())
            .collect()
    })
    .clone()
}

fn sheet(
    q: &Questionnaire,
    context: BTreeMap<String, String>,
    answers: BTreeMap<String, Answer>,
) -> AnswerSheet {
    AnswerSheet {
        format: ANSWERS_FORMAT.into(),
        questionnaire: QuestionnaireRef {
            id: q.id.clone(),
            version: q.version.clone(),
        },
        organization: Organization {
            name: "Comune di Prova".into(),
            istat_code: "056044".into(),
            province: "VT".into(),
            region: "Lazio".into(),
            population: 605,
            kind: Audience::Comune,
        },
        assessed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        assessor_role: None,
        context,
        answers,
    }
}

/// A questionnaire index plus random picks: for each context question and
/// each scored question, `None` (unanswered) or an option index.
fn case() -> impl Strategy<Value = (usize, Vec<Option<usize>>, Vec<Option<usize>>, usize)> {
    let count = questionnaires().len();
    (0..count).prop_flat_map(|qi| {
        let qs = questionnaires();
        let q = &qs[qi];
        let ctx: Vec<_> = q
            .context
            .iter()
            .map(|c| proptest::option::weighted(0.9, 0..c.options.len()))
            .collect();
        let ans: Vec<_> = q
            .questions()
            .map(|(_, x)| proptest::option::weighted(0.9, 0..x.options.len()))
            .collect();
        (Just(qi), ctx, ans, any::<usize>())
    })
}

fn build(
    qi: usize,
    ctx: &[Option<usize>],
    ans: &[Option<usize>],
) -> (Arc<Questionnaire>, AnswerSheet) {
    let q = questionnaires()[qi].clone();
    let context = q
        .context
        .iter()
        .zip(ctx)
        .filter_map(|(c, pick)| pick.map(|i| (c.id.clone(), c.options[i].id.clone())))
        .collect();
    let answers = q
        .questions()
        .zip(ans)
        .filter_map(|((_, x), pick)| {
            pick.map(|i| {
                (
                    x.id.clone(),
                    Answer {
                        option: x.options[i].id.clone(),
                        note: None,
                    },
                )
            })
        })
        .collect();
    let s = sheet(&q, context, answers);
    (q, s)
}

fn in_range(s: &Score) -> bool {
    (0.0..=100.0).contains(&s.overall)
        && s.domains
            .iter()
            .all(|d| d.score.is_none_or(|v| (0.0..=100.0).contains(&v)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_score_lies_in_0_100((qi, ctx, ans, _) in case()) {
        let (q, s) = build(qi, &ctx, &ans);
        prop_assert!(in_range(&scoring::score(&q, &s)));
    }

    #[test]
    fn overall_lies_between_lowest_and_highest_domain((qi, ctx, ans, _) in case()) {
        let (q, s) = build(qi, &ctx, &ans);
        let score = scoring::score(&q, &s);
        let scores: Vec<f64> = score.domains.iter().filter_map(|d| d.score).collect();
        if let (Some(lo), Some(hi)) = (
            scores.iter().copied().reduce(f64::min),
            scores.iter().copied().reduce(f64::max),
        ) {
            prop_assert!(score.overall >= lo - EPS && score.overall <= hi + EPS);
        }
    }

    #[test]
    fn raising_one_level_never_lowers_a_score((qi, ctx, ans, pick) in case()) {
        let (q, mut s) = build(qi, &ctx, &ans);
        let before = scoring::score(&q, &s);
        // Candidates: applicable questions counted at a level below their best.
        let candidates: Vec<_> = q
            .questions()
            .filter(|(_, x)| {
                let st = scoring::question_state(x, &s);
                matches!(
                    st,
                    QuestionState::Level(_) | QuestionState::Unknown | QuestionState::Unanswered
                )
                    && st.scored_level() < x.max_level()
            })
            .map(|(_, x)| x.clone())
            .collect();
        prop_assume!(!candidates.is_empty());
        let x = &candidates[pick % candidates.len()];
        let current = scoring::question_state(x, &s).scored_level();
        let higher: Vec<_> = x
            .options
            .iter()
            .filter(|o| o.level.is_some_and(|l| l > current))
            .collect();
        let o = higher[pick / candidates.len() % higher.len()];
        s.answers.insert(x.id.clone(), Answer { option: o.id.clone(), note: None });
        let after = scoring::score(&q, &s);
        prop_assert!(after.overall >= before.overall - EPS);
        for (b, a) in before.domains.iter().zip(&after.domains) {
            if let (Some(b), Some(a)) = (b.score, a.score) {
                prop_assert!(a >= b - EPS, "domain score went from {b} to {a}");
            }
        }
        prop_assert!(after.tier >= before.tier);
        prop_assert!(after.baseline.failed.len() <= before.baseline.failed.len());
    }

    #[test]
    fn not_applicable_only_removes_from_denominators((qi, ctx, ans, pick) in case()) {
        let (q, mut s) = build(qi, &ctx, &ans);
        let candidates: Vec<_> = q
            .questions()
            .filter(|(_, x)| scoring::applies(x, &s.context)
                && x.options.iter().any(|o| o.kind == Some(SpecialAnswer::NotApplicable)))
            .map(|(_, x)| x.clone())
            .collect();
        prop_assume!(!candidates.is_empty());
        let x = &candidates[pick % candidates.len()];
        let na = x.options.iter().find(|o| o.kind == Some(SpecialAnswer::NotApplicable)).unwrap();
        s.answers.insert(x.id.clone(), Answer { option: na.id.clone(), note: None });
        let with_na = scoring::score(&q, &s);

        let mut without = (*q).clone();
        for d in &mut without.domains {
            d.questions.retain(|y| y.id != x.id);
        }
        s.answers.remove(&x.id);
        let removed = scoring::score(&without, &s);
        prop_assert!((with_na.overall - removed.overall).abs() < EPS);
        for (a, b) in with_na.domains.iter().zip(&removed.domains) {
            match (a.score, b.score) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < EPS),
                (a, b) => prop_assert_eq!(a, b),
            }
        }
        prop_assert_eq!(&with_na.baseline.failed, &removed.baseline.failed);
        prop_assert_eq!(&with_na.unknown, &removed.unknown);
    }

    #[test]
    fn all_best_answers_give_100_and_the_baseline((qi, ctx, _ans, _) in case()) {
        let (q, mut s) = build(qi, &ctx, &[]);
        for (_, x) in q.questions() {
            let best = x
                .options
                .iter()
                .filter(|o| o.level.is_some())
                .max_by_key(|o| o.level)
                .unwrap();
            s.answers.insert(x.id.clone(), Answer { option: best.id.clone(), note: None });
        }
        let score = scoring::score(&q, &s);
        if score.domains.iter().any(|d| d.score.is_some()) {
            prop_assert!((score.overall - 100.0).abs() < EPS);
        }
        prop_assert!(score.domains.iter().all(|d| d.score.is_none_or(|v| (v - 100.0).abs() < EPS)));
        prop_assert!(score.baseline.met);
        prop_assert!(score.unknown.is_empty() && score.unanswered.is_empty());
    }

    #[test]
    fn all_unknown_gives_0_lists_everything_and_fails_the_baseline((qi, ctx, _ans, _) in case()) {
        let (q, mut s) = build(qi, &ctx, &[]);
        for (_, x) in q.questions() {
            let u = x.unknown_option().unwrap();
            s.answers.insert(x.id.clone(), Answer { option: u.id.clone(), note: None });
        }
        let score = scoring::score(&q, &s);
        prop_assert!(score.overall.abs() < EPS);
        let applicable: Vec<String> = q
            .questions()
            .filter(|(_, x)| scoring::applies(x, &s.context))
            .map(|(_, x)| x.id.clone())
            .collect();
        prop_assert_eq!(&score.unknown, &applicable);
        let gates = q
            .questions()
            .filter(|(_, x)| x.baseline.is_some() && scoring::applies(x, &s.context))
            .count();
        if gates > 0 {
            prop_assert!(!score.baseline.met);
            prop_assert_eq!(score.baseline.failed.len(), gates);
        }
    }
}
