//! Rules a questionnaire and an answers file must follow beyond their JSON
//! shape: unique ids, ranges, exactly one "Non so", conditions that refer to
//! existing context questions, known control ids, answers that name real
//! questions and options.
//!
//! Pure functions: they return every problem found, each with the JSON path
//! where it is, so a content author fixes them all in one pass.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use crate::controls::{self, AbscLevel};
use crate::model::{
    AnswerSheet, Audience, Condition, Question, Questionnaire, SpecialAnswer, ANSWERS_FORMAT,
    QUESTIONNAIRE_FORMAT,
};

/// The longest note we accept on one answer, in characters.
pub const MAX_NOTE_CHARS: usize = 4000;

/// One problem, located by its JSON path (`$.domains[2].questions[0].weight`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where the problem is.
    pub path: String,
    /// What is wrong, in English.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Default)]
struct Issues(Vec<Issue>);

impl Issues {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Issue {
            path: path.into(),
            message: message.into(),
        });
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn check_text(issues: &mut Issues, path: &str, what: &str, text: &str) {
    if text.trim().is_empty() {
        issues.push(path, format!("{what} is empty"));
    }
}

/// Every problem of a questionnaire; empty when it is valid.
pub fn questionnaire_issues(q: &Questionnaire) -> Vec<Issue> {
    let mut issues = Issues::default();
    if q.format != QUESTIONNAIRE_FORMAT {
        issues.push(
            "$.format",
            format!(
                "unsupported format {:?}, expected {QUESTIONNAIRE_FORMAT:?}",
                q.format
            ),
        );
    }
    if !is_id(&q.id) {
        issues.push(
            "$.id",
            format!(
                "{:?} is not a valid id (lowercase letters, digits, '-' or '_')",
                q.id
            ),
        );
    }
    if semver::Version::parse(&q.version).is_err() {
        issues.push(
            "$.version",
            format!(
                "{:?} is not a semantic version such as \"1.0.0\"",
                q.version
            ),
        );
    }
    check_text(&mut issues, "$.title", "title", &q.title);
    check_text(&mut issues, "$.description", "description", &q.description);

    // Context questions and their options.
    let mut question_ids: HashMap<&str, String> = HashMap::new();
    let mut context_options: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (ci, c) in q.context.iter().enumerate() {
        let path = format!("$.context[{ci}]");
        if !is_id(&c.id) {
            issues.push(
                format!("{path}.id"),
                format!("{:?} is not a valid id", c.id),
            );
        }
        if let Some(first) = question_ids.insert(&c.id, path.clone()) {
            issues.push(
                format!("{path}.id"),
                format!("id {:?} is already used at {first}", c.id),
            );
        }
        check_text(&mut issues, &format!("{path}.text"), "text", &c.text);
        check_text(&mut issues, &format!("{path}.help"), "help", &c.help);
        if c.options.len() < 2 {
            issues.push(
                format!("{path}.options"),
                "a context question needs at least two options",
            );
        }
        let mut seen = HashSet::new();
        for (oi, o) in c.options.iter().enumerate() {
            let opath = format!("{path}.options[{oi}]");
            if !is_id(&o.id) {
                issues.push(
                    format!("{opath}.id"),
                    format!("{:?} is not a valid id", o.id),
                );
            }
            if !seen.insert(o.id.as_str()) {
                issues.push(
                    format!("{opath}.id"),
                    format!("option id {:?} appears twice in this question", o.id),
                );
            }
            check_text(&mut issues, &format!("{opath}.label"), "label", &o.label);
        }
        context_options.insert(&c.id, seen);
    }

    if q.domains.is_empty() {
        issues.push("$.domains", "a questionnaire needs at least one domain");
    }
    let mut domain_ids = HashSet::new();
    for (di, d) in q.domains.iter().enumerate() {
        let path = format!("$.domains[{di}]");
        if !is_id(&d.id) {
            issues.push(
                format!("{path}.id"),
                format!("{:?} is not a valid id", d.id),
            );
        }
        if !domain_ids.insert(d.id.as_str()) {
            issues.push(
                format!("{path}.id"),
                format!("domain id {:?} appears twice", d.id),
            );
        }
        check_text(&mut issues, &format!("{path}.title"), "title", &d.title);
        check_text(
            &mut issues,
            &format!("{path}.description"),
            "description",
            &d.description,
        );
        if d.questions.is_empty() {
            issues.push(
                format!("{path}.questions"),
                "a domain needs at least one question",
            );
        }
        for (qi, question) in d.questions.iter().enumerate() {
            let qpath = format!("{path}.questions[{qi}]");
            if let Some(first) = question_ids.insert(&question.id, qpath.clone()) {
                issues.push(
                    format!("{qpath}.id"),
                    format!("id {:?} is already used at {first}", question.id),
                );
            }
            check_question(&mut issues, &qpath, question, &context_options, q.audience);
        }
    }
    check_requires(&mut issues, q);
    issues.0
}

