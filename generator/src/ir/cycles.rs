//! Recursive types: a type that holds itself by value (through struct fields, union
//! variants or aliases) has no size in Rust. The edge that closes each such cycle is boxed
//! (`Box<T>`, `Option<Box<T>>`); `Vec` and maps are on the heap already and close none.
//! A cycle of aliases alone (`A: {$ref: B}`, `B: {$ref: A}`) names no type at all: an
//! error naming every pointer on it, found before any type is defined.
//!
//! The walk is a depth-first search over the types in name order, edges in declaration
//! order, so the same document always boxes the same edges.

use std::collections::HashMap;
use std::path::Path;

use openapiv3::{ReferenceOr, Schema};

use super::{TypeDef, TypeKind, TypeRef};
use crate::diag::{escape_token, Error, Location, Result};
use crate::load::{ref_name, RefKind};

/// Fails on a component schema whose chain of `$ref`s comes back to itself, naming every
/// pointer on it. Checked before any type is defined: everything after follows alias
/// chains and may rely on their ending.
pub fn check_alias_chains(
    file: &Path,
    components: &indexmap::IndexMap<String, ReferenceOr<Schema>>,
) -> Result<()> {
    let pointer = |name: &str| format!("#/components/schemas/{}", escape_token(name));
    for (name, schema) in components {
        let mut chain = vec![name.as_str()];
        let mut current = schema;
        while let ReferenceOr::Reference { reference } = current {
            let Some((RefKind::Schemas, next)) = ref_name(reference) else {
                break;
            };
            let Some((key, target)) = components.get_key_value(&next) else {
                break;
            };
            if let Some(start) = chain.iter().position(|n| *n == key.as_str()) {
                let mut names: Vec<String> = chain[start..].iter().map(|n| pointer(n)).collect();
                names.push(pointer(key));
                return Err(Error::invalid(
                    Location::new(file, pointer(name)),
                    format!(
                        "these schemas only refer to each other, so none has a type: {}",
                        names.join(" -> ")
                    ),
                ));
            }
            chain.push(key.as_str());
            current = target;
        }
    }
    Ok(())
}

/// Where a by-value edge starts: which slot of the type holds the target.
#[derive(Clone, Copy)]
enum Slot {
    Field(usize),
    Variant(usize),
    Alias,
}

/// Boxes the edge that closes each by-value cycle (alias cycles are refused earlier, by
/// [`check_alias_chains`]).
pub fn break_cycles(types: &mut [TypeDef]) {
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    // 0: not visited, 1: on the search path, 2: done.
    let mut state = vec![0u8; types.len()];
    for start in 0..types.len() {
        if state[start] == 0 {
            visit(types, &index, &mut state, start);
        }
    }
}

/// One node of the search: an edge to a type still on the search path closes a cycle.
fn visit(types: &mut [TypeDef], index: &HashMap<String, usize>, state: &mut [u8], node: usize) {
    state[node] = 1;
    for (slot, target) in edges(&types[node]) {
        let Some(&next) = index.get(&target) else {
            continue;
        };
        match state[next] {
            1 => box_slot(&mut types[node], slot),
            0 => visit(types, index, state, next),
            _ => {}
        }
    }
    state[node] = 2;
}

/// The types `def` holds by value, with the slot that holds each.
fn edges(def: &TypeDef) -> Vec<(Slot, String)> {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| by_value(&f.ty).map(|n| (Slot::Field(i), n)))
            .collect(),
        TypeKind::Untagged { variants } => variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| by_value(&v.ty).map(|n| (Slot::Variant(i), n)))
            .collect(),
        TypeKind::Tagged { variants, .. } => variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| by_value(&v.ty).map(|n| (Slot::Variant(i), n)))
            .collect(),
        TypeKind::Alias { target } => by_value(target)
            .map(|n| (Slot::Alias, n))
            .into_iter()
            .collect(),
        // Nothing holds a `Statuses` enum, so no cycle goes through one.
        TypeKind::Enum { .. } | TypeKind::Statuses { .. } => Vec::new(),
    }
}

/// The named type held by value (through `Option`), if any.
fn by_value(t: &TypeRef) -> Option<String> {
    match t {
        TypeRef::Named(n) => Some(n.clone()),
        TypeRef::Option(inner) => by_value(inner),
        _ => None,
    }
}

fn box_slot(def: &mut TypeDef, slot: Slot) {
    let t = match (&mut def.kind, slot) {
        (TypeKind::Struct { fields, .. }, Slot::Field(i)) => &mut fields[i].ty,
        (TypeKind::Untagged { variants }, Slot::Variant(i)) => &mut variants[i].ty,
        (TypeKind::Tagged { variants, .. }, Slot::Variant(i)) => &mut variants[i].ty,
        (TypeKind::Alias { target }, Slot::Alias) => target,
        _ => return,
    };
    *t = boxed(t);
}

/// `T` as `Box<T>`, inside any `Option`.
fn boxed(t: &TypeRef) -> TypeRef {
    match t {
        TypeRef::Option(inner) => TypeRef::Option(Box::new(boxed(inner))),
        other => TypeRef::Boxed(Box::new(other.clone())),
    }
}
