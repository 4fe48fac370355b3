//! References that do not name a component of the kind their place holds.
//!
//! The typed stage reads a `$ref` as `#/components/<kind>/<name>`, the kind being the one
//! its place holds. Real documents also point anywhere else, as JSON Reference allows:
//! into another operation (`#/paths/~1keys~1%7Bid%7D/get/parameters/0`), into a
//! component (`#/components/schemas/User/properties/id`), or at a component of another
//! kind (a response naming a request body). Before the document is typed, every such
//! reference is made into the one form the typed stage reads:
//!
//! | the reference, at its place | becomes |
//! |---|---|
//! | percent-encoded (`%7Bid%7D`, as in a URI fragment) | decoded |
//! | a schema anywhere but `components.schemas.<name>` | a component schema of its own (named from where it was), and every reference to it and the place it was point at that component |
//! | a parameter, header, request body or response outside its components section | a copy of the object |
//! | a component of another kind that fits the place (a request body as a response) | a copy, with a `wrong-kind-ref` warning |
//! | a component of another kind that does not fit, or nothing | an empty object, with an `unusable-ref` warning (free-form JSON where a schema belongs; elsewhere typing leaves it out) |

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use serde_json::{json, Map, Value};

use super::walk::{walk_document, Place, Visitor};
use crate::diag::{escape_token, unescape_token, Error, Location, Result, Warnings};

/// How many rounds of copying a chain of references may take before it counts as a loop.
const MAX_ROUNDS: usize = 16;

/// Rewrites the references of the document (see the module docs).
pub fn localize(path: &Path, raw: &mut Value, warnings: &mut Warnings) -> Result<()> {
    let Some(root) = raw.as_object_mut() else {
        return Ok(());
    };
    let mut schemas = BTreeSet::new();
    for _ in 0..MAX_ROUNDS {
        let mut found = Found::default();
        walk_document(root, &mut found);
        schemas.extend(found.schemas);
        if found.copies.is_empty() {
            return hoist_schemas(path, root, &schemas, warnings);
        }
        for copy in found.copies {
            copy_target(path, root, &copy, warnings)?;
        }
    }
    Err(Error::invalid(
        Location::new(path, "#"),
        format!("references lead from one non-component object to another more than {MAX_ROUNDS} times: a loop"),
    ))
}

/// The decoded JSON pointer of a local reference (`#/a/%7Bb%7D` -> `/a/{b}`); `None` for
/// a reference to another document.
pub fn local_pointer(reference: &str) -> Option<Cow<'_, str>> {
    let fragment = reference.strip_prefix('#')?;
    if !fragment.contains('%') {
        return Some(Cow::Borrowed(fragment));
    }
    Some(percent_encoding::percent_decode_str(fragment).decode_utf8_lossy())
}

/// A reference to be replaced by a copy of its target.
struct Copy {
    at: String,
    place: Place,
    target: String,
}

/// What one walk found: references to copy, and schema targets to hoist.
#[derive(Default)]
struct Found {
    copies: Vec<Copy>,
    /// Pointers (decoded, `#`-prefixed) of schemas referenced from outside components.
    schemas: BTreeSet<String>,
}

impl Visitor for Found {
    fn enter(&mut self, place: Place, node: &mut Value, at: &str) {
        let Some(Value::String(reference)) = node.get_mut("$ref") else {
            return;
        };
        let Some(pointer) = local_pointer(reference) else {
            return;
        };
        let decoded = format!("#{pointer}");
        if *reference != decoded {
            *reference = decoded.clone();
        }
        let Some(section) = place.section() else {
            return;
        };
        if component(&decoded).is_some_and(|(s, _)| s == section) || place == Place::PathItem {
            return;
        }
        if place == Place::Schema && component(&decoded).is_none() {
            self.schemas.insert(decoded);
        } else {
            self.copies.push(Copy {
                at: at.to_string(),
                place,
                target: decoded,
            });
        }
    }
}

/// `#/components/<section>/<name>` split into section and (escaped) name; `None` for any
/// other pointer.
fn component(reference: &str) -> Option<(&str, &str)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (section, name) = rest.split_once('/')?;
    (!name.contains('/')).then_some((section, name))
}

