//! Assessments: create, answer, load, list, complete, reopen, delete,
//! history, import and export.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, SecondsFormat, SubsecRound, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::{AssessmentId, Store, StoreError};
use crate::load::{self, Catalog, LoadedQuestionnaire};
use crate::model::{Answer, AnswerSheet, Audience, Organization, QuestionnaireRef, ANSWERS_FORMAT};
use crate::scoring::{self, Tier};
use crate::validate;

/// Draft or completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being answered; answers can change.
    Draft,
    /// Closed; reopen it to change answers.
    Completed,
}

impl Status {
    /// Stable id as stored.
    pub fn id(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Completed => "completed",
        }
    }

    fn parse(s: &str) -> Result<Status, StoreError> {
        match s {
            "draft" => Ok(Status::Draft),
            "completed" => Ok(Status::Completed),
            _ => Err(StoreError::BadValue {
                what: "assessments.status",
                value: s.into(),
            }),
        }
    }
}

/// What is needed to start an assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAssessment {
    /// Who is assessed (created, or updated when already known).
    pub organization: Organization,
    /// Questionnaire id and version; must be in the catalog.
    pub questionnaire: QuestionnaireRef,
    /// Content hash of that questionnaire (from the catalog entry).
    pub content_hash: String,
    /// Role of the person answering (free text).
    pub assessor_role: Option<String>,
    /// The day of the assessment.
    pub assessed_on: NaiveDate,
}

/// An assessment without its answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentInfo {
    /// Row id.
    pub id: AssessmentId,
    /// Row id of the organization.
    pub organization_id: i64,
    /// The organization.
    pub organization: Organization,
    /// Questionnaire id and version.
    pub questionnaire: QuestionnaireRef,
    /// Content hash of the questionnaire when the assessment was created.
    pub content_hash: String,
    /// Draft or completed.
    pub status: Status,
    /// Day of the assessment.
    pub assessed_on: NaiveDate,
    /// Role of the person answering.
    pub assessor_role: Option<String>,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last change (UTC).
    pub updated_at: DateTime<Utc>,
    /// Marked completed (UTC).
    pub completed_at: Option<DateTime<Utc>>,
    /// Where the user left off: a question or context question id.
    pub last_position: Option<String>,
    /// Number of scored questions answered.
    pub answered: usize,
}

/// An assessment with its answers as the core's answers model.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAssessment {
    /// The metadata.
    pub info: AssessmentInfo,
    /// The answers, ready for scoring, planning or export.
    pub sheet: AnswerSheet,
    /// When each scored question was last answered (UTC).
    pub answered_at: BTreeMap<String, DateTime<Utc>>,
}

/// The headline of a score, for lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreSummary {
    /// 0–100.
    pub overall: f64,
    /// Tier after the baseline cap.
    pub tier: Tier,
    /// All baseline gates passed.
    pub baseline_met: bool,
    /// Failed baseline gates.
    pub gates_failed: usize,
    /// Applicable questions answered "Non so".
    pub unknown: usize,
    /// Applicable questions not answered.
    pub unanswered: usize,
    /// Questions that apply by context ("Non applicabile" answers included):
    /// with `unanswered`, the progress of a draft.
    pub in_scope: usize,
    /// False when the catalog's content of this questionnaire version differs
    /// from the one the assessment was created with.
    pub content_matches: bool,
}

/// One row of [`Store::list_assessments`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedAssessment {
    /// The metadata.
    pub info: AssessmentInfo,
    /// The score; `None` when the questionnaire version is not in the catalog.
    pub score: Option<ScoreSummary>,
}

/// Confirmation of a committed save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedAnswer {
    /// The commit time recorded with the answer (UTC).
    pub answered_at: DateTime<Utc>,
}

/// Now, to the millisecond (the precision stored).
pub(super) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

pub(super) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(super) fn parse_time(what: &'static str, s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::BadValue {
            what,
            value: s.into(),
        })
}

pub(super) fn audience_id(a: Audience) -> &'static str {
    match a {
        Audience::Comune => "comune",
        Audience::PolisOffice => "polis_office",
    }
}

