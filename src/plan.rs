//! The remediation plan: one action for every applicable question below its
//! target level, ordered so that a town hall knows what to do first.
//!
//! Pure: built from the questionnaire, the answers and their [`Score`].
//!
//! Two steps (docs/scoring.md, "The remediation plan"):
//!
//! 1. **Scheduling by importance.** The horizons' capacity is filled in
//!    order of importance: actions on a failed gate (baseline or essential)
//!    first, then by priority = weight × gap, never placing an action before
//!    its prerequisites (`action.requires`). A prerequisite inherits the
//!    importance and the natural horizon of what depends on it, so the
//!    weekly backup is not left behind its offline copy.
//! 2. **Ordering for reading.** Within each horizon quick wins first (effort
//!    S, M, L), then failed gates, then priority, then questionnaire order;
//!    a prerequisite always comes before what depends on it.
//!
//! The six priority measures: failed gates first (at most two per domain
//! while other failed gates remain, but never a lesser action before a
//! failed gate), then by priority and effort, at most two per domain.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{AnswerSheet, CostBand, Effort, Horizon, Mappings, Questionnaire, Role};
use crate::scoring::{evaluate, GateKind, GateStatus, QuestionState, Score};

/// At most this many actions are scheduled within 30 days, and within 90
/// days; the rest move to the next horizon, so the first months stay doable
/// for an office without IT staff. Actions are never brought forward.
pub const HORIZON_CAPACITY: [usize; 2] = [8, 12];

/// How many priority measures the plan highlights.
pub const PRIORITY_COUNT: usize = 6;
/// At most this many priority measures from one domain (when others exist).
pub const PRIORITY_PER_DOMAIN: usize = 2;

/// One action of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanAction {
    /// The question it comes from.
    pub question_id: String,
    /// The question text (Italian).
    pub question_text: String,
    /// Domain id.
    pub domain_id: String,
    /// Domain title (Italian).
    pub domain_title: String,
    /// Action title (Italian).
    pub title: String,
    /// What to do (Italian).
    pub steps: Vec<String>,
    /// Why (Italian).
    pub why: String,
    /// Owner, resolved from the context answers.
    pub owner: Role,
    /// Effort.
    pub effort: Effort,
    /// Cost band.
    pub cost: CostBand,
    /// When to do it, after spreading the load (see [`HORIZON_CAPACITY`]).
    pub horizon: Horizon,
    /// The horizon the questionnaire gives for this action.
    pub natural_horizon: Horizon,
    /// Control references.
    pub references: Mappings,
    /// The current level (0 for "Non so" or unanswered).
    pub level: u8,
    /// The target level.
    pub target: u8,
    /// The question's weight.
    pub weight: u8,
    /// weight × (target − level).
    pub priority: u8,
    /// A gate of the question (baseline or essential) failed.
    pub gate_failed: bool,
    /// Which kind of gate failed (baseline when both did).
    pub gate: Option<GateKind>,
    /// The item is run by central IT (Polis: by Poste), not by the office.
    pub central: bool,
    /// Prerequisites that are themselves in the plan (question ids): their
    /// actions come first.
    pub requires: Vec<String>,
    /// The answer was "Non so".
    pub unknown: bool,
    /// The question was not answered.
    pub unanswered: bool,
}

/// A question for the IT supplier, one per "Non so".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplierQuestion {
    /// The question it comes from.
    pub question_id: String,
    /// Domain title (Italian).
    pub domain_title: String,
    /// The question as the user saw it (Italian).
    pub question_text: String,
    /// The question to send (Italian).
    pub text: String,
    /// The item is run by central IT (Polis: by Poste).
    pub central: bool,
}

/// The remediation plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Every action, in plan order.
    pub actions: Vec<PlanAction>,
    /// Question ids of the priority measures, most important first.
    pub priorities: Vec<String>,
    /// Questions for the IT supplier.
    pub supplier_questions: Vec<SupplierQuestion>,
}

