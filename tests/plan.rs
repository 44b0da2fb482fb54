//! The remediation plan on the real questionnaires: one action per gap, in
//! the documented order, with the load spread over the horizons.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use sentinella::model::{Answer, Horizon};
use sentinella::plan::{self, HORIZON_CAPACITY, PRIORITY_COUNT};
use sentinella::scoring::{self, QuestionState};

fn demo(
    id: &str,
    profile: sentinella::demo::Profile,
) -> (
    sentinella::load::LoadedQuestionnaire,
    sentinella::model::AnswerSheet,
) {
    let catalog = common::catalog();
    let entry = catalog.latest(id).unwrap().clone();
    let ex = sentinella::demo::example(
        &entry.questionnaire,
        profile,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    );
    (entry, ex.sheet)
}

#[test]
fn every_gap_gets_exactly_one_action_and_horizons_respect_capacity() {
    for id in ["comune", "sportello-polis"] {
        for profile in sentinella::demo::Profile::ALL {
            let (entry, sheet) = demo(id, profile);
            let q = &entry.questionnaire;
            let score = scoring::score(q, &sheet);
            let p = plan::build(q, &sheet, &score);
            let gaps: Vec<&str> = q
                .questions()
                .filter(|(_, x)| {
                    let st = scoring::question_state(x, &sheet);
                    st.is_applicable() && st.scored_level() < x.target_level
                })
                .map(|(_, x)| x.id.as_str())
                .collect();
            assert_eq!(p.actions.len(), gaps.len(), "{id} {profile:?}");
            for (slot, cap) in HORIZON_CAPACITY.iter().enumerate() {
                assert!(
                    p.by_horizon(Horizon::ALL[slot]).count() <= *cap,
                    "{id} {profile:?} over capacity"
                );
            }
            // Only a prerequisite is ever brought forward (with what needs it).
            for a in &p.actions {
                let needed = p
                    .actions
                    .iter()
                    .any(|b| b.requires.contains(&a.question_id));
                assert!(
                    a.horizon >= a.natural_horizon || needed,
                    "{}: brought forward",
                    a.question_id
                );
            }
            // Read by horizon; a prerequisite never comes after what needs it.
            assert!(p.actions.windows(2).all(|w| w[0].horizon <= w[1].horizon));
            for (i, a) in p.actions.iter().enumerate() {
                for r in &a.requires {
                    let at = p.actions.iter().position(|b| &b.question_id == r).unwrap();
                    assert!(at < i, "{id} {profile:?}: {r} after {}", a.question_id);
                }
            }
            // Priorities: up to six distinct actions of the plan.
            assert_eq!(p.priorities.len(), PRIORITY_COUNT.min(p.actions.len()));
            let mut uniq = p.priorities.clone();
            uniq.sort();
            uniq.dedup();
            assert_eq!(uniq.len(), p.priorities.len());
            assert_eq!(p.supplier_questions.len(), score.unknown.len());
        }
    }
}

#[test]
fn owner_follows_who_runs_it() {
    let (entry, mut sheet) = demo("comune", sentinella::demo::Profile::Average);
    let q = &entry.questionnaire;
    for (_, x) in q.questions() {
        let u = x.unknown_option().unwrap();
        sheet.answers.insert(
            x.id.clone(),
            Answer {
                option: u.id.clone(),
                note: None,
            },
        );
    }
    sheet
        .context
        .insert("ctx_it_management".into(), "supplier".into());
    let score = scoring::score(q, &sheet);
    assert!(score
        .questions
        .iter()
        .all(|r| r.state != QuestionState::Unanswered));
    let outsourced = plan::build(q, &sheet, &score);
    sheet
        .context
        .insert("ctx_it_management".into(), "internal".into());
    let internal = plan::build(q, &sheet, &scoring::score(q, &sheet));
    let owner = |p: &plan::Plan, id: &str| {
        p.actions
            .iter()
            .find(|a| a.question_id == id)
            .unwrap()
            .owner
    };
    use sentinella::model::Role;
    assert_eq!(owner(&outsourced, "bkp_offline"), Role::ItSupplier);
    assert_eq!(owner(&internal, "bkp_offline"), Role::Rtd);
}

#[test]
fn comparison_finds_closed_actions_and_new_gaps() {
    let (entry, before) = demo("comune", sentinella::demo::Profile::Average);
    let (_, after) = demo("comune", sentinella::demo::Profile::WellRun);
    let q = &entry.questionnaire;
    let (sb, sa) = (scoring::score(q, &before), scoring::score(q, &after));
    let (pb, pa) = (plan::build(q, &before, &sb), plan::build(q, &after, &sa));
    let c = plan::compare((&sb, &pb), (&sa, &pa));
    assert!(c.overall_after > c.overall_before);
    assert!(!c.closed.is_empty());
    for (id, _) in &c.closed {
        assert!(pb.actions.iter().any(|a| &a.question_id == id));
        assert!(!pa.actions.iter().any(|a| &a.question_id == id));
    }
    for (id, _) in &c.new_gaps {
        assert!(!pb.actions.iter().any(|a| &a.question_id == id));
    }
    assert_eq!(c.domains.len(), q.domains.len());
}