fn check_question(
    issues: &mut Issues,
    path: &str,
    q: &Question,
    context: &HashMap<&str, HashSet<&str>>,
    _audience: Audience,
) {
    if !is_id(&q.id) {
        issues.push(
            format!("{path}.id"),
            format!("{:?} is not a valid id", q.id),
        );
    }
    check_text(issues, &format!("{path}.text"), "text", &q.text);
    check_text(issues, &format!("{path}.help"), "help", &q.help);
    if !(1..=3).contains(&q.weight) {
        issues.push(
            format!("{path}.weight"),
            format!("weight {} is out of range 1-3", q.weight),
        );
    }
    if !(1..=3).contains(&q.target_level) {
        issues.push(
            format!("{path}.target_level"),
            format!("target_level {} is out of range 1-3", q.target_level),
        );
    }

    // Options.
    let mut ids = HashSet::new();
    let (mut unknown, mut not_applicable, mut levelled) = (0, 0, 0);
    for (oi, o) in q.options.iter().enumerate() {
        let opath = format!("{path}.options[{oi}]");
        if !is_id(&o.id) {
            issues.push(
                format!("{opath}.id"),
                format!("{:?} is not a valid id", o.id),
            );
        }
        if !ids.insert(o.id.as_str()) {
            issues.push(
                format!("{opath}.id"),
                format!("option id {:?} appears twice in this question", o.id),
            );
        }
        check_text(issues, &format!("{opath}.label"), "label", &o.label);
        match (o.level, o.kind) {
            (Some(level), None) => {
                levelled += 1;
                if level > 3 {
                    issues.push(
                        format!("{opath}.level"),
                        format!("level {level} is out of range 0-3"),
                    );
                }
            }
            (None, Some(SpecialAnswer::Unknown)) => unknown += 1,
            (None, Some(SpecialAnswer::NotApplicable)) => not_applicable += 1,
            (Some(_), Some(_)) => issues.push(
                opath,
                "an option has either a level or a kind, not both".to_string(),
            ),
            (None, None) => issues.push(
                opath,
                "an option needs a level (0-3) or a kind (unknown, not_applicable)".to_string(),
            ),
        }
    }
    if unknown != 1 {
        issues.push(
            format!("{path}.options"),
            format!("needs exactly one option of kind \"unknown\" (Non so), found {unknown}"),
        );
    }
    if not_applicable > 1 {
        issues.push(
            format!("{path}.options"),
            format!("at most one option of kind \"not_applicable\", found {not_applicable}"),
        );
    }
    if levelled < 2 {
        issues.push(
            format!("{path}.options"),
            format!("needs at least two options with a level, found {levelled}"),
        );
    }
    let max_level = q.max_level();
    if levelled >= 2 && q.target_level > max_level {
        issues.push(
            format!("{path}.target_level"),
            format!(
                "target_level {} is higher than the best option's level {max_level}",
                q.target_level
            ),
        );
    }
    if levelled >= 2 && !q.options.iter().any(|o| o.level == Some(0)) {
        issues.push(
            format!("{path}.options"),
            "needs an option of level 0 (the measure is absent)",
        );
    }

    if let Some(cond) = &q.applies_if {
        check_condition(issues, &format!("{path}.applies_if"), cond, context);
    }

    check_mappings(issues, path, q);
    check_essential(issues, path, q);

    // Action.
    let a = &q.action;
    let apath = format!("{path}.action");
    check_text(issues, &format!("{apath}.title"), "title", &a.title);
    check_text(issues, &format!("{apath}.why"), "why", &a.why);
    check_text(
        issues,
        &format!("{apath}.supplier_question"),
        "supplier_question",
        &a.supplier_question,
    );
    if a.steps.is_empty() || a.steps.len() > 6 {
        issues.push(
            format!("{apath}.steps"),
            format!("needs 1 to 6 steps, found {}", a.steps.len()),
        );
    }
    for (si, s) in a.steps.iter().enumerate() {
        check_text(issues, &format!("{apath}.steps[{si}]"), "step", s);
    }
    for (ri, rule) in a.owner_rules.iter().enumerate() {
        check_condition(
            issues,
            &format!("{apath}.owner_rules[{ri}].when"),
            &rule.when,
            context,
        );
    }
}