impl Plan {
    /// The priority measures, most important first.
    pub fn priority_actions(&self) -> impl Iterator<Item = &PlanAction> {
        self.priorities
            .iter()
            .filter_map(|id| self.actions.iter().find(|a| &a.question_id == id))
    }

    /// The actions of one horizon, in plan order.
    pub fn by_horizon(&self, horizon: Horizon) -> impl Iterator<Item = &PlanAction> {
        self.actions.iter().filter(move |a| a.horizon == horizon)
    }
}

/// Resolve the owner of a question's action from the context answers.
pub fn resolve_owner(action: &crate::model::Action, context: &BTreeMap<String, String>) -> Role {
    action
        .owner_rules
        .iter()
        .find(|r| evaluate(&r.when, context) == Some(true))
        .map_or(action.owner, |r| r.owner)
}

/// Build the plan.
pub fn build(q: &Questionnaire, sheet: &AnswerSheet, score: &Score) -> Plan {
    let mut actions = Vec::new();
    let mut supplier_questions = Vec::new();
    let mut order = BTreeMap::new();
    for (index, (domain, question)) in q.questions().enumerate() {
        order.insert(question.id.clone(), index);
        let Some(result) = score.question(&question.id) else {
            continue;
        };
        if !result.state.is_applicable() {
            continue;
        }
        let unknown = result.state == QuestionState::Unknown;
        if unknown {
            supplier_questions.push(SupplierQuestion {
                question_id: question.id.clone(),
                domain_title: domain.title.clone(),
                question_text: question.text.clone(),
                text: question.action.supplier_question.clone(),
                central: question.central,
            });
        }
        let level = result.state.scored_level();
        if level >= question.target_level {
            continue;
        }
        let gap = question.target_level - level;
        actions.push(PlanAction {
            question_id: question.id.clone(),
            question_text: question.text.clone(),
            domain_id: domain.id.clone(),
            domain_title: domain.title.clone(),
            title: question.action.title.clone(),
            steps: question.action.steps.clone(),
            why: question.action.why.clone(),
            owner: resolve_owner(&question.action, &sheet.context),
            effort: question.action.effort,
            cost: question.action.cost,
            horizon: question.action.horizon,
            natural_horizon: question.action.horizon,
            references: question.mappings.clone(),
            level,
            target: question.target_level,
            weight: question.weight,
            priority: question.weight.saturating_mul(gap),
            gate_failed: result.any_gate_failed(),
            gate: if result.gate == Some(GateStatus::Failed) {
                Some(GateKind::Baseline)
            } else if result.essential == Some(GateStatus::Failed) {
                Some(GateKind::Essential)
            } else {
                None
            },
            central: question.central,
            requires: question.action.requires.clone(),
            unknown,
            unanswered: result.state == QuestionState::Unanswered,
        });
    }
    // Only prerequisites that are themselves actions matter.
    let present: BTreeMap<String, ()> = actions
        .iter()
        .map(|a| (a.question_id.clone(), ()))
        .collect();
    for a in &mut actions {
        a.requires.retain(|r| present.contains_key(r));
    }
    let position = |a: &PlanAction| order.get(&a.question_id).copied().unwrap_or(usize::MAX);
    let positions: Vec<usize> = actions.iter().map(position).collect();
    schedule(&mut actions, &positions);

    // Reading order: by horizon, quick wins first, then prerequisites moved
    // before what depends on them.
    let reading = |a: &PlanAction| {
        (
            a.horizon,
            a.effort,
            !a.gate_failed,
            Reverse(a.priority),
            position(a),
        )
    };
    actions.sort_by_key(reading);
    let actions = prerequisites_first(actions);

    let mut ranked: Vec<&PlanAction> = actions.iter().collect();
    ranked.sort_by_key(|a| (!a.gate_failed, Reverse(a.priority), a.effort, position(a)));
    let mut priorities: Vec<String> = Vec::new();
    for gated in [true, false] {
        let class: Vec<&&PlanAction> = ranked.iter().filter(|a| a.gate_failed == gated).collect();
        let mut per_domain: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &class {
            if priorities.len() == PRIORITY_COUNT {
                break;
            }
            let n = per_domain.entry(a.domain_id.as_str()).or_default();
            if *n < PRIORITY_PER_DOMAIN {
                *n += 1;
                priorities.push(a.question_id.clone());
            }
        }
        // Fewer domains than needed: fill with the next most important of
        // the same class, so no failed gate is skipped for a lesser action.
        for a in &class {
            if priorities.len() == PRIORITY_COUNT {
                break;
            }
            if !priorities.contains(&a.question_id) {
                priorities.push(a.question_id.clone());
            }
        }
    }

    Plan {
        actions,
        priorities,
        supplier_questions,
    }
}

