//! Assessments in the store: create, open, answer, complete, reopen,
//! delete, list, history.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use thiserror::Error;

use crate::ids::{AssessmentId, IstatCode};
use crate::istat::IstatList;
use crate::load::{Catalog, LoadedAnswers, LoadedQuestionnaire};
use crate::model::{Audience, Organization, QuestionnaireRef};
use crate::scoring::{self, QuestionState, Score};
use crate::store::{
    AssessmentInfo, ListedAssessment, NewAssessment, Store, StoreError, StoredAssessment,
};

/// Why an assessment operation failed.
#[derive(Debug, Error)]
pub enum AssessmentError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The assessment's questionnaire version is not in the catalog.
    #[error("assessment {id} uses questionnaire {questionnaire} version {version}, which is not available (load it with --questionnaires DIR)")]
    QuestionnaireUnavailable {
        /// The assessment.
        id: AssessmentId,
        /// Questionnaire id.
        questionnaire: String,
        /// Its version.
        version: String,
    },
    /// No questionnaire with this id in the catalog.
    #[error("no questionnaire {0:?} is available")]
    UnknownQuestionnaire(String),
    /// The ISTAT code is not in the ISTAT list.
    #[error("ISTAT code {0} is not in the ISTAT list of comuni")]
    UnknownComune(IstatCode),
    /// A Polis office needs its own name.
    #[error("a Polis office needs its name")]
    MissingOfficeName,
}

/// An assessment of the store with its questionnaire from the catalog.
#[derive(Debug, Clone)]
pub struct Opened<'c> {
    /// The stored assessment (metadata and answers).
    pub stored: StoredAssessment,
    /// Its questionnaire.
    pub questionnaire: &'c LoadedQuestionnaire,
    /// Whether the catalog's content of this version differs from the one
    /// the assessment was created with (scores use the available content).
    pub content_changed: bool,
}

impl Opened<'_> {
    /// The answers with their questionnaire, as a file would give them.
    pub fn to_loaded(&self) -> LoadedAnswers {
        LoadedAnswers {
            sheet: self.stored.sheet.clone(),
            questionnaire: self.questionnaire.clone(),
        }
    }

    /// The assessment's id.
    pub fn id(&self) -> AssessmentId {
        id_of(&self.stored.info)
    }
}

/// The typed id of a stored assessment.
pub(crate) fn id_of(info: &AssessmentInfo) -> AssessmentId {
    AssessmentId::from_store(info.id)
}

/// The questionnaire of `info` from the catalog.
pub fn questionnaire_of<'c>(
    catalog: &'c Catalog,
    info: &AssessmentInfo,
) -> Result<&'c LoadedQuestionnaire, AssessmentError> {
    catalog
        .get(&info.questionnaire.id, &info.questionnaire.version)
        .ok_or_else(|| AssessmentError::QuestionnaireUnavailable {
            id: id_of(info),
            questionnaire: info.questionnaire.id.clone(),
            version: info.questionnaire.version.clone(),
        })
}

/// Load an assessment with its questionnaire.
pub fn open<'c>(
    store: &Store,
    catalog: &'c Catalog,
    id: AssessmentId,
) -> Result<Opened<'c>, AssessmentError> {
    let stored = store.load_assessment(id.get())?;
    let questionnaire = questionnaire_of(catalog, &stored.info)?;
    Ok(Opened {
        content_changed: questionnaire.content_hash != stored.info.content_hash,
        stored,
        questionnaire,
    })
}

/// Questions in scope and answered, for progress bars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Answered (including "Non so" and "Non applicabile").
    pub answered: usize,
    /// In scope by the context answers.
    pub total: usize,
}

impl Progress {
    /// The progress of a score.
    pub fn of(score: &Score) -> Progress {
        let mut p = Progress::default();
        for q in &score.questions {
            if q.state != QuestionState::OutOfScope {
                p.total += 1;
                if q.state != QuestionState::Unanswered {
                    p.answered += 1;
                }
            }
        }
        p
    }
}

/// What an open assessment looks like now: answers, score, progress.
#[derive(Debug, Clone)]
pub struct Snapshot<'c> {
    /// The assessment.
    pub opened: Opened<'c>,
    /// Its score now.
    pub score: Score,
    /// Its progress now.
    pub progress: Progress,
}

/// Load and score an assessment (the questionnaire screens).
pub fn snapshot<'c>(
    store: &Store,
    catalog: &'c Catalog,
    id: AssessmentId,
) -> Result<Snapshot<'c>, AssessmentError> {
    let opened = open(store, catalog, id)?;
    let score = scoring::score(&opened.questionnaire.questionnaire, &opened.stored.sheet);
    Ok(Snapshot {
        progress: Progress::of(&score),
        score,
        opened,
    })
}

/// Who starts an assessment, and with which questionnaire.
#[derive(Debug, Clone)]
pub struct NewAssessmentRequest {
    /// Questionnaire id (its latest version is used).
    pub questionnaire_id: String,
    /// The comune (of the assessed comune, or where the Polis office is).
    pub istat_code: IstatCode,
    /// For a Polis office: the office's name (cleaned by the caller).
    pub office_name: Option<String>,
    /// Role of the person answering (cleaned by the caller).
    pub assessor_role: Option<String>,
    /// The day of the assessment.
    pub assessed_on: NaiveDate,
}