/// An essential gate: a level in range, at or below the target, and at
/// least one source; CIS and ACN sources must be real ids.
fn check_essential(issues: &mut Issues, path: &str, q: &Question) {
    let Some(e) = &q.essential else {
        return;
    };
    let t = controls::tables();
    let epath = format!("{path}.essential");
    if !(1..=3).contains(&e.min_level) {
        issues.push(
            format!("{epath}.min_level"),
            format!("min_level {} is out of range 1-3", e.min_level),
        );
    } else if e.min_level > q.target_level {
        issues.push(
            format!("{epath}.min_level"),
            format!(
                "min_level {} is above target_level {}",
                e.min_level, q.target_level
            ),
        );
    }
    if e.sources.is_empty() {
        issues.push(
            format!("{epath}.sources"),
            "an essential gate names at least one source (CIS safeguard, ACN measure or law)",
        );
    }
    for (i, src) in e.sources.iter().enumerate() {
        let spath = format!("{epath}.sources[{i}]");
        if let Some(id) = src.strip_prefix("CIS ") {
            if !t.cis.contains_key(id) {
                issues.push(
                    spath,
                    format!("{src:?} is not a CIS Controls v8.1 safeguard"),
                );
            }
        } else if let Some(id) = src.strip_prefix("ACN ") {
            if !t.acn.contains_key(id) {
                issues.push(
                    spath,
                    format!("{src:?} is not one of the ACN NIS basic measures"),
                );
            }
        } else if src.trim().is_empty() {
            issues.push(spath, "source is empty");
        }
    }
}

/// Prerequisites between actions: known question ids, not the question
/// itself, and no cycle.
fn check_requires(issues: &mut Issues, q: &Questionnaire) {
    let mut paths: HashMap<&str, String> = HashMap::new();
    for (di, d) in q.domains.iter().enumerate() {
        for (qi, question) in d.questions.iter().enumerate() {
            paths.insert(
                &question.id,
                format!("$.domains[{di}].questions[{qi}].action.requires"),
            );
        }
    }
    let mut graph: HashMap<&str, Vec<&str>> = HashMap::new();
    for (_, question) in q.questions() {
        let path = paths.get(question.id.as_str()).cloned().unwrap_or_default();
        let mut seen = HashSet::new();
        for (i, r) in question.action.requires.iter().enumerate() {
            if r == &question.id {
                issues.push(format!("{path}[{i}]"), "an action cannot require itself");
            } else if !paths.contains_key(r.as_str()) {
                issues.push(
                    format!("{path}[{i}]"),
                    format!("{r:?} is not a scored question of this questionnaire"),
                );
            } else if !seen.insert(r.as_str()) {
                issues.push(format!("{path}[{i}]"), format!("{r:?} is listed twice"));
            } else {
                graph.entry(&question.id).or_default().push(r);
            }
        }
    }
    // Depth-first search for a cycle; report each cycle once, at the
    // question where it closes.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(
        node: &'a str,
        graph: &HashMap<&'a str, Vec<&'a str>>,
        marks: &mut HashMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
        cycles: &mut Vec<Vec<&'a str>>,
    ) {
        match marks.get(node) {
            Some(Mark::Done) => return,
            Some(Mark::Open) => {
                let start = stack.iter().position(|n| *n == node).unwrap_or(0);
                let mut cycle: Vec<&str> = stack.get(start..).unwrap_or_default().to_vec();
                cycle.push(node);
                cycles.push(cycle);
                return;
            }
            None => {}
        }
        marks.insert(node, Mark::Open);
        stack.push(node);
        for next in graph.get(node).map(Vec::as_slice).unwrap_or_default() {
            visit(next, graph, marks, stack, cycles);
        }
        stack.pop();
        marks.insert(node, Mark::Done);
    }
    let mut marks = HashMap::new();
    let mut cycles = Vec::new();
    for (_, question) in q.questions() {
        visit(
            &question.id,
            &graph,
            &mut marks,
            &mut Vec::new(),
            &mut cycles,
        );
    }
    for cycle in cycles {
        let at = cycle.first().copied().unwrap_or_default();
        issues.push(
            paths.get(at).cloned().unwrap_or_else(|| "$".into()),
            format!("prerequisites form a cycle: {}", cycle.join(" -> ")),
        );
    }
}