/// Spread the actions over the horizons by importance.
///
/// Each action's effective importance and natural horizon are those of the
/// most important action that (transitively) requires it. Then, repeatedly,
/// the most important action whose prerequisites are all placed takes the
/// earliest horizon that is not before its natural one nor before any of
/// its prerequisites and still has room.
fn schedule(actions: &mut [PlanAction], positions: &[usize]) {
    let n = actions.len();
    let index: BTreeMap<&str, usize> = actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.question_id.as_str(), i))
        .collect();
    let prereqs: Vec<Vec<usize>> = actions
        .iter()
        .map(|a| {
            a.requires
                .iter()
                .filter_map(|r| index.get(r.as_str()).copied())
                .collect()
        })
        .collect();
    let slot_of = |h: Horizon| Horizon::ALL.iter().position(|x| *x == h).unwrap_or(2);
    // (gated, priority, natural slot) propagated to prerequisites; the graph
    // is acyclic (validated), so n rounds reach the fixed point.
    let mut gated: Vec<bool> = actions.iter().map(|a| a.gate_failed).collect();
    let mut priority: Vec<u8> = actions.iter().map(|a| a.priority).collect();
    let mut natural: Vec<usize> = actions.iter().map(|a| slot_of(a.natural_horizon)).collect();
    for _ in 0..n {
        let mut changed = false;
        for i in 0..n {
            for &p in &prereqs[i] {
                if gated[i] && !gated[p] {
                    gated[p] = true;
                    changed = true;
                }
                if priority[i] > priority[p] {
                    priority[p] = priority[i];
                    changed = true;
                }
                if natural[i] < natural[p] {
                    natural[p] = natural[i];
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let importance = |i: usize| {
        (
            !gated[i],
            Reverse(priority[i]),
            natural[i],
            positions.get(i).copied(),
        )
    };
    let mut slot: Vec<Option<usize>> = vec![None; n];
    let mut used = [0usize; 2];
    for _ in 0..n {
        let next = (0..n)
            .filter(|&i| slot[i].is_none())
            .filter(|&i| prereqs[i].iter().all(|&p| slot[p].is_some()))
            .min_by_key(|&i| importance(i));
        // A cycle cannot pass validation; place whatever is left in order.
        let Some(i) = next.or_else(|| (0..n).find(|&i| slot[i].is_none())) else {
            break;
        };
        let mut s = prereqs[i]
            .iter()
            .filter_map(|&p| slot[p])
            .fold(natural[i], usize::max);
        while s < HORIZON_CAPACITY.len() && used[s] >= HORIZON_CAPACITY[s] {
            s += 1;
        }
        if let Some(u) = used.get_mut(s) {
            *u += 1;
        }
        slot[i] = Some(s);
    }
    for (a, s) in actions.iter_mut().zip(slot) {
        a.horizon = Horizon::ALL[s.unwrap_or(2).min(Horizon::ALL.len() - 1)];
    }
}

/// Keeps the given order except that no action comes before one it
/// requires: repeatedly takes the first action whose prerequisites are all
/// taken.
fn prerequisites_first(actions: Vec<PlanAction>) -> Vec<PlanAction> {
    let mut pending: Vec<PlanAction> = actions;
    let mut done: Vec<PlanAction> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|a| {
                a.requires.iter().all(|r| {
                    done.iter().any(|d| &d.question_id == r)
                        || !pending.iter().any(|p| &p.question_id == r)
                })
            })
            .unwrap_or(0);
        done.push(pending.remove(ready));
    }
    done
}

/// How one domain moved between two assessments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainChange {
    /// Domain id.
    pub id: String,
    /// Domain title (Italian).
    pub title: String,
    /// Previous score, if the domain applied then.
    pub before: Option<f64>,
    /// Current score, if the domain applies now.
    pub after: Option<f64>,
}

