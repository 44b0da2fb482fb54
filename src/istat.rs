//! The ISTAT list of Italian comuni, compiled into the binary from
//! `assets/istat/comuni.csv`, with the successors of the comuni suppressed
//! since the list Sentinella shipped before (`assets/istat/successori.csv`;
//! sources, licence and how to regenerate both: `assets/istat/README.md`).
//!
//! Pure data: the list is parsed once, on first use, and then looked up by
//! ISTAT code, region, province or name prefix (the app's type-ahead). The
//! coordinators' aggregation uses it to know every comune of an area, and so
//! who is missing; [`IstatList::resolve`] takes the code of a merged comune
//! to the comune it is part of today.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ids::IstatCode;

/// The compiled-in CSV.
pub const COMUNI_CSV: &str = include_str!("../assets/istat/comuni.csv");

/// The compiled-in successors of suppressed comuni.
pub const SUCCESSORS_CSV: &str = include_str!("../assets/istat/successori.csv");

/// The date of the copy of the ISTAT list compiled in (ISTAT updates the
/// file after each change; this is the copy the list was built from).
pub const LIST_DATE: &str = "2024-12-04";

/// Credit line for outputs that use the list.
pub const ATTRIBUTION: &str =
    "Elenco dei comuni: ISTAT, copia del 4 dicembre 2024; popolazione legale al 31 dicembre 2021 \
     (censimento permanente, DPR 20 gennaio 2023; per i comuni nati da fusioni, somma dei comuni \
     d'origine; per Montecopiolo e Sassofeltrio, censimento 2011); licenza CC BY 4.0";

/// One comune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comune {
    /// Six-digit ISTAT code (`056044`).
    pub istat_code: String,
    /// Name in Italian.
    pub name: String,
    /// Province abbreviation (`VT`).
    pub province: String,
    /// Province (or metropolitan city) name (`Viterbo`).
    pub province_name: String,
    /// Region, as ISTAT writes it (`Trentino-Alto Adige/Südtirol`).
    pub region: String,
    /// Legal population of the comune's present territory (for a comune
    /// merged since, the sum of the comuni it was made of), from the census
    /// of [`Self::population_census`].
    pub population: u32,
    /// The census the population comes from: 2021 (ISTAT's permanent
    /// census, population at 31 December 2021, the legal population of DPR
    /// 20 January 2023) or, for the few comuni that source lacks, 2011.
    pub population_census: u16,
}

/// How the successor of a suppressed comune is known (the `basis` column of
/// `assets/istat/successori.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuccessionBasis {
    /// ISTAT's list of suppressed comuni, with the date of the change.
    IstatSoppressi,
    /// The same cadastral code under a new ISTAT code (a change of province).
    CodiceCatastale,
    /// Suppressed after ISTAT's file was issued; the only comune born in the
    /// same province between the two lists.
    UnicoNuovoComune,
}

/// A suppressed comune (or an old code) and the comune that took its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Succession {
    /// The code that is no longer in use.
    pub old_code: IstatCode,
    /// The name under that code.
    pub old_name: String,
    /// The code that took its place.
    pub successor_code: IstatCode,
    /// When, if the source says.
    pub since: Option<NaiveDate>,
    /// How it is known.
    pub basis: SuccessionBasis,
}

/// A code resolved to the comune it belongs to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution<'a> {
    /// The comune of today.
    pub comune: &'a Comune,
    /// The change that took the code there (the first one, for a chain);
    /// None when the code is current.
    pub succession: Option<&'a Succession>,
}

/// Longest chain of successions followed (a code suppressed into one later
/// suppressed itself…); the list refuses longer chains and loops.
pub const MAX_SUCCESSION_CHAIN: usize = 16;

impl Comune {
    /// Where [`Self::population`] comes from, as a reader is told (Italian).
    pub fn population_source(&self) -> &'static str {
        if self.population_census == 2011 {
            "popolazione legale ISTAT, censimento 2011"
        } else {
            "popolazione legale ISTAT al 31 dicembre 2021"
        }
    }

    /// The three-digit ISTAT province code (`056`), the first three digits
    /// of the comune's code.
    pub fn province_code(&self) -> &str {
        self.istat_code.get(..3).unwrap_or("")
    }
}

