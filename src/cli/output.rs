//! What the command line prints: JSON objects with a stable shape, and plain
//! text for people (English framing, Italian content).

use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

use sentinella::load::{Catalog, LoadedAnswers};
use sentinella::model::{Horizon, Organization};
use sentinella::plan::{Plan, PlanAction, SupplierQuestion};
use sentinella::scoring::{round1, Score};

/// Write to standard output, control and bidirectional characters escaped
/// (names and file names come from outside: they must not rewrite the
/// terminal). A closed pipe (`sentinella plan x.json | head -1`) is a
/// normal end of the output, not an error: the rest is dropped quietly and
/// the command ends as it would have.
pub fn emit(text: &str) -> Result<()> {
    use std::io::Write as _;
    let text = sentinella::validate::printable(text);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// [`emit`] a line.
pub fn emit_line(line: &str) -> Result<()> {
    emit(&format!("{line}\n"))
}

/// A warning on standard error, escaped as [`emit`] escapes.
pub fn warn(text: &str) {
    eprintln!("warning: {}", sentinella::validate::printable(text));
}

/// Pretty JSON. serde_json escapes control characters; the bidirectional
/// ones it leaves are escaped here too (`\u202e`: still valid JSON, and
/// nothing left for [`emit`] to rewrite).
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    let raw = serde_json::to_string_pretty(value)?;
    let mut s = String::with_capacity(raw.len() + 1);
    for c in raw.chars() {
        if c != '\n' && sentinella::validate::is_forbidden_char(c, false) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(s, "\\u{u:04x}");
            }
        } else {
            s.push(c);
        }
    }
    s.push('\n');
    Ok(s)
}

#[derive(Serialize)]
struct CatalogRow<'a> {
    id: &'a str,
    version: &'a str,
    title: &'a str,
    audience: sentinella::model::Audience,
    domains: usize,
    questions: usize,
    content_hash: &'a str,
    origin: &'a str,
}

pub fn print_catalog(catalog: &Catalog, json: bool) -> Result<()> {
    let rows: Vec<CatalogRow> = catalog
        .entries()
        .iter()
        .map(|e| CatalogRow {
            id: &e.questionnaire.id,
            version: &e.questionnaire.version,
            title: &e.questionnaire.title,
            audience: e.questionnaire.audience,
            domains: e.questionnaire.domains.len(),
            questions: e.questionnaire.question_count(),
            content_hash: &e.content_hash,
            origin: &e.origin,
        })
        .collect();
    if json {
        return emit(&to_json(&rows)?);
    }
    let mut t = format!("{:<18} {:<9} {:>9}  TITLE\n", "ID", "VERSION", "QUESTIONS");
    for r in rows {
        let _ = writeln!(
            t,
            "{:<18} {:<9} {:>9}  {}",
            r.id, r.version, r.questions, r.title
        );
    }
    emit(&t)
}

#[derive(Serialize)]
pub struct QuestionnaireJson<'a> {
    id: &'a str,
    version: &'a str,
    content_hash: &'a str,
}

#[derive(Serialize)]
pub struct BaselineJson<'a> {
    met: bool,
    failed: &'a [String],
    passed: usize,
}

#[derive(Serialize)]
pub struct DomainJson<'a> {
    id: &'a str,
    title: &'a str,
    score: Option<f64>,
    applicable: usize,
    answered: usize,
}

/// The `score --json` object.
#[derive(Serialize)]
pub struct ScoreJson<'a> {
    organization: &'a Organization,
    assessed_on: chrono::NaiveDate,
    questionnaire: QuestionnaireJson<'a>,
    overall: f64,
    tier: &'static str,
    tier_label: &'static str,
    tier_capped: bool,
    /// The ABSC level-M gates.
    baseline: BaselineJson<'a>,
    /// The essential gates (questionnaire 2.0.0 on; none in 1.0.0).
    essential: BaselineJson<'a>,
    domains: Vec<DomainJson<'a>>,
    unknown: &'a [String],
    unanswered: &'a [String],
}

impl<'a> ScoreJson<'a> {
    pub fn new(loaded: &'a LoadedAnswers, score: &'a Score) -> Self {
        ScoreJson {
            organization: &loaded.sheet.organization,
            assessed_on: loaded.sheet.assessed_on,
            questionnaire: QuestionnaireJson {
                id: &loaded.questionnaire.questionnaire.id,
                version: &loaded.questionnaire.questionnaire.version,
                content_hash: &loaded.questionnaire.content_hash,
            },
            overall: round1(score.overall),
            tier: score.tier.id(),
            tier_label: score.tier.label_it(),
            tier_capped: score.tier != score.uncapped_tier,
            baseline: BaselineJson {
                met: score.baseline.met,
                failed: &score.baseline.failed,
                passed: score.baseline.passed.len(),
            },
            essential: BaselineJson {
                met: score.essential.met,
                failed: &score.essential.failed,
                passed: score.essential.passed.len(),
            },
            domains: score
                .domains
                .iter()
                .map(|d| DomainJson {
                    id: &d.id,
                    title: &d.title,
                    score: d.score.map(round1),
                    applicable: d.applicable,
                    answered: d.answered,
                })
                .collect(),
            unknown: &score.unknown,
            unanswered: &score.unanswered,
        }
    }
}

