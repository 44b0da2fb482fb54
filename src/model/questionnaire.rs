//! The questionnaire: what is asked, how answers are levelled, which
//! controls each question stands for and what to do when it falls short.
//!
//! These types are the file format (`sentinella-questionnaire/1`): the JSON
//! Schema in `questionnaires/schema/` is generated from them. Structural rules
//! that a schema cannot express (unique ids, exactly one "Non so", known
//! control ids...) live in [`crate::validate`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The format tag every questionnaire file carries.
pub const QUESTIONNAIRE_FORMAT: &str = "sentinella-questionnaire/1";

/// A whole questionnaire, as written in `questionnaires/*.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Versioned format tag: `sentinella-questionnaire/1`.
    pub format: String,
    /// Stable identifier, lowercase letters, digits and dashes (`comune`).
    pub id: String,
    /// Semantic version of the content (`1.0.0`). Answers name the version
    /// they were given against.
    pub version: String,
    /// Title shown to the user (Italian).
    pub title: String,
    /// One paragraph on who the questionnaire is for (Italian).
    pub description: String,
    /// What kind of organization answers it.
    pub audience: Audience,
    /// Context questions: not scored; they decide which questions apply and
    /// who owns each action.
    pub context: Vec<ContextQuestion>,
    /// The scored domains, in the order they are asked.
    pub domains: Vec<Domain>,
}

/// Who answers a questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// A municipality's offices.
    Comune,
    /// A Polis post-office counter acting as a PA front desk.
    PolisOffice,
}

/// A context question: a plain choice among options, never scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextQuestion {
    /// Unique in the file (shared namespace with scored questions).
    pub id: String,
    /// The question (Italian).
    pub text: String,
    /// Why we ask (Italian).
    pub help: String,
    /// The possible answers; at least two.
    pub options: Vec<ContextOption>,
}

/// One answer to a context question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextOption {
    /// Unique within the question.
    pub id: String,
    /// Label shown to the user (Italian).
    pub label: String,
}

/// A group of questions scored together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Unique in the file.
    pub id: String,
    /// Short title (Italian).
    pub title: String,
    /// One or two sentences on what the domain covers (Italian).
    pub description: String,
    /// The questions, in the order they are asked.
    pub questions: Vec<Question>,
}

/// A scored question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique in the file.
    pub id: String,
    /// One clear sentence a non-expert understands (Italian).
    pub text: String,
    /// "Perché conta": why it matters, with a concrete example (Italian).
    pub help: String,
    /// Impact of the question on its domain score: 1 (low) to 3 (high).
    pub weight: u8,
    /// The answers: levelled options, exactly one `unknown` ("Non so"), and
    /// at most one `not_applicable`.
    pub options: Vec<AnswerOption>,
    /// When present and false for the context answers given, the question is
    /// not applicable and is left out of every score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_if: Option<Condition>,
    /// Baseline gate: present when the question carries ABSC level-M
    /// (mandatory) controls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// Essential gate: a control without which no organization can be
    /// called consolidated, whatever its average (two-step login, supported
    /// systems, a tested restore, the breach procedure...). Each names its
    /// sources; the list with the reasons is in docs/scoring.md.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<EssentialGate>,
    /// The item is run by central IT the office does not control (for a
    /// Polis office: Poste's central IT). It carries no gate, and "Non so"
    /// becomes a question for the central referent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub central: bool,
    /// The controls of each framework this question stands for.
    pub mappings: Mappings,
    /// The level (1–3) this organization should reach; below it an action
    /// enters the plan.
    pub target_level: u8,
    /// What to do when the answer is below the target level.
    pub action: Action,
    /// Optional note for trainers using the questionnaire in a workshop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator_note: Option<String>,
}

/// One answer option of a scored question: either a level or a special kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// Unique within the question.
    pub id: String,
    /// An observable situation, in plain Italian ("Sì, su tutti i PC").
    pub label: String,
    /// 0 absent, 1 partial or informal, 2 mostly in place, 3 complete and
    /// checked. Exactly one of `level` and `kind` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// A special answer instead of a level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SpecialAnswer>,
}

