//! The checked-in JSON Schemas must match the Rust types they are generated
//! from. Regenerate with `SENTINELLA_BLESS=1 cargo test --test schema`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

#[test]
fn checked_in_schemas_match_the_types() {
    let dir = common::root().join("questionnaires/schema");
    let bless = std::env::var_os("SENTINELLA_BLESS").is_some();
    for (name, generated) in sentinella::schema::all() {
        let path = dir.join(name);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "{} is out of date with the Rust types; run SENTINELLA_BLESS=1 cargo test --test schema",
            path.display()
        );
    }
}

#[test]
fn every_questionnaire_file_passes_the_schema_shape() {
    // The schema forbids unknown fields; the loader does too. Loading every
    // shipped file through the typed model proves the files fit the schema.
    let dir = common::root().join("questionnaires");
    for path in sentinella::load::json_files(&dir).unwrap() {
        sentinella::load::questionnaire_file(&path).unwrap_or_else(|e| panic!("{e}"));
    }
}
