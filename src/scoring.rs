//! The scoring model (documented with worked examples in docs/scoring.md).
//!
//! Pure: a questionnaire and a set of answers in, a [`Score`] out.
//!
//! - Each levelled answer counts `weight × level / 3`; "Non so" and
//!   unanswered questions count level 0; "Non applicabile" and questions whose
//!   `applies_if` is false leave the denominators.
//! - Domain score = 100 · Σ w·level/3 / Σ w over the domain's applicable
//!   questions; the overall score is the same ratio over all domains (a
//!   weighted mean of the domain scores).
//! - A question with a baseline gate passes it with a level ≥ `min_level`;
//!   "Non so" and unanswered fail it. The same holds for an essential gate
//!   (two-step login, supported systems, tested restore...). Any failed gate
//!   of either kind caps the tier at [`Tier::Developing`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{AnswerSheet, Condition, Question, Questionnaire, SpecialAnswer};

/// How one question was answered, as far as scoring is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "level")]
pub enum QuestionState {
    /// A levelled option (0–3).
    Level(u8),
    /// "Non so": counts 0 and is listed.
    Unknown,
    /// "Non applicabile": excluded.
    NotApplicable,
    /// Not answered yet: counts 0 and is listed.
    Unanswered,
    /// `applies_if` is false for the context answers: excluded.
    OutOfScope,
}

impl QuestionState {
    /// Whether the question enters the denominators.
    pub fn is_applicable(self) -> bool {
        !matches!(
            self,
            QuestionState::NotApplicable | QuestionState::OutOfScope
        )
    }

    /// The level that counts in the score (0 for unknown or unanswered).
    pub fn scored_level(self) -> u8 {
        match self {
            QuestionState::Level(l) => l.min(3),
            _ => 0,
        }
    }
}

/// Outcome of a baseline gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateStatus {
    /// Level at or above the minimum.
    Passed,
    /// Below the minimum, "Non so" or unanswered.
    Failed,
    /// The question does not apply.
    NotApplicable,
}

/// One question's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    /// Question id.
    pub id: String,
    /// Its domain id.
    pub domain: String,
    /// Its weight.
    pub weight: u8,
    /// How it was answered.
    pub state: QuestionState,
    /// The baseline gate, if the question carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<GateStatus>,
    /// The essential gate, if the question carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub essential: Option<GateStatus>,
}

impl QuestionResult {
    /// A gate of either kind failed on this question.
    pub fn any_gate_failed(&self) -> bool {
        self.gate == Some(GateStatus::Failed) || self.essential == Some(GateStatus::Failed)
    }
}

/// One domain's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainScore {
    /// Domain id.
    pub id: String,
    /// Domain title.
    pub title: String,
    /// 0–100, or `None` when no question of the domain applies.
    pub score: Option<f64>,
    /// Applicable questions.
    pub applicable: usize,
    /// Applicable questions with an answer (including "Non so").
    pub answered: usize,
}

/// Maturity tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Below 40.
    Initial,
    /// 40 to below 65; also the cap when a baseline gate fails.
    Developing,
    /// 65 to below 85.
    Established,
    /// 85 and above.
    Advanced,
}

impl Tier {
    /// Every tier, lowest first.
    pub const ALL: [Tier; 4] = [
        Tier::Initial,
        Tier::Developing,
        Tier::Established,
        Tier::Advanced,
    ];

    /// The lowest overall score of the tier (docs/scoring.md): the one
    /// place the thresholds are written; reports and the app's charts take
    /// them from here.
    pub const fn threshold(self) -> f64 {
        match self {
            Tier::Initial => 0.0,
            Tier::Developing => 40.0,
            Tier::Established => 65.0,
            Tier::Advanced => 85.0,
        }
    }

    /// The tier of an overall score, before any cap.
    pub fn from_score(score: f64) -> Tier {
        Tier::ALL
            .into_iter()
            .rev()
            .find(|t| score >= t.threshold())
            .unwrap_or(Tier::Initial)
    }

    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            Tier::Initial => "initial",
            Tier::Developing => "developing",
            Tier::Established => "established",
            Tier::Advanced => "advanced",
        }
    }

    /// The tier of a stable id, as written by [`Tier::id`].
    pub fn from_id(id: &str) -> Option<Tier> {
        [
            Tier::Initial,
            Tier::Developing,
            Tier::Established,
            Tier::Advanced,
        ]
        .into_iter()
        .find(|t| t.id() == id)
    }

    /// The Italian name shown to users.
    pub fn label_it(self) -> &'static str {
        match self {
            Tier::Initial => "Iniziale",
            Tier::Developing => "In sviluppo",
            Tier::Established => "Consolidato",
            Tier::Advanced => "Avanzato",
        }
    }
}

/// The tier a failed baseline gate caps the result at.
pub const GATE_CAP: Tier = Tier::Developing;

