//! One document model for every version. Before the document is typed, OpenAPI 3.1
//! (JSON Schema 2020-12) is rewritten in place into the forms of 3.0 that the typed
//! model reads, so that nothing after the load stage knows which version a document was:
//!
//! | 3.1 | becomes |
//! |---|---|
//! | `type: [T, "null"]`, `type: "null"` | `type: T, nullable: true`; several types: `anyOf` of each |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, ...]` (in a schema) | `example: a` |
//! | numeric `exclusiveMinimum: n` / `exclusiveMaximum: n` | `minimum: n, exclusiveMinimum: true` / likewise |
//! | `$ref` with schema keywords beside it | `allOf: [{$ref}]` with those keywords |
//! | `$defs` inside a component schema | a component schema of its own, references rewritten |
//! | `prefixItems` | `items`: the one member schema, else free-form JSON (warning) |
//! | `contentMediaType` / `contentEncoding` on a string | `format: binary` (`byte` for base64) |
//! | `$dynamicRef` | free-form JSON (warning: generics are not typed) |
//! | a `true` / `false` schema | `{}` / `{not: {}}` |
//! | `components.pathItems` referenced from `paths` or `webhooks` | the path item, inlined |
//!
//! 3.1 `webhooks` move to `x-webhooks`, where 3.0 documents keep them (their pointers in
//! diagnostics then read `#/x-webhooks/...`). For both versions, a document without
//! `paths` gets an empty one and an operation (webhooks' included) without `responses` an
//! empty set; Swagger 2.0 and unknown versions are errors that say so.
//! Pointers of nodes that are not rewritten stay as they were, so diagnostics still point
//! into the user's file.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::walk::{walk_document, Place, Visitor};
use crate::diag::{escape_token, unescape_token, Error, Location, Result, Warnings};

/// Rewrites the document into the one model the typed stage reads (see the module docs).
pub fn normalize(path: &Path, raw: &mut Value, warnings: &mut Warnings) -> Result<()> {
    let is_31 = version(path, raw)?;
    let Some(root) = raw.as_object_mut() else {
        return Err(Error::invalid(
            Location::new(path, "#"),
            "an OpenAPI document is an object",
        ));
    };
    root.entry("paths").or_insert_with(|| json!({}));
    if is_31 {
        inline_path_items(root);
        hoist_defs(root);
    }
    walk_document(
        root,
        &mut Cx {
            path,
            warnings,
            is_31,
        },
    );
    // One place for the events of both versions.
    if let Some(webhooks) = root.remove("webhooks") {
        root.entry("x-webhooks").or_insert(webhooks);
    }
    Ok(())
}

/// Whether the document is 3.1; an error for Swagger 2.0 and for versions not 3.0/3.1.
fn version(path: &Path, raw: &Value) -> Result<bool> {
    if let Some(v) = raw.get("swagger") {
        return Err(Error::invalid(
            Location::new(path, "#/swagger"),
            format!(
                "this is a Swagger {} document; clerkgen reads OpenAPI 3.0 and 3.1 (convert it first, for example with swagger2openapi)",
                v.as_str().unwrap_or("2.0")
            ),
        ));
    }
    match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => Ok(false),
        Some(v) if v.starts_with("3.1") => Ok(true),
        Some(v) => Err(Error::invalid(
            Location::new(path, "#/openapi"),
            format!("OpenAPI version {v} is not supported; clerkgen reads 3.0 and 3.1"),
        )),
        None => Err(Error::invalid(
            Location::new(path, "#"),
            "no `openapi` version field: not an OpenAPI 3 document",
        )),
    }
}

struct Cx<'a> {
    path: &'a Path,
    warnings: &'a mut Warnings,
    /// Schemas are rewritten only in 3.1 documents; operations get `responses` in both.
    is_31: bool,
}

impl Cx<'_> {
    fn warn(&mut self, kind: &'static str, pointer: &str, message: impl Into<String>) {
        self.warnings
            .push(kind, Location::new(self.path, pointer.to_string()), message);
    }
}