fn check_mappings(issues: &mut Issues, path: &str, q: &Question) {
    let t = controls::tables();
    let m = &q.mappings;
    let mpath = format!("{path}.mappings");
    for (i, id) in m.absc.iter().enumerate() {
        if !controls::shape::is_absc(id) {
            issues.push(
                format!("{mpath}.absc[{i}]"),
                format!("{id:?} is not an ABSC id such as \"ABSC 1.1.1\""),
            );
        } else if t.absc_level(id).is_none() {
            issues.push(
                format!("{mpath}.absc[{i}]"),
                format!("{id:?} is not an ABSC control of Circolare AgID 2/2017"),
            );
        }
    }
    for (i, id) in m.cis.iter().enumerate() {
        if !controls::shape::is_cis(id) {
            issues.push(
                format!("{mpath}.cis[{i}]"),
                format!("{id:?} is not a CIS safeguard id such as \"4.1\""),
            );
        } else if !t.cis.contains_key(id) {
            issues.push(
                format!("{mpath}.cis[{i}]"),
                format!("{id:?} is not a CIS Controls v8.1 safeguard"),
            );
        }
    }
    for (field, list, acn) in [("csf", &m.csf, false), ("acn", &m.acn, true)] {
        for (i, id) in list.iter().enumerate() {
            if !controls::shape::is_csf(id) {
                issues.push(
                    format!("{mpath}.{field}[{i}]"),
                    format!("{id:?} is not a subcategory id such as \"PR.AA-01\""),
                );
            } else if !t.is_csf(id) {
                issues.push(
                    format!("{mpath}.{field}[{i}]"),
                    format!("{id:?} is not a NIST CSF 2.0 subcategory"),
                );
            } else if acn && !t.acn.contains_key(id) {
                issues.push(
                    format!("{mpath}.{field}[{i}]"),
                    format!("{id:?} is not one of the ACN NIS basic measures"),
                );
            }
        }
    }
    if m.csf.is_empty() {
        issues.push(
            format!("{mpath}.csf"),
            "every question maps at least one NIST CSF 2.0 subcategory",
        );
    }

    // The gate stands for exactly the mandatory ABSC controls the question maps.
    let mandatory: BTreeSet<&str> = m
        .absc
        .iter()
        .filter(|id| t.absc_level(id) == Some(AbscLevel::M))
        .map(String::as_str)
        .collect();
    if q.central {
        // Run centrally: the office cannot meet or fail a gate on it.
        if q.baseline.is_some() {
            issues.push(
                format!("{path}.baseline"),
                "a question about central IT (central: true) carries no baseline gate",
            );
        }
        if q.essential.is_some() {
            issues.push(
                format!("{path}.essential"),
                "a question about central IT (central: true) carries no essential gate",
            );
        }
        return;
    }
    match &q.baseline {
        None if !mandatory.is_empty() => issues.push(
            format!("{path}.baseline"),
            format!(
                "the question maps mandatory ABSC controls ({}) and needs a baseline gate",
                mandatory.iter().copied().collect::<Vec<_>>().join(", ")
            ),
        ),
        None => {}
        Some(b) => {
            let bpath = format!("{path}.baseline");
            if !(1..=3).contains(&b.min_level) {
                issues.push(
                    format!("{bpath}.min_level"),
                    format!("min_level {} is out of range 1-3", b.min_level),
                );
            } else if b.min_level > q.target_level {
                issues.push(
                    format!("{bpath}.min_level"),
                    format!(
                        "min_level {} is above target_level {}",
                        b.min_level, q.target_level
                    ),
                );
            }
            let listed: BTreeSet<&str> = b.controls.iter().map(String::as_str).collect();
            if listed.is_empty() {
                issues.push(
                    format!("{bpath}.controls"),
                    "a baseline gate names at least one mandatory ABSC control",
                );
            }
            for (i, id) in b.controls.iter().enumerate() {
                if t.absc_level(id) != Some(AbscLevel::M) {
                    issues.push(
                        format!("{bpath}.controls[{i}]"),
                        format!("{id:?} is not a level-M (mandatory) ABSC control"),
                    );
                } else if !mandatory.contains(id.as_str()) {
                    issues.push(
                        format!("{bpath}.controls[{i}]"),
                        format!("{id:?} is not in mappings.absc"),
                    );
                }
            }
            for id in mandatory.difference(&listed) {
                issues.push(
                    format!("{bpath}.controls"),
                    format!("mandatory control {id:?} from mappings.absc is missing here"),
                );
            }
        }
    }
}

