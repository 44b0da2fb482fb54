//! The coordinator's dashboard with and without the records verified at
//! import (usecase::aggregate::VerifiedCache), on a folder made by
//! `gen_results`:
//!
//! ```sh
//! cargo run --release --example gen_results -- /tmp/r 8000
//! cargo run --release --example bench_dashboard -- /tmp/r
//! ```
//!
//! Prints lines starting with BENCH: the import, then the Italy dashboard
//! (figures of the whole country) verifying every stored file again (what
//! each view did before), with the records kept at import, and in a fresh
//! process (nothing kept yet).
#![allow(clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use sentinella::aggregate::{AggregateOptions, Scope};
use sentinella::coordinator::CoordinatorDb;
use sentinella::istat::IstatList;
use sentinella::load::{self, Catalog};
use sentinella::usecase::aggregate::{self, VerifiedCache};
use sentinella::usecase::collect;

fn main() -> Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .context("usage: bench_dashboard <dir>")?,
    );
    let (mut catalog, _) = Catalog::builtin();
    catalog.add_dir(&dir.join("questionnaires"))?;
    let files = load::json_files(&dir.join("results"))?;
    let work = tempfile_dir()?;
    let mut db = CoordinatorDb::open(&work.join("coord.db"))?;
    let list = IstatList::builtin()?;
    let mut cache = VerifiedCache::default();
    let t = Instant::now();
    collect::collect(
        &mut db,
        &files,
        &catalog,
        &BTreeSet::new(),
        Some(&mut cache),
        |_| {},
    )?;
    println!(
        "BENCH import of {} files: {:.2} s",
        files.len(),
        t.elapsed().as_secs_f64()
    );
    let italy = |g: &aggregate::Gathered| {
        aggregate::reports(g, list, &Scope::Italy, AggregateOptions::default())
    };
    let t = Instant::now();
    let full = italy(&aggregate::gather_db(&db, &catalog)?);
    let verify_all = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let kept = italy(&cache.gather(&db, &catalog)?);
    let with_kept = t.elapsed().as_secs_f64();
    assert_eq!(full, kept, "the same figures");
    let t = Instant::now();
    let mut fresh = VerifiedCache::default();
    italy(&fresh.gather(&db, &catalog)?);
    let first = t.elapsed().as_secs_f64();
    let t = Instant::now();
    italy(&fresh.gather(&db, &catalog)?);
    let second = t.elapsed().as_secs_f64();
    println!(
        "BENCH Italy dashboard, {} files: verifying every file {verify_all:.2} s; with the records kept at import {with_kept:.3} s; fresh process: first view {first:.2} s, next view {second:.3} s",
        files.len()
    );
    std::fs::remove_dir_all(&work)?;
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("sentinella-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
