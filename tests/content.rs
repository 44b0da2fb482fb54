//! Checks of the questionnaire content (issue "Questionnaire content"):
//! coverage of the baselines, completeness of every question, Italian
//! spelling (hunspell-it) and readability (Gulpease index).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::Arc;

use sentinella::controls;
use sentinella::model::{Questionnaire, SpecialAnswer};

fn shipped(id: &str) -> Arc<Questionnaire> {
    let path = common::root()
        .join("questionnaires")
        .join(format!("{id}.json"));
    sentinella::load::questionnaire_file(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .questionnaire
}

fn all_shipped() -> Vec<Arc<Questionnaire>> {
    vec![shipped("comune"), shipped("sportello-polis")]
}

#[test]
fn comune_maps_every_mandatory_absc_control_and_every_cis_ig1_safeguard() {
    let q = shipped("comune");
    let t = controls::tables();
    let absc: BTreeSet<&str> = q
        .questions()
        .flat_map(|(_, x)| x.mappings.absc.iter().map(String::as_str))
        .collect();
    let cis: BTreeSet<&str> = q
        .questions()
        .flat_map(|(_, x)| x.mappings.cis.iter().map(String::as_str))
        .collect();
    let missing_absc: Vec<&str> = t.absc_mandatory().filter(|id| !absc.contains(id)).collect();
    let missing_cis: Vec<&str> = t.cis_ig1().filter(|id| !cis.contains(id)).collect();
    assert!(
        missing_absc.is_empty(),
        "ABSC level-M controls not mapped by comune.json: {missing_absc:?}"
    );
    assert!(
        missing_cis.is_empty(),
        "CIS IG1 safeguards not mapped by comune.json: {missing_cis:?}"
    );
    let csf: BTreeSet<&str> = q
        .questions()
        .flat_map(|(_, x)| x.mappings.csf.iter().map(String::as_str))
        .collect();
    let acn: BTreeSet<&str> = q
        .questions()
        .flat_map(|(_, x)| x.mappings.acn.iter().map(String::as_str))
        .collect();
    println!(
        "comune.json coverage: ABSC M {}/45, ABSC all {}, CIS IG1 {}/56, CSF subcategories {}, ACN measures {}",
        t.absc_mandatory().filter(|id| absc.contains(id)).count(),
        absc.len(),
        t.cis_ig1().filter(|id| cis.contains(id)).count(),
        csf.len(),
        acn.len()
    );
}

#[test]
fn sizes_match_the_brief() {
    let c = shipped("comune");
    assert!(
        (10..=12).contains(&c.domains.len()),
        "comune domains: {}",
        c.domains.len()
    );
    assert!(
        (50..=75).contains(&c.question_count()),
        "comune questions: {}",
        c.question_count()
    );
    assert!(
        (6..=10).contains(&c.context.len()),
        "comune context questions: {}",
        c.context.len()
    );
    let p = shipped("sportello-polis");
    assert!(
        (8..=12).contains(&p.domains.len()),
        "polis domains: {}",
        p.domains.len()
    );
    assert!(
        (25..=45).contains(&p.question_count()),
        "polis questions: {}",
        p.question_count()
    );
    for q in [&c, &p] {
        for d in &q.domains {
            println!("{} / {}: {} questions", q.id, d.id, d.questions.len());
        }
    }
}

#[test]
fn every_question_is_complete() {
    let mut problems = Vec::new();
    for q in all_shipped() {
        for (_, x) in q.questions() {
            let at = format!("{}:{}", q.id, x.id);
            let levelled = x.options.iter().filter(|o| o.level.is_some()).count();
            let unknown = x
                .options
                .iter()
                .filter(|o| o.kind == Some(SpecialAnswer::Unknown))
                .count();
            if !(3..=5).contains(&levelled) {
                problems.push(format!("{at}: {levelled} levelled options (3-5 wanted)"));
            }
            if unknown != 1 || x.unknown_option().is_none_or(|o| o.label != "Non so") {
                problems.push(format!("{at}: needs exactly one \"Non so\""));
            }
            if let Some(na) = x
                .options
                .iter()
                .find(|o| o.kind == Some(SpecialAnswer::NotApplicable))
            {
                if na.label != "Non applicabile" {
                    problems.push(format!(
                        "{at}: the not-applicable option must read \"Non applicabile\""
                    ));
                }
            }
            if x.help.split_whitespace().count() < 12 {
                problems.push(format!(
                    "{at}: help text too short to explain why it matters"
                ));
            }
            if !x.text.trim_end().ends_with('?') {
                problems.push(format!("{at}: the question text should end with '?'"));
            }
            let a = &x.action;
            if !(2..=4).contains(&a.steps.len()) {
                problems.push(format!("{at}: {} action steps (2-4 wanted)", a.steps.len()));
            }
            for (name, text) in [
                ("title", &a.title),
                ("why", &a.why),
                ("supplier_question", &a.supplier_question),
            ] {
                if text.trim().len() < 10 {
                    problems.push(format!("{at}: action {name} missing or too short"));
                }
            }
            if a.title.chars().count() > 70 {
                problems.push(format!("{at}: action title longer than 70 characters"));
            }
            if x.mappings.csf.is_empty() {
                problems.push(format!("{at}: no CSF mapping"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every user-facing Italian string of a questionnaire, with where it is.
fn texts(q: &Questionnaire) -> Vec<(String, String)> {
    let mut out = vec![
        ("title".into(), q.title.clone()),
        ("description".into(), q.description.clone()),
    ];
    for c in &q.context {
        out.push((format!("{}.text", c.id), c.text.clone()));
        out.push((format!("{}.help", c.id), c.help.clone()));
        for o in &c.options {
            out.push((format!("{}.{}", c.id, o.id), o.label.clone()));
        }
    }
    for d in &q.domains {
        out.push((format!("{}.title", d.id), d.title.clone()));
        out.push((format!("{}.description", d.id), d.description.clone()));
        for x in &d.questions {
            out.push((format!("{}.text", x.id), x.text.clone()));
            out.push((format!("{}.help", x.id), x.help.clone()));
            for o in &x.options {
                out.push((format!("{}.{}", x.id, o.id), o.label.clone()));
            }
            let a = &x.action;
            out.push((format!("{}.action.title", x.id), a.title.clone()));
            out.push((format!("{}.action.why", x.id), a.why.clone()));
            out.push((
                format!("{}.action.supplier_question", x.id),
                a.supplier_question.clone(),
            ));
            for s in &a.steps {
                out.push((format!("{}.action.steps", x.id), s.clone()));
            }
            if let Some(n) = &x.facilitator_note {
                out.push((format!("{}.facilitator_note", x.id), n.clone()));
            }
        }
    }
    out
}

#[test]
fn italian_spelling_passes_hunspell() {
    let accepted_path = common::root().join("questionnaires/accepted-words.txt");
    let accepted: BTreeSet<String> = std::fs::read_to_string(&accepted_path)
        .unwrap_or_else(|e| panic!("{}: {e}", accepted_path.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let mut unknown = BTreeSet::new();
    for q in all_shipped() {
        let text: String = texts(&q).into_iter().map(|(_, t)| t + "\n").collect();
        let mut child = Command::new("hunspell")
            .args(["-d", "it_IT", "-l"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("hunspell with the Italian dictionary is needed (scripts/test.sh installs hunspell hunspell-it)");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "hunspell failed: is hunspell-it installed?"
        );
        for w in String::from_utf8_lossy(&out.stdout).split_whitespace() {
            if !accepted.contains(w) {
                unknown.insert(format!("{} ({})", w, q.id));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "words hunspell-it does not know (fix them, or add reviewed ones to questionnaires/accepted-words.txt):\n{}",
        unknown.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// Gulpease index: 89 + (300 · sentences − 10 · letters) / words.
pub fn gulpease(text: &str) -> f64 {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let letters: usize = words.iter().map(|w| w.chars().count()).sum();
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = 0;
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| n.is_whitespace()) {
            sentences += 1;
        }
    }
    let sentences = sentences.max(1) as f64;
    89.0 + (300.0 * sentences - 10.0 * letters as f64) / (words.len().max(1) as f64)
}

#[test]
fn gulpease_of_a_known_text() {
    // 2 sentences, 10 words, 39 letters: 89 + (600 - 390) / 10 = 110.
    assert!((gulpease("Il gatto dorme sul letto. Il cane corre nel prato.") - 110.0).abs() < 1e-9);
}

#[test]
fn every_question_and_help_text_is_readable() {
    let mut low = Vec::new();
    for q in all_shipped() {
        let mut values = Vec::new();
        for (_, x) in q.questions() {
            for (what, t) in [("text", &x.text), ("help", &x.help)] {
                let g = gulpease(t);
                values.push(g);
                if g < 40.0 {
                    low.push(format!("{}:{}.{what} = {g:.1}: {t}", q.id, x.id));
                }
            }
        }
        values.sort_by(f64::total_cmp);
        let median = values[values.len() / 2];
        println!(
            "{}: Gulpease median {median:.1}, lowest {:.1} over {} texts",
            q.id,
            values[0],
            values.len()
        );
        if median < 55.0 {
            low.push(format!("{}: Gulpease median {median:.1} below 55", q.id));
        }
    }
    assert!(
        low.is_empty(),
        "texts below Gulpease 40, or a median below 55:\n{}",
        low.join("\n")
    );
}
