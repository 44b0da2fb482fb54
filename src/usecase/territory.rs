//! The territory a coordinator asks about.
//!
//! Policy (one for both faces): matching is *loose*. A region is found by
//! its ISTAT name or either part of a bilingual name, ignoring case and
//! accents; a province by its abbreviation (`VT`), three-digit code (`056`)
//! or name. The exact values the app's menus send are among them.

use serde::Deserialize;
use thiserror::Error;

use crate::aggregate::Scope;
use crate::istat::IstatList;

/// Longest territory name accepted.
pub const MAX_SCOPE_CHARS: usize = 100;

/// A territory as asked for: the app sends `{"kind": "region", "value":
/// "Lazio"}`; the CLI builds it from `--region` / `--province`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ScopeRequest {
    /// All of Italy.
    Italy,
    /// A region, by name.
    Region(String),
    /// A province, by abbreviation, code or name.
    Province(String),
}

/// Why a territory was not found.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScopeError {
    /// No such region.
    #[error("{query:?}: not a region of the ISTAT list; the regions are: {}", regions.join(", "))]
    UnknownRegion {
        /// What was asked.
        query: String,
        /// The regions there are.
        regions: Vec<String>,
    },
    /// No such province.
    #[error("{query:?}: not a province of the ISTAT list; give its abbreviation (VT), ISTAT code (056) or name")]
    UnknownProvince {
        /// What was asked.
        query: String,
    },
    /// Longer than any territory name.
    #[error("the territory name is too long")]
    TooLong,
}

/// The territory, from the ISTAT list.
pub fn resolve(request: &ScopeRequest, list: &IstatList) -> Result<Scope, ScopeError> {
    let query = match request {
        ScopeRequest::Italy => return Ok(Scope::Italy),
        ScopeRequest::Region(q) | ScopeRequest::Province(q) => q,
    };
    if query.chars().count() > MAX_SCOPE_CHARS {
        return Err(ScopeError::TooLong);
    }
    match request {
        ScopeRequest::Region(q) => list
            .find_region(q)
            .map(|r| Scope::Region(r.to_string()))
            .ok_or_else(|| ScopeError::UnknownRegion {
                query: q.clone(),
                regions: list.regions().into_iter().map(String::from).collect(),
            }),
        ScopeRequest::Province(q) => list
            .find_province(q)
            .map(Scope::Province)
            .ok_or_else(|| ScopeError::UnknownProvince { query: q.clone() }),
        ScopeRequest::Italy => Ok(Scope::Italy),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_app_and_the_cli_forms_resolve_alike() {
        let list = IstatList::builtin().unwrap();
        let exact = resolve(&ScopeRequest::Province("VT".into()), list).unwrap();
        for loose in ["vt", "056", "Viterbo", " viterbo "] {
            assert_eq!(
                resolve(&ScopeRequest::Province(loose.into()), list).unwrap(),
                exact,
                "{loose}"
            );
        }
        let region = resolve(&ScopeRequest::Region("Lazio".into()), list).unwrap();
        assert_eq!(
            resolve(&ScopeRequest::Region("LAZIO".into()), list).unwrap(),
            region
        );
        assert_eq!(
            resolve(&ScopeRequest::Region("Südtirol".into()), list).unwrap(),
            resolve(
                &ScopeRequest::Region("Trentino-Alto Adige/Südtirol".into()),
                list
            )
            .unwrap()
        );
        assert!(matches!(
            resolve(&ScopeRequest::Region("Atlantide".into()), list),
            Err(ScopeError::UnknownRegion { .. })
        ));
        assert!(matches!(
            resolve(&ScopeRequest::Province("XX".into()), list),
            Err(ScopeError::UnknownProvince { .. })
        ));
        assert_eq!(
            resolve(&ScopeRequest::Region("x".repeat(101)), list),
            Err(ScopeError::TooLong)
        );
    }

    #[test]
    fn the_page_form_parses() {
        let r: ScopeRequest = serde_json::from_str(r#"{"kind":"italy"}"#).unwrap();
        assert_eq!(r, ScopeRequest::Italy);
        let r: ScopeRequest = serde_json::from_str(r#"{"kind":"italy","value":null}"#).unwrap();
        assert_eq!(r, ScopeRequest::Italy);
        let r: ScopeRequest = serde_json::from_str(r#"{"kind":"region","value":"Lazio"}"#).unwrap();
        assert_eq!(r, ScopeRequest::Region("Lazio".into()));
        assert!(serde_json::from_str::<ScopeRequest>(r#"{"kind":"planet","value":"x"}"#).is_err());
        assert!(serde_json::from_str::<ScopeRequest>(r#"{"kind":"region"}"#).is_err());
    }
}
