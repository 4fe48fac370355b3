//! Parsing text into a JSON value, and a JSON value into typed structures, with the JSON
//! pointer of the first offending node in every error.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::{escape_token, Error, Location, Result, Warnings};

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
    typed(path, &raw)
}

/// Types a whole document, consuming it (its strings move into the typed form rather
/// than being copied); `None` when it does not type, and the caller prepares it again
/// for [`to_typed_leaving_out`], which says where and why.
pub fn into_typed<T: DeserializeOwned>(raw: Value) -> Option<T> {
    T::deserialize(raw).ok()
}

/// How many nodes [`to_typed_leaving_out`] leaves out before it gives up on a document.
const MAX_LEFT_OUT: usize = 200;

/// The nodes a document cannot do without: an error there ends the load.
const KEPT: &[&str] = &[
    "#",
    "#/openapi",
    "#/info",
    "#/info/title",
    "#/info/version",
    "#/paths",
];

/// [`to_typed`] for a whole document, where the damage is local: a node that does not fit
/// its place (a keyword of the wrong JSON type, a path item that is a bare string) is left
/// out, with a warning naming it, and the document is read again. A node the document
/// cannot do without (its version, its `info`), or more than [`MAX_LEFT_OUT`] of them,
/// ends the load with the error.
pub fn to_typed_leaving_out<T: DeserializeOwned>(
    path: &Path,
    mut raw: Value,
    warnings: &mut Warnings,
) -> Result<T> {
    for _ in 0..MAX_LEFT_OUT {
        let (mut at, mut message) = match typed(path, &raw) {
            Err(Error::Parse { at, message }) => (at, message),
            other => return other,
        };
        if let Some((pointer, deeper)) = locate(path, &mut raw, &at.pointer) {
            (at.pointer, message) = (pointer, deeper);
        }
        if KEPT.contains(&at.pointer.as_str()) || !remove(&mut raw, &at.pointer) {
            return Err(Error::Parse { at, message });
        }
        warnings.push(
            "invalid-node",
            at,
            format!("{message}; the node is left out"),
        );
    }
    typed(path, &raw)
}

/// Where under `under` the document's first object that does not fit its type is, and
/// why: serde's own path stops at the first `$ref`-or-item node (an untagged enum), so
/// every object of the document under that node is typed on its own, and the deepest one
/// that fails is the culprit, with the path inside it. Only runs once typing has failed.
fn locate(path: &Path, raw: &mut Value, under: &str) -> Option<(String, String)> {
    let Value::Object(root) = raw else {
        return None;
    };
    let mut finder = Misfit {
        path,
        under,
        found: None,
    };
    super::walk::walk_document(root, &mut finder);
    finder.found
}

/// The deepest object under a pointer whose own typing fails (see [`locate`]).
struct Misfit<'a> {
    path: &'a Path,
    under: &'a str,
    found: Option<(String, String)>,
}

impl super::walk::Visitor for Misfit<'_> {
    fn enter(&mut self, place: super::walk::Place, node: &mut Value, at: &str) {
        use super::walk::Place;
        let inside = at == self.under || at.starts_with(&format!("{}/", self.under));
        // Pre-order: a failing node that lies inside the one found is deeper.
        let deeper = self
            .found
            .as_ref()
            .is_none_or(|(found, _)| at.starts_with(&format!("{found}/")));
        if !inside || !deeper {
            return;
        }
        let path = self.path;
        let result = match place {
            Place::PathItem => fits::<openapiv3::PathItem>(path, node),
            Place::Operation => typed::<openapiv3::Operation>(path, node).map(drop),
            Place::Parameter => fits::<openapiv3::Parameter>(path, node),
            Place::Header => fits::<openapiv3::Header>(path, node),
            Place::RequestBody => fits::<openapiv3::RequestBody>(path, node),
            Place::Response => fits::<openapiv3::Response>(path, node),
            Place::Schema => fits::<openapiv3::Schema>(path, node),
        };
        if let Err(Error::Parse { at: inner, message }) = result {
            let within = inner.pointer.strip_prefix('#').unwrap_or("");
            self.found = Some((format!("{at}{within}"), message));
        }
    }
}

/// Whether a `$ref`-or-item node fits: a reference as one, else the object as a `T` (so
/// that the error names the field, not the untagged enum).
fn fits<T: DeserializeOwned>(path: &Path, node: &Value) -> Result<()> {
    if node.get("$ref").is_some() {
        typed::<openapiv3::ReferenceOr<T>>(path, node).map(drop)
    } else {
        typed::<T>(path, node).map(drop)
    }
}

/// Removes the node at `pointer` (`#/a/b`) from its parent; `false` when there is none.
fn remove(root: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = crate::diag::unescape_token(last);
    match root.pointer_mut(parent.strip_prefix('#').unwrap_or(parent)) {
        Some(Value::Object(map)) => map.shift_remove(key.as_str()).is_some(),
        Some(Value::Array(items)) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

fn typed<T: DeserializeOwned>(path: &Path, raw: &Value) -> Result<T> {
    // The plain decode is the fast path; only a failure pays for tracking the path.
    if let Ok(v) = T::deserialize(raw) {
        return Ok(v);
    }
    match serde_path_to_error::deserialize::<_, T>(raw) {
        Ok(v) => Ok(v),
        Err(e) => {
            let mut pointer = to_pointer(e.path());
            let message = e.inner().to_string();
            if let (Some(culprit), Some(node)) = (culprit(&message), raw.pointer(&pointer[1..])) {
                if let Some(deeper) = find_value(node, &culprit) {
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

/// The value a message names: "unknown variant `x`", "invalid value: string \"x\"", or
/// "invalid type: integer `42`" (and `boolean`, `floating point`, `string`). Serde stops
/// its path at the first untagged enum (openapiv3's `$ref`-or-item nodes); the value leads
/// to the node below it.
fn culprit(message: &str) -> Option<Value> {
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        return rest.split('`').next().map(Value::from);
    }
    if let Some(rest) = message.split("invalid value: string \"").nth(1) {
        return rest.split('"').next().map(Value::from);
    }
    let rest = message.strip_prefix("invalid type: ")?;
    if let Some(text) = rest.strip_prefix("string \"") {
        return text.split('"').next().map(Value::from);
    }
    let (kind, rest) = rest.split_once(" `")?;
    let literal = rest.split('`').next()?;
    match kind {
        "integer" | "floating point" | "boolean" => serde_json::from_str(literal).ok(),
        _ => None,
    }
}

/// The pointer (relative to `node`) of the first leaf equal to `needle` (numbers by
/// value: `42` and `42.0` alike).
fn find_value(node: &Value, needle: &Value) -> Option<String> {
    match node {
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            find_value(v, needle).map(|rest| format!("/{}{rest}", escape_token(k)))
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_value(v, needle).map(|rest| format!("/{i}{rest}"))),
        Value::Number(n) => (needle.as_f64() == n.as_f64() && needle.is_number()).then(String::new),
        leaf => (leaf == needle).then(String::new),
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