pub(super) fn parse_audience(s: &str) -> Result<Audience, StoreError> {
    match s {
        "comune" => Ok(Audience::Comune),
        "polis_office" => Ok(Audience::PolisOffice),
        _ => Err(StoreError::BadValue {
            what: "organizations.kind",
            value: s.into(),
        }),
    }
}

/// Identity of an organization: a comune by its ISTAT code, a Polis office
/// by the ISTAT code of its comune and its name.
pub(super) fn org_key(o: &Organization) -> String {
    match o.kind {
        Audience::Comune => format!("comune:{}", o.istat_code),
        Audience::PolisOffice => format!(
            "polis_office:{}:{}",
            o.istat_code,
            o.name.trim().to_lowercase()
        ),
    }
}

fn questionnaire<'c>(
    catalog: &'c Catalog,
    id: &str,
    version: &str,
) -> Result<&'c LoadedQuestionnaire, StoreError> {
    catalog
        .get(id, version)
        .ok_or_else(|| StoreError::QuestionnaireUnavailable {
            id: id.into(),
            version: version.into(),
        })
}

const INFO_SELECT: &str = "
SELECT a.id, a.organization_id, o.name, o.istat_code, o.province, o.region, o.population, o.kind,
       a.questionnaire_id, a.questionnaire_version, a.content_hash, a.status, a.assessed_on,
       a.assessor_role, a.created_at, a.updated_at, a.completed_at, a.last_position,
       coalesce(a.answered_count,
                (SELECT count(*) FROM answers n WHERE n.assessment_id = a.id)),
       a.score_hash, a.score_overall, a.score_tier, a.score_baseline_met, a.score_gates_failed,
       a.score_unknown, a.score_unanswered, a.score_in_scope
FROM assessments a JOIN organizations o ON o.id = a.organization_id";

/// Raw columns of [`INFO_SELECT`], converted outside the rusqlite closure so
/// conversion errors keep their type.
struct InfoRow {
    id: i64,
    organization_id: i64,
    name: String,
    istat_code: String,
    province: String,
    region: String,
    population: i64,
    kind: String,
    questionnaire_id: String,
    questionnaire_version: String,
    content_hash: String,
    status: String,
    assessed_on: String,
    assessor_role: Option<String>,
    created_at: String,
    updated_at: String,
    completed_at: Option<String>,
    last_position: Option<String>,
    answered: i64,
    cache: Option<CachedScore>,
}

/// The score cached in the assessments row.
struct CachedScore {
    hash: String,
    overall: f64,
    tier: String,
    baseline_met: bool,
    gates_failed: i64,
    unknown: i64,
    unanswered: i64,
    in_scope: i64,
}

impl CachedScore {
    fn read(r: &Row<'_>) -> rusqlite::Result<Option<CachedScore>> {
        let hash: Option<String> = r.get(19)?;
        let Some(hash) = hash else { return Ok(None) };
        let (
            Some(overall),
            Some(tier),
            Some(baseline_met),
            Some(gates_failed),
            Some(unknown),
            Some(unanswered),
            Some(in_scope),
        ) = (
            r.get::<_, Option<f64>>(20)?,
            r.get::<_, Option<String>>(21)?,
            r.get::<_, Option<bool>>(22)?,
            r.get::<_, Option<i64>>(23)?,
            r.get::<_, Option<i64>>(24)?,
            r.get::<_, Option<i64>>(25)?,
            r.get::<_, Option<i64>>(26)?,
        )
        else {
            return Ok(None);
        };
        Ok(Some(CachedScore {
            hash,
            overall,
            tier,
            baseline_met,
            gates_failed,
            unknown,
            unanswered,
            in_scope,
        }))
    }

    /// The summary, when cached for `hash` and readable.
    fn summary(&self, hash: &str, content_matches: bool) -> Option<ScoreSummary> {
        if self.hash != hash {
            return None;
        }
        let tier = Tier::from_id(&self.tier)?;
        Some(ScoreSummary {
            overall: self.overall,
            tier,
            baseline_met: self.baseline_met,
            gates_failed: usize::try_from(self.gates_failed).ok()?,
            unknown: usize::try_from(self.unknown).ok()?,
            unanswered: usize::try_from(self.unanswered).ok()?,
            in_scope: usize::try_from(self.in_scope).ok()?,
            content_matches,
        })
    }
}