/// Replaces the reference at `copy.at` with its target, when the target fits the place.
fn copy_target(
    path: &Path,
    root: &mut Map<String, Value>,
    copy: &Copy,
    warnings: &mut Warnings,
) -> Result<()> {
    let at = || Location::new(path, format!("{}/$ref", copy.at));
    let found_place = component(&copy.target).and_then(|(s, _)| Place::of_section(s));
    let fitted = match lookup(root, &copy.target) {
        None => Err(format!("$ref `{}` resolves to nothing", copy.target)),
        Some(_) if found_place == Some(Place::Schema) => Err(format!(
            "$ref `{}` names a schema, where {} belongs",
            copy.target,
            copy.place.noun()
        )),
        Some(target) => fit(copy.place, target).ok_or_else(|| match found_place {
            Some(found) => format!(
                "$ref `{}` names {}, where {} belongs",
                copy.target,
                found.noun(),
                copy.place.noun()
            ),
            None => format!(
                "$ref `{}` leads to an object that is not {}",
                copy.target,
                copy.place.noun()
            ),
        }),
    };
    let fitted = match fitted {
        Ok(fitted) => {
            if let Some(found) = found_place {
                warnings.push(
                    "wrong-kind-ref",
                    at(),
                    format!(
                        "$ref `{}` names {} where {} belongs; read as {}",
                        copy.target,
                        found.noun(),
                        copy.place.noun(),
                        copy.place.noun()
                    ),
                );
            }
            fitted
        }
        // The damage is local: the reference becomes an empty object (free-form JSON where
        // a schema belongs; elsewhere typing leaves it out, with a warning of its own).
        Err(problem) => {
            warnings.push(
                "unusable-ref",
                at(),
                format!("{problem}; read as an empty object"),
            );
            Value::Object(Map::new())
        }
    };
    if let Some(node) = lookup_mut(root, &copy.at) {
        *node = fitted;
    }
    Ok(())
}

/// The fields an object of each place may carry (besides `x-` extensions).
fn fields(place: Place) -> &'static [&'static str] {
    match place {
        Place::Parameter => &[
            "name",
            "in",
            "description",
            "required",
            "deprecated",
            "allowEmptyValue",
            "style",
            "explode",
            "allowReserved",
            "schema",
            "example",
            "examples",
            "content",
        ],
        Place::Header => &[
            "description",
            "required",
            "deprecated",
            "style",
            "explode",
            "schema",
            "example",
            "examples",
            "content",
        ],
        Place::RequestBody => &["description", "content", "required"],
        Place::Response => &["description", "headers", "content", "links"],
        Place::PathItem | Place::Operation | Place::Schema => &[],
    }
}

/// A copy of `target` as an object of `place`, keeping the fields that place has; `None`
/// when it lacks what the place requires (or is a reference itself, which the next round
/// copies).
fn fit(place: Place, target: &Value) -> Option<Value> {
    let map = target.as_object()?;
    if map.contains_key("$ref") {
        return Some(target.clone());
    }
    let fits = match place {
        Place::Parameter => map.contains_key("name") && map.contains_key("in"),
        Place::Header => map.contains_key("schema") || map.contains_key("content"),
        Place::RequestBody => map.contains_key("content"),
        Place::Response => map.contains_key("description") || map.contains_key("content"),
        Place::PathItem | Place::Operation | Place::Schema => false,
    };
    if !fits {
        return None;
    }
    let keep = fields(place);
    let mut out: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| k.starts_with("x-") || keep.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if place == Place::Response {
        out.entry("description").or_insert_with(|| json!(""));
    }
    Some(Value::Object(out))
}

fn lookup<'a>(root: &'a Map<String, Value>, pointer: &str) -> Option<&'a Value> {
    let (first, rest) = split_first(pointer)?;
    let value = root.get(&first)?;
    value.pointer(rest)
}

fn lookup_mut<'a>(root: &'a mut Map<String, Value>, pointer: &str) -> Option<&'a mut Value> {
    let (first, rest) = split_first(pointer)?;
    let value = root.get_mut(&first)?;
    value.pointer_mut(rest)
}

