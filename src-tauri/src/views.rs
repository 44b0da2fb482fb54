//! What the screens receive: plain data built from the core's types, with
//! the Italian labels already chosen. No HTML anywhere: the UI inserts every
//! string as text.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use sentinella::load::Catalog;
use sentinella::model::{AnswerSheet, Audience, CostBand, Questionnaire, SpecialAnswer};
use sentinella::scoring::{self, QuestionState};
use sentinella::store::{AssessmentInfo, ListedAssessment, Status};
use sentinella::usecase::assessment::{HistoryEntry, Snapshot};
use sentinella::usecase::planning::Planned;

pub use sentinella::usecase::assessment::Progress;

/// "Comune" or "Sportello Polis".
pub fn audience_label(a: Audience) -> &'static str {
    match a {
        Audience::Comune => "Comune",
        Audience::PolisOffice => "Sportello Polis",
    }
}

/// "In corso" or "Conclusa".
pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Draft => "In corso",
        Status::Completed => "Conclusa",
    }
}

/// A score to one decimal, as shown.
fn r1(x: f64) -> f64 {
    scoring::round1(x)
}

/// A questionnaire offered on the "new assessment" screen.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionnaireSummary {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub audience: Audience,
    pub audience_label: &'static str,
    pub domains: usize,
    pub questions: usize,
}

/// The latest version of every questionnaire.
pub fn questionnaires(catalog: &Catalog) -> Vec<QuestionnaireSummary> {
    let mut ids: Vec<&str> = catalog
        .entries()
        .iter()
        .map(|e| e.questionnaire.id.as_str())
        .collect();
    ids.dedup();
    let mut out: Vec<QuestionnaireSummary> = ids
        .into_iter()
        .filter_map(|id| catalog.latest(id))
        .map(|e| {
            let q = &e.questionnaire;
            QuestionnaireSummary {
                id: q.id.clone(),
                version: q.version.clone(),
                title: q.title.clone(),
                description: q.description.clone(),
                audience: q.audience,
                audience_label: audience_label(q.audience),
                domains: q.domains.len(),
                questions: q.question_count(),
            }
        })
        .collect();
    // Comune first, then Polis.
    out.sort_by_key(|q| (q.audience != Audience::Comune, q.title.clone()));
    out
}

/// One row of the home screen.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentRow {
    pub id: i64,
    pub organization_id: i64,
    pub organization: String,
    pub istat_code: String,
    pub province: String,
    pub kind_label: &'static str,
    pub questionnaire_title: String,
    pub status: Status,
    pub status_label: &'static str,
    pub assessed_on: NaiveDate,
    pub updated_at: DateTime<Utc>,
    pub progress: Progress,
    pub overall: Option<f64>,
    pub tier_label: Option<&'static str>,
}

/// Every assessment, newest first.
pub fn assessment_rows(listed: Vec<ListedAssessment>, catalog: &Catalog) -> Vec<AssessmentRow> {
    let mut rows = Vec::with_capacity(listed.len());
    for l in listed {
        let info = l.info;
        let title = catalog
            .get(&info.questionnaire.id, &info.questionnaire.version)
            .map_or_else(
                || format!("{} {}", info.questionnaire.id, info.questionnaire.version),
                |e| e.questionnaire.title.clone(),
            );
        // The store's score summary already carries what the progress bar
        // needs: no reload and re-score of every assessment here.
        let prog = l
            .score
            .as_ref()
            .map_or_else(Progress::default, |s| Progress {
                answered: s.in_scope.saturating_sub(s.unanswered),
                total: s.in_scope,
            });
        rows.push(AssessmentRow {
            id: info.id,
            organization_id: info.organization_id,
            organization: info.organization.name.clone(),
            istat_code: info.organization.istat_code.clone(),
            province: info.organization.province.clone(),
            kind_label: audience_label(info.organization.kind),
            questionnaire_title: title,
            status: info.status,
            status_label: status_label(info.status),
            assessed_on: info.assessed_on,
            updated_at: info.updated_at,
            progress: prog,
            overall: l.score.as_ref().map(|s| r1(s.overall)),
            tier_label: l.score.as_ref().map(|s| s.tier.label_it()),
        });
    }
    rows
}