/// The list could not be read (a packaging defect for the compiled-in list;
/// a test guards against it).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum IstatError {
    /// A row does not parse.
    #[error("ISTAT list, line {line}: {message}")]
    Row {
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The same code appears twice.
    #[error("ISTAT list: code {0} appears more than once")]
    Duplicate(String),
    /// A row of the successors does not parse.
    #[error("ISTAT successors, line {line}: {message}")]
    SuccessionRow {
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A succession that does not lead to a comune of the list: the old
    /// code is still current, the chain loops or ends at an unknown code.
    #[error("ISTAT successors: code {0} does not lead to exactly one comune of the list")]
    BadSuccession(String),
}

/// A province of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Province {
    /// Abbreviation (`VT`).
    pub abbreviation: String,
    /// Three-digit ISTAT code (`056`).
    pub code: String,
    /// Name (`Viterbo`).
    pub name: String,
    /// Its region.
    pub region: String,
}

/// The list of comuni, sorted by ISTAT code.
#[derive(Debug, Clone)]
pub struct IstatList {
    comuni: Vec<Comune>,
    /// Sorted by old code, each leading to a comune of `comuni`.
    successions: Vec<Succession>,
}

static BUILTIN: OnceLock<Result<IstatList, IstatError>> = OnceLock::new();

impl IstatList {
    /// The compiled-in list, parsed on first use.
    pub fn builtin() -> Result<&'static IstatList, IstatError> {
        BUILTIN
            .get_or_init(|| {
                IstatList::from_csv(COMUNI_CSV)
                    .and_then(|list| list.with_successions_csv(SUCCESSORS_CSV))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse a list in the format of `assets/istat/comuni.csv`.
    ///
    /// The rows are read into one reused record and their fields taken by
    /// column: serde's deserialization of each row took twice as long, and
    /// this list is parsed on the way to the first plan PDF.
    pub fn from_csv(text: &str) -> Result<IstatList, IstatError> {
        const COLUMNS: [&str; 7] = [
            "istat_code",
            "name",
            "province",
            "province_name",
            "region",
            "population",
            "population_census",
        ];
        let csv_error = |e: csv::Error| IstatError::Row {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        };
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.byte_headers().map_err(csv_error)?;
        // Where each column is; every column once, no other.
        let mut at = [usize::MAX; COLUMNS.len()];
        for (i, name) in headers.iter().enumerate() {
            let name = String::from_utf8_lossy(name);
            let Some(c) = COLUMNS.iter().position(|c| *c == name) else {
                return Err(IstatError::Row {
                    line: 1,
                    message: format!("unknown column {name:?}"),
                });
            };
            if at[c] != usize::MAX {
                return Err(IstatError::Row {
                    line: 1,
                    message: format!("column {name:?} appears twice"),
                });
            }
            at[c] = i;
        }
        if let Some(c) = at.iter().position(|&i| i == usize::MAX) {
            return Err(IstatError::Row {
                line: 1,
                message: format!("missing column {:?}", COLUMNS[c]),
            });
        }
        let mut record = csv::ByteRecord::new();
        let mut comuni = Vec::with_capacity(text.len() / 40);
        while reader.read_byte_record(&mut record).map_err(csv_error)? {
            let line = record.position().map_or(0, |p| p.line());
            let field = |c: usize| -> Result<&str, IstatError> {
                let bytes = record.get(at[c]).unwrap_or_default();
                std::str::from_utf8(bytes).map_err(|_| IstatError::Row {
                    line,
                    message: format!("column {} is not UTF-8", COLUMNS[c]),
                })
            };
            let number = |c: usize| -> Result<u64, IstatError> {
                let text = field(c)?;
                text.parse().map_err(|e| IstatError::Row {
                    line,
                    message: format!("column {}: {text:?}: {e}", COLUMNS[c]),
                })
            };
            let too_large = |c: usize| IstatError::Row {
                line,
                message: format!("column {}: too large", COLUMNS[c]),
            };
            let comune = Comune {
                istat_code: field(0)?.to_string(),
                name: field(1)?.to_string(),
                province: field(2)?.to_string(),
                province_name: field(3)?.to_string(),
                region: field(4)?.to_string(),
                population: u32::try_from(number(5)?).map_err(|_| too_large(5))?,
                population_census: u16::try_from(number(6)?).map_err(|_| too_large(6))?,
            };
            if comune.istat_code.len() != 6
                || !comune.istat_code.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(IstatError::Row {
                    line: comuni.len() as u64 + 2,
                    message: format!("bad ISTAT code {:?}", comune.istat_code),
                });
            }
            comuni.push(comune);
        }
        IstatList::from_comuni(comuni)
    }

    /// A list from rows (tests, or a newer list loaded by a coordinator).
    pub fn from_comuni(mut comuni: Vec<Comune>) -> Result<IstatList, IstatError> {
        comuni.sort_by(|a, b| a.istat_code.cmp(&b.istat_code));
        if let Some(w) = comuni
            .windows(2)
            .find(|w| w.first().map(|c| &c.istat_code) == w.get(1).map(|c| &c.istat_code))
        {
            let code = w.first().map(|c| c.istat_code.clone()).unwrap_or_default();
            return Err(IstatError::Duplicate(code));
        }
        Ok(IstatList {
            comuni,
            successions: Vec::new(),
        })
    }

    /// The list with the successions of `assets/istat/successori.csv`'s
    /// format added.
    pub fn with_successions_csv(self, text: &str) -> Result<IstatList, IstatError> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut successions = Vec::new();
        for row in reader.deserialize::<Succession>() {
            successions.push(row.map_err(|e| IstatError::SuccessionRow {
                line: e.position().map_or(0, |p| p.line()),
                message: e.to_string(),
            })?);
        }
        self.with_successions(successions)
    }

