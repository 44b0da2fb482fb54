//! What the page sends, parsed once into the library's types before any
//! command runs: ids, fingerprints, the territory, the CSV table, the
//! import source. A malformed value is refused by Tauri with the Italian
//! message below, and the command never runs.

use serde::Deserialize;

use sentinella::ids::{AssessmentId, Fingerprint};
use sentinella::usecase::aggregate::CsvTable;
use sentinella::usecase::territory::ScopeRequest;

use crate::error::AppError;

/// An assessment id (positive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct Id(pub AssessmentId);

impl TryFrom<i64> for Id {
    type Error = AppError;
    fn try_from(n: i64) -> Result<Id, AppError> {
        AssessmentId::new(n)
            .map(Id)
            .map_err(|_| AppError::invalid("Identificativo non valido."))
    }
}

/// An organization's row id (positive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct OrganizationId(pub i64);

impl TryFrom<i64> for OrganizationId {
    type Error = AppError;
    fn try_from(n: i64) -> Result<OrganizationId, AppError> {
        if n > 0 {
            Ok(OrganizationId(n))
        } else {
            Err(AppError::invalid("Identificativo non valido."))
        }
    }
}

/// A key fingerprint as typed by the coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct FingerprintInput(pub Fingerprint);

impl TryFrom<String> for FingerprintInput {
    type Error = AppError;
    fn try_from(s: String) -> Result<FingerprintInput, AppError> {
        s.parse()
            .map(FingerprintInput)
            .map_err(|_| AppError::invalid("Codice della chiave non valido."))
    }
}

/// Where the result files to import are: a folder, or files picked one by
/// one (`"folder"`, `"files"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum ImportSource {
    /// Every `*.json` file of a folder.
    Folder,
    /// Files chosen in the dialog.
    Files,
}

impl TryFrom<String> for ImportSource {
    type Error = AppError;
    fn try_from(s: String) -> Result<ImportSource, AppError> {
        match s.as_str() {
            "folder" => Ok(ImportSource::Folder),
            "files" => Ok(ImportSource::Files),
            _ => Err(AppError::invalid("Origine dei file non valida.")),
        }
    }
}

/// The CSV table: `"comuni"` (one row per comune) or `"answers"` (one row
/// per comune and question).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct TableInput(pub CsvTable);

impl TryFrom<String> for TableInput {
    type Error = AppError;
    fn try_from(s: String) -> Result<TableInput, AppError> {
        match s.as_str() {
            "comuni" => Ok(TableInput(CsvTable::Comuni)),
            "answers" => Ok(TableInput(CsvTable::Answers)),
            _ => Err(AppError::invalid("Tabella non valida.")),
        }
    }
}

/// The territory: `{"kind": "italy"}`, `{"kind": "region", "value":
/// "Lazio"}` or `{"kind": "province", "value": "VT"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "ScopeWire")]
pub struct ScopeInput(pub ScopeRequest);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeWire {
    kind: String,
    #[serde(default)]
    value: Option<String>,
}

impl TryFrom<ScopeWire> for ScopeInput {
    type Error = AppError;
    fn try_from(w: ScopeWire) -> Result<ScopeInput, AppError> {
        let bad = || AppError::invalid("Territorio non valido.");
        let value = w.value.ok_or_else(bad);
        Ok(ScopeInput(match w.kind.as_str() {
            "italy" => ScopeRequest::Italy,
            "region" => ScopeRequest::Region(value?),
            "province" => ScopeRequest::Province(value?),
            _ => return Err(bad()),
        }))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn inputs_parse_or_say_why_in_italian() {
        let id: Id = serde_json::from_str("3").unwrap();
        assert_eq!(id.0.get(), 3);
        let e = serde_json::from_str::<Id>("0").unwrap_err().to_string();
        assert!(e.contains("non valido"), "{e}");
        let s: ScopeInput = serde_json::from_str(r#"{"kind":"italy","value":null}"#).unwrap();
        assert_eq!(s.0, ScopeRequest::Italy);
        let s: ScopeInput = serde_json::from_str(r#"{"kind":"region","value":"Lazio"}"#).unwrap();
        assert_eq!(s.0, ScopeRequest::Region("Lazio".into()));
        for bad in [
            r#"{"kind":"planet"}"#,
            r#"{"kind":"region"}"#,
            r#"{"kind":"italy","extra":1}"#,
        ] {
            assert!(serde_json::from_str::<ScopeInput>(bad).is_err(), "{bad}");
        }
        let t: TableInput = serde_json::from_str(r#""answers""#).unwrap();
        assert_eq!(t.0, CsvTable::Answers);
        let e = serde_json::from_str::<TableInput>(r#""x""#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("Tabella non valida"), "{e}");
        let f: FingerprintInput = serde_json::from_str(r#""3f2a9c0177deb410""#).unwrap();
        assert_eq!(f.0.to_string(), "3F2A-9C01-77DE-B410");
        assert!(serde_json::from_str::<ImportSource>(r#""/etc""#).is_err());
    }
}
