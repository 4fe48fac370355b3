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
