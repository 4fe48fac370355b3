//! Parsing text into a JSON value, and a JSON value into typed structures, with the JSON
//! pointer of the first offending node in every error.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::{escape_token, Error, Location, Result};

/// Parses YAML, or JSON when the file name ends in `.json`.
pub fn parse_document(path: &Path, text: &str) -> Result<Value> {
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        serde_json::from_str(text).map_err(|e| Error::Parse {
            at: Location::new(path, ""),
            message: format!("invalid JSON at line {} column {}: {e}", e.line(), e.column()),
        })
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| {
            let place = e
                .location()
                .map(|l| format!(" at line {} column {}", l.line(), l.column()))
                .unwrap_or_default();
            Error::Parse { at: Location::new(path, ""), message: format!("invalid YAML{place}: {e}") }
        })
    }
}

/// Deserializes a parsed document into `T`, naming the JSON pointer of a mismatch.
pub fn to_typed<T: DeserializeOwned>(path: &Path, raw: Value) -> Result<T> {
    serde_path_to_error::deserialize(raw).map_err(|e| {
        let pointer = to_pointer(e.path());
        Error::Parse {
            at: Location::new(path, pointer),
            message: format!("not a valid document here: {}", e.inner()),
        }
    })
}

fn to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("#");
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}