fn check_condition(
    issues: &mut Issues,
    path: &str,
    cond: &Condition,
    context: &HashMap<&str, HashSet<&str>>,
) {
    match cond {
        Condition::AnswerIn { question, options } => match context.get(question.as_str()) {
            None => issues.push(
                format!("{path}.answer_in.question"),
                format!("{question:?} is not a context question of this questionnaire"),
            ),
            Some(known) => {
                if options.is_empty() {
                    issues.push(
                        format!("{path}.answer_in.options"),
                        "lists no option".to_string(),
                    );
                }
                for (i, o) in options.iter().enumerate() {
                    if !known.contains(o.as_str()) {
                        issues.push(
                            format!("{path}.answer_in.options[{i}]"),
                            format!("{o:?} is not an option of context question {question:?}"),
                        );
                    }
                }
            }
        },
        Condition::All(inner) | Condition::Any(inner) => {
            let key = if matches!(cond, Condition::All(_)) {
                "all"
            } else {
                "any"
            };
            if inner.is_empty() {
                issues.push(format!("{path}.{key}"), "lists no condition".to_string());
            }
            for (i, c) in inner.iter().enumerate() {
                check_condition(issues, &format!("{path}.{key}[{i}]"), c, context);
            }
        }
        Condition::Not(inner) => check_condition(issues, &format!("{path}.not"), inner, context),
    }
}

