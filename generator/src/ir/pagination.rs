//! Pagination inferred from the spec: which list operations can be walked page by page.
//!
//! An operation pages by offset when it takes integer `offset` and `limit` query
//! parameters, sends no body, and answers with either a bare array or an object holding
//! exactly one required array (its items) and, optionally, an integer whose name says it
//! is a total (`total_count`). Nothing else is assumed: an operation that does not match
//! simply has no pager.

use super::model::{
    Operation, PageTotal, Pagination, ParamLocation, Presence, TypeDef, TypeKind, TypeRef,
};

/// The query parameters an offset pager reads (wire names).
const OFFSET: &str = "offset";
const LIMIT: &str = "limit";

/// Fills in `Operation::pagination` wherever the rule above holds.
pub fn infer(operations: &mut [Operation], types: &[TypeDef]) {
    for op in operations {
        op.pagination = offset_pager(op, types);
    }
}

fn offset_pager(op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
    if op.body.is_some() {
        return None;
    }
    let integer_query = |name: &str| {
        op.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && p.name == name
                && matches!(p.ty, TypeRef::I32 | TypeRef::I64)
        })
    };
    let offset = integer_query(OFFSET)?;
    integer_query(LIMIT)?;
    let (items_field, total, item) = match &op.response.ty {
        TypeRef::Vec(item) => (None, None, (**item).clone()),
        TypeRef::Named(name) => {
            let def = types.iter().find(|t| &t.name == name)?;
            let TypeKind::Struct { fields, .. } = &def.kind else {
                return None;
            };
            let mut arrays = fields
                .iter()
                .filter(|f| f.presence == Presence::Required && matches!(f.ty, TypeRef::Vec(_)));
            let items = arrays.next()?;
            if arrays.next().is_some() {
                return None;
            }
            let TypeRef::Vec(item) = &items.ty else {
                return None;
            };
            let total = fields.iter().find(|f| {
                f.wire_name.contains("total") && matches!(f.ty, TypeRef::I32 | TypeRef::I64)
            });
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
    Some(Pagination {
        offset_param: offset.name.clone(),
        offset_field: offset.rust_name.clone(),
        items_field,
        total,
        item,
    })
}