/// The special answers that carry no level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpecialAnswer {
    /// "Non so": scores 0, fails a baseline gate, and produces a question
    /// for the IT supplier.
    Unknown,
    /// "Non applicabile": the question leaves the denominators.
    NotApplicable,
}

/// A condition on the context answers.
///
/// A condition whose context question has not been answered yet counts as
/// true: a question is only hidden once we know it does not apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// True when the context question was answered with one of `options`.
    AnswerIn {
        /// Id of a context question.
        question: String,
        /// Ids of that question's options.
        options: Vec<String>,
    },
    /// True when every inner condition is true.
    All(Vec<Condition>),
    /// True when at least one inner condition is true.
    Any(Vec<Condition>),
    /// True when the inner condition is false.
    Not(Box<Condition>),
}

/// A baseline gate: the minimum level below which a mandatory control fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The lowest level (1–3) that satisfies the mandatory controls.
    pub min_level: u8,
    /// The ABSC level-M control ids the gate stands for (`ABSC 1.1.1`).
    pub controls: Vec<String>,
}

/// An essential gate: the minimum level of a control that is essential even
/// where the law does not make it mandatory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EssentialGate {
    /// The lowest level (1–3) that satisfies the gate.
    pub min_level: u8,
    /// Where the requirement comes from: CIS safeguards (`CIS 6.3`), ACN
    /// basic measures (`ACN PR.AA-03`) or articles of law (`GDPR art. 33`).
    pub sources: Vec<String>,
}

/// Control ids per framework.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mappings {
    /// AgID misure minime, `ABSC x.y.z`.
    #[serde(default)]
    pub absc: Vec<String>,
    /// CIS Controls v8.1 safeguards, `x.y`.
    #[serde(default)]
    pub cis: Vec<String>,
    /// NIST CSF 2.0 subcategories, `PR.AA-01`.
    #[serde(default)]
    pub csf: Vec<String>,
    /// ACN NIS basic measures (FNCS 2025 subcategory ids).
    #[serde(default)]
    pub acn: Vec<String>,
}

/// What to do when a question falls short of its target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Short imperative title of the measure ("Attivare il backup offline").
    pub title: String,
    /// Two to four concrete steps.
    pub steps: Vec<String>,
    /// Why it is worth doing, in one or two sentences.
    pub why: String,
    /// Who owns the action when no owner rule matches.
    pub owner: Role,
    /// Owner by context: the first rule whose condition holds wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner_rules: Vec<OwnerRule>,
    /// Effort: small, medium or large.
    pub effort: Effort,
    /// Expected cost band.
    pub cost: CostBand,
    /// When to do it.
    pub horizon: Horizon,
    /// The question to send to the IT supplier when the answer is "Non so",
    /// worded so it can be sent as is.
    pub supplier_question: String,
    /// Questions whose actions must be done before this one (no offline
    /// copy before a backup exists). Validated: known ids, no cycles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
}

/// Owner override chosen from the context answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerRule {
    /// When this holds...
    pub when: Condition,
    /// ...this role owns the action.
    pub owner: Role,
}

/// The roles that can own an action.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sindaco e Giunta.
    Giunta,
    /// Segretario comunale.
    Segretario,
    /// Responsabile per la transizione digitale.
    Rtd,
    /// The IT supplier (software house, consultant).
    ItSupplier,
    /// Data protection officer.
    Dpo,
    /// All staff.
    AllStaff,
    /// Manager of the post office (Polis).
    OfficeManager,
    /// Counter operators (Polis).
    CounterStaff,
    /// Poste Italiane's central IT and security functions (Polis).
    PosteIt,
}

impl Role {
    /// All roles, in display order.
    pub const ALL: [Role; 9] = [
        Role::Giunta,
        Role::Segretario,
        Role::Rtd,
        Role::ItSupplier,
        Role::Dpo,
        Role::AllStaff,
        Role::OfficeManager,
        Role::CounterStaff,
        Role::PosteIt,
    ];