fn in_scope(s: &scoring::Score) -> usize {
    s.questions
        .iter()
        .filter(|q| q.state != scoring::QuestionState::OutOfScope)
        .count()
}

fn summarize(s: &scoring::Score, content_matches: bool) -> ScoreSummary {
    ScoreSummary {
        overall: s.overall,
        tier: s.tier,
        baseline_met: s.baseline.met,
        gates_failed: s.baseline.failed.len(),
        unknown: s.unknown.len(),
        unanswered: s.unanswered.len(),
        in_scope: in_scope(s),
        content_matches,
    }
}

impl InfoRow {
    fn read(r: &Row<'_>) -> rusqlite::Result<InfoRow> {
        Ok(InfoRow {
            id: r.get(0)?,
            organization_id: r.get(1)?,
            name: r.get(2)?,
            istat_code: r.get(3)?,
            province: r.get(4)?,
            region: r.get(5)?,
            population: r.get(6)?,
            kind: r.get(7)?,
            questionnaire_id: r.get(8)?,
            questionnaire_version: r.get(9)?,
            content_hash: r.get(10)?,
            status: r.get(11)?,
            assessed_on: r.get(12)?,
            assessor_role: r.get(13)?,
            created_at: r.get(14)?,
            updated_at: r.get(15)?,
            completed_at: r.get(16)?,
            last_position: r.get(17)?,
            answered: r.get(18)?,
            cache: CachedScore::read(r)?,
        })
    }

    fn into_info(self) -> Result<AssessmentInfo, StoreError> {
        self.into_parts().map(|(info, _)| info)
    }

    fn into_parts(self) -> Result<(AssessmentInfo, Option<CachedScore>), StoreError> {
        let cache = self.cache;
        let info = AssessmentInfo {
            id: self.id,
            organization_id: self.organization_id,
            organization: Organization {
                name: self.name,
                istat_code: self.istat_code,
                province: self.province,
                region: self.region,
                population: u32::try_from(self.population).map_err(|_| StoreError::BadValue {
                    what: "organizations.population",
                    value: self.population.to_string(),
                })?,
                kind: parse_audience(&self.kind)?,
            },
            questionnaire: QuestionnaireRef {
                id: self.questionnaire_id,
                version: self.questionnaire_version,
            },
            content_hash: self.content_hash,
            status: Status::parse(&self.status)?,
            assessed_on: NaiveDate::parse_from_str(&self.assessed_on, "%Y-%m-%d").map_err(
                |_| StoreError::BadValue {
                    what: "assessments.assessed_on",
                    value: self.assessed_on.clone(),
                },
            )?,
            assessor_role: self.assessor_role,
            created_at: parse_time("assessments.created_at", &self.created_at)?,
            updated_at: parse_time("assessments.updated_at", &self.updated_at)?,
            completed_at: self
                .completed_at
                .as_deref()
                .map(|s| parse_time("assessments.completed_at", s))
                .transpose()?,
            last_position: self.last_position,
            answered: usize::try_from(self.answered).unwrap_or(0),
        };
        Ok((info, cache))
    }
}

fn sheet_of(info: &AssessmentInfo) -> AnswerSheet {
    AnswerSheet {
        format: ANSWERS_FORMAT.to_string(),
        questionnaire: info.questionnaire.clone(),
        organization: info.organization.clone(),
        assessed_on: info.assessed_on,
        assessor_role: info.assessor_role.clone(),
        context: BTreeMap::new(),
        answers: BTreeMap::new(),
    }
}

/// The assessment's questionnaire and status, inside a write transaction.
fn writable(tx: &Transaction<'_>, id: AssessmentId) -> Result<(String, String), StoreError> {
    let row: Option<(String, String, String)> = tx
        .query_row(
            "SELECT questionnaire_id, questionnaire_version, status FROM assessments WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((qid, version, status)) = row else {
        return Err(StoreError::AssessmentNotFound(id));
    };
    if Status::parse(&status)? == Status::Completed {
        return Err(StoreError::AssessmentCompleted(id));
    }
    Ok((qid, version))
}

