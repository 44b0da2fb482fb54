//! The worked examples of docs/scoring.md: every ```check block names an
//! answers file and the numbers the model must produce.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use sentinella::{plan, scoring};

#[test]
fn worked_examples_of_the_scoring_doc_hold() {
    let doc = std::fs::read_to_string(common::root().join("docs/scoring.md")).unwrap();
    let blocks: Vec<&str> = doc
        .split("```check\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(
        blocks.len() >= 4,
        "docs/scoring.md needs at least four worked examples"
    );
    for block in blocks {
        let field = |name: &str| -> Option<String> {
            block
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name}:")))
                .map(|v| v.trim().to_string())
        };
        let file = field("answers").expect("answers line");
        let loaded = common::answers(&file);
        let q = &loaded.questionnaire.questionnaire;
        let score = scoring::score(q, &loaded.sheet);
        let plan = plan::build(q, &loaded.sheet, &score);
        let ctx = format!("example {file}");

        let overall: f64 = field("overall").unwrap().parse().unwrap();
        assert_eq!(scoring::round1(score.overall), overall, "{ctx}: overall");
        assert_eq!(score.tier.id(), field("tier").unwrap(), "{ctx}: tier");
        if let Some(uncapped) = field("uncapped_tier") {
            assert_eq!(score.uncapped_tier.id(), uncapped, "{ctx}: uncapped tier");
        }
        for line in block.lines().filter(|l| l.starts_with("domain ")) {
            let (id, value) = line["domain ".len()..].split_once(':').unwrap();
            let expected: f64 = value.trim().parse().unwrap();
            let got = score.domain(id.trim()).and_then(|d| d.score).unwrap();
            assert_eq!(scoring::round1(got), expected, "{ctx}: domain {id}");
        }
        assert_eq!(
            score.baseline.met.to_string(),
            field("baseline_met").unwrap(),
            "{ctx}: baseline"
        );
        let list = |name: &str| -> Vec<String> {
            field(name)
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect()
        };
        assert_eq!(score.baseline.failed, list("failed"), "{ctx}: failed gates");
        assert_eq!(
            score.essential.failed,
            list("essential_failed"),
            "{ctx}: failed essential gates"
        );
        assert_eq!(score.unknown, list("unknown"), "{ctx}: unknown");
        let order: Vec<String> = plan.actions.iter().map(|a| a.question_id.clone()).collect();
        assert_eq!(order, list("plan"), "{ctx}: plan order");
        assert_eq!(
            plan.supplier_questions.len(),
            score.unknown.len(),
            "{ctx}: one supplier question per Non so"
        );
    }
}
