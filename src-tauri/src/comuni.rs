//! The ISTAT list of comuni for the type-ahead of the "new assessment"
//! screen: a thin face over [`sentinella::istat`] (the list compiled from
//! `assets/istat/comuni.csv`; source and licence in `assets/istat/README.md`).

use sentinella::istat::IstatList;
pub use sentinella::istat::{Comune, ATTRIBUTION};

fn list() -> Option<&'static IstatList> {
    match IstatList::builtin() {
        Ok(l) => Some(l),
        Err(e) => {
            // A packaging defect (the core's tests guard against it): the
            // type-ahead then finds nothing rather than crashing.
            eprintln!("sentinella-app: ISTAT list not usable: {e}");
            None
        }
    }
}

/// Number of comuni in the list.
pub fn count() -> usize {
    list().map_or(0, IstatList::len)
}

/// A comune by its ISTAT code.
pub fn get(istat_code: &str) -> Option<&'static Comune> {
    list()?.get(istat_code)
}

/// Type-ahead: names starting with the query first, then names with a word
/// starting with it; digits search the ISTAT code. At most `limit`.
pub fn search(query: &str, limit: usize) -> Vec<&'static Comune> {
    list().map_or_else(Vec::new, |l| l.search(query, limit))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_whole_list_is_there() {
        assert_eq!(count(), 7895);
        let p = get("056044").unwrap();
        assert_eq!(p.name, "Proceno");
        assert_eq!(p.province, "VT");
        assert_eq!(p.population, 528);
    }

    #[test]
    fn search_ignores_case_and_accents_and_ranks_prefixes_first() {
        assert_eq!(search("aglie", 5)[0].name, "Agliè");
        assert_eq!(search("VITERBO", 5)[0].name, "Viterbo");
        assert_eq!(search("056044", 5)[0].name, "Proceno");
        assert!(search("   ", 5).is_empty());
        assert!(search("zzzzzz", 5).is_empty());
    }
}