/// Replaces `$ref`s to `#/components/pathItems/X` under `paths` and `webhooks` with the
/// path item itself (the typed model has no such component).
fn inline_path_items(root: &mut Map<String, Value>) {
    let Some(items) = root
        .get("components")
        .and_then(|c| c.get("pathItems"))
        .cloned()
    else {
        return;
    };
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(entries)) = root.get_mut(section) else {
            continue;
        };
        for entry in entries.values_mut() {
            // A chain of path item references ends within as many steps as there are items.
            for _ in 0..=items.as_object().map_or(0, Map::len) {
                let target = entry
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                    .and_then(|name| items.get(unescape_token(name).as_str()));
                match target {
                    Some(item) => *entry = item.clone(),
                    None => break,
                }
            }
        }
    }
}

/// Moves each `$defs` entry of a component schema to a component schema of its own
/// (`<Parent><Name>`), and rewrites the references to it.
fn hoist_defs(root: &mut Map<String, Value>) {
    let Some(Value::Object(schemas)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    else {
        return;
    };
    // Names taken: the component schemas, then each hoisted one as it is named.
    let mut taken: std::collections::HashSet<String> = schemas.keys().cloned().collect();
    let mut moved: Vec<(String, String)> = Vec::new();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    for (parent, schema) in schemas.iter_mut() {
        let Some(Value::Object(defs)) = schema.as_object_mut().and_then(|s| s.remove("$defs"))
        else {
            continue;
        };
        for (name, def) in defs {
            let mut new_name = format!("{parent}{name}");
            while taken.contains(&new_name) {
                new_name.push('_');
            }
            taken.insert(new_name.clone());
            moved.push((
                format!(
                    "#/components/schemas/{}/$defs/{}",
                    escape_token(parent),
                    escape_token(&name)
                ),
                format!("#/components/schemas/{}", escape_token(&new_name)),
            ));
            hoisted.push((new_name, def));
        }
    }
    schemas.extend(hoisted);
    if !moved.is_empty() {
        for value in root.values_mut() {
            rewrite_refs(value, &moved);
        }
    }
}

/// Rewrites every `$ref` that starts with a moved pointer.
fn rewrite_refs(node: &mut Value, moved: &[(String, String)]) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some((old, new)) = moved.iter().find(|(old, _)| r.starts_with(old.as_str()))
                {
                    *r = format!("{new}{}", &r[old.len()..]);
                }
            }
            map.values_mut().for_each(|v| rewrite_refs(v, moved));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, moved)),
        _ => {}
    }
}

impl Visitor for Cx<'_> {
    fn schemas(&self) -> bool {
        self.is_31
    }

    fn enter(&mut self, place: Place, node: &mut Value, at: &str) {
        match place {
            Place::Operation => {
                if let Value::Object(op) = node {
                    op.entry("responses").or_insert_with(|| json!({}));
                }
            }
            Place::Schema if self.is_31 => {
                if let Value::Bool(b) = node {
                    *node = if *b { json!({}) } else { json!({"not": {}}) };
                }
                if let Value::Object(map) = node {
                    rewrite_31(self, map, at);
                }
            }
            _ => {}
        }
    }
}