/// The kind of gate that failed, as the report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    /// A mandatory ABSC control (AgID misure minime, level M).
    Baseline,
    /// An essential control (CIS IG1, ACN basic measure, GDPR...).
    Essential,
}

/// Status of one kind of gate: the mandatory ABSC controls
/// ([`Score::baseline`]) or the essential controls ([`Score::essential`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineStatus {
    /// True when every applicable gate passed.
    pub met: bool,
    /// Ids of the questions whose gate failed, in questionnaire order.
    pub failed: Vec<String>,
    /// Ids of the questions whose gate passed.
    pub passed: Vec<String>,
}

/// The full result of scoring one set of answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// 0–100 over every applicable question.
    pub overall: f64,
    /// Maturity tier, after the baseline cap.
    pub tier: Tier,
    /// The tier the score alone would give.
    pub uncapped_tier: Tier,
    /// Baseline gates (mandatory ABSC controls).
    pub baseline: BaselineStatus,
    /// Essential gates (docs/scoring.md lists them with their sources).
    pub essential: BaselineStatus,
    /// Domain scores, in questionnaire order.
    pub domains: Vec<DomainScore>,
    /// Applicable questions answered "Non so".
    pub unknown: Vec<String>,
    /// Applicable questions not answered yet.
    pub unanswered: Vec<String>,
    /// Every question's result.
    pub questions: Vec<QuestionResult>,
}

impl Score {
    /// A question's result by id.
    pub fn question(&self, id: &str) -> Option<&QuestionResult> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The tier is lower than the score alone would give.
    pub fn is_capped(&self) -> bool {
        self.tier < self.uncapped_tier
    }

    /// The kinds of gate that failed, baseline first.
    pub fn failed_gate_kinds(&self) -> Vec<GateKind> {
        let mut kinds = Vec::new();
        if !self.baseline.met {
            kinds.push(GateKind::Baseline);
        }
        if !self.essential.met {
            kinds.push(GateKind::Essential);
        }
        kinds
    }

    /// Why the tier is capped, in Italian, when it is: "2 misure minime e
    /// 1 misura essenziale non rispettate".
    pub fn cap_reason_it(&self) -> Option<String> {
        if !self.is_capped() {
            return None;
        }
        let counted = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let (b, e) = (self.baseline.failed.len(), self.essential.failed.len());
        let mut parts = Vec::new();
        if b > 0 {
            parts.push(counted(b, "misura minima", "misure minime"));
        }
        if e > 0 {
            parts.push(counted(e, "misura essenziale", "misure essenziali"));
        }
        let agree = if b + e == 1 {
            "non rispettata"
        } else {
            "non rispettate"
        };
        Some(format!("{} {agree}", parts.join(" e ")))
    }

    /// Every gate of both kinds passed.
    pub fn gates_met(&self) -> bool {
        self.baseline.met && self.essential.met
    }

    /// A domain's score by id.
    pub fn domain(&self, id: &str) -> Option<&DomainScore> {
        self.domains.iter().find(|d| d.id == id)
    }
}