pub(super) fn upsert_organization(
    tx: &Transaction<'_>,
    o: &Organization,
) -> Result<i64, StoreError> {
    Ok(tx.query_row(
        "INSERT INTO organizations (org_key, kind, istat_code, name, province, region, population)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (org_key) DO UPDATE SET
             name = excluded.name, province = excluded.province,
             region = excluded.region, population = excluded.population
         RETURNING id",
        params![
            org_key(o),
            audience_id(o.kind),
            o.istat_code,
            o.name.trim(),
            o.province,
            o.region.trim(),
            o.population
        ],
        |r| r.get(0),
    )?)
}

fn clean_note(note: Option<&str>) -> Option<&str> {
    note.map(str::trim).filter(|n| !n.is_empty())
}

impl Store {
    /// Start a new draft assessment. The organization is created, or its
    /// name, province, region and population updated when already known.
    pub fn create_assessment(
        &mut self,
        catalog: &Catalog,
        new: &NewAssessment,
    ) -> Result<AssessmentId, StoreError> {
        let entry = questionnaire(catalog, &new.questionnaire.id, &new.questionnaire.version)?;
        if entry.content_hash != new.content_hash {
            return Err(StoreError::ContentHashMismatch {
                id: new.questionnaire.id.clone(),
                version: new.questionnaire.version.clone(),
                given: new.content_hash.clone(),
                expected: entry.content_hash.clone(),
            });
        }
        let probe = AnswerSheet {
            format: ANSWERS_FORMAT.into(),
            questionnaire: new.questionnaire.clone(),
            organization: new.organization.clone(),
            assessed_on: new.assessed_on,
            assessor_role: new.assessor_role.clone(),
            context: BTreeMap::new(),
            answers: BTreeMap::new(),
        };
        let issues = validate::answers_issues(&probe, &entry.questionnaire);
        if !issues.is_empty() {
            return Err(StoreError::Invalid(
                issues.iter().map(ToString::to_string).collect(),
            ));
        }
        let tx = self.conn.transaction()?;
        let id = insert_assessment(&tx, &probe, &entry.content_hash, Status::Draft)?;
        refresh_score(&tx, id, entry)?;
        tx.commit()?;
        Ok(id)
    }

    /// Save one answer (insert or replace) and remember the question as the
    /// last position. Returns after the commit is durable.
    pub fn save_answer(
        &mut self,
        catalog: &Catalog,
        assessment: AssessmentId,
        question: &str,
        option: &str,
        note: Option<&str>,
    ) -> Result<SavedAnswer, StoreError> {
        let note = clean_note(note);
        if let Some(n) = note {
            if n.chars().count() > validate::MAX_NOTE_CHARS {
                return Err(StoreError::NoteTooLong {
                    question: question.into(),
                    limit: validate::MAX_NOTE_CHARS,
                });
            }
        }
        let tx = self.conn.transaction()?;
        let (qid, version) = writable(&tx, assessment)?;
        let entry = questionnaire(catalog, &qid, &version)?;
        let Some(q) = entry.questionnaire.question(question) else {
            return Err(StoreError::UnknownQuestion {
                questionnaire: format!("{qid} {version}"),
                question: question.into(),
            });
        };
        if q.option(option).is_none() {
            return Err(StoreError::UnknownOption {
                question: question.into(),
                option: option.into(),
            });
        }
        let now = now();
        let ts = timestamp(now);
        tx.execute(
            "INSERT INTO answers (assessment_id, question_id, option_id, note, answered_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (assessment_id, question_id) DO UPDATE SET
                 option_id = excluded.option_id, note = excluded.note,
                 answered_at = excluded.answered_at",
            params![assessment, question, option, note, ts],
        )?;
        tx.execute(
            "UPDATE assessments SET updated_at = ?2, last_position = ?3 WHERE id = ?1",
            params![assessment, ts, question],
        )?;
        refresh_score(&tx, assessment, entry)?;
        tx.commit()?;
        Ok(SavedAnswer { answered_at: now })
    }

    /// Remove the answer to one question (back to unanswered).
    pub fn clear_answer(
        &mut self,
        catalog: &Catalog,
        assessment: AssessmentId,
        question: &str,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let (qid, version) = writable(&tx, assessment)?;
        let entry = questionnaire(catalog, &qid, &version)?;
        tx.execute(
            "DELETE FROM answers WHERE assessment_id = ?1 AND question_id = ?2",
            params![assessment, question],
        )?;
        tx.execute(
            "UPDATE assessments SET updated_at = ?2 WHERE id = ?1",
            params![assessment, timestamp(now())],
        )?;
        refresh_score(&tx, assessment, entry)?;
        tx.commit()?;
        Ok(())
    }

