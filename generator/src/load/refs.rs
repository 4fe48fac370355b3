//! `$ref` handling: every local reference in a document must resolve, and references to
//! components are split into their kind and name.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::diag::{escape_token, Location, Result, Warnings};

/// Walks the whole document and checks every local `$ref`. One that resolves to nothing is
/// replaced by an empty schema (`{}`: free-form JSON where a schema belongs; where another
/// object belongs, typing then leaves it out), with a warning. References to other files
/// are reported as warnings: the IR types them as free-form JSON.
pub fn check_refs(path: &Path, root: &mut Value, warnings: &mut Warnings) -> Result<()> {
    let mut pointer = String::from("#");
    let mut dangling = Vec::new();
    walk(path, root, root, &mut pointer, &mut dangling, warnings);
    for (at, target) in dangling {
        if let Some(node) = root.pointer_mut(&at[1..]) {
            *node = Value::Object(serde_json::Map::new());
        }
        warnings.push(
            "dangling-ref",
            Location::new(path, format!("{at}/$ref")),
            format!("$ref `{target}` resolves to nothing in this document; read as an empty object (free-form JSON where a schema belongs)"),
        );
    }
    Ok(())
}

fn walk(
    path: &Path,
    root: &Value,
    node: &Value,
    pointer: &mut String,
    dangling: &mut Vec<(String, String)>,
    warnings: &mut Warnings,
) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                check_one(path, root, target, pointer, dangling, warnings);
            }
            // An `example` is data: a `$ref` key inside it is not a reference.
            let nested = |(k, v): &(&String, &Value)| {
                (v.is_object() || v.is_array()) && k.as_str() != "example"
            };
            for (k, v) in map.iter().filter(nested) {
                let len = pointer.len();
                pointer.push('/');
                if k.contains(['~', '/']) {
                    pointer.push_str(&escape_token(k));
                } else {
                    pointer.push_str(k);
                }
                walk(path, root, v, pointer, dangling, warnings);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_object() || v.is_array())
            {
                let len = pointer.len();
                // Writing to a String cannot fail.
                let _ = write!(pointer, "/{i}");
                walk(path, root, v, pointer, dangling, warnings);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn check_one(
    path: &Path,
    root: &Value,
    target: &str,
    pointer: &str,
    dangling: &mut Vec<(String, String)>,
    warnings: &mut Warnings,
) {
    match super::localize::local_pointer(target) {
        Some(fragment) => {
            if root.pointer(&fragment).is_none() {
                dangling.push((pointer.to_string(), target.to_string()));
            }
        }
        None => warnings.push(
            "external-ref",
            Location::new(path, format!("{pointer}/$ref")),
            format!(
                "reference to another document `{target}` is not followed; typed as free-form JSON"
            ),
        ),
    }
}

/// What a component reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Schemas,
    Parameters,
    Responses,
    RequestBodies,
    Headers,
}

impl RefKind {
    /// The key under `components`.
    pub fn segment(self) -> &'static str {
        match self {
            RefKind::Schemas => "schemas",
            RefKind::Parameters => "parameters",
            RefKind::Responses => "responses",
            RefKind::RequestBodies => "requestBodies",
            RefKind::Headers => "headers",
        }
    }
}

/// An item, or the component of the expected kind its `$ref` names, with the JSON
/// pointer of whichever it is. `None` when the reference leads nowhere (or to another
/// reference).
pub fn resolve<'d, T>(
    item: &'d openapiv3::ReferenceOr<T>,
    kind: RefKind,
    components: Option<&'d indexmap::IndexMap<String, openapiv3::ReferenceOr<T>>>,
    pointer: &str,
) -> Option<(&'d T, String)> {
    match item {
        openapiv3::ReferenceOr::Item(t) => Some((t, pointer.to_string())),
        openapiv3::ReferenceOr::Reference { reference } => {
            let (found, name) = ref_name(reference)?;
            let target = components?.get(&name)?.as_item()?;
            (found == kind).then(|| {
                (
                    target,
                    format!(
                        "#/components/{}/{}",
                        kind.segment(),
                        crate::diag::escape_token(&name)
                    ),
                )
            })
        }
    }
}

/// Splits `#/components/<kind>/<name>` into kind and (unescaped) name.
pub fn ref_name(reference: &str) -> Option<(RefKind, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (kind, name) = rest.split_once('/')?;
    if name.contains('/') {
        return None;
    }
    let kind = match kind {
        "schemas" => RefKind::Schemas,
        "parameters" => RefKind::Parameters,
        "responses" => RefKind::Responses,
        "requestBodies" => RefKind::RequestBodies,
        "headers" => RefKind::Headers,
        _ => return None,
    };
    Some((kind, crate::diag::unescape_token(name)))
}