/// Every problem of an answers file against the questionnaire it names.
///
/// The caller has already matched `sheet.questionnaire` to `q`.
pub fn answers_issues(sheet: &AnswerSheet, q: &Questionnaire) -> Vec<Issue> {
    let mut issues = Issues::default();
    if sheet.format != ANSWERS_FORMAT {
        issues.push(
            "$.format",
            format!(
                "unsupported format {:?}, expected {ANSWERS_FORMAT:?}",
                sheet.format
            ),
        );
    }
    if sheet.questionnaire.id != q.id || sheet.questionnaire.version != q.version {
        issues.push(
            "$.questionnaire",
            format!(
                "answers are for {} {}, not for {} {}",
                sheet.questionnaire.id, sheet.questionnaire.version, q.id, q.version
            ),
        );
    }

    let org = &sheet.organization;
    let name_chars = org.name.trim().chars().count();
    if name_chars == 0 || name_chars > 200 {
        issues.push(
            "$.organization.name",
            "the name must have 1 to 200 characters",
        );
    }
    if org.istat_code.len() != 6 || !org.istat_code.bytes().all(|b| b.is_ascii_digit()) {
        issues.push(
            "$.organization.istat_code",
            format!("{:?} is not a six-digit ISTAT code", org.istat_code),
        );
    }
    let p = org.province.as_bytes();
    if p.len() != 2 || !p.iter().all(u8::is_ascii_uppercase) {
        issues.push(
            "$.organization.province",
            format!(
                "{:?} is not a two-letter province abbreviation such as \"VT\"",
                org.province
            ),
        );
    }
    let region_chars = org.region.trim().chars().count();
    if region_chars == 0 || region_chars > 60 {
        issues.push(
            "$.organization.region",
            "the region must have 1 to 60 characters",
        );
    }
    if org.population == 0 || org.population > 5_000_000 {
        issues.push(
            "$.organization.population",
            format!("{} is not a plausible population", org.population),
        );
    }
    if org.kind != q.audience {
        issues.push(
            "$.organization.kind",
            format!("a {:?} cannot answer the {} questionnaire", org.kind, q.id),
        );
    }
    if let Some(role) = &sheet.assessor_role {
        if role.chars().count() > 200 {
            issues.push("$.assessor_role", "longer than 200 characters");
        }
    }

    for (id, option) in &sheet.context {
        match q.context_question(id) {
            None => issues.push(
                format!("$.context.{id}"),
                format!("{id:?} is not a context question of {} {}", q.id, q.version),
            ),
            Some(c) if !c.options.iter().any(|o| &o.id == option) => issues.push(
                format!("$.context.{id}"),
                format!("{option:?} is not an option of context question {id:?}"),
            ),
            Some(_) => {}
        }
    }
    for (id, answer) in &sheet.answers {
        match q.question(id) {
            None => issues.push(
                format!("$.answers.{id}"),
                format!("{id:?} is not a question of {} {}", q.id, q.version),
            ),
            Some(question) => {
                if question.option(&answer.option).is_none() {
                    issues.push(
                        format!("$.answers.{id}.option"),
                        format!("{:?} is not an option of question {id:?}", answer.option),
                    );
                }
                if let Some(note) = &answer.note {
                    if note.chars().count() > MAX_NOTE_CHARS {
                        issues.push(
                            format!("$.answers.{id}.note"),
                            format!("the note is longer than {MAX_NOTE_CHARS} characters"),
                        );
                    }
                }
            }
        }
    }
    issues.0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    const MINI: &str = include_str!("../tests/fixtures/questionnaires/mini.json");

    fn mini() -> Questionnaire {
        serde_json::from_str(MINI).expect("mini.json parses")
    }

    fn question<'a>(q: &'a mut Questionnaire, id: &str) -> &'a mut Question {
        q.domains
            .iter_mut()
            .flat_map(|d| d.questions.iter_mut())
            .find(|x| x.id == id)
            .expect("question")
    }

    fn messages(q: &Questionnaire) -> Vec<String> {
        questionnaire_issues(q)
            .into_iter()
            .map(|i| i.to_string())
            .collect()
    }

    #[test]
    fn the_fixture_is_valid() {
        assert_eq!(messages(&mini()), Vec::<String>::new());
    }

    #[test]
    fn prerequisites_must_exist_and_not_loop() {
        let mut q = mini();
        question(&mut q, "backup_weekly").action.requires = vec!["restore_test".into()];
        let m = messages(&q);
        assert!(
            m.iter().any(|x| x.contains("prerequisites form a cycle")
                && x.contains("backup_weekly")
                && x.contains("restore_test")),
            "{m:?}"
        );

        let mut q = mini();
        question(&mut q, "named_accounts").action.requires =
            vec!["named_accounts".into(), "nope".into()];
        let m = messages(&q);
        assert!(
            m.iter().any(|x| x.contains("cannot require itself")),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|x| x.contains("\"nope\" is not a scored question")
                    && x.contains("$.domains[1].questions[0].action.requires[1]")),
            "{m:?}"
        );
    }

    #[test]
    fn essential_gates_name_real_sources() {
        let mut q = mini();
        let x = question(&mut q, "restore_test");
        x.essential = Some(crate::model::EssentialGate {
            min_level: 3,
            sources: vec!["CIS 99.9".into(), "ACN XX.YY-01".into()],
        });
        let m = messages(&q);
        assert!(
            m.iter()
                .any(|x| x.contains("min_level 3 is above target_level 2")),
            "{m:?}"
        );
        assert!(
            m.iter().any(|x| x.contains("\"CIS 99.9\" is not a CIS")),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|x| x.contains("\"ACN XX.YY-01\" is not one of the ACN")),
            "{m:?}"
        );

        let mut q = mini();
        question(&mut q, "restore_test").essential = Some(crate::model::EssentialGate {
            min_level: 1,
            sources: vec![],
        });
        assert!(messages(&q)
            .iter()
            .any(|x| x.contains("names at least one source")));
    }

    #[test]
    fn central_items_carry_no_gate() {
        let mut q = mini();
        question(&mut q, "backup_weekly").central = true;
        let m = messages(&q);
        assert!(
            m.iter()
                .any(|x| x.contains("central IT (central: true) carries no baseline gate")),
            "{m:?}"
        );
        let x = question(&mut q, "backup_weekly");
        x.baseline = None;
        assert_eq!(messages(&q), Vec::<String>::new());
    }
}