/// Evaluate a condition on the context answers: `None` when it depends on a
/// context question not answered yet.
pub fn evaluate(cond: &Condition, context: &BTreeMap<String, String>) -> Option<bool> {
    match cond {
        Condition::AnswerIn { question, options } => context
            .get(question)
            .map(|given| options.iter().any(|o| o == given)),
        Condition::All(inner) => {
            let mut all = Some(true);
            for c in inner {
                match evaluate(c, context) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        Condition::Any(inner) => {
            let mut any = Some(false);
            for c in inner {
                match evaluate(c, context) {
                    Some(true) => return Some(true),
                    None => any = None,
                    Some(false) => {}
                }
            }
            any
        }
        Condition::Not(inner) => evaluate(inner, context).map(|b| !b),
    }
}

/// Whether a question applies given the context answers: only a condition
/// known to be false takes it out.
pub fn applies(question: &Question, context: &BTreeMap<String, String>) -> bool {
    question
        .applies_if
        .as_ref()
        .is_none_or(|c| evaluate(c, context) != Some(false))
}

/// The state of one question given the answers.
pub fn question_state(question: &Question, sheet: &AnswerSheet) -> QuestionState {
    if !applies(question, &sheet.context) {
        return QuestionState::OutOfScope;
    }
    let Some(answer) = sheet.answers.get(&question.id) else {
        return QuestionState::Unanswered;
    };
    match question.option(&answer.option) {
        None => QuestionState::Unanswered,
        Some(o) => match (o.level, o.kind) {
            (Some(l), _) => QuestionState::Level(l.min(3)),
            (None, Some(SpecialAnswer::NotApplicable)) => QuestionState::NotApplicable,
            (None, _) => QuestionState::Unknown,
        },
    }
}

fn ratio(earned: f64, weight: f64) -> Option<f64> {
    (weight > 0.0).then(|| (100.0 * earned / weight).clamp(0.0, 100.0))
}

/// Score a set of answers against a questionnaire.
///
/// The answers are expected to have passed [`crate::validate::answers_issues`];
/// an answer naming an unknown option counts as unanswered.
pub fn score(q: &Questionnaire, sheet: &AnswerSheet) -> Score {
    let mut questions = Vec::new();
    let mut domains = Vec::new();
    let mut baseline = BaselineStatus {
        met: true,
        failed: Vec::new(),
        passed: Vec::new(),
    };
    let mut essential = baseline.clone();
    let (mut unknown, mut unanswered) = (Vec::new(), Vec::new());
    let (mut total_earned, mut total_weight) = (0.0_f64, 0.0_f64);

    for d in &q.domains {
        let (mut earned, mut weight) = (0.0_f64, 0.0_f64);
        let (mut applicable, mut answered) = (0, 0);
        for question in &d.questions {
            let state = question_state(question, sheet);
            if state.is_applicable() {
                applicable += 1;
                let w = f64::from(question.weight);
                weight += w;
                earned += w * f64::from(state.scored_level()) / 3.0;
                match state {
                    QuestionState::Unknown => {
                        answered += 1;
                        unknown.push(question.id.clone());
                    }
                    QuestionState::Unanswered => unanswered.push(question.id.clone()),
                    _ => answered += 1,
                }
            }
            let check = |min_level: u8| {
                if !state.is_applicable() {
                    GateStatus::NotApplicable
                } else if matches!(state, QuestionState::Level(l) if l >= min_level) {
                    GateStatus::Passed
                } else {
                    GateStatus::Failed
                }
            };
            let gate = question.baseline.as_ref().map(|b| check(b.min_level));
            let essential_gate = question.essential.as_ref().map(|e| check(e.min_level));
            for (status, summary) in [(gate, &mut baseline), (essential_gate, &mut essential)] {
                match status {
                    Some(GateStatus::Passed) => summary.passed.push(question.id.clone()),
                    Some(GateStatus::Failed) => {
                        summary.met = false;
                        summary.failed.push(question.id.clone());
                    }
                    _ => {}
                }
            }
            questions.push(QuestionResult {
                id: question.id.clone(),
                domain: d.id.clone(),
                weight: question.weight,
                state,
                gate,
                essential: essential_gate,
            });
        }
        total_earned += earned;
        total_weight += weight;
        domains.push(DomainScore {
            id: d.id.clone(),
            title: d.title.clone(),
            score: ratio(earned, weight),
            applicable,
            answered,
        });
    }

    let overall = ratio(total_earned, total_weight).unwrap_or(0.0);
    let uncapped_tier = Tier::from_score(overall);
    let tier = if baseline.met && essential.met {
        uncapped_tier
    } else {
        uncapped_tier.min(GATE_CAP)
    };
    Score {
        overall,
        tier,
        uncapped_tier,
        baseline,
        essential,
        domains,
        unknown,
        unanswered,
        questions,
    }
}

/// Round to one decimal for display and JSON output.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn is(q: &str, opts: &[&str]) -> Condition {
        Condition::AnswerIn {
            question: q.into(),
            options: opts.iter().map(|o| o.to_string()).collect(),
        }
    }

    #[test]
    fn conditions_use_three_valued_logic() {
        let c = ctx(&[("it", "supplier")]);
        assert_eq!(evaluate(&is("it", &["supplier", "mixed"]), &c), Some(true));
        assert_eq!(evaluate(&is("it", &["internal"]), &c), Some(false));
        assert_eq!(evaluate(&is("servers", &["yes"]), &c), None);
        let all = Condition::All(vec![is("it", &["supplier"]), is("servers", &["yes"])]);
        assert_eq!(evaluate(&all, &c), None);
        let all_false = Condition::All(vec![is("it", &["internal"]), is("servers", &["yes"])]);
        assert_eq!(evaluate(&all_false, &c), Some(false));
        let any = Condition::Any(vec![is("servers", &["yes"]), is("it", &["supplier"])]);
        assert_eq!(evaluate(&any, &c), Some(true));
        let not = Condition::Not(Box::new(is("it", &["supplier"])));
        assert_eq!(evaluate(&not, &c), Some(false));
    }

    #[test]
    fn tiers_follow_the_thresholds() {
        assert_eq!(Tier::from_score(0.0), Tier::Initial);
        assert_eq!(Tier::from_score(39.99), Tier::Initial);
        assert_eq!(Tier::from_score(40.0), Tier::Developing);
        assert_eq!(Tier::from_score(65.0), Tier::Established);
        assert_eq!(Tier::from_score(85.0), Tier::Advanced);
        assert_eq!(Tier::from_score(100.0), Tier::Advanced);
    }

    #[test]
    fn rounding_to_one_decimal() {
        assert_eq!(round1(92.5925), 92.6);
        assert_eq!(round1(40.0), 40.0);
    }
}
