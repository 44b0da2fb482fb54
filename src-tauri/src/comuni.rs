//! The ISTAT list of comuni for the type-ahead of the "new assessment"
//! screen, compiled in from `assets/istat/comuni.csv` (source and licence in
//! `assets/istat/README.md`).
//!
//! When the core library gains its own reader of the same file
//! (`sentinella::istat`), this module can become a thin alias of it.

use std::sync::OnceLock;

use serde::Serialize;

const COMUNI_CSV: &str = include_str!("../../assets/istat/comuni.csv");

/// Credit line shown beside the list.
pub const ATTRIBUTION: &str =
    "Elenco dei comuni: ISTAT, dati al 1° gennaio 2020 (popolazione legale 2011), licenza CC BY 4.0.";

/// One comune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comune {
    /// Six-digit ISTAT code.
    pub istat_code: String,
    /// Name in Italian.
    pub name: String,
    /// Province abbreviation.
    pub province: String,
    /// Province name.
    pub province_name: String,
    /// Region.
    pub region: String,
    /// Legal population.
    pub population: u32,
}

/// The parsed list (rows that do not parse are skipped; a test checks that
/// none are).
pub fn all() -> &'static [Comune] {
    static LIST: OnceLock<Vec<Comune>> = OnceLock::new();
    LIST.get_or_init(|| parse(COMUNI_CSV))
}

fn parse(text: &str) -> Vec<Comune> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() != 6 {
                return None;
            }
            Some(Comune {
                istat_code: f[0].to_string(),
                name: f[1].to_string(),
                province: f[2].to_string(),
                province_name: f[3].to_string(),
                region: f[4].to_string(),
                population: f[5].parse().ok()?,
            })
        })
        .collect()
}

/// A comune by its ISTAT code.
pub fn get(istat_code: &str) -> Option<&'static Comune> {
    all().iter().find(|c| c.istat_code == istat_code)
}

/// Lowercase without accents, so "agliè" matches "Aglie".
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

/// Type-ahead: names starting with the query first, then names with a word
/// starting with it; digits search the ISTAT code. At most `limit`.
pub fn search(query: &str, limit: usize) -> Vec<&'static Comune> {
    let wanted = fold(query);
    if wanted.is_empty() || limit == 0 {
        return Vec::new();
    }
    let digits = query.trim();
    let by_code = digits.bytes().all(|b| b.is_ascii_digit());
    let mut hits: Vec<(u8, String, &Comune)> = all()
        .iter()
        .filter_map(|c| {
            if by_code {
                return c
                    .istat_code
                    .starts_with(digits)
                    .then(|| (0, c.istat_code.clone(), c));
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_whole_list_parses() {
        assert_eq!(all().len(), 7904);
        let p = get("056044").unwrap();
        assert_eq!(p.name, "Proceno");
        assert_eq!(p.province, "VT");
        assert_eq!(p.population, 605);
    }

    #[test]
    fn search_ignores_case_and_accents_and_ranks_prefixes_first() {
        let hits = search("aglie", 5);
        assert_eq!(hits[0].name, "Agliè");
        let hits = search("VITERBO", 5);
        assert_eq!(hits[0].name, "Viterbo");
        assert_eq!(search("056044", 5)[0].name, "Proceno");
        assert!(search("   ", 5).is_empty());
        assert!(search("zzzzzz", 5).is_empty());
    }
}