/// The header of an assessment on every screen.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub id: i64,
    pub organization_id: i64,
    pub organization: String,
    pub istat_code: String,
    pub province: String,
    pub region: String,
    pub population: u32,
    pub kind_label: &'static str,
    /// `comune` or `polis_office` (the alerts shown are for this kind).
    pub kind: sentinella::model::Audience,
    /// To whom «Non so» questions go: "al fornitore informatico" for a
    /// Comune, "alle strutture IT di Poste" for a Polis office.
    pub unknown_addressee: &'static str,
    pub questionnaire_title: String,
    pub questionnaire_version: String,
    pub assessor_role: Option<String>,
    pub assessed_on: NaiveDate,
    pub status: Status,
    pub status_label: &'static str,
}

fn header(info: &AssessmentInfo, q: &Questionnaire) -> Header {
    Header {
        id: info.id,
        organization_id: info.organization_id,
        organization: info.organization.name.clone(),
        istat_code: info.organization.istat_code.clone(),
        province: info.organization.province.clone(),
        region: info.organization.region.clone(),
        population: info.organization.population,
        kind_label: audience_label(info.organization.kind),
        kind: info.organization.kind,
        unknown_addressee: info.organization.kind.wording().supplier_to,
        questionnaire_title: q.title.clone(),
        questionnaire_version: q.version.clone(),
        assessor_role: info.assessor_role.clone(),
        assessed_on: info.assessed_on,
        status: info.status,
        status_label: status_label(info.status),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    pub id: String,
    pub label: String,
    /// "unknown", "not_applicable" or absent.
    pub kind: Option<SpecialAnswer>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContextView {
    pub id: String,
    pub text: String,
    pub help: String,
    pub options: Vec<OptionView>,
    pub answer: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    pub option: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub text: String,
    pub help: String,
    pub options: Vec<OptionView>,
    /// False when the context answers put the question out of scope.
    pub applies: bool,
    pub answer: Option<AnswerView>,
    /// The gate the question carries, so the page can say at answer time
    /// that «Non so» fails it (none for central items and ungated ones).
    pub gate: Option<GateKindView>,
}

impl From<sentinella::scoring::GateKind> for GateKindView {
    fn from(kind: sentinella::scoring::GateKind) -> Self {
        match kind {
            sentinella::scoring::GateKind::Baseline => GateKindView::Minimum,
            sentinella::scoring::GateKind::Essential => GateKindView::Essential,
        }
    }
}

/// Which kind of gate a question carries (docs/scoring.md).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum GateKindView {
    /// An AgID minimum measure (ABSC level M).
    Minimum,
    /// An essential control (CIS IG1, ACN, law).
    Essential,
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub questions: Vec<QuestionView>,
}

/// Everything the context and questionnaire screens need.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub header: Header,
    pub context: Vec<ContextView>,
    pub domains: Vec<DomainView>,
    pub last_position: Option<String>,
    pub progress: Progress,
}