    /// The list with these successions: each old code must be out of the
    /// list and lead, in at most [`MAX_SUCCESSION_CHAIN`] steps, to a comune
    /// of the list.
    pub fn with_successions(
        mut self,
        mut successions: Vec<Succession>,
    ) -> Result<IstatList, IstatError> {
        successions.sort_by(|a, b| a.old_code.cmp(&b.old_code));
        if let Some(w) = successions
            .windows(2)
            .find(|w| w.first().map(|s| &s.old_code) == w.get(1).map(|s| &s.old_code))
        {
            let code = w
                .first()
                .map(|s| s.old_code.to_string())
                .unwrap_or_default();
            return Err(IstatError::Duplicate(code));
        }
        self.successions = successions;
        for s in &self.successions {
            if self.get(s.old_code.as_str()).is_some()
                || self.resolve(s.old_code.as_str()).is_none()
            {
                return Err(IstatError::BadSuccession(s.old_code.to_string()));
            }
        }
        Ok(self)
    }

    /// The successions known to the list, by old code.
    pub fn successions(&self) -> &[Succession] {
        &self.successions
    }

    /// The comune a code belongs to today: the comune itself when the code
    /// is current, else the comune that took its place (following a chain
    /// of changes). None for a code neither current nor known as suppressed.
    pub fn resolve(&self, istat_code: &str) -> Option<Resolution<'_>> {
        if let Some(comune) = self.get(istat_code) {
            return Some(Resolution {
                comune,
                succession: None,
            });
        }
        let first = self.succession(istat_code)?;
        let mut next = first;
        for _ in 0..MAX_SUCCESSION_CHAIN {
            let code = next.successor_code.as_str();
            if let Some(comune) = self.get(code) {
                return Some(Resolution {
                    comune,
                    succession: Some(first),
                });
            }
            next = self.succession(code)?;
        }
        None
    }

    fn succession(&self, old_code: &str) -> Option<&Succession> {
        self.successions
            .binary_search_by(|s| s.old_code.as_str().cmp(old_code))
            .ok()
            .and_then(|i| self.successions.get(i))
    }

    /// Every comune, sorted by code.
    pub fn all(&self) -> &[Comune] {
        &self.comuni
    }

    /// Number of comuni.
    pub fn len(&self) -> usize {
        self.comuni.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.comuni.is_empty()
    }

    /// A comune by its six-digit ISTAT code.
    pub fn get(&self, istat_code: &str) -> Option<&Comune> {
        self.comuni
            .binary_search_by(|c| c.istat_code.as_str().cmp(istat_code))
            .ok()
            .and_then(|i| self.comuni.get(i))
    }

    /// The region names, sorted.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self.comuni.iter().map(|c| c.region.as_str()).collect();
        regions.sort_unstable();
        regions.dedup();
        regions
    }

    /// The provinces, sorted by code.
    pub fn provinces(&self) -> Vec<Province> {
        let mut by_code: BTreeMap<&str, Province> = BTreeMap::new();
        for c in &self.comuni {
            by_code
                .entry(c.province_code())
                .or_insert_with(|| Province {
                    abbreviation: c.province.clone(),
                    code: c.province_code().to_string(),
                    name: c.province_name.clone(),
                    region: c.region.clone(),
                });
        }
        by_code.into_values().collect()
    }

    /// The canonical name of a region from what a user typed: the exact
    /// name, or either part of a bilingual name (`Trentino-Alto Adige`,
    /// `Südtirol`), ignoring case and accents.
    pub fn find_region(&self, query: &str) -> Option<&str> {
        let wanted = fold(query);
        if wanted.is_empty() {
            return None;
        }
        self.regions()
            .into_iter()
            .find(|r| fold(r) == wanted || r.split('/').any(|part| fold(part) == wanted))
    }

    /// A province from its abbreviation (`VT`), three-digit code (`056`) or
    /// name (`Viterbo`), ignoring case and accents.
    pub fn find_province(&self, query: &str) -> Option<Province> {
        let wanted = fold(query);
        if wanted.is_empty() {
            return None;
        }
        self.provinces().into_iter().find(|p| {
            fold(&p.abbreviation) == wanted
                || p.code == query.trim()
                || fold(&p.name) == wanted
                || p.name.split('/').any(|part| fold(part) == wanted)
        })
    }

    /// The comuni of a region (canonical name, see [`Self::find_region`]).
    pub fn in_region<'a>(&'a self, region: &'a str) -> impl Iterator<Item = &'a Comune> + 'a {
        self.comuni.iter().filter(move |c| c.region == region)
    }

    /// The comuni of a province, by abbreviation (`VT`).
    pub fn in_province<'a>(
        &'a self,
        abbreviation: &'a str,
    ) -> impl Iterator<Item = &'a Comune> + 'a {
        self.comuni
            .iter()
            .filter(move |c| c.province == abbreviation)
    }

    /// Type-ahead: comuni whose name (or a word of it) starts with `query`,
    /// ignoring case and accents, or whose code starts with it; names that
    /// start with the query come first, then by name. At most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Comune> {
        let wanted = fold(query);
        if wanted.is_empty() || limit == 0 {
            return Vec::new();
        }
        let digits = query.trim();
        let mut hits: Vec<(u8, String, &Comune)> = self
            .comuni
            .iter()
            .filter_map(|c| {
                if digits.bytes().all(|b| b.is_ascii_digit()) {
                    return c
                        .istat_code
                        .starts_with(digits)
                        .then(|| (0, String::new(), c));
                }
                let name = fold(&c.name);
                if name.starts_with(&wanted) {
                    Some((0, name, c))
                } else if name
                    .split(|ch: char| !ch.is_alphanumeric())
                    .any(|w| w.starts_with(&wanted))
                {
                    Some((1, name, c))
                } else {
                    None
                }
            })
            .collect();
        hits.sort_by(|a, b| (a.0, &a.1, &a.2.istat_code).cmp(&(b.0, &b.1, &b.2.istat_code)));
        hits.into_iter().take(limit).map(|(_, _, c)| c).collect()
    }
}

