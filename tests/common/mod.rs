//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sentinella::load::{self, Catalog, LoadedAnswers};
use sentinella::model::{Audience, Organization, QuestionnaireRef};
use sentinella::store::NewAssessment;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The built-in questionnaires plus the test fixtures (including `mini`).
pub fn catalog() -> Catalog {
    let (mut catalog, errors) = Catalog::builtin();
    assert!(
        errors.is_empty(),
        "built-in questionnaires invalid: {errors:?}"
    );
    catalog
        .add_dir(&root().join("tests/fixtures/questionnaires"))
        .expect("fixtures load");
    catalog
}

/// Load an answers file relative to the repository root.
pub fn answers(rel: &str) -> LoadedAnswers {
    load::answers_file(&root().join(rel), &catalog()).unwrap_or_else(|e| panic!("{e}"))
}

/// Run the `sentinella` binary.
pub fn sentinella(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sentinella"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run sentinella")
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

pub fn org() -> Organization {
    Organization {
        name: "Comune di Prova".into(),
        istat_code: "056044".into(),
        province: "VT".into(),
        region: "Lazio".into(),
        population: 605,
        kind: Audience::Comune,
    }
}

pub fn new_assessment(catalog: &Catalog, day: &str) -> NewAssessment {
    let entry = catalog.get("mini", "1.0.0").unwrap();
    NewAssessment {
        organization: org(),
        questionnaire: QuestionnaireRef {
            id: "mini".into(),
            version: "1.0.0".into(),
        },
        content_hash: entry.content_hash.clone(),
        assessor_role: Some("Segretario comunale".into()),
        assessed_on: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
    }
}

/// Every file of a directory with its length and a hash of its bytes,
/// sorted by name (recursive).
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, usize, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::hash::Hash::hash(&bytes, &mut h);
                out.push((p, bytes.len(), std::hash::Hasher::finish(&h)));
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
