//! Duplicate keys: `{"a": 1, "a": 2}` is valid JSON to most parsers, which
//! keep one of the two silently; a signed file that means two things to two
//! readers is refused instead. One pass over the text with serde (no JSON
//! parsing of our own), after the depth check, so it never recurses deep.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// A duplicate key, with where the parser was when it saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    pub key: String,
    pub line: usize,
    pub column: usize,
}

const MARK: &str = "\u{0}duplicate key\u{0}";

struct Check;

impl<'de> de::Deserialize<'de> for Check {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Check, D::Error> {
        d.deserialize_any(CheckVisitor)
    }
}

struct CheckVisitor;

impl<'de> Visitor<'de> for CheckVisitor {
    type Value = Check;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Check, E> {
        Ok(Check)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Check, E> {
        Ok(Check)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Check, E> {
        Ok(Check)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Check, E> {
        Ok(Check)
    }
    fn visit_str<E>(self, _: &str) -> Result<Check, E> {
        Ok(Check)
    }
    fn visit_unit<E>(self) -> Result<Check, E> {
        Ok(Check)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Check, A::Error> {
        while seq.next_element::<Check>()?.is_some() {}
        Ok(Check)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Check, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("{MARK}{key}")));
            }
            map.next_value::<Check>()?;
        }
        Ok(Check)
    }
}

/// The first duplicate key of `text` (already known to be JSON), if any.
pub(crate) fn first_duplicate(text: &str) -> Option<Duplicate> {
    let mut de = serde_json::Deserializer::from_str(text);
    // The depth was checked before; serde_json's own limit stays on.
    match <Check as de::Deserialize>::deserialize(&mut de) {
        Ok(Check) => None,
        Err(e) => {
            let message = e.to_string();
            let rest = message.split_once(MARK)?.1;
            let key = rest.split(" at line ").next().unwrap_or(rest).to_string();
            Some(Duplicate {
                key,
                line: e.line(),
                column: e.column(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates_at_any_depth() {
        assert_eq!(first_duplicate(r#"{"a":1,"b":[{"c":1}]}"#), None);
        assert_eq!(
            first_duplicate(r#"{"a":1,"a":2}"#).map(|d| d.key),
            Some("a".to_string())
        );
        assert_eq!(
            first_duplicate(r#"{"a":[1,{"x":{"y":1,"y":2}}]}"#).map(|d| d.key),
            Some("y".to_string())
        );
        // An escaped spelling of the same key is the same key.
        assert_eq!(
            first_duplicate(r#"{"ab":1,"a\u0062":2}"#).map(|d| d.key),
            Some("ab".to_string())
        );
    }
}
