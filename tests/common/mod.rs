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

/// Run an external tool (poppler's `pdftotext`, `pdffonts`, `pdfinfo`;
/// `qpdf`), assert it succeeded and return its standard output.
pub fn run(tool: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {tool} (poppler-utils and qpdf are installed by scripts/test.sh): {e}"
            )
        });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `qpdf --check` passes and every font is an embedded Unicode subset of
/// Titillium Web (`pdffonts`); `what` names the document in messages.
pub fn assert_clean_pdf(path: &str, what: &str) {
    run("qpdf", &["--check", path]);
    let fonts = run("pdffonts", &[path]);
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "{what}: no fonts listed");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... encoding emb sub uni object ID
        let n = cols.len();
        assert!(n >= 6, "{row}");
        let (emb, sub, uni) = (cols[n - 5], cols[n - 4], cols[n - 3]);
        assert_eq!((emb, sub, uni), ("yes", "yes", "yes"), "{what}: {row}");
        let name = cols[0];
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+' && name.contains("TitilliumWeb"),
            "{what}: font name {name}"
        );
    }
}
