//! Helpers shared by the store tests (store_api, store_files, crash, cli_db).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sentinella::load::{self, Catalog};
use sentinella::model::{Audience, Organization, QuestionnaireRef};
use sentinella::store::NewAssessment;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn catalog() -> Catalog {
    let mut c = Catalog::default();
    c.insert(load::questionnaire_file(&fixtures().join("questionnaires/mini.json")).unwrap());
    c
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
