//! Typed identifiers that cross layers: parsed once, at the edge (clap
//! value parser in the CLI, serde in the app's commands), and carried as
//! values that cannot be malformed afterwards.
//!
//! - [`AssessmentId`]: a row id of the assessment store, always positive.
//! - [`IstatCode`]: the six-digit ISTAT code of a comune.
//! - [`Fingerprint`]: the short fingerprint of a signing key (16 hex
//!   digits), however it was typed (`3f2a9c01…`, `3F2A-9C01-…`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// Why an id could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdError {
    /// Not a positive whole number.
    #[error("{0:?} is not an assessment id (a positive whole number, see `sentinella db list`)")]
    Assessment(String),
    /// Not six digits.
    #[error("{0:?} is not an ISTAT code (six digits, like 056044)")]
    IstatCode(String),
    /// Not 16 hex digits.
    #[error(
        "{0:?} is not a key fingerprint: a fingerprint has 16 hex digits, like 3F2A-9C01-77DE-B410"
    )]
    Fingerprint(String),
}

/// The row id of an assessment in a Sentinella database (positive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssessmentId(i64);

impl AssessmentId {
    /// The id, when positive.
    pub fn new(id: i64) -> Result<AssessmentId, IdError> {
        if id > 0 {
            Ok(AssessmentId(id))
        } else {
            Err(IdError::Assessment(id.to_string()))
        }
    }

    /// An id handed out by the store (a SQLite row id of our tables, which
    /// starts at 1).
    pub(crate) fn from_store(id: i64) -> AssessmentId {
        AssessmentId(id)
    }

    /// The row id, as the store takes it.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for AssessmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for AssessmentId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<i64>()
            .ok()
            .and_then(|n| AssessmentId::new(n).ok())
            .ok_or_else(|| IdError::Assessment(s.to_string()))
    }
}

impl Serialize for AssessmentId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for AssessmentId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        AssessmentId::new(n).map_err(serde::de::Error::custom)
    }
}

/// The six-digit ISTAT code of a comune (`056044`). Only the shape is
/// checked here; whether the code is in the ISTAT list is the list's call.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IstatCode(String);

impl IstatCode {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IstatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for IstatCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(IstatCode(t.to_string()))
        } else {
            Err(IdError::IstatCode(s.chars().take(40).collect()))
        }
    }
}

impl Serialize for IstatCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IstatCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The short fingerprint of a signing key: 16 upper-case hex digits, shown
/// in four groups (`3F2A-9C01-77DE-B410`). Parsing ignores case, dashes and
/// spaces, so a fingerprint read over the phone compares equal however it
/// was typed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(String);

/// Longest text accepted as a fingerprint (16 digits and separators).
const MAX_FINGERPRINT_CHARS: usize = 40;

impl Fingerprint {
    /// The fingerprint of raw public-key bytes (the same digits as
    /// [`crate::keys::fingerprint_bytes`]).
    pub fn of_public_key(key: &[u8]) -> Fingerprint {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(key);
        Fingerprint(digest.iter().take(8).map(|b| format!("{b:02X}")).collect())
    }

    /// The 16 hex digits, without separators.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// Whether `shown` (a fingerprint as written anywhere) is this one.
    pub fn matches(&self, shown: &str) -> bool {
        shown.parse::<Fingerprint>().is_ok_and(|f| &f == self)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chunk) in self.0.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(chunk).unwrap_or_default())?;
        }
        Ok(())
    }
}

impl FromStr for Fingerprint {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || IdError::Fingerprint(s.chars().take(MAX_FINGERPRINT_CHARS).collect());
        if s.chars().count() > MAX_FINGERPRINT_CHARS
            || !s
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, '-' | ' ' | ':'))
        {
            return Err(bad());
        }
        let digits: String = s
            .chars()
            .filter(char::is_ascii_hexdigit)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if digits.len() == 16 {
            Ok(Fingerprint(digits))
        } else {
            Err(bad())
        }
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn assessment_ids_are_positive() {
        assert_eq!("7".parse::<AssessmentId>().unwrap().get(), 7);
        for bad in ["0", "-3", "x", "", "1.5"] {
            assert!(bad.parse::<AssessmentId>().is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<AssessmentId>("0").is_err());
        assert_eq!(
            serde_json::from_str::<AssessmentId>("12").unwrap().get(),
            12
        );
    }

    #[test]
    fn istat_codes_have_six_digits() {
        assert_eq!(" 056044 ".parse::<IstatCode>().unwrap().as_str(), "056044");
        for bad in ["56044", "0560441", "05604a", ""] {
            assert!(bad.parse::<IstatCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn fingerprints_compare_however_typed() {
        let a: Fingerprint = "3f2a9c0177deb410".parse().unwrap();
        let b: Fingerprint = "3F2A-9C01-77DE-B410".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "3F2A-9C01-77DE-B410");
        assert!(a.matches("3F2A 9C01 77DE B410"));
        assert!(!a.matches("3F2A-9C01-77DE-B411"));
        for bad in ["3F2A", "3F2A-9C01-77DE-B410-00", "zz2a9c0177deb410", ""] {
            assert!(bad.parse::<Fingerprint>().is_err(), "{bad}");
        }
        assert!("A".repeat(100).parse::<Fingerprint>().is_err());
        let key = [7u8; 32];
        assert_eq!(
            Fingerprint::of_public_key(&key).to_string(),
            crate::keys::fingerprint_bytes(&key)
        );
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            "\"3F2A-9C01-77DE-B410\""
        );
    }
}
