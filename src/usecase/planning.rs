//! Score and plan an assessment, with the comparison to its previous one,
//! and render the plan PDF.
//!
//! Policy (one for both faces): the previous assessment of a stored one is
//! the latest earlier *completed* assessment of the same organization, when
//! its questionnaire is available here and has the same id; an older
//! answers file given explicitly must have the same questionnaire id and
//! must not be dated after the current answers (else an error); a
//! different ISTAT code is only a warning.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use thiserror::Error;

use super::assessment::{self, id_of, AssessmentError};
use super::names;
use crate::ids::AssessmentId;
use crate::incident::contacts::Contact;
use crate::load::{self, Catalog, LoadError, LoadedAnswers};
use crate::model::{AnswerSheet, Questionnaire};
use crate::pack::{Alert, TerritoryContact};
use crate::plan::{self, Comparison, Plan};
use crate::report::{self, PlanReport, PreviousAssessment, RenderedPdf, ReportError};
use crate::scoring::{self, Score};
use crate::store::{AssessmentInfo, Store};

/// Why a plan could not be made.
#[derive(Debug, Error)]
pub enum PlanError {
    /// The assessment could not be read.
    #[error(transparent)]
    Assessment(#[from] AssessmentError),
    /// An answers file could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The previous answers are for another questionnaire.
    #[error("the older answers are for questionnaire '{previous}', not '{current}'")]
    OtherQuestionnaire {
        /// The older answers' questionnaire id.
        previous: String,
        /// The current one.
        current: String,
    },
    /// The previous answers are dated after the current ones.
    #[error("the older answers are dated {previous}, after the current ones ({current})")]
    PreviousIsLater {
        /// The older answers' day.
        previous: NaiveDate,
        /// The current day.
        current: NaiveDate,
    },
    /// No questionnaire with this id in the catalog.
    #[error("no questionnaire '{0}' (see `sentinella questionnaires`)")]
    UnknownQuestionnaire(String),
    /// The PDF could not be rendered.
    #[error("cannot render the plan PDF: {0}")]
    Render(#[from] ReportError),
}

/// Something worth telling that does not stop the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanWarning {
    /// The questionnaire's content changed since the assessment was
    /// created; it is scored with the available content.
    ContentChanged {
        /// The assessment.
        id: AssessmentId,
        /// Questionnaire id.
        questionnaire: String,
        /// Its version.
        version: String,
    },
    /// The previous answers are about another organization.
    PreviousOtherOrganization {
        /// Previous name.
        previous: String,
        /// Previous ISTAT code.
        previous_code: String,
        /// Current name.
        current: String,
        /// Current ISTAT code.
        current_code: String,
    },
}

/// The previous assessment, compared.
#[derive(Debug, Clone)]
pub struct Previous {
    /// Its id, when it comes from the store.
    pub id: Option<AssessmentId>,
    /// Its day.
    pub assessed_on: NaiveDate,
    /// What changed since.
    pub comparison: Comparison,
}

/// An assessment scored and planned.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The answers and their questionnaire.
    pub loaded: LoadedAnswers,
    /// The score.
    pub score: Score,
    /// The remediation plan.
    pub plan: Plan,
    /// The comparison with the previous assessment, if any.
    pub previous: Option<Previous>,
    /// Warnings for the user.
    pub warnings: Vec<PlanWarning>,
    /// The organisation's emergency contacts (from the store; none for an
    /// answers file), printed on the plan's incident card; the COSC of the
    /// coordinator's pack fills in when the organisation has none.
    pub contacts: Vec<Contact>,
    /// The coordinator's alerts active today for this organisation (from
    /// the store's packs), for the plan's "Avvisi del coordinamento".
    pub alerts: Vec<Alert>,
    /// The territory contacts of the coordinator's last pack.
    pub territory: Vec<TerritoryContact>,
}

impl Planned {
    /// The questionnaire.
    pub fn questionnaire(&self) -> &Questionnaire {
        &self.loaded.questionnaire.questionnaire
    }

    /// The answers.
    pub fn sheet(&self) -> &AnswerSheet {
        &self.loaded.sheet
    }
}

