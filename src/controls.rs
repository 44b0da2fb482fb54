//! Reference tables of the baseline controls: ABSC ids with their level,
//! CIS v8.1 safeguards with their Implementation Group, NIST CSF 2.0
//! subcategories and the ACN NIS basic measures.
//!
//! The tables are data (`assets/reference/controls.json`), compiled in so the
//! binary is self-contained. A unit test checks the published counts.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const CONTROLS_JSON: &str = include_str!("../assets/reference/controls.json");

/// ABSC implementation level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum AbscLevel {
    /// Minimo: mandatory for every public administration.
    M,
    /// Standard.
    S,
    /// Alto.
    A,
}

/// The loaded reference tables.
#[derive(Debug, Default)]
pub struct ControlTables {
    /// `ABSC x.y.z` → level.
    pub absc: BTreeMap<String, AbscLevel>,
    /// CIS safeguard `x.y` → Implementation Group (1–3).
    pub cis: BTreeMap<String, u8>,
    /// CSF 2.0 subcategory ids.
    pub csf: Vec<String>,
    /// ACN NIS basic measures → (for important entities, for essential ones).
    pub acn: BTreeMap<String, (bool, bool)>,
}

#[derive(Deserialize)]
struct RawTables {
    absc: Vec<RawAbsc>,
    cis: Vec<RawCis>,
    csf: Vec<String>,
    acn: Vec<RawAcn>,
}

#[derive(Deserialize)]
struct RawAbsc {
    id: String,
    level: AbscLevel,
}

#[derive(Deserialize)]
struct RawCis {
    id: String,
    ig: u8,
}

#[derive(Deserialize)]
struct RawAcn {
    id: String,
    importanti: bool,
    essenziali: bool,
}

/// The reference tables (parsed once).
pub fn tables() -> &'static ControlTables {
    static TABLES: OnceLock<ControlTables> = OnceLock::new();
    TABLES.get_or_init(|| {
        // The data is compiled in and checked by `tests::counts_match_the_sources`;
        // an unreadable table would leave every id unknown, which validation reports.
        match serde_json::from_str::<RawTables>(CONTROLS_JSON) {
            Ok(raw) => ControlTables {
                absc: raw.absc.into_iter().map(|a| (a.id, a.level)).collect(),
                cis: raw.cis.into_iter().map(|c| (c.id, c.ig)).collect(),
                csf: raw.csf,
                acn: raw
                    .acn
                    .into_iter()
                    .map(|a| (a.id, (a.importanti, a.essenziali)))
                    .collect(),
            },
            Err(_) => ControlTables::default(),
        }
    })
}

impl ControlTables {
    /// The ABSC level of a control id, if known.
    pub fn absc_level(&self, id: &str) -> Option<AbscLevel> {
        self.absc.get(id).copied()
    }

    /// The 45 ABSC level-M (mandatory) ids.
    pub fn absc_mandatory(&self) -> impl Iterator<Item = &str> {
        self.absc
            .iter()
            .filter(|(_, l)| **l == AbscLevel::M)
            .map(|(id, _)| id.as_str())
    }

    /// The 56 CIS IG1 safeguard ids.
    pub fn cis_ig1(&self) -> impl Iterator<Item = &str> {
        self.cis
            .iter()
            .filter(|(_, ig)| **ig == 1)
            .map(|(id, _)| id.as_str())
    }

    /// Whether a CSF 2.0 subcategory id exists.
    pub fn is_csf(&self, id: &str) -> bool {
        self.csf.iter().any(|c| c == id)
    }
}

/// Shape checks, separate from existence, so messages can say which is wrong.
pub mod shape {
    /// `ABSC 1.2.3`
    pub fn is_absc(id: &str) -> bool {
        id.strip_prefix("ABSC ")
            .map(|rest| dotted_numbers(rest, 3))
            .unwrap_or(false)
    }

    /// `12.3`
    pub fn is_cis(id: &str) -> bool {
        dotted_numbers(id, 2)
    }

    /// `PR.AA-01`
    pub fn is_csf(id: &str) -> bool {
        let b = id.as_bytes();
        b.len() == 8
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2] == b'.'
            && b[3..5].iter().all(u8::is_ascii_uppercase)
            && b[5] == b'-'
            && b[6..].iter().all(u8::is_ascii_digit)
    }

    fn dotted_numbers(s: &str, parts: usize) -> bool {
        let pieces: Vec<&str> = s.split('.').collect();
        pieces.len() == parts
            && pieces
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_the_sources() {
        let t = tables();
        assert_eq!(t.absc.len(), 121);
        assert_eq!(t.absc_mandatory().count(), 45);
        assert_eq!(t.absc.values().filter(|l| **l == AbscLevel::S).count(), 44);
        assert_eq!(t.absc.values().filter(|l| **l == AbscLevel::A).count(), 32);
        assert_eq!(t.cis.len(), 153);
        assert_eq!(t.cis_ig1().count(), 56);
        assert_eq!(t.csf.len(), 106);
        assert_eq!(t.acn.len(), 43);
        assert_eq!(t.acn.values().filter(|(i, _)| *i).count(), 37);
    }

    #[test]
    fn every_id_is_well_formed() {
        let t = tables();
        assert!(t.absc.keys().all(|id| shape::is_absc(id)));
        assert!(t.cis.keys().all(|id| shape::is_cis(id)));
        assert!(t.csf.iter().all(|id| shape::is_csf(id)));
        assert!(t.acn.keys().all(|id| t.is_csf(id)));
    }

    #[test]
    fn shapes() {
        assert!(shape::is_absc("ABSC 10.1.1"));
        assert!(!shape::is_absc("ABSC 10.1"));
        assert!(!shape::is_absc("10.1.1"));
        assert!(shape::is_cis("14.8"));
        assert!(!shape::is_cis("14"));
        assert!(shape::is_csf("GV.OC-03"));
        assert!(!shape::is_csf("GV.OC-3"));
    }
}