    /// The Italian name shown in reports.
    pub fn label_it(self) -> &'static str {
        match self {
            Role::Giunta => "Sindaco e Giunta",
            Role::Segretario => "Segretario comunale",
            Role::Rtd => "Responsabile per la transizione digitale",
            Role::ItSupplier => "Fornitore IT",
            Role::Dpo => "Responsabile della protezione dei dati (DPO)",
            Role::AllStaff => "Tutto il personale",
            Role::OfficeManager => "Direttore dell'ufficio postale",
            Role::CounterStaff => "Operatori di sportello",
            Role::PosteIt => "Strutture IT e sicurezza di Poste",
        }
    }

    /// Stable id as written in the files.
    pub fn id(self) -> &'static str {
        match self {
            Role::Giunta => "giunta",
            Role::Segretario => "segretario",
            Role::Rtd => "rtd",
            Role::ItSupplier => "it_supplier",
            Role::Dpo => "dpo",
            Role::AllStaff => "all_staff",
            Role::OfficeManager => "office_manager",
            Role::CounterStaff => "counter_staff",
            Role::PosteIt => "poste_it",
        }
    }
}

/// Effort of an action.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Effort {
    /// Small: days, no project.
    S,
    /// Medium: weeks, some coordination.
    M,
    /// Large: a project with a budget.
    L,
}

impl Effort {
    /// The Italian name shown in reports.
    pub fn label_it(self) -> &'static str {
        match self {
            Effort::S => "Basso",
            Effort::M => "Medio",
            Effort::L => "Alto",
        }
    }
}

/// Expected cost of an action.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum CostBand {
    /// No spending: time of existing staff only.
    #[serde(rename = "zero")]
    Zero,
    /// Under 1,000 euros.
    #[serde(rename = "under_1000")]
    Under1k,
    /// 1,000 to 5,000 euros.
    #[serde(rename = "1000_5000")]
    From1kTo5k,
    /// Over 5,000 euros.
    #[serde(rename = "over_5000")]
    Over5k,
}

impl CostBand {
    /// The Italian label shown in reports.
    pub fn label_it(self) -> &'static str {
        match self {
            CostBand::Zero => "0 €",
            CostBand::Under1k => "< 1.000 €",
            CostBand::From1kTo5k => "1.000–5.000 €",
            CostBand::Over5k => "> 5.000 €",
        }
    }
}

/// When an action should be done.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Horizon {
    /// Within 30 days.
    #[serde(rename = "30_days")]
    Days30,
    /// Within 90 days.
    #[serde(rename = "90_days")]
    Days90,
    /// Within 12 months.
    #[serde(rename = "12_months")]
    Months12,
}

impl Horizon {
    /// All horizons, soonest first.
    pub const ALL: [Horizon; 3] = [Horizon::Days30, Horizon::Days90, Horizon::Months12];

    /// The Italian label shown in reports.
    pub fn label_it(self) -> &'static str {
        match self {
            Horizon::Days30 => "Entro 30 giorni",
            Horizon::Days90 => "Entro 90 giorni",
            Horizon::Months12 => "Entro 12 mesi",
        }
    }
}

impl Questionnaire {
    /// Every scored question with its domain, in the order asked.
    pub fn questions(&self) -> impl Iterator<Item = (&Domain, &Question)> {
        self.domains
            .iter()
            .flat_map(|d| d.questions.iter().map(move |q| (d, q)))
    }

    /// A scored question by id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }

    /// A context question by id.
    pub fn context_question(&self, id: &str) -> Option<&ContextQuestion> {
        self.context.iter().find(|c| c.id == id)
    }

    /// Number of scored questions.
    pub fn question_count(&self) -> usize {
        self.domains.iter().map(|d| d.questions.len()).sum()
    }
}

impl Question {
    /// An option by id.
    pub fn option(&self, id: &str) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.id == id)
    }

    /// The highest level any option reaches.
    pub fn max_level(&self) -> u8 {
        self.options
            .iter()
            .filter_map(|o| o.level)
            .max()
            .unwrap_or(0)
    }

    /// The "Non so" option.
    pub fn unknown_option(&self) -> Option<&AnswerOption> {
        self.options
            .iter()
            .find(|o| o.kind == Some(SpecialAnswer::Unknown))
    }
}