/// Where answers come from: a file, or an assessment of a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswersSource {
    /// An answers file.
    File(PathBuf),
    /// An assessment of a Sentinella database (which must exist).
    Stored {
        /// The database file.
        db: PathBuf,
        /// The assessment.
        id: AssessmentId,
    },
}

impl AnswersSource {
    /// The built-in questionnaires that planning this source (with `older`)
    /// needs: for files, only the versions they name; for a database, all.
    pub fn builtin_catalog(&self, older: Option<&Path>) -> (Catalog, Vec<LoadError>) {
        match self {
            AnswersSource::File(answers) => {
                let files: Vec<&Path> = std::iter::once(answers.as_path()).chain(older).collect();
                Catalog::builtin_for_answers(&files)
            }
            AnswersSource::Stored { .. } => Catalog::builtin(),
        }
    }
}

/// Score and plan answers from `source`; `older` is an older answers file
/// for the comparison (else, for a stored assessment, the store's previous
/// completed one).
pub fn plan(
    source: &AnswersSource,
    older: Option<&Path>,
    catalog: &Catalog,
) -> Result<Planned, PlanError> {
    let older = match older {
        Some(path) => Some(load::answers_file(path, catalog)?),
        None => None,
    };
    match source {
        AnswersSource::File(path) => {
            plan_answers(load::answers_file(path, catalog)?, older.as_ref())
        }
        AnswersSource::Stored { db, id } => {
            let store = Store::open_existing(db)?;
            Ok(plan_stored(&store, catalog, *id, older.as_ref())?.planned)
        }
    }
}

/// Score and plan of answers (the pure core, in one call).
pub fn score_and_plan(q: &Questionnaire, sheet: &AnswerSheet) -> (Score, Plan) {
    let score = scoring::score(q, sheet);
    let plan = plan::build(q, sheet, &score);
    (score, plan)
}

fn planned(loaded: LoadedAnswers) -> Planned {
    let (score, plan) = score_and_plan(&loaded.questionnaire.questionnaire, &loaded.sheet);
    Planned {
        loaded,
        score,
        plan,
        previous: None,
        warnings: Vec::new(),
        contacts: Vec::new(),
        alerts: Vec::new(),
        territory: Vec::new(),
    }
}

fn compared(current: &Planned, older: &LoadedAnswers, id: Option<AssessmentId>) -> Previous {
    let (s, p) = score_and_plan(&older.questionnaire.questionnaire, &older.sheet);
    Previous {
        id,
        assessed_on: older.sheet.assessed_on,
        comparison: plan::compare((&s, &p), (&current.score, &current.plan)),
    }
}

/// Add an explicitly chosen older answers file.
fn with_older(mut current: Planned, older: &LoadedAnswers) -> Result<Planned, PlanError> {
    let (old, now) = (&older.sheet, &current.loaded.sheet);
    if old.questionnaire.id != now.questionnaire.id {
        return Err(PlanError::OtherQuestionnaire {
            previous: old.questionnaire.id.clone(),
            current: now.questionnaire.id.clone(),
        });
    }
    if old.assessed_on > now.assessed_on {
        return Err(PlanError::PreviousIsLater {
            previous: old.assessed_on,
            current: now.assessed_on,
        });
    }
    if old.organization.istat_code != now.organization.istat_code {
        current
            .warnings
            .push(PlanWarning::PreviousOtherOrganization {
                previous: old.organization.name.clone(),
                previous_code: old.organization.istat_code.clone(),
                current: now.organization.name.clone(),
                current_code: now.organization.istat_code.clone(),
            });
    }
    current.previous = Some(compared(&current, older, None));
    Ok(current)
}

/// Plan answers from a file, with an optional older answers file.
pub fn plan_answers(
    loaded: LoadedAnswers,
    older: Option<&LoadedAnswers>,
) -> Result<Planned, PlanError> {
    let current = planned(loaded);
    match older {
        Some(o) => with_older(current, o),
        None => Ok(current),
    }
}

/// A stored assessment, planned.
#[derive(Debug, Clone)]
pub struct StoredPlan {
    /// The assessment's metadata.
    pub info: AssessmentInfo,
    /// Its score and plan.
    pub planned: Planned,
}