pub fn assessment_view(snapshot: &Snapshot<'_>) -> AssessmentView {
    let stored = &snapshot.opened.stored;
    let q = &*snapshot.opened.questionnaire.questionnaire;
    let sheet = &stored.sheet;
    let score = &snapshot.score;
    let context = q
        .context
        .iter()
        .map(|c| ContextView {
            id: c.id.clone(),
            text: c.text.clone(),
            help: c.help.clone(),
            options: c
                .options
                .iter()
                .map(|o| OptionView {
                    id: o.id.clone(),
                    label: o.label.clone(),
                    kind: None,
                })
                .collect(),
            answer: sheet.context.get(&c.id).cloned(),
        })
        .collect();
    let domains = q
        .domains
        .iter()
        .map(|d| DomainView {
            id: d.id.clone(),
            title: d.title.clone(),
            description: d.description.clone(),
            questions: d
                .questions
                .iter()
                .map(|qq| QuestionView {
                    id: qq.id.clone(),
                    text: qq.text.clone(),
                    help: qq.help.clone(),
                    options: qq
                        .options
                        .iter()
                        .map(|o| OptionView {
                            id: o.id.clone(),
                            label: o.label.clone(),
                            kind: o.kind,
                        })
                        .collect(),
                    applies: score
                        .question(&qq.id)
                        .is_none_or(|r| r.state != QuestionState::OutOfScope),
                    answer: sheet.answers.get(&qq.id).map(|a| AnswerView {
                        option: a.option.clone(),
                        note: a.note.clone(),
                    }),
                    gate: if qq.central {
                        None
                    } else if qq.baseline.is_some() {
                        Some(GateKindView::Minimum)
                    } else if qq.essential.is_some() {
                        Some(GateKindView::Essential)
                    } else {
                        None
                    },
                })
                .collect(),
        })
        .collect();
    AssessmentView {
        header: header(&stored.info, q),
        context,
        domains,
        last_position: stored.info.last_position.clone(),
        progress: snapshot.progress,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainResult {
    pub id: String,
    pub title: String,
    pub score: Option<f64>,
    pub applicable: usize,
    pub answered: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GateView {
    pub question_id: String,
    pub question: String,
    pub domain: String,
    pub answer: String,
    pub controls: Vec<String>,
    /// When the plan schedules its action ("Entro 30 giorni").
    pub horizon: &'static str,
    /// The horizon's order, for grouping (earliest first).
    pub horizon_rank: u8,
    /// The action's cost band: 0 none beyond staff time, 1 under 1,000 €,
    /// 2 more.
    pub cost_band: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct BaselineView {
    pub met: bool,
    pub passed: usize,
    pub failed: Vec<GateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub question_id: String,
    pub title: String,
    pub why: String,
    pub steps: Vec<String>,
    pub domain: String,
    pub owner: &'static str,
    pub effort: &'static str,
    pub cost: &'static str,
    pub horizon: &'static str,
    pub gate_failed: bool,
    /// Which kind of gate failed, when one did.
    pub gate: Option<GateKindView>,
    pub unknown: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnknownView {
    pub question_id: String,
    pub question: String,
    pub domain: String,
    pub supplier_question: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainDelta {
    pub title: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub delta: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PreviousView {
    pub id: i64,
    pub assessed_on: NaiveDate,
    pub overall_before: f64,
    pub overall_after: f64,
    pub delta: f64,
    pub domains: Vec<DomainDelta>,
    pub closed: Vec<String>,
    pub new_gaps: Vec<String>,
    /// The questions (their text) of this version that the previous
    /// assessment's version did not ask: named on screen, answered well
    /// or not.
    pub new_questions: Vec<String>,
    /// How many questions of the previous version are no longer asked.
    pub removed_questions: usize,
}

/// A maturity tier with its range of overall scores (from
/// [`sentinella::scoring::Tier::threshold`], the one place they are
/// written), for the page's legend and chart colours.
#[derive(Debug, Clone, Serialize)]
pub struct TierView {
    pub id: &'static str,
    pub label: &'static str,
    /// Lowest score of the tier.
    pub from: f64,
    /// Lowest score of the next tier (none for the top one).
    pub below: Option<f64>,
    /// Whether this is the tier a plan aims at (the charts' target line).
    pub target: bool,
}

/// Every tier, lowest first.
pub fn tiers() -> Vec<TierView> {
    use sentinella::scoring::Tier;
    Tier::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| TierView {
            id: t.id(),
            label: t.label_it(),
            from: t.threshold(),
            below: Tier::ALL.get(i + 1).map(|n| n.threshold()),
            target: *t == Tier::Established,
        })
        .collect()
}

/// The results screen.
#[derive(Debug, Clone, Serialize)]
pub struct ResultsView {
    pub tiers: Vec<TierView>,
    pub header: Header,
    pub overall: f64,
    pub tier_label: &'static str,
    pub uncapped_tier_label: &'static str,
    pub capped: bool,
    /// Why the tier is capped (Italian), when it is.
    pub cap_reason: Option<String>,
    pub domains: Vec<DomainResult>,
    pub baseline: BaselineView,
    /// The essential gates (docs/scoring.md); `controls` holds the sources.
    pub essential: BaselineView,
    pub priorities: Vec<ActionView>,
    pub actions_total: usize,
    pub unknown: Vec<UnknownView>,
    /// The heading of the «Non so» questions, with the same words as the
    /// PDF: a Polis office asks Poste's own IT, not a supplier.
    pub unknown_title: &'static str,
    pub unanswered: usize,
    pub progress: Progress,
    pub previous: Option<PreviousView>,
}

fn domain_title(q: &Questionnaire, question_id: &str) -> String {
    q.questions()
        .find(|(_, qq)| qq.id == question_id)
        .map(|(d, _)| d.title.clone())
        .unwrap_or_default()
}

fn answer_label(q: &Questionnaire, sheet: &AnswerSheet, question_id: &str) -> String {
    let Some(qq) = q.question(question_id) else {
        return String::new();
    };
    match sheet.answers.get(question_id) {
        None => "Senza risposta".to_string(),
        Some(a) => qq
            .option(&a.option)
            .map(|o| o.label.clone())
            .unwrap_or_default(),
    }
}

pub fn results_view(info: &AssessmentInfo, planned: &Planned) -> ResultsView {
    let q = planned.questionnaire();
    let sheet = planned.sheet();
    let (score, plan) = (&planned.score, &planned.plan);
    // One row per failed gate; `sources` reads the gate's references.
    let action_of = |id: &str| plan.actions.iter().find(|a| a.question_id == id);
    let gate_views =
        |ids: &[String], sources: &dyn Fn(&sentinella::model::Question) -> Vec<String>| {
            ids.iter()
                .map(|id| (id, action_of(id)))
                .map(|(id, action)| GateView {
                    question_id: id.clone(),
                    question: q.question(id).map(|x| x.text.clone()).unwrap_or_default(),
                    domain: domain_title(q, id),
                    answer: answer_label(q, sheet, id),
                    controls: q.question(id).map(sources).unwrap_or_default(),
                    horizon: action.map_or("", |a| a.horizon.label_it()),
                    horizon_rank: action.map_or(u8::MAX, |a| a.horizon as u8),
                    cost_band: match action.map(|a| a.cost) {
                        Some(CostBand::Zero) => 0,
                        Some(CostBand::Under1k) => 1,
                        _ => 2,
                    },
                })
                .collect::<Vec<_>>()
        };
    let failed = gate_views(&score.baseline.failed, &|x| {
        x.baseline
            .as_ref()
            .map(|b| b.controls.clone())
            .unwrap_or_default()
    });
    let essential_failed = gate_views(&score.essential.failed, &|x| {
        x.essential
            .as_ref()
            .map(|e| e.sources.clone())
            .unwrap_or_default()
    });
    let priorities = plan
        .priority_actions()
        .map(|a| ActionView {
            question_id: a.question_id.clone(),
            title: a.title.clone(),
            why: a.why.clone(),
            steps: a.steps.clone(),
            domain: a.domain_title.clone(),
            owner: a.owner.label_it(),
            effort: a.effort.label_it(),
            cost: a.cost.label_it(),
            horizon: a.horizon.label_it(),
            gate_failed: a.gate_failed,
            gate: a.gate.map(GateKindView::from),
            unknown: a.unknown,
        })
        .collect();
    let supplier: BTreeMap<&str, &str> = plan
        .supplier_questions
        .iter()
        .map(|s| (s.question_id.as_str(), s.text.as_str()))
        .collect();
    let unknown = score
        .unknown
        .iter()
        .map(|id| UnknownView {
            question_id: id.clone(),
            question: q.question(id).map(|x| x.text.clone()).unwrap_or_default(),
            domain: domain_title(q, id),
            supplier_question: supplier
                .get(id.as_str())
                .map(|s| (*s).to_string())
                .or_else(|| q.question(id).map(|x| x.action.supplier_question.clone()))
                .unwrap_or_default(),
        })
        .collect();
    let previous = planned.previous.as_ref().and_then(|p| {
        let c = &p.comparison;
        Some(PreviousView {
            id: p.id?.get(),
            assessed_on: p.assessed_on,
            overall_before: r1(c.overall_before),
            overall_after: r1(c.overall_after),
            delta: r1(c.overall_after - c.overall_before),
            domains: c
                .domains
                .iter()
                .map(|d| DomainDelta {
                    title: d.title.clone(),
                    before: d.before.map(r1),
                    after: d.after.map(r1),
                    delta: d.delta().map(r1),
                })
                .collect(),
            closed: c.closed.iter().map(|(_, t)| t.clone()).collect(),
            new_gaps: c.new_gaps.iter().map(|(_, t)| t.clone()).collect(),
            new_questions: c
                .new_questions
                .iter()
                .filter_map(|id| q.question(id).map(|x| x.text.clone()))
                .collect(),
            removed_questions: c.removed_questions.len(),
        })
    });
    ResultsView {
        tiers: tiers(),
        header: header(info, q),
        overall: r1(score.overall),
        tier_label: score.tier.label_it(),
        uncapped_tier_label: score.uncapped_tier.label_it(),
        capped: score.tier != score.uncapped_tier,
        cap_reason: score.cap_reason_it(),
        domains: score
            .domains
            .iter()
            .map(|d| DomainResult {
                id: d.id.clone(),
                title: d.title.clone(),
                score: d.score.map(r1),
                applicable: d.applicable,
                answered: d.answered,
            })
            .collect(),
        baseline: BaselineView {
            met: score.baseline.met,
            passed: score.baseline.passed.len(),
            failed,
        },
        essential: BaselineView {
            met: score.essential.met,
            passed: score.essential.passed.len(),
            failed: essential_failed,
        },
        priorities,
        actions_total: plan.actions.len(),
        unknown,
        unknown_title: info.organization.kind.wording().supplier_title,
        unanswered: score.unanswered.len(),
        progress: Progress::of(score),
        previous,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    pub id: i64,
    pub assessed_on: NaiveDate,
    pub status_label: &'static str,
    pub questionnaire_title: String,
    pub overall: Option<f64>,
    pub tier_label: Option<&'static str>,
    /// Domain id → score, for the columns of `domains`.
    pub domains: BTreeMap<String, Option<f64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryDomain {
    pub id: String,
    pub title: String,
}

/// The history screen: one organization over time.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    pub organization_id: i64,
    pub organization: String,
    pub kind_label: &'static str,
    pub domains: Vec<HistoryDomain>,
    pub rows: Vec<HistoryRow>,
}

pub fn history_view(organization_id: i64, entries: &[HistoryEntry<'_>]) -> HistoryView {
    let mut domains: Vec<HistoryDomain> = Vec::new();
    let mut rows = Vec::new();
    let mut name = String::new();
    let mut kind_label = "";
    for entry in entries {
        let info = &entry.info;
        name.clone_from(&info.organization.name);
        kind_label = audience_label(info.organization.kind);
        let mut row = HistoryRow {
            id: info.id,
            assessed_on: info.assessed_on,
            status_label: status_label(info.status),
            questionnaire_title: entry
                .questionnaire
                .map(|e| e.questionnaire.title.clone())
                .unwrap_or_else(|| info.questionnaire.id.clone()),
            overall: None,
            tier_label: None,
            domains: BTreeMap::new(),
        };
        if let Some(s) = &entry.score {
            row.overall = Some(r1(s.overall));
            row.tier_label = Some(s.tier.label_it());
            for d in &s.domains {
                if !domains.iter().any(|x| x.id == d.id) {
                    domains.push(HistoryDomain {
                        id: d.id.clone(),
                        title: d.title.clone(),
                    });
                }
                row.domains.insert(d.id.clone(), d.score.map(r1));
            }
        }
        rows.push(row);
    }
    HistoryView {
        organization_id,
        organization: name,
        kind_label,
        domains,
        rows,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use sentinella::store::Store;
    use sentinella::usecase::planning;

    /// A comune assessed with comune 2.0.0 (the frozen demo answers of
    /// Proceno) and again with 2.1.0, in a real store file: the results
    /// screen of the second names the two questions 2.1.0 added and counts
    /// the one it dropped.
    #[test]
    fn results_after_a_version_change_name_the_new_questions() {
        let (catalog, errors) = Catalog::builtin();
        assert!(errors.is_empty(), "{errors:?}");
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("sentinella.db")).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let old = std::fs::read_to_string(
            root.join("tests/fixtures/demo-2.0.0/comune-struggling-proceno.answers.json"),
        )
        .unwrap();
        store
            .import_answers(&catalog, "old.json", &old, Status::Completed)
            .unwrap();
        let new_q = catalog.get("comune", "2.1.0").unwrap();
        let sheet = sentinella::demo::example(
            &new_q.questionnaire,
            sentinella::demo::Profile::Struggling,
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        )
        .sheet;
        let id = store
            .import_answers(
                &catalog,
                "new.json",
                &serde_json::to_string(&sheet).unwrap(),
                Status::Completed,
            )
            .unwrap();
        let id = sentinella::ids::AssessmentId::new(id).unwrap();
        let stored = planning::plan_stored(&store, &catalog, id, None).unwrap();
        let view = results_view(&stored.info, &stored.planned);
        let previous = view.previous.expect("the 2.0.0 assessment is compared");
        let q = &new_q.questionnaire;
        let text = |id: &str| q.question(id).unwrap().text.clone();
        assert_eq!(
            previous.new_questions,
            [
                text("acc_admin_password_strength"),
                text("acc_admin_password_custody")
            ]
        );
        assert_eq!(previous.removed_questions, 1);
        // The old combined action is not shown as done.
        assert!(previous.closed.is_empty(), "closed: {:?}", previous.closed);
    }
}
