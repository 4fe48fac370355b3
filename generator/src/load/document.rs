//! Parsing text into a JSON value, and a JSON value into typed structures, with the JSON
//! pointer of the first offending node in every error.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::{escape_token, Error, Location, Result};

/// Parses YAML, or JSON when the file name ends in `.json`.
pub fn parse_document(path: &Path, text: &str) -> Result<Value> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        serde_json::from_str(text).map_err(|e| Error::Parse {
            at: Location::new(path, ""),
            message: format!(
                "invalid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ),
        })
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| {
            let place = e
                .location()
                .map(|l| format!(" at line {} column {}", l.line(), l.column()))
                .unwrap_or_default();
            Error::Parse {
                at: Location::new(path, ""),
                message: format!("invalid YAML{place}: {e}"),
            }
        })
    }
}

/// Deserializes a parsed document into `T`, naming the JSON pointer of a mismatch.
///
/// Serde reports the path only down to the first untagged enum (openapiv3's `$ref`-or-item
/// nodes); when the message quotes the offending value, the pointer is extended to the
/// first node under that path holding it.
pub fn to_typed<T: DeserializeOwned>(path: &Path, raw: Value) -> Result<T> {
    // The plain decode is the fast path; only a failure pays for tracking the path.
    if let Ok(v) = T::deserialize(&raw) {
        return Ok(v);
    }
    match serde_path_to_error::deserialize::<_, T>(&raw) {
        Ok(v) => Ok(v),
        Err(e) => {
            let mut pointer = to_pointer(e.path());
            let message = e.inner().to_string();
            if let (Some(culprit), Some(node)) =
                (quoted_value(&message), raw.pointer(&pointer[1..]))
            {
                if let Some(deeper) = find_string(node, &culprit) {
                    pointer.push_str(&deeper);
                }
            }
            Err(Error::Parse {
                at: Location::new(path, pointer),
                message: format!("not a valid document here: {message}"),
            })
        }
    }
}

/// The value an "unknown variant `x`" or "invalid value: string \"x\"" message names.
fn quoted_value(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        return rest.split('`').next().map(String::from);
    }
    let rest = message.split("invalid value: string \"").nth(1)?;
    rest.split('"').next().map(String::from)
}

/// The pointer (relative to `node`) of the first string leaf equal to `needle`.
fn find_string(node: &Value, needle: &str) -> Option<String> {
    match node {
        Value::String(s) if s == needle => Some(String::new()),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            find_string(v, needle).map(|rest| format!("/{}{rest}", escape_token(k)))
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_string(v, needle).map(|rest| format!("/{i}{rest}"))),
        _ => None,
    }
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