pub fn print_score(loaded: &LoadedAnswers, score: &Score, json: bool) -> Result<()> {
    if json {
        return emit(&to_json(&ScoreJson::new(loaded, score))?);
    }
    let mut s = String::new();
    header(&mut s, loaded, score);
    let _ = writeln!(s, "\nDomains:");
    for d in &score.domains {
        let value = d
            .score
            .map_or_else(|| "  n/a".to_string(), |v| format!("{:>5.1}", round1(v)));
        let _ = writeln!(s, "  {value}  {}", d.title);
    }
    if !score.baseline.failed.is_empty() {
        let _ = writeln!(
            s,
            "\nFailed baseline gates: {}",
            score.baseline.failed.join(", ")
        );
    }
    if !score.essential.failed.is_empty() {
        let _ = writeln!(
            s,
            "Failed essential gates: {}",
            score.essential.failed.join(", ")
        );
    }
    if !score.unknown.is_empty() {
        let _ = writeln!(s, "Answered \"Non so\": {}", score.unknown.join(", "));
    }
    if !score.unanswered.is_empty() {
        let _ = writeln!(s, "Not answered yet: {}", score.unanswered.join(", "));
    }
    emit(&s)
}

fn header(s: &mut String, loaded: &LoadedAnswers, score: &Score) {
    let q = &loaded.questionnaire.questionnaire;
    let _ = writeln!(
        s,
        "{} — {} {} — assessed {}",
        loaded.sheet.organization.name, q.id, q.version, loaded.sheet.assessed_on
    );
    let _ = writeln!(
        s,
        "Overall {:.1}/100, tier {} ({}){}; baseline {}; essential gates {}",
        round1(score.overall),
        score.tier.id(),
        score.tier.label_it(),
        if score.tier != score.uncapped_tier {
            ", capped by failed gates"
        } else {
            ""
        },
        if score.baseline.met {
            "met".to_string()
        } else {
            format!("NOT met ({} gates failed)", score.baseline.failed.len())
        },
        if score.essential.failed.is_empty() && score.essential.passed.is_empty() {
            "none in this questionnaire".to_string()
        } else if score.essential.met {
            "met".to_string()
        } else {
            format!("NOT met ({} failed)", score.essential.failed.len())
        }
    );
}

/// The `plan --json` object.
#[derive(Serialize)]
pub struct PlanJson<'a> {
    priorities: &'a [String],
    actions: &'a [PlanAction],
    supplier_questions: &'a [SupplierQuestion],
}

impl<'a> PlanJson<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        PlanJson {
            priorities: &plan.priorities,
            actions: &plan.actions,
            supplier_questions: &plan.supplier_questions,
        }
    }
}

pub fn print_plan(loaded: &LoadedAnswers, score: &Score, plan: &Plan, json: bool) -> Result<()> {
    if json {
        emit(&to_json(&PlanJson::new(plan))?)
    } else {
        emit(&plan_text(loaded, score, plan))
    }
}

/// The plan as plain text.
pub fn plan_text(loaded: &LoadedAnswers, score: &Score, plan: &Plan) -> String {
    let mut s = String::new();
    header(&mut s, loaded, score);
    let _ = writeln!(s, "\nPriority measures:");
    for (i, a) in plan.priority_actions().enumerate() {
        let _ = writeln!(s, "  {}. {} — {}", i + 1, a.title, a.owner.label_it());
    }
    for horizon in Horizon::ALL {
        let actions: Vec<&PlanAction> = plan.by_horizon(horizon).collect();
        if actions.is_empty() {
            continue;
        }
        let noun = if actions.len() == 1 {
            "action"
        } else {
            "actions"
        };
        let _ = writeln!(s, "\n{} ({} {noun}):", horizon.label_it(), actions.len());
        for a in actions {
            let _ = writeln!(
                s,
                "  {}{}\n      owner: {} | effort: {} | cost: {} | priority {}",
                if a.gate_failed { "[baseline] " } else { "" },
                a.title,
                a.owner.label_it(),
                a.effort.label_it(),
                a.cost.label_it(),
                a.priority
            );
        }
    }
    if !plan.supplier_questions.is_empty() {
        let _ = writeln!(s, "\nQuestions for the IT supplier:");
        for (i, q) in plan.supplier_questions.iter().enumerate() {
            let _ = writeln!(s, "  {}. {}", i + 1, q.text);
        }
    }
    s
}