/// `#/a/b/c` -> (`a`, `/b/c`), the first token unescaped.
fn split_first(pointer: &str) -> Option<(String, &str)> {
    let rest = pointer.strip_prefix("#/")?;
    let (first, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    Some((unescape_token(first), tail))
}

/// Moves each schema referenced from outside `components.schemas.<name>` into a component
/// of its own, leaves a reference where it was, and points every reference to it there.
fn hoist_schemas(
    path: &Path,
    root: &mut Map<String, Value>,
    targets: &BTreeSet<String>,
    warnings: &mut Warnings,
) -> Result<()> {
    if targets.is_empty() {
        return Ok(());
    }
    // Deepest first: moving a schema changes nothing above it, so the pointers of the
    // schemas that contain it still lead where they did.
    let mut order: Vec<&String> = targets.iter().collect();
    order.sort_by_key(|t| std::cmp::Reverse(t.matches('/').count()));
    let mut taken: HashSet<String> = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let mut moved = BTreeMap::new();
    let mut hoisted = Vec::new();
    for target in order {
        let name = free_name(&mut taken, target);
        let reference = format!("#/components/schemas/{}", escape_token(&name));
        let Some(node) = lookup_mut(root, target) else {
            return Err(Error::DanglingRef {
                at: Location::new(path, "#"),
                target: target.clone(),
            });
        };
        let schema = std::mem::replace(node, json!({ "$ref": reference }));
        hoisted.push((name, schema));
        warnings.moved(reference.clone(), target.clone());
        moved.insert(target.clone(), reference);
    }
    let components = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    if let Some(components) = components {
        let schemas = components.entry("schemas").or_insert_with(|| json!({}));
        if let Some(schemas) = schemas.as_object_mut() {
            schemas.extend(hoisted);
        }
    }
    for value in root.values_mut() {
        repoint(value, &moved);
    }
    Ok(())
}

/// Points every `$ref` to a moved schema at its new place.
fn repoint(node: &mut Value, moved: &BTreeMap<String, String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(new) = moved.get(r.as_str()) {
                    *r = new.clone();
                }
            }
            map.values_mut().for_each(|v| repoint(v, moved));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| repoint(v, moved)),
        _ => {}
    }
}

/// Tokens of a pointer that say where in the document's structure a node is, not what
/// it is.
fn structural(token: &str) -> bool {
    matches!(
        token,
        "paths"
            | "webhooks"
            | "x-webhooks"
            | "components"
            | "schemas"
            | "parameters"
            | "headers"
            | "requestBodies"
            | "responses"
            | "requestBody"
            | "content"
            | "schema"
            | "properties"
            | "items"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "not"
            | "additionalProperties"
            | "$defs"
            | "definitions"
    ) || super::walk::METHODS.contains(&token)
        || token.contains('/')
        || token.bytes().all(|b| b.is_ascii_digit())
}

