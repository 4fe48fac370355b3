//! Pagination inferred from the spec: which list operations can be walked page by page.
//!
//! A pager needs an operation that sends no body, takes a numeric `limit` query
//! parameter, and answers with either a bare array or an object holding exactly one
//! required array (its items) and, optionally, a number whose name says it is a total
//! (`total_count`). Aliases are seen through. It then walks:
//! - by offset, when the operation also takes a numeric `offset` query parameter;
//! - by cursor, when it takes a string `starting_after` query parameter and its items
//!   have a required string `id`: each page asks for the items after the last one
//!   received.
//!
//! An operation with both gets both. Nothing else is assumed: an operation that does not
//! match simply has no pager. The names quoted here are the defaults of the manifest's
//! `[options.pagination]` ([`PaginationNames`]).

use super::model::{
    Operation, PageCursor, PageOffset, PageTotal, Pagination, ParamLocation, Presence, TypeRef,
    TypeTable,
};
use crate::manifest::PaginationNames;

/// Fills in `Operation::pagination` wherever the rule above holds.
pub fn infer(operations: &mut [Operation], types: &impl TypeTable, names: &PaginationNames) {
    for op in operations {
        op.pagination = pager(op, types, names);
    }
}

fn pager(op: &Operation, types: &impl TypeTable, names: &PaginationNames) -> Option<Pagination> {
    if op.body.is_some() {
        return None;
    }
    let numeric_query = |name: &str| {
        op.params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.name == name && is_number(&p.ty))
    };
    let offset = numeric_query(&names.offset);
    numeric_query(&names.limit)?;
    let (items_field, total, item) = match types.unalias(&op.response.ty) {
        TypeRef::Vec(item) => (None, None, (**item).clone()),
        named @ TypeRef::Named(_) => {
            let fields = types.struct_fields(named)?;
            let mut arrays = fields.iter().filter(|f| {
                f.presence == Presence::Required && matches!(types.unalias(&f.ty), TypeRef::Vec(_))
            });
            let items = arrays.next()?;
            if arrays.next().is_some() {
                return None;
            }
            let TypeRef::Vec(item) = types.unalias(&items.ty) else {
                return None;
            };
            let total = fields
                .iter()
                .find(|f| f.wire_name.contains(names.total.as_str()) && is_number(&f.ty));
            (
                Some(items.name.clone()),
                total.map(|t| PageTotal {
                    field: t.name.clone(),
                    ty: t.ty.clone(),
                    optional: t.is_option(),
                }),
                (**item).clone(),
            )
        }
        _ => return None,
    };
    let cursor = cursor(op, &item, types, names);
    if offset.is_none() && cursor.is_none() {
        return None;
    }
    Some(Pagination {
        offset: offset.map(|o| PageOffset {
            param: o.name.clone(),
            field: o.rust_name.clone(),
            ty: o.ty.clone(),
        }),
        items_field,
        total,
        cursor,
        item,
    })
}

fn cursor(
    op: &Operation,
    item: &TypeRef,
    types: &impl TypeTable,
    names: &PaginationNames,
) -> Option<PageCursor> {
    let param = op.params.iter().find(|p| {
        p.location == ParamLocation::Query && p.name == names.cursor && p.ty == TypeRef::String
    })?;
    let id = types.struct_fields(item)?.iter().find(|f| {
        f.wire_name == names.item_id && f.presence == Presence::Required && f.ty == TypeRef::String
    })?;
    Some(PageCursor {
        param: param.name.clone(),
        item_id: id.name.clone(),
    })
}

fn is_number(t: &TypeRef) -> bool {
    matches!(t, TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::manifest::Manifest;

    /// The pager of `GET /items` taking `params` (name -> schema) and answering `answer`,
    /// with `Item` (a required string `id`) defined.
    fn pager_of(params: Value, answer: Value, body: bool) -> Option<Pagination> {
        let parameters: Vec<Value> = params
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, schema)| json!({"name": name, "in": "query", "schema": schema}))
            .collect();
        let mut op = json!({
            "operationId": "listItems",
            "parameters": parameters,
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": answer}}}}
        });
        if body {
            op["requestBody"] =
                json!({"content": {"application/json": {"schema": {"type": "object"}}}});
        }
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/items": {"get": op}},
            "components": {"schemas": {
                "Item": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
            }}
        });
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("t.json");
        std::fs::write(&spec, doc.to_string()).unwrap();
        let manifest = Manifest::for_spec(spec, dir.path().join("out"), "t".into());
        let (api, _) = crate::build_ir(&manifest).unwrap();
        api.operation("listItems").unwrap().pagination.clone()
    }

    fn items() -> Value {
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Item"}})
    }

    fn page(extra: Value) -> Value {
        let mut properties = json!({"data": items()});
        properties
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"type": "object", "required": ["data"], "properties": properties})
    }

    #[test]
    fn offset_and_limit_walk_a_page_object_and_find_its_total() {
        let p = pager_of(
            json!({"limit": {"type": "integer"}, "offset": {"type": "integer"}}),
            page(json!({"total_count": {"type": "integer"}})),
            false,
        )
        .expect("a pager");
        let offset = p.offset.expect("by offset");
        assert_eq!(
            (offset.param.as_str(), &offset.ty),
            ("offset", &TypeRef::I64)
        );
        assert_eq!(p.items_field.as_deref(), Some("data"));
        let total = p.total.expect("a total");
        assert_eq!(
            (total.field.as_str(), total.optional),
            ("total_count", true)
        );
        assert_eq!(p.item, TypeRef::Named("Item".into()));
        assert!(p.cursor.is_none());
    }

    #[test]
    fn a_cursor_needs_a_string_parameter_and_items_with_a_required_string_id() {
        let p = pager_of(
            json!({"limit": {"type": "integer"}, "starting_after": {"type": "string"}}),
            items(),
            false,
        )
        .expect("a pager");
        let cursor = p.cursor.expect("by cursor");
        assert_eq!(
            (cursor.param.as_str(), cursor.item_id.as_str()),
            ("starting_after", "id")
        );
        assert!(p.offset.is_none() && p.items_field.is_none() && p.total.is_none());
        // A numeric cursor is no cursor.
        let numeric = json!({"limit": {"type": "integer"}, "starting_after": {"type": "integer"}});
        assert!(pager_of(numeric, items(), false).is_none());
    }

    #[test]
    fn nothing_is_assumed_where_the_rule_does_not_hold() {
        let both = || json!({"limit": {"type": "integer"}, "offset": {"type": "integer"}});
        // No limit.
        assert!(pager_of(json!({"offset": {"type": "integer"}}), items(), false).is_none());
        // A string limit.
        let text = json!({"limit": {"type": "string"}, "offset": {"type": "integer"}});
        assert!(pager_of(text, items(), false).is_none());
        // Two required arrays: which holds the items is not known.
        let two = page(json!({"more": items()}));
        let two = json!({"type": "object", "required": ["data", "more"], "properties": two["properties"]});
        assert!(pager_of(both(), two, false).is_none());
        // The items array optional.
        let optional = json!({"type": "object", "properties": {"data": items()}});
        assert!(pager_of(both(), optional, false).is_none());
        // A request body.
        assert!(pager_of(both(), items(), true).is_none());
        // An answer that is no list.
        assert!(pager_of(both(), json!({"type": "string"}), false).is_none());
    }
}
