//! Italian hyphenation.
//!
//! The dictionary is the `hyphenation` crate's own compiled Italian patterns
//! (`assets/hyphenation/it.standard.bincode`, copied from hyphenation 0.8.4,
//! which is pinned for that reason): 2 KB embedded instead of the crate's
//! `embed_all` feature, which would embed every language (2.8 MB).

use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

const ITALIAN: &[u8] = include_bytes!("../../assets/hyphenation/it.standard.bincode");

static DICT: OnceLock<Option<Standard>> = OnceLock::new();

/// The Italian dictionary, loaded on first use; `None` if it cannot be read
/// (then the layout simply does not hyphenate).
pub(crate) fn italian() -> Option<&'static Standard> {
    DICT.get_or_init(|| Standard::from_reader(Language::Italian, &mut &ITALIAN[..]).ok())
        .as_ref()
}

/// Byte offsets inside `word` where it may be hyphenated.
///
/// Only runs of letters are hyphenated (so `dell'attività` may break inside
/// `attività` but not around the apostrophe), with at least two letters
/// before and three after every break.
pub(crate) fn break_points(word: &str) -> Vec<usize> {
    let Some(dict) = italian() else {
        return Vec::new();
    };
    // Addresses and domain names are never hyphenated.
    let chars: Vec<char> = word.chars().collect();
    let dotted = chars
        .windows(2)
        .any(|w| w[0] == '.' && w[1].is_alphanumeric());
    if dotted || word.contains('@') || word.contains("://") {
        return Vec::new();
    }
    // Nor are proper names and acronyms (a capital first letter).
    if word
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
    {
        return Vec::new();
    }
    let mut points = Vec::new();
    let mut start = None;
    let push_run = |from: usize, to: usize, points: &mut Vec<usize>| {
        let run = &word[from..to];
        if run.chars().count() < 5 {
            return;
        }
        let lower = run.to_lowercase();
        if lower.len() != run.len() {
            return;
        }
        for b in dict.hyphenate(&lower).breaks {
            let before = lower[..b].chars().count();
            let after = lower[b..].chars().count();
            if before >= 2 && after >= 3 {
                points.push(from + b);
            }
        }
    };
    for (i, c) in word.char_indices() {
        if c.is_alphabetic() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            push_run(s, i, &mut points);
        }
    }
    if let Some(s) = start {
        push_run(s, word.len(), &mut points);
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyphenated(word: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for b in break_points(word) {
            out.push_str(&word[last..b]);
            out.push('-');
            last = b;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn the_italian_dictionary_loads() {
        assert!(italian().is_some());
    }

    #[test]
    fn italian_words_break_at_syllables() {
        // Three letters at least after the last break.
        assert_eq!(hyphenated("sicurezza"), "si-cu-rezza");
        assert_eq!(hyphenated("amministrazione"), "am-mi-ni-stra-zione");
        assert_eq!(hyphenated("attività"), "at-ti-vità");
    }

    #[test]
    fn short_runs_and_punctuation_are_left_alone() {
        assert!(break_points("casa").is_empty());
        assert!(break_points("garanteprivacy.it").is_empty());
        assert!(break_points("segnalazioni@csirt.gov.it").is_empty());
        assert_eq!(hyphenated("dell'attività,"), "dell'at-ti-vità,");
        assert!(break_points("Comune").is_empty(), "proper names stay whole");
        assert!(break_points("Poste").is_empty());
    }
}