/// Start a draft assessment. The organization comes from the ISTAT list:
/// "Comune di …" for a comune, the office's own name for a Polis office.
pub fn create(
    store: &mut Store,
    catalog: &Catalog,
    list: &IstatList,
    request: &NewAssessmentRequest,
) -> Result<AssessmentId, AssessmentError> {
    let Some(entry) = catalog.latest(&request.questionnaire_id) else {
        return Err(AssessmentError::UnknownQuestionnaire(
            request.questionnaire_id.clone(),
        ));
    };
    let Some(comune) = list.get(request.istat_code.as_str()) else {
        return Err(AssessmentError::UnknownComune(request.istat_code.clone()));
    };
    let q = &entry.questionnaire;
    let name = match q.audience {
        Audience::Comune => format!("Comune di {}", comune.name),
        Audience::PolisOffice => match request.office_name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => return Err(AssessmentError::MissingOfficeName),
        },
    };
    let new = NewAssessment {
        organization: Organization {
            name,
            istat_code: comune.istat_code.clone(),
            province: comune.province.clone(),
            region: comune.region.clone(),
            population: comune.population,
            kind: q.audience,
        },
        questionnaire: QuestionnaireRef {
            id: q.id.clone(),
            version: q.version.clone(),
        },
        content_hash: entry.content_hash.clone(),
        assessor_role: request.assessor_role.clone(),
        assessed_on: request.assessed_on,
    };
    let id = store.create_assessment(catalog, &new)?;
    Ok(AssessmentId::from_store(id))
}

/// One answer to save.
#[derive(Debug, Clone, Copy)]
pub enum AnswerInput<'a> {
    /// A context question (who runs IT, how many PCs…).
    Context {
        /// Question id.
        question: &'a str,
        /// Option id.
        option: &'a str,
    },
    /// A scored question, with an optional note.
    Scored {
        /// Question id.
        question: &'a str,
        /// Option id.
        option: &'a str,
        /// Free-text note (blank: none).
        note: Option<&'a str>,
    },
}

/// A committed save and the progress after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    /// Commit time (UTC).
    pub at: DateTime<Utc>,
    /// Progress after the save.
    pub progress: Progress,
}

/// Save one answer (committed before this returns) and report progress.
pub fn answer(
    store: &mut Store,
    catalog: &Catalog,
    id: AssessmentId,
    input: AnswerInput<'_>,
) -> Result<Saved, AssessmentError> {
    let saved = match input {
        AnswerInput::Context { question, option } => {
            store.save_context_answer(catalog, id.get(), question, option)?
        }
        AnswerInput::Scored {
            question,
            option,
            note,
        } => store.save_answer(catalog, id.get(), question, option, note)?,
    };
    let now = snapshot(store, catalog, id)?;
    Ok(Saved {
        at: saved.answered_at,
        progress: now.progress,
    })
}

/// Remember where the user left off.
pub fn set_position(
    store: &mut Store,
    catalog: &Catalog,
    id: AssessmentId,
    position: &str,
) -> Result<(), AssessmentError> {
    Ok(store.set_last_position(catalog, id.get(), position)?)
}

/// Mark an assessment completed (its answers are then frozen).
pub fn complete(store: &mut Store, id: AssessmentId) -> Result<(), AssessmentError> {
    Ok(store.complete(id.get())?)
}

/// Reopen a completed assessment.
pub fn reopen(store: &mut Store, id: AssessmentId) -> Result<(), AssessmentError> {
    Ok(store.reopen(id.get())?)
}

/// Delete an assessment and its answers.
pub fn delete(store: &mut Store, id: AssessmentId) -> Result<(), AssessmentError> {
    Ok(store.delete_assessment(id.get())?)
}

/// Every assessment, newest first, with its score summary.
pub fn list(store: &Store, catalog: &Catalog) -> Result<Vec<ListedAssessment>, AssessmentError> {
    Ok(store.list_assessments(catalog)?)
}

/// One assessment of an organization's history.
#[derive(Debug, Clone)]
pub struct HistoryEntry<'c> {
    /// The assessment.
    pub info: AssessmentInfo,
    /// Its questionnaire, when available here.
    pub questionnaire: Option<&'c LoadedQuestionnaire>,
    /// Its score, when the questionnaire is available.
    pub score: Option<Score>,
}

/// An organization's assessments, oldest first, each scored.
pub fn history<'c>(
    store: &Store,
    catalog: &'c Catalog,
    organization_id: i64,
) -> Result<Vec<HistoryEntry<'c>>, AssessmentError> {
    let mut out = Vec::new();
    for info in store.history(organization_id)? {
        let questionnaire = catalog.get(&info.questionnaire.id, &info.questionnaire.version);
        let score = match questionnaire {
            Some(e) => {
                let stored = store.load_assessment(info.id)?;
                Some(scoring::score(&e.questionnaire, &stored.sheet))
            }
            None => None,
        };
        out.push(HistoryEntry {
            info,
            questionnaire,
            score,
        });
    }
    Ok(out)
}
