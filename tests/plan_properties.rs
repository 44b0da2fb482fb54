//! Properties of the remediation plan (docs/scoring.md, "The remediation
//! plan"), checked with proptest on random answers to every questionnaire of
//! the catalog (every shipped version and the test questionnaire).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use proptest::prelude::*;
use sentinella::model::{
    Answer, AnswerSheet, Audience, Horizon, Organization, Questionnaire, QuestionnaireRef,
    ANSWERS_FORMAT,
};
use sentinella::plan::{self, Plan};
use sentinella::scoring;

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

/// A questionnaire index, then for each context question and each scored
/// question `None` (unanswered) or an option index. Low options are more
/// likely, so that the horizons fill up and the capacity rules bite.
fn case() -> impl Strategy<Value = (usize, Vec<Option<usize>>, Vec<Option<usize>>)> {
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
            .map(|(_, x)| {
                let n = x.options.len();
                proptest::option::weighted(
                    0.8,
                    prop_oneof![3 => 0..n, 2 => (n.saturating_sub(2))..n],
                )
            })
            .collect();
        (Just(qi), ctx, ans)
    })
}

fn build(qi: usize, ctx: &[Option<usize>], ans: &[Option<usize>]) -> (Arc<Questionnaire>, Plan) {
    let q = questionnaires()[qi].clone();
    let context = q
        .context
        .iter()
        .zip(ctx)
        .filter_map(|(c, pick)| pick.map(|i| (c.id.clone(), c.options[i].id.clone())))
        .collect();
    // Sort the question's options by level so that the strategy's "low"
    // indices are low levels; special answers come last.
    let answers: BTreeMap<String, Answer> = q
        .questions()
        .zip(ans)
        .filter_map(|((_, x), pick)| {
            let mut opts: Vec<_> = x.options.iter().collect();
            opts.sort_by_key(|o| o.level.map_or(9, u16::from));
            pick.map(|i| {
                (
                    x.id.clone(),
                    Answer {
                        option: opts[i].id.clone(),
                        note: None,
                    },
                )
            })
        })
        .collect();
    let sheet = AnswerSheet {
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
    };
    let score = scoring::score(&q, &sheet);
    let p = plan::build(&q, &sheet, &score);
    (q, p)
}

/// Question ids of actions on a failed gate and of everything they need,
/// transitively.
fn gated_and_their_prerequisites(p: &Plan) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = p
        .actions
        .iter()
        .filter(|a| a.gate_failed)
        .map(|a| a.question_id.clone())
        .collect();
    loop {
        let before = set.len();
        for a in &p.actions {
            if set.contains(&a.question_id) {
                set.extend(a.requires.iter().cloned());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A prerequisite is never scheduled after, nor listed after, what
    /// depends on it; and every prerequisite present in the plan is named.
    #[test]
    fn prerequisites_come_first((qi, ctx, ans) in case()) {
        let (q, p) = build(qi, &ctx, &ans);
        let index: BTreeMap<&str, usize> = p
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.question_id.as_str(), i))
            .collect();
        for (i, a) in p.actions.iter().enumerate() {
            let declared = &q.question(&a.question_id).unwrap().action.requires;
            let present: Vec<&String> =
                declared.iter().filter(|r| index.contains_key(r.as_str())).collect();
            prop_assert_eq!(a.requires.iter().collect::<Vec<_>>(), present);
            for r in &a.requires {
                let at = index[r.as_str()];
                prop_assert!(at < i, "{} listed after {}", r, a.question_id);
                prop_assert!(
                    p.actions[at].horizon <= a.horizon,
                    "{} scheduled after {}", r, a.question_id
                );
            }
        }
    }

    /// No action on a failed gate whose natural horizon is 30 days is pushed
    /// out while an action with no failed gate (and needed by none) holds a
    /// 30-day slot.
    #[test]
    fn essentials_are_not_pushed_out_by_lesser_quick_wins((qi, ctx, ans) in case()) {
        let (_, p) = build(qi, &ctx, &ans);
        let important = gated_and_their_prerequisites(&p);
        let pushed = p.actions.iter().any(|a| {
            a.gate_failed && a.natural_horizon == Horizon::Days30 && a.horizon != Horizon::Days30
        });
        if pushed {
            for a in p.by_horizon(Horizon::Days30) {
                prop_assert!(
                    important.contains(&a.question_id),
                    "{} holds a 30-day slot while a failed gate was pushed out", a.question_id
                );
            }
        }
    }

    /// The six priority measures never leave out a failed gate for a lesser
    /// action.
    #[test]
    fn priorities_never_skip_a_failed_gate((qi, ctx, ans) in case()) {
        let (_, p) = build(qi, &ctx, &ans);
        let left_out = p
            .actions
            .iter()
            .any(|a| a.gate_failed && !p.priorities.contains(&a.question_id));
        if left_out {
            for a in p.priority_actions() {
                prop_assert!(a.gate_failed, "{} chosen over a failed gate", a.question_id);
            }
        }
        prop_assert_eq!(p.priorities.len(), plan::PRIORITY_COUNT.min(p.actions.len()));
    }
}