    /// Save one context answer (insert or replace). Returns after the commit.
    pub fn save_context_answer(
        &mut self,
        catalog: &Catalog,
        assessment: AssessmentId,
        question: &str,
        option: &str,
    ) -> Result<SavedAnswer, StoreError> {
        let tx = self.conn.transaction()?;
        let (qid, version) = writable(&tx, assessment)?;
        let entry = questionnaire(catalog, &qid, &version)?;
        let Some(c) = entry.questionnaire.context_question(question) else {
            return Err(StoreError::UnknownContextQuestion {
                questionnaire: format!("{qid} {version}"),
                question: question.into(),
            });
        };
        if !c.options.iter().any(|o| o.id == option) {
            return Err(StoreError::UnknownContextOption {
                question: question.into(),
                option: option.into(),
            });
        }
        let now = now();
        let ts = timestamp(now);
        tx.execute(
            "INSERT INTO context_answers (assessment_id, question_id, option_id, answered_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (assessment_id, question_id) DO UPDATE SET
                 option_id = excluded.option_id, answered_at = excluded.answered_at",
            params![assessment, question, option, ts],
        )?;
        tx.execute(
            "UPDATE assessments SET updated_at = ?2, last_position = ?3 WHERE id = ?1",
            params![assessment, ts, question],
        )?;
        refresh_score(&tx, assessment, entry)?;
        tx.commit()?;
        Ok(SavedAnswer { answered_at: now })
    }

    /// Remember where the user is (a question or context question id), so
    /// the app can resume there. Allowed on completed assessments too.
    pub fn set_last_position(
        &mut self,
        catalog: &Catalog,
        assessment: AssessmentId,
        position: &str,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let row: Option<(String, String)> = tx
            .query_row(
                "SELECT questionnaire_id, questionnaire_version FROM assessments WHERE id = ?1",
                [assessment],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((qid, version)) = row else {
            return Err(StoreError::AssessmentNotFound(assessment));
        };
        let entry = questionnaire(catalog, &qid, &version)?;
        let q = &entry.questionnaire;
        if q.question(position).is_none() && q.context_question(position).is_none() {
            return Err(StoreError::UnknownQuestion {
                questionnaire: format!("{qid} {version}"),
                question: position.into(),
            });
        }
        tx.execute(
            "UPDATE assessments SET last_position = ?2 WHERE id = ?1",
            params![assessment, position],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Mark an assessment completed (idempotent).
    pub fn complete(&mut self, assessment: AssessmentId) -> Result<(), StoreError> {
        let now = timestamp(now());
        self.update_status(
            assessment,
            "UPDATE assessments SET status = 'completed', completed_at = ?2, updated_at = ?2
             WHERE id = ?1 AND status = 'draft'",
            &now,
        )
    }

    /// Reopen a completed assessment as a draft (idempotent).
    pub fn reopen(&mut self, assessment: AssessmentId) -> Result<(), StoreError> {
        let now = timestamp(now());
        self.update_status(
            assessment,
            "UPDATE assessments SET status = 'draft', completed_at = NULL, updated_at = ?2
             WHERE id = ?1 AND status = 'completed'",
            &now,
        )
    }

    fn update_status(
        &mut self,
        assessment: AssessmentId,
        sql: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM assessments WHERE id = ?1)",
            [assessment],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::AssessmentNotFound(assessment));
        }
        tx.execute(sql, params![assessment, now])?;
        tx.commit()?;
        Ok(())
    }