/// Plan a stored assessment. The previous one is `older` when given,
/// else the latest earlier completed assessment of the same organization
/// in the store (see the module's policy).
pub fn plan_stored(
    store: &Store,
    catalog: &Catalog,
    id: AssessmentId,
    older: Option<&LoadedAnswers>,
) -> Result<StoredPlan, PlanError> {
    let opened = assessment::open(store, catalog, id)?;
    let mut current = planned(opened.to_loaded());
    let org = &current.loaded.sheet.organization;
    let territory = store.pack_contacts()?;
    current.contacts = super::pack::with_territory_contacts(store.contacts_of(org)?, &territory);
    current.alerts =
        super::pack::active_alerts(store, Some(org.kind), chrono::Local::now().date_naive())?;
    current.territory = territory;
    let info = opened.stored.info;
    if opened.content_changed {
        current.warnings.push(PlanWarning::ContentChanged {
            id,
            questionnaire: info.questionnaire.id.clone(),
            version: info.questionnaire.version.clone(),
        });
    }
    let planned = match older {
        Some(o) => with_older(current, o)?,
        None => with_stored_previous(store, catalog, &info, current)?,
    };
    Ok(StoredPlan { info, planned })
}

/// Add the store's previous completed assessment of the same organization
/// and questionnaire, when its questionnaire version is available here.
fn with_stored_previous(
    store: &Store,
    catalog: &Catalog,
    info: &AssessmentInfo,
    mut current: Planned,
) -> Result<Planned, PlanError> {
    let Some(previous) = store.previous_completed(info.id)? else {
        return Ok(current);
    };
    if previous.questionnaire.id != info.questionnaire.id {
        return Ok(current);
    }
    let opened = match assessment::open(store, catalog, id_of(&previous)) {
        Ok(o) => o,
        // Its questionnaire version is not available here: no comparison.
        Err(AssessmentError::QuestionnaireUnavailable { .. }) => return Ok(current),
        Err(e) => return Err(e.into()),
    };
    current.previous = Some(compared(
        &current,
        &opened.to_loaded(),
        Some(id_of(&previous)),
    ));
    Ok(current)
}

/// The plan PDF and its suggested file name.
#[derive(Debug, Clone)]
pub struct PlanPdf {
    /// The rendered document.
    pub pdf: RenderedPdf,
    /// "Piano di sicurezza - <organization> - <day>.pdf".
    pub file_name: String,
}

/// Render the plan PDF (with "what changed" when there is a previous one).
pub fn plan_pdf(planned: &Planned) -> Result<PlanPdf, PlanError> {
    let report = PlanReport {
        questionnaire: planned.questionnaire(),
        sheet: planned.sheet(),
        score: &planned.score,
        plan: &planned.plan,
        previous: planned.previous.as_ref().map(|p| PreviousAssessment {
            assessed_on: p.assessed_on,
            comparison: &p.comparison,
        }),
        contacts: &planned.contacts,
        alerts: &planned.alerts,
        territory: &planned.territory,
    };
    let pdf = report::plan_pdf(&report)?;
    let sheet = planned.sheet();
    Ok(PlanPdf {
        pdf,
        file_name: names::plan_pdf(&sheet.organization.name, sheet.assessed_on),
    })
}

/// The questionnaire on paper, newest version of `questionnaire_id`, with
/// the letter of every question for the IT supplier: to gather answers
/// before the assessment is opened in Sentinella.
pub fn blank_form(
    catalog: &crate::load::Catalog,
    questionnaire_id: &str,
    today: NaiveDate,
) -> Result<PlanPdf, PlanError> {
    let loaded = catalog
        .latest(questionnaire_id)
        .ok_or_else(|| PlanError::UnknownQuestionnaire(questionnaire_id.to_string()))?;
    let q = &loaded.questionnaire;
    let pdf = report::blank_pdf(&report::BlankForm {
        questionnaire: q,
        printed_on: today,
    })?;
    Ok(PlanPdf {
        pdf,
        file_name: names::blank_form(&q.title, &q.version),
    })
}