/// A component name for the schema at `target`, from the last two tokens that name
/// something (`#/components/schemas/User/properties/address` -> `User address`; a schema
/// under a path takes the path's words), not yet taken.
fn free_name(taken: &mut HashSet<String>, target: &str) -> String {
    let tokens: Vec<String> = target
        .trim_start_matches('#')
        .split('/')
        .filter(|t| !t.is_empty())
        .map(unescape_token)
        .collect();
    let mut words: Vec<String> = tokens.iter().filter(|t| !structural(t)).cloned().collect();
    if words.is_empty() {
        // A schema directly under an operation: the path's words and the status.
        words = tokens
            .iter()
            .filter(|t| t.starts_with('/') || t.bytes().all(|b| b.is_ascii_digit()))
            .flat_map(|t| t.split(['/', '{', '}']).map(str::to_string))
            .filter(|w| !w.is_empty())
            .collect();
    }
    let start = words.len().saturating_sub(2);
    let base = match words[start..].join(" ") {
        s if s.is_empty() => "Schema".to_string(),
        s => s,
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base} {n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: Value) -> (Result<Value>, Vec<crate::diag::Warning>) {
        let (r, warnings) = run_keeping(doc);
        (r, warnings.into_sorted())
    }

    fn run_keeping(mut doc: Value) -> (Result<Value>, Warnings) {
        let mut warnings = Warnings::default();
        let r = localize(Path::new("t.yaml"), &mut doc, &mut warnings).map(|()| doc);
        (r, warnings)
    }

    #[test]
    fn a_percent_encoded_parameter_elsewhere_is_copied() {
        let (doc, warnings) = run(json!({
            "paths": {"/keys/{id}": {
                "get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {}},
                "delete": {"parameters": [{"$ref": "#/paths/~1keys~1%7Bid%7D/get/parameters/0"}], "responses": {}}
            }}
        }));
        let doc = doc.unwrap();
        assert_eq!(
            doc["paths"]["/keys/{id}"]["delete"]["parameters"][0],
            doc["paths"]["/keys/{id}"]["get"]["parameters"][0]
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_schema_inside_another_becomes_one_component_used_by_both_places() {
        let (doc, _) = run(json!({
            "paths": {"/a": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/User/properties/address"
            }}}}}}}},
            "components": {"schemas": {
                "User": {"properties": {"address": {"type": "object", "properties": {"city": {"type": "string"}}}}},
                "User address": {"type": "integer"}
            }}
        }));
        let doc = doc.unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["User address 2"]["properties"]["city"]["type"],
            "string"
        );
        assert_eq!(
            schemas["User"]["properties"]["address"]["$ref"],
            "#/components/schemas/User address 2"
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/User address 2"
        );
    }

    #[test]
    fn a_moved_schema_is_reported_where_the_user_wrote_it() {
        let (doc, warnings) = run_keeping(json!({
            "paths": {"/a": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                "$ref": "#/paths/~1b/get/responses/200/content/application~1json/schema"
            }}}}}}},
            "/b": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {"schema": {"type": "object"}}}}}}}}
        }));
        let doc = doc.unwrap();
        assert!(doc["components"]["schemas"]["b 200"].is_object());
        assert_eq!(
            warnings.original("#/components/schemas/b 200/properties/x"),
            "#/paths/~1b/get/responses/200/content/application~1json/schema/properties/x"
        );
        assert_eq!(
            warnings.original("#/components/schemas/b 2000"),
            "#/components/schemas/b 2000"
        );
    }

    #[test]
    fn a_request_body_named_as_a_response_is_read_as_one_with_a_warning() {
        let (doc, warnings) = run(json!({
            "paths": {"/a": {"post": {"responses": {"200": {"$ref": "#/components/requestBodies/Thing"}}}}},
            "components": {"requestBodies": {"Thing": {"required": true, "content": {"application/json": {"schema": {}}}}}}
        }));
        let doc = doc.unwrap();
        assert_eq!(
            doc["paths"]["/a"]["post"]["responses"]["200"],
            json!({"content": {"application/json": {"schema": {}}}, "description": ""})
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind, "wrong-kind-ref");
        assert_eq!(
            warnings[0].at.pointer,
            "#/paths/~1a/post/responses/200/$ref"
        );
    }

    #[test]
    fn a_component_of_another_kind_that_does_not_fit_is_an_empty_object_with_a_warning() {
        let (doc, warnings) = run(json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/schemas/Id"}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/responses/Thing"}}}}}
            }}},
            "components": {
                "schemas": {"Id": {"type": "string"}},
                "responses": {"Thing": {"description": "a thing"}}
            }
        }));
        let doc = doc.unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"][0], json!({}));
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(
            said.iter()
                .any(|w| w.contains("t.yaml#/paths/~1a/get/parameters/0/$ref")
                    && w.contains("names a schema, where a parameter belongs")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|w| w.contains("names a response, where a schema belongs")),
            "{said:?}"
        );
    }

    #[test]
    fn a_loop_of_references_between_operations_is_an_error_not_a_hang() {
        let (doc, _) = run(json!({
            "paths": {"/a": {
                "get": {"parameters": [{"$ref": "#/paths/~1a/put/parameters/0"}], "responses": {}},
                "put": {"parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}], "responses": {}}
            }}
        }));
        assert!(doc.unwrap_err().to_string().contains("a loop"));
    }
}