    /// Delete an assessment and its answers. The organization stays.
    pub fn delete_assessment(&mut self, assessment: AssessmentId) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM assessments WHERE id = ?1", [assessment])?;
        if n == 0 {
            return Err(StoreError::AssessmentNotFound(assessment));
        }
        tx.commit()?;
        Ok(())
    }

    /// Metadata of one assessment.
    pub fn assessment_info(&self, assessment: AssessmentId) -> Result<AssessmentInfo, StoreError> {
        info_of(&self.conn, assessment)
    }

    /// An assessment with all its answers.
    pub fn load_assessment(
        &self,
        assessment: AssessmentId,
    ) -> Result<StoredAssessment, StoreError> {
        load_full(&self.conn, assessment)
    }

    /// Every assessment, newest first, with its score (`None` when the
    /// questionnaire version is not in the catalog).
    ///
    /// Scores come from the cache kept by every save when it was computed
    /// against the catalog's content of the questionnaire; otherwise (older
    /// database, changed content) the assessment is scored now.
    pub fn list_assessments(&self, catalog: &Catalog) -> Result<Vec<ListedAssessment>, StoreError> {
        let rows = infos(&self.conn, "ORDER BY a.assessed_on DESC, a.id DESC", None)?;
        let mut out = Vec::with_capacity(rows.len());
        for (info, cache) in rows {
            let score = match catalog.get(&info.questionnaire.id, &info.questionnaire.version) {
                None => None,
                Some(entry) => {
                    let matches = entry.content_hash == info.content_hash;
                    match cache.and_then(|c| c.summary(&entry.content_hash, matches)) {
                        Some(cached) => Some(cached),
                        None => {
                            let stored = load_full(&self.conn, info.id)?;
                            Some(summarize(
                                &scoring::score(&entry.questionnaire, &stored.sheet),
                                matches,
                            ))
                        }
                    }
                }
            };
            out.push(ListedAssessment { info, score });
        }
        Ok(out)
    }

    /// The assessments of one organization, oldest first (by assessment day,
    /// then creation): feeds `--previous` and trends.
    pub fn history(&self, organization_id: i64) -> Result<Vec<AssessmentInfo>, StoreError> {
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM organizations WHERE id = ?1)",
            [organization_id],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::OrganizationNotFound(organization_id));
        }
        Ok(infos(
            &self.conn,
            "WHERE a.organization_id = ?1 ORDER BY a.assessed_on, a.created_at, a.id",
            Some(organization_id),
        )?
        .into_iter()
        .map(|(info, _)| info)
        .collect())
    }

    /// The latest completed assessment of the same organization before this
    /// one (by day, then creation), for "what changed since last time".
    pub fn previous_completed(
        &self,
        assessment: AssessmentId,
    ) -> Result<Option<AssessmentInfo>, StoreError> {
        let me = self.assessment_info(assessment)?;
        let history = self.history(me.organization_id)?;
        Ok(history
            .into_iter()
            .take_while(|a| a.id != me.id)
            .filter(|a| a.status == Status::Completed)
            .last())
    }

    /// Every organization with its row id, by name.
    pub fn organizations(&self) -> Result<Vec<(i64, Organization)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, istat_code, province, region, population, kind
             FROM organizations ORDER BY name, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, istat_code, province, region, population, kind) = row?;
            out.push((
                id,
                Organization {
                    name,
                    istat_code,
                    province,
                    region,
                    population: u32::try_from(population).map_err(|_| StoreError::BadValue {
                        what: "organizations.population",
                        value: population.to_string(),
                    })?,
                    kind: parse_audience(&kind)?,
                },
            ));
        }
        Ok(out)
    }

    /// Import an answers file (`sentinella-answers/1`) as a new assessment.
    /// The text is checked like any answers file (`file` names it in errors)
    /// against the catalog; nothing is written when it fails.
    pub fn import_answers(
        &mut self,
        catalog: &Catalog,
        file: &str,
        text: &str,
        status: Status,
    ) -> Result<AssessmentId, StoreError> {
        let loaded = load::answers_from_str(file, text, catalog)?;
        let tx = self.conn.transaction()?;
        let id = insert_assessment(
            &tx,
            &loaded.sheet,
            &loaded.questionnaire.content_hash,
            status,
        )?;
        refresh_score(&tx, id, &loaded.questionnaire)?;
        tx.commit()?;
        Ok(id)
    }

    /// Export an assessment as an answers file (`sentinella-answers/1`),
    /// pretty-printed JSON.
    pub fn export_answers(&self, assessment: AssessmentId) -> Result<String, StoreError> {
        let stored = self.load_assessment(assessment)?;
        let mut s = serde_json::to_string_pretty(&stored.sheet)?;
        s.push('\n');
        Ok(s)
    }
}

