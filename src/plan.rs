//! The remediation plan: one action for every applicable question below its
//! target level, ordered so that a town hall knows what to do first.
//!
//! Pure: built from the questionnaire, the answers and their [`Score`].
//!
//! Order of the actions (docs/scoring.md, "Plan"):
//! 1. failed baseline gates first (mandatory controls);
//! 2. then by horizon: 30 days, 90 days, 12 months;
//! 3. within a horizon, quick wins first (effort S, M, L);
//! 4. then by priority = weight × gap (gap = target level − current level);
//! 5. then in questionnaire order.
//!
//! The six priority measures are chosen differently: by gate, then by
//! priority, then effort, at most two per domain so the cover page is not all
//! about one topic.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{AnswerSheet, CostBand, Effort, Horizon, Mappings, Questionnaire, Role};
use crate::scoring::{evaluate, GateStatus, QuestionState, Score};

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
    /// The question's baseline gate failed.
    pub gate_failed: bool,
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
            gate_failed: result.gate == Some(GateStatus::Failed),
            unknown,
            unanswered: result.state == QuestionState::Unanswered,
        });
    }
    let position = |a: &PlanAction| order.get(&a.question_id).copied().unwrap_or(usize::MAX);

    let plan_order = |a: &PlanAction| {
        (
            !a.gate_failed,
            a.horizon,
            a.effort,
            Reverse(a.priority),
            position(a),
        )
    };
    actions.sort_by_key(plan_order);
    schedule(&mut actions);
    actions.sort_by_key(plan_order);

    let mut ranked: Vec<&PlanAction> = actions.iter().collect();
    ranked.sort_by_key(|a| (!a.gate_failed, Reverse(a.priority), a.effort, position(a)));
    let mut priorities: Vec<String> = Vec::new();
    let mut per_domain: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &ranked {
        if priorities.len() == PRIORITY_COUNT {
            break;
        }
        let n = per_domain.entry(a.domain_id.as_str()).or_default();
        if *n < PRIORITY_PER_DOMAIN {
            *n += 1;
            priorities.push(a.question_id.clone());
        }
    }
    // Fewer domains than needed: fill with the next most important.
    for a in &ranked {
        if priorities.len() == PRIORITY_COUNT {
            break;
        }
        if !priorities.contains(&a.question_id) {
            priorities.push(a.question_id.clone());
        }
    }

    Plan {
        actions,
        priorities,
        supplier_questions,
    }
}

/// Spread the actions over the horizons: in plan order, each action takes
/// its natural horizon if it has room, else the next one with room.
fn schedule(actions: &mut [PlanAction]) {
    let mut used = [0usize; 2];
    for a in actions.iter_mut() {
        let mut slot = Horizon::ALL
            .iter()
            .position(|h| *h == a.natural_horizon)
            .unwrap_or(Horizon::ALL.len() - 1);
        while slot < HORIZON_CAPACITY.len() && used[slot] >= HORIZON_CAPACITY[slot] {
            slot += 1;
        }
        if let Some(n) = used.get_mut(slot) {
            *n += 1;
        }
        a.horizon = Horizon::ALL[slot.min(Horizon::ALL.len() - 1)];
    }
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
    /// with their titles).
    pub closed: Vec<(String, String)>,
    /// Actions of the current plan that were not in the previous one.
    pub new_gaps: Vec<(String, String)>,
}

/// Compare two assessments. Domains and questions are matched by id, so two
/// versions of a questionnaire compare on what they share.
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
    let closed = plan_before
        .actions
        .iter()
        .filter(|a| !has(plan_after, &a.question_id))
        .map(|a| (a.question_id.clone(), a.title.clone()))
        .collect();
    let new_gaps = plan_after
        .actions
        .iter()
        .filter(|a| !has(plan_before, &a.question_id))
        .map(|a| (a.question_id.clone(), a.title.clone()))
        .collect();
    Comparison {
        overall_before: score_before.overall,
        overall_after: score_after.overall,
        domains,
        closed,
        new_gaps,
    }
}
