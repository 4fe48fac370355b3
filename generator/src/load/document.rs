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
        serde_yaml_ng::from_str::<Json>(text)
            .map(|j| j.0)
            .map_err(|e| {
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

/// A JSON value read from YAML as the JSON reader reads JSON: integers beyond `i64` and
/// `u64` become floating-point numbers (serde_json's own `Value` refuses them from YAML),
/// so a document loads alike in both formats.
struct Json(Value);

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(Json)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> std::result::Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> std::result::Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((key, Json(value))) = map.next_entry::<String, Json>()? {
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A float as JSON has it (a non-finite one, which JSON cannot hold, as `null`).
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
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