/// Lowercase, trimmed, without the accents of Italian, French and German
/// names, so `agliè`, `Aglie` and `AGLIE` match.
pub fn fold(s: &str) -> String {
    s.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '’' => '\'',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn builtin_list_is_complete_and_consistent() {
        let list = IstatList::builtin().unwrap();
        assert_eq!(list.len(), 7895);
        assert_eq!(list.regions().len(), 20);
        assert_eq!(list.provinces().len(), 107);
        let proceno = list.get("056044").unwrap();
        assert_eq!(proceno.name, "Proceno");
        assert_eq!(proceno.province, "VT");
        assert_eq!(proceno.province_name, "Viterbo");
        assert_eq!(proceno.region, "Lazio");
        assert_eq!(proceno.population, 528);
        assert_eq!(proceno.population_census, 2021);
        assert_eq!(
            proceno.population_source(),
            "popolazione legale ISTAT al 31 dicembre 2021"
        );
        // The two comuni the 2021 source lacks keep their 2011 figure, said so.
        let montecopiolo = list.get("099030").unwrap();
        assert_eq!(
            (montecopiolo.population, montecopiolo.population_census),
            (1175, 2011)
        );
        assert_eq!(proceno.province_code(), "056");
        assert!(list.get("999999").is_none());
        assert!(list.get("").is_none());
        // Every province code belongs to one abbreviation and one region.
        for p in list.provinces() {
            assert!(list
                .in_province(&p.abbreviation)
                .all(|c| c.province_code() == p.code && c.region == p.region));
        }
    }

    #[test]
    fn merged_comuni_resolve_to_their_successor() {
        let list = IstatList::builtin().unwrap();
        // A current code resolves to itself.
        let r = list.resolve("056044").unwrap();
        assert_eq!(r.comune.name, "Proceno");
        assert!(r.succession.is_none());
        // Ronago (CO), merged in 2024 into Uggiate con Ronago.
        let r = list.resolve("013199").unwrap();
        assert_eq!(r.comune.istat_code, "013256");
        assert_eq!(r.comune.name, "Uggiate con Ronago");
        let s = r.succession.unwrap();
        assert_eq!(s.old_name, "Ronago");
        assert_eq!(s.basis, SuccessionBasis::UnicoNuovoComune);
        assert_eq!(s.since, None);
        // Monteciccardo, absorbed by Pesaro on 1 July 2020 (ISTAT's file).
        let r = list.resolve("041032").unwrap();
        assert_eq!(r.comune.name, "Pesaro");
        assert_eq!(
            r.succession.unwrap().since,
            NaiveDate::from_ymd_opt(2020, 7, 1)
        );
        // Montecopiolo changed province (PU to RN): same cadastral code.
        let r = list.resolve("041033").unwrap();
        assert_eq!(
            (r.comune.istat_code.as_str(), r.comune.province.as_str()),
            ("099030", "RN")
        );
        // The population of a merged comune adds up the comuni it was made
        // of (legal population at 31 December 2021 of Ronago and
        // Uggiate-Trevano).
        assert_eq!(list.get("013256").unwrap().population, 6667);
        // Neither current nor known as suppressed.
        assert!(list.resolve("999999").is_none());
        assert!(
            list.resolve("018002").is_none(),
            "Albaredo Arnaboldi: successor unknown"
        );
        assert!(list
            .successions()
            .iter()
            .all(|s| list.get(s.old_code.as_str()).is_none()));
    }

    fn succession(old: &str, new: &str) -> Succession {
        Succession {
            old_code: old.parse().unwrap(),
            old_name: format!("Comune {old}"),
            successor_code: new.parse().unwrap(),
            since: None,
            basis: SuccessionBasis::IstatSoppressi,
        }
    }

    #[test]
    fn successions_follow_chains_and_refuse_loops() {
        let header = "istat_code,name,province,province_name,region,population,population_census\n";
        let list = || {
            IstatList::from_csv(&format!(
                "{header}056044,Proceno,VT,Viterbo,Lazio,528,2021\n"
            ))
            .unwrap()
        };
        // 056900 -> 056901 -> 056044: a chain ends at the comune of today,
        // and the first change is the one reported.
        let chained = list()
            .with_successions(vec![
                succession("056901", "056044"),
                succession("056900", "056901"),
            ])
            .unwrap();
        let r = chained.resolve("056900").unwrap();
        assert_eq!(r.comune.name, "Proceno");
        assert_eq!(r.succession.unwrap().old_code.as_str(), "056900");
        // A loop, a dead end and a current old code are refused.
        let looped = list().with_successions(vec![
            succession("056900", "056901"),
            succession("056901", "056900"),
        ]);
        assert_eq!(
            looped.unwrap_err(),
            IstatError::BadSuccession("056900".into())
        );
        let dead_end = list().with_successions(vec![succession("056900", "056999")]);
        assert_eq!(
            dead_end.unwrap_err(),
            IstatError::BadSuccession("056900".into())
        );
        let current = list().with_successions(vec![succession("056044", "056044")]);
        assert_eq!(
            current.unwrap_err(),
            IstatError::BadSuccession("056044".into())
        );
        let twice = list().with_successions(vec![
            succession("056900", "056044"),
            succession("056900", "056044"),
        ]);
        assert_eq!(twice.unwrap_err(), IstatError::Duplicate("056900".into()));
        // A malformed row names its line.
        let bad = list().with_successions_csv(
            "old_code,old_name,successor_code,since,basis\n056900,X,056044,2020-13-01,istat-soppressi\n",
        );
        assert!(matches!(
            bad.unwrap_err(),
            IstatError::SuccessionRow { line: 2, .. }
        ));
    }

    #[test]
    fn regions_and_provinces_are_found_leniently() {
        let list = IstatList::builtin().unwrap();
        assert_eq!(list.find_region("lazio"), Some("Lazio"));
        assert_eq!(
            list.find_region("Trentino-Alto Adige"),
            Some("Trentino-Alto Adige/Südtirol")
        );
        assert_eq!(
            list.find_region("valle d'aosta"),
            Some("Valle d'Aosta/Vallée d'Aoste")
        );
        assert_eq!(list.find_region("Atlantide"), None);
        assert_eq!(list.find_province("vt").unwrap().name, "Viterbo");
        assert_eq!(list.find_province("056").unwrap().abbreviation, "VT");
        assert_eq!(list.find_province("Viterbo").unwrap().code, "056");
        assert_eq!(list.find_province("Bozen").unwrap().abbreviation, "BZ");
        assert!(list.find_province("XX").is_none());
        assert_eq!(list.in_region("Lazio").count(), 378);
        assert_eq!(list.in_province("VT").count(), 60);
    }

    #[test]
    fn type_ahead_ignores_case_and_accents() {
        let list = IstatList::builtin().unwrap();
        let hits = list.search("aglie", 5);
        assert_eq!(hits.first().unwrap().name, "Agliè");
        let hits = list.search("056044", 5);
        assert_eq!(hits.len(), 1);
        let hits = list.search("san", 3);
        assert_eq!(hits.len(), 3);
        assert!(hits.iter().all(|c| fold(&c.name).starts_with("san")));
        assert!(list.search("", 5).is_empty());
        assert!(list.search("zzzz", 5).is_empty());
    }

    #[test]
    fn bad_lists_are_rejected_with_the_line() {
        let header = "istat_code,name,province,province_name,region,population,population_census\n";
        let e = IstatList::from_csv(&format!(
            "{header}056044,Proceno,VT,Viterbo,Lazio,many,2021\n"
        ))
        .unwrap_err();
        assert!(matches!(e, IstatError::Row { line: 2, .. }), "{e}");
        let e = IstatList::from_csv(&format!("{header}56044,Proceno,VT,Viterbo,Lazio,1,2021\n"))
            .unwrap_err();
        assert!(e.to_string().contains("bad ISTAT code"), "{e}");
        let row = "056044,Proceno,VT,Viterbo,Lazio,528,2021\n";
        let e = IstatList::from_csv(&format!("{header}{row}{row}")).unwrap_err();
        assert_eq!(e, IstatError::Duplicate("056044".into()));
        // The columns: by name, in any order, each one once.
        let list = IstatList::from_csv(
            "name,istat_code,province,province_name,region,population,population_census\n\
             Proceno,056044,VT,Viterbo,Lazio,528,2021\n",
        )
        .unwrap();
        assert_eq!(list.get("056044").unwrap().population, 528);
        for (columns, why) in [
            (
                "istat_code,name,province,province_name,region,population",
                "missing column",
            ),
            (
                "istat_code,name,province,province_name,region,population,population_census,x",
                "unknown column",
            ),
            (
                "istat_code,name,name,province,province_name,region,population,population_census",
                "twice",
            ),
        ] {
            let e = IstatList::from_csv(&format!("{columns}\n{row}")).unwrap_err();
            assert!(
                matches!(e, IstatError::Row { line: 1, .. }) && e.to_string().contains(why),
                "{e}"
            );
        }
        let e = IstatList::from_csv(&format!("{header}056044,Proceno,VT,Viterbo,Lazio,528\n"))
            .unwrap_err();
        assert!(matches!(e, IstatError::Row { line: 2, .. }), "{e}");
    }
}
