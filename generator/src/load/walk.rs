//! The places of a raw document that hold OpenAPI objects, visited in document order.
//!
//! The load stage rewrites the document before it is typed (3.1 forms, references that
//! are not to components); each rewrite needs to know what kind of object a node is, and
//! that knowledge lives here once: [`walk_document`] calls [`Visitor::enter`] on every
//! path item, operation, parameter, header, request body, response and schema, with its
//! JSON pointer, before it descends into what the (possibly rewritten) node contains.

use serde_json::{Map, Value};

use crate::diag::escape_token;

/// The HTTP methods a path item can hold.
pub(crate) const METHODS: [&str; 8] = [
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

/// What kind of OpenAPI object a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    Schema,
}

impl Place {
    /// The `components` section that holds objects of this kind (operations have none).
    pub(crate) fn section(self) -> Option<&'static str> {
        Some(match self {
            Place::PathItem => "pathItems",
            Place::Operation => return None,
            Place::Parameter => "parameters",
            Place::Header => "headers",
            Place::RequestBody => "requestBodies",
            Place::Response => "responses",
            Place::Schema => "schemas",
        })
    }

    /// What a user calls an object of this kind, for messages.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Place::PathItem => "a path item",
            Place::Operation => "an operation",
            Place::Parameter => "a parameter",
            Place::Header => "a header",
            Place::RequestBody => "a request body",
            Place::Response => "a response",
            Place::Schema => "a schema",
        }
    }

    /// The place of the objects of one `components` section.
    pub(crate) fn of_section(section: &str) -> Option<Place> {
        Some(match section {
            "schemas" => Place::Schema,
            "parameters" => Place::Parameter,
            "headers" => Place::Header,
            "requestBodies" => Place::RequestBody,
            "responses" => Place::Response,
            "pathItems" => Place::PathItem,
            _ => return None,
        })
    }
}

/// Called on each node before the walk descends into it; it may rewrite the node.
pub(crate) trait Visitor {
    fn enter(&mut self, place: Place, node: &mut Value, at: &str);

    /// Whether the walk goes into schemas (a visitor with nothing to do there saves the
    /// larger part of the walk).
    fn schemas(&self) -> bool {
        true
    }
}

/// Visits every object of the document: paths, webhooks (both spellings), components.
pub(crate) fn walk_document(root: &mut Map<String, Value>, visitor: &mut impl Visitor) {
    let mut w = Walk {
        visitor,
        at: String::from("#"),
    };
    for section in ["paths", "webhooks", "x-webhooks"] {
        if let Some(Value::Object(items)) = root.get_mut(section) {
            let len = w.push(section);
            for (name, item) in items.iter_mut() {
                w.child(name, Place::PathItem, item);
            }
            w.pop(len);
        }
    }
    let Some(Value::Object(components)) = root.get_mut("components") else {
        return;
    };
    w.push("components");
    for (section, entries) in components.iter_mut() {
        let (Some(place), Value::Object(entries)) = (Place::of_section(section), entries) else {
            continue;
        };
        let len = w.push(section);
        for (name, entry) in entries.iter_mut() {
            w.child(name, place, entry);
        }
        w.pop(len);
    }
}

struct Walk<'v, V> {
    visitor: &'v mut V,
    /// The pointer of the node being visited; tokens are pushed and popped around each
    /// descent, so that no pointer is built for a node with nothing to say.
    at: String,
}

