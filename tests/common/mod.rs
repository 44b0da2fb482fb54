//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use sentinella::load::{self, Catalog, LoadedAnswers};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built-in questionnaires plus the test fixtures.
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