/// The 3.1 keywords of one schema object, in their 3.0 forms.
fn rewrite_31(cx: &mut Cx<'_>, map: &mut Map<String, Value>, at: &str) {
    if map.contains_key("$dynamicRef") {
        cx.warn(
            "fallback-type",
            at,
            "`$dynamicRef` (a generic schema) is typed as free-form JSON",
        );
        map.clear();
        return;
    }
    ref_with_siblings(map);
    types_array(map);
    if let Some(value) = map.remove("const") {
        // The constant's own type, when the schema states none.
        let implied = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            Value::Null => {
                map.insert("nullable".into(), Value::Bool(true));
                None
            }
            _ => None,
        };
        if let Some(t) = implied {
            map.entry("type").or_insert_with(|| json!(t));
        }
        map.entry("enum")
            .or_insert_with(|| Value::Array(vec![value]));
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        let first = examples.first().cloned();
        map.remove("examples");
        if let Some(first) = first {
            map.entry("example").or_insert(first);
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(Value::Array(prefix)) = map.remove("prefixItems") {
        let same = prefix.windows(2).all(|w| w[0] == w[1]);
        let items = match prefix.first() {
            Some(first) if same => first.clone(),
            _ => {
                cx.warn(
                    "fallback-type",
                    at,
                    "a tuple (`prefixItems` of different schemas) is typed as a list of free-form JSON",
                );
                json!({})
            }
        };
        map.insert("items".into(), items);
    }
    content_encoding(map);
}

/// `{$ref, ...keywords}`: keeps the keywords by wrapping the reference in `allOf`.
/// Annotations alone (`description`, `summary`) are dropped, as 3.0 drops them.
fn ref_with_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") {
        return;
    }
    let annotation =
        |k: &str| matches!(k, "$ref" | "description" | "summary" | "title" | "$comment");
    if map.keys().all(|k| annotation(k)) {
        map.retain(|k, _| k == "$ref");
        return;
    }
    let reference = json!({ "$ref": map.remove("$ref").unwrap_or_default() });
    match map.get_mut("allOf") {
        Some(Value::Array(all)) => all.insert(0, reference),
        _ => {
            map.insert("allOf".into(), Value::Array(vec![reference]));
        }
    }
}

/// `type: [..]` and `type: "null"`.
fn types_array(map: &mut Map<String, Value>) {
    match map.get("type").cloned() {
        Some(Value::String(t)) if t == "null" => {
            map.remove("type");
            map.insert("nullable".into(), Value::Bool(true));
        }
        Some(Value::Array(types)) => {
            let mut named: Vec<Value> = types
                .iter()
                .filter(|t| t.as_str() != Some("null"))
                .cloned()
                .collect();
            if named.len() < types.len() {
                map.insert("nullable".into(), Value::Bool(true));
            }
            map.remove("type");
            match named.len() {
                0 => {}
                1 => {
                    map.insert("type".into(), named.remove(0));
                }
                _ => {
                    let members = named.into_iter().map(|t| json!({ "type": t })).collect();
                    map.insert("anyOf".into(), Value::Array(members));
                }
            }
        }
        _ => {}
    }
}

/// A string whose content is a file (`contentMediaType`) or encoded bytes.
fn content_encoding(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media.as_ref().and_then(Value::as_str),
    ) {
        (Some("base64" | "base64url"), _) => "byte",
        (Some(_), _) => "binary",
        (None, Some(m)) if !m.contains("json") && !m.starts_with("text/") => "binary",
        _ => return,
    };
    map.entry("type").or_insert_with(|| json!("string"));
    map.insert("format".into(), json!(format));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hoisted_defs_never_take_an_existing_components_name() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "paths": {},
            "components": {"schemas": {
                "Note": {"$defs": {"Tag": {"type": "string"}}, "properties": {"tag": {"$ref": "#/components/schemas/Note/$defs/Tag"}}},
                "NoteTag": {"type": "integer"}
            }}
        });
        normalize(Path::new("t.yaml"), &mut doc, &mut Warnings::default()).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["NoteTag"], json!({"type": "integer"}));
        assert_eq!(schemas["NoteTag_"], json!({"type": "string"}));
        assert_eq!(
            schemas["Note"]["properties"]["tag"]["$ref"],
            "#/components/schemas/NoteTag_"
        );
    }

    #[test]
    fn type_arrays_const_and_exclusive_bounds_take_their_30_forms() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "paths": {},
            "components": {"schemas": {"N": {"type": ["integer", "null"], "exclusiveMinimum": 0, "examples": [3]}, "K": {"const": "k"}}}
        });
        normalize(Path::new("t.yaml"), &mut doc, &mut Warnings::default()).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["N"],
            json!({"type": "integer", "nullable": true, "minimum": 0, "exclusiveMinimum": true, "example": 3})
        );
        assert_eq!(s["K"], json!({"type": "string", "enum": ["k"]}));
    }
}