impl DomainChange {
    /// Points gained (negative when worse); `None` unless both exist.
    pub fn delta(&self) -> Option<f64> {
        Some(self.after? - self.before?)
    }
}

/// What changed since a previous assessment of the same organization.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Previous overall score.
    pub overall_before: f64,
    /// Current overall score.
    pub overall_after: f64,
    /// Every domain present in either assessment, in current order.
    pub domains: Vec<DomainChange>,
    /// Actions of the previous plan that are no longer needed (question ids
    /// with their titles); the actions of questions no longer asked are not
    /// among them (see `removed_questions`).
    pub closed: Vec<(String, String)>,
    /// Actions of the current plan that were not in the previous one.
    pub new_gaps: Vec<(String, String)>,
    /// Questions asked now that the previous assessment's questionnaire
    /// version did not have (ids, in questionnaire order): a gap there is
    /// new because the question is.
    pub new_questions: Vec<String>,
    /// Questions of the previous version that are no longer asked.
    pub removed_questions: Vec<String>,
}

/// Compare two assessments. Domains and questions are matched by id, so two
/// versions of a questionnaire compare on what they share (a question id
/// that keeps its meaning keeps its id across versions); the questions only
/// one of them asks are listed.
pub fn compare(before: (&Score, &Plan), after: (&Score, &Plan)) -> Comparison {
    let (score_before, plan_before) = before;
    let (score_after, plan_after) = after;
    let mut domains: Vec<DomainChange> = score_after
        .domains
        .iter()
        .map(|d| DomainChange {
            id: d.id.clone(),
            title: d.title.clone(),
            before: score_before.domain(&d.id).and_then(|b| b.score),
            after: d.score,
        })
        .collect();
    for d in &score_before.domains {
        if score_after.domain(&d.id).is_none() {
            domains.push(DomainChange {
                id: d.id.clone(),
                title: d.title.clone(),
                before: d.score,
                after: None,
            });
        }
    }
    let has = |plan: &Plan, id: &str| plan.actions.iter().any(|a| a.question_id == id);
    let asked = |score: &Score, id: &str| score.questions.iter().any(|q| q.id == id);
    // An action whose question is no longer asked is not done: it is listed
    // with the removed questions, not as closed.
    let closed = plan_before
        .actions
        .iter()
        .filter(|a| !has(plan_after, &a.question_id) && asked(score_after, &a.question_id))
        .map(|a| (a.question_id.clone(), a.title.clone()))
        .collect();
    let new_gaps = plan_after
        .actions
        .iter()
        .filter(|a| !has(plan_before, &a.question_id))
        .map(|a| (a.question_id.clone(), a.title.clone()))
        .collect();
    let new_questions = score_after
        .questions
        .iter()
        .filter(|q| !asked(score_before, &q.id))
        .map(|q| q.id.clone())
        .collect();
    let removed_questions = score_before
        .questions
        .iter()
        .filter(|q| !asked(score_after, &q.id))
        .map(|q| q.id.clone())
        .collect();
    Comparison {
        overall_before: score_before.overall,
        overall_after: score_after.overall,
        domains,
        closed,
        new_gaps,
        new_questions,
        removed_questions,
    }
}