impl<V: Visitor> Walk<'_, V> {
    /// Appends a token to the pointer; returns the length to truncate back to.
    fn push(&mut self, token: &str) -> usize {
        let len = self.at.len();
        self.at.push('/');
        if token.contains(['~', '/']) {
            self.at.push_str(&escape_token(token));
        } else {
            self.at.push_str(token);
        }
        len
    }

    fn pop(&mut self, len: usize) {
        self.at.truncate(len);
    }

    /// Visits `node`, found under `token`, as a `place`.
    fn child(&mut self, token: &str, place: Place, node: &mut Value) {
        if place == Place::Schema && !self.visitor.schemas() {
            return;
        }
        let len = self.push(token);
        self.visit(place, node);
        self.pop(len);
    }

    fn visit(&mut self, place: Place, node: &mut Value) {
        self.visitor.enter(place, node, &self.at);
        let Value::Object(map) = node else { return };
        match place {
            Place::PathItem => self.path_item(map),
            Place::Operation => self.operation(map),
            Place::Parameter | Place::Header => {
                self.one(map, "schema", Place::Schema);
                self.content(map);
            }
            Place::RequestBody => self.content(map),
            Place::Response => {
                self.map(map, "headers", Place::Header);
                self.content(map);
            }
            Place::Schema => self.schema(map),
        }
    }

    fn path_item(&mut self, map: &mut Map<String, Value>) {
        self.list(map, "parameters", Place::Parameter);
        for method in METHODS {
            self.one(map, method, Place::Operation);
        }
    }

    fn operation(&mut self, map: &mut Map<String, Value>) {
        self.list(map, "parameters", Place::Parameter);
        self.one(map, "requestBody", Place::RequestBody);
        self.map(map, "responses", Place::Response);
    }

    /// The schemas of an object's `content` media types.
    fn content(&mut self, map: &mut Map<String, Value>) {
        let Some(Value::Object(content)) = map.get_mut("content") else {
            return;
        };
        let outer = self.push("content");
        for (media, m) in content.iter_mut() {
            if let Value::Object(m) = m {
                let len = self.push(media);
                self.one(m, "schema", Place::Schema);
                self.pop(len);
            }
        }
        self.pop(outer);
    }

    fn schema(&mut self, map: &mut Map<String, Value>) {
        for key in ONE_SCHEMA {
            match map.get_mut(key) {
                // `additionalProperties: false` stays a boolean: the typed model reads it.
                Some(Value::Bool(_)) if key == "additionalProperties" => {}
                Some(inner @ (Value::Object(_) | Value::Bool(_))) => {
                    self.child(key, Place::Schema, inner);
                }
                _ => {}
            }
        }
        for key in SCHEMA_LISTS {
            self.list(map, key, Place::Schema);
        }
        for key in SCHEMA_MAPS {
            self.map(map, key, Place::Schema);
        }
    }

    fn one(&mut self, map: &mut Map<String, Value>, key: &str, place: Place) {
        if let Some(inner) = map.get_mut(key) {
            self.child(key, place, inner);
        }
    }

    fn list(&mut self, map: &mut Map<String, Value>, key: &str, place: Place) {
        let Some(Value::Array(items)) = map.get_mut(key) else {
            return;
        };
        let len = self.push(key);
        for (i, inner) in items.iter_mut().enumerate() {
            self.child(&i.to_string(), place, inner);
        }
        self.pop(len);
    }

    fn map(&mut self, map: &mut Map<String, Value>, key: &str, place: Place) {
        let Some(Value::Object(entries)) = map.get_mut(key) else {
            return;
        };
        let len = self.push(key);
        for (name, inner) in entries.iter_mut() {
            self.child(name, place, inner);
        }
        self.pop(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Record(Vec<(Place, String)>);

    impl Visitor for Record {
        fn enter(&mut self, place: Place, _node: &mut Value, at: &str) {
            self.0.push((place, at.to_string()));
        }
    }

    #[test]
    fn every_object_is_visited_with_its_place_and_pointer() {
        let mut doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
                "get": {"responses": {"200": {
                    "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": {"items": {"$ref": "#/components/schemas/A"}}}}
                }}}
            }},
            "components": {"schemas": {"A": {"additionalProperties": false, "properties": {"b~c": {}}}}}
        });
        let mut seen = Record(Vec::new());
        walk_document(doc.as_object_mut().unwrap(), &mut seen);
        let expected = [
            (Place::PathItem, "#/paths/~1a~1{id}"),
            (Place::Parameter, "#/paths/~1a~1{id}/parameters/0"),
            (Place::Schema, "#/paths/~1a~1{id}/parameters/0/schema"),
            (Place::Operation, "#/paths/~1a~1{id}/get"),
            (Place::Response, "#/paths/~1a~1{id}/get/responses/200"),
            (
                Place::Header,
                "#/paths/~1a~1{id}/get/responses/200/headers/X-Rate",
            ),
            (
                Place::Schema,
                "#/paths/~1a~1{id}/get/responses/200/headers/X-Rate/schema",
            ),
            (
                Place::Schema,
                "#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema",
            ),
            (
                Place::Schema,
                "#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/items",
            ),
            (Place::Schema, "#/components/schemas/A"),
            (Place::Schema, "#/components/schemas/A/properties/b~0c"),
        ];
        let seen: Vec<(Place, &str)> = seen.0.iter().map(|(p, a)| (*p, a.as_str())).collect();
        assert_eq!(seen, expected);
    }
}