fn info_of(conn: &Connection, assessment: AssessmentId) -> Result<AssessmentInfo, StoreError> {
    let row = conn
        .query_row(
            &format!("{INFO_SELECT} WHERE a.id = ?1"),
            [assessment],
            InfoRow::read,
        )
        .optional()?;
    row.ok_or(StoreError::AssessmentNotFound(assessment))?
        .into_info()
}

fn infos(
    conn: &Connection,
    filter: &str,
    param: Option<i64>,
) -> Result<Vec<(AssessmentInfo, Option<CachedScore>)>, StoreError> {
    let sql = format!("{INFO_SELECT} {filter}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows: Vec<InfoRow> = match param {
        Some(p) => stmt
            .query_map([p], InfoRow::read)?
            .collect::<Result<_, _>>()?,
        None => stmt
            .query_map([], InfoRow::read)?
            .collect::<Result<_, _>>()?,
    };
    rows.into_iter().map(InfoRow::into_parts).collect()
}

/// An assessment with its answers, read through `conn` (the store's
/// connection or an open transaction).
fn load_full(conn: &Connection, assessment: AssessmentId) -> Result<StoredAssessment, StoreError> {
    let info = info_of(conn, assessment)?;
    let mut sheet = sheet_of(&info);
    let mut answered_at = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT question_id, option_id, note, answered_at FROM answers WHERE assessment_id = ?1",
    )?;
    let rows = stmt.query_map([assessment], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (question, option, note, at) = row?;
        answered_at.insert(question.clone(), parse_time("answers.answered_at", &at)?);
        sheet.answers.insert(question, Answer { option, note });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT question_id, option_id FROM context_answers WHERE assessment_id = ?1",
    )?;
    let rows = stmt.query_map([assessment], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (question, option) = row?;
        sheet.context.insert(question, option);
    }
    Ok(StoredAssessment {
        info,
        sheet,
        answered_at,
    })
}

/// Re-score an assessment inside the transaction that changed it and cache
/// the result with the hash of the content it was scored against.
fn refresh_score(
    tx: &Transaction<'_>,
    assessment: AssessmentId,
    entry: &LoadedQuestionnaire,
) -> Result<(), StoreError> {
    let stored = load_full(tx, assessment)?;
    let s = scoring::score(&entry.questionnaire, &stored.sheet);
    tx.execute(
        "UPDATE assessments SET score_hash = ?2, score_overall = ?3, score_tier = ?4,
             score_baseline_met = ?5, score_gates_failed = ?6, score_unknown = ?7,
             score_unanswered = ?8, answered_count = ?9, score_in_scope = ?10
         WHERE id = ?1",
        params![
            assessment,
            entry.content_hash,
            s.overall,
            s.tier.id(),
            s.baseline.met,
            s.baseline.failed.len() as i64,
            s.unknown.len() as i64,
            s.unanswered.len() as i64,
            stored.sheet.answers.len() as i64,
            in_scope(&s) as i64
        ],
    )?;
    Ok(())
}

/// Insert an organization (or update it), an assessment and its answers.
fn insert_assessment(
    tx: &Transaction<'_>,
    sheet: &AnswerSheet,
    content_hash: &str,
    status: Status,
) -> Result<AssessmentId, StoreError> {
    let org = upsert_organization(tx, &sheet.organization)?;
    let now = timestamp(now());
    let completed_at = (status == Status::Completed).then(|| now.clone());
    let id: AssessmentId = tx.query_row(
        "INSERT INTO assessments (organization_id, questionnaire_id, questionnaire_version,
             content_hash, status, assessed_on, assessor_role, created_at, updated_at, completed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9) RETURNING id",
        params![
            org,
            sheet.questionnaire.id,
            sheet.questionnaire.version,
            content_hash,
            status.id(),
            sheet.assessed_on.format("%Y-%m-%d").to_string(),
            sheet
                .assessor_role
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty()),
            now,
            completed_at
        ],
        |r| r.get(0),
    )?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO answers (assessment_id, question_id, option_id, note, answered_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (q, a) in &sheet.answers {
            stmt.execute(params![id, q, a.option, clean_note(a.note.as_deref()), now])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO context_answers (assessment_id, question_id, option_id, answered_at)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (q, o) in &sheet.context {
            stmt.execute(params![id, q, o, now])?;
        }
    }
    Ok(id)
}
