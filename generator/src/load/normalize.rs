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

use crate::diag::{escape_token, Error, Location, Result, Warnings};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords whose value is one schema.
const ONE_SCHEMA: [&str; 9] = [
    "items",
    "not",
    "additionalProperties",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
];

/// Schema keywords whose value is a list of schemas.
const SCHEMA_LISTS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];

/// Schema keywords whose value is a map of names to schemas.
const SCHEMA_MAPS: [&str; 4] = [
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
];

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
    if is_31 {
        visit_document(&mut Cx { path, warnings }, root);
        // One place for the events of both versions.
        if let Some(webhooks) = root.remove("webhooks") {
            root.entry("x-webhooks").or_insert(webhooks);
        }
    } else {
        fill_responses(root);
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
}

impl Cx<'_> {
    fn warn(&mut self, kind: &'static str, pointer: &str, message: impl Into<String>) {
        self.warnings
            .push(kind, Location::new(self.path, pointer.to_string()), message);
    }
}

/// Gives every operation of a 3.0 document without `responses` an empty set (the only
/// rewrite 3.0 needs; its schemas are read as they are).
fn fill_responses(root: &mut Map<String, Value>) {
    for section in ["paths", "x-webhooks"] {
        let Some(Value::Object(items)) = root.get_mut(section) else {
            continue;
        };
        for item in items.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for method in METHODS {
                if let Some(Value::Object(op)) = item.get_mut(method) {
                    op.entry("responses").or_insert_with(|| json!({}));
                }
            }
        }
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
                    .and_then(|name| items.get(unescape(name).as_str()));
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

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Visits every place of the document that holds a schema, and every operation.
fn visit_document(cx: &mut Cx<'_>, root: &mut Map<String, Value>) {
    for section in ["paths", "webhooks", "x-webhooks"] {
        if let Some(Value::Object(items)) = root.get_mut(section) {
            for (name, item) in items.iter_mut() {
                let at = format!("#/{section}/{}", escape_token(name));
                visit_path_item(cx, item, &at);
            }
        }
    }
    let Some(Value::Object(components)) = root.get_mut("components") else {
        return;
    };
    for (kind, entries) in components.iter_mut() {
        let Value::Object(entries) = entries else {
            continue;
        };
        for (name, entry) in entries.iter_mut() {
            let at = format!("#/components/{kind}/{}", escape_token(name));
            match kind.as_str() {
                "schemas" => visit_schema(cx, entry, &at),
                "parameters" | "headers" => visit_parameter(cx, entry, &at),
                "requestBodies" => visit_content(cx, entry, &at),
                "responses" => visit_response(cx, entry, &at),
                "pathItems" => visit_path_item(cx, entry, &at),
                _ => {}
            }
        }
    }
}

fn visit_path_item(cx: &mut Cx<'_>, item: &mut Value, at: &str) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    visit_parameters(cx, item, at);
    for method in METHODS {
        let Some(Value::Object(op)) = item.get_mut(method) else {
            continue;
        };
        let at = format!("{at}/{method}");
        op.entry("responses").or_insert_with(|| json!({}));
        visit_parameters(cx, op, &at);
        if let Some(body) = op.get_mut("requestBody") {
            visit_content(cx, body, &format!("{at}/requestBody"));
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                visit_response(
                    cx,
                    response,
                    &format!("{at}/responses/{}", escape_token(status)),
                );
            }
        }
    }
}

fn visit_parameters(cx: &mut Cx<'_>, holder: &mut Map<String, Value>, at: &str) {
    if let Some(Value::Array(params)) = holder.get_mut("parameters") {
        for (i, p) in params.iter_mut().enumerate() {
            visit_parameter(cx, p, &format!("{at}/parameters/{i}"));
        }
    }
}

/// A parameter or header: its `schema`, or the schemas of its `content`.
fn visit_parameter(cx: &mut Cx<'_>, param: &mut Value, at: &str) {
    if let Some(schema) = param.get_mut("schema") {
        visit_schema(cx, schema, &format!("{at}/schema"));
    }
    visit_content(cx, param, at);
}

fn visit_response(cx: &mut Cx<'_>, response: &mut Value, at: &str) {
    if let Some(Value::Object(headers)) = response.get_mut("headers") {
        for (name, h) in headers.iter_mut() {
            visit_parameter(cx, h, &format!("{at}/headers/{}", escape_token(name)));
        }
    }
    visit_content(cx, response, at);
}

/// The schemas of an object's `content` media types.
fn visit_content(cx: &mut Cx<'_>, holder: &mut Value, at: &str) {
    let Some(Value::Object(content)) = holder.get_mut("content") else {
        return;
    };
    for (media, m) in content.iter_mut() {
        if let Some(schema) = m.get_mut("schema") {
            let at = format!("{at}/content/{}/schema", escape_token(media));
            visit_schema(cx, schema, &at);
        }
    }
}

/// Rewrites one schema, then the schemas inside it.
fn visit_schema(cx: &mut Cx<'_>, schema: &mut Value, at: &str) {
    if let Value::Bool(b) = schema {
        *schema = if *b { json!({}) } else { json!({"not": {}}) };
    }
    let Value::Object(map) = schema else { return };
    rewrite_31(cx, map, at);
    for key in ONE_SCHEMA {
        match map.get_mut(key) {
            // `additionalProperties: false` stays a boolean: the typed model reads it.
            Some(Value::Bool(_)) if key == "additionalProperties" => {}
            Some(inner @ (Value::Object(_) | Value::Bool(_))) => {
                visit_schema(cx, inner, &format!("{at}/{key}"));
            }
            _ => {}
        }
    }
    for key in SCHEMA_LISTS {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            for (i, inner) in items.iter_mut().enumerate() {
                visit_schema(cx, inner, &format!("{at}/{key}/{i}"));
            }
        }
    }
    for key in SCHEMA_MAPS {
        if let Some(Value::Object(entries)) = map.get_mut(key) {
            for (name, inner) in entries.iter_mut() {
                visit_schema(cx, inner, &format!("{at}/{key}/{}", escape_token(name)));
            }
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
