//! Recursive types: a type that holds itself by value (through struct fields, union
//! variants or aliases) has no size in Rust. The edge that closes each such cycle is boxed
//! (`Box<T>`, `Option<Box<T>>`); `Vec` and maps are on the heap already and close none.
//! A cycle of aliases alone (`A: {$ref: B}`, `B: {$ref: A}`) names no type at all: an
//! error naming every pointer on it.
//!
//! The walk is a depth-first search over the types in name order, edges in declaration
//! order, so the same document always boxes the same edges.

use std::collections::HashMap;
use std::path::Path;

use super::{TypeDef, TypeKind, TypeRef};
use crate::diag::{Error, Location, Result};

/// Where a by-value edge starts: which slot of the type holds the target.
#[derive(Clone, Copy)]
enum Slot {
    Field(usize),
    Variant(usize),
    Alias,
}

/// Boxes the edge that closes each by-value cycle; fails on a cycle of aliases only.
pub fn break_cycles(file: &Path, types: &mut [TypeDef]) -> Result<()> {
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    // 0: not visited, 1: on the stack, 2: done.
    let mut state = vec![0u8; types.len()];
    for start in 0..types.len() {
        if state[start] == 0 {
            let mut stack = Vec::new();
            visit(file, types, &index, &mut state, &mut stack, start)?;
        }
    }
    Ok(())
}

/// One node of the search; `stack` holds the path to it (type, slot taken).
fn visit(
    file: &Path,
    types: &mut [TypeDef],
    index: &HashMap<String, usize>,
    state: &mut [u8],
    stack: &mut Vec<(usize, Slot)>,
    node: usize,
) -> Result<()> {
    state[node] = 1;
    for (slot, target) in edges(&types[node]) {
        let Some(&next) = index.get(&target) else {
            continue;
        };
        match state[next] {
            1 => {
                let from = stack
                    .iter()
                    .position(|(t, _)| *t == next)
                    .unwrap_or(stack.len());
                let aliases_only = matches!(slot, Slot::Alias)
                    && stack[from..].iter().all(|(_, s)| matches!(s, Slot::Alias));
                if aliases_only {
                    let mut names: Vec<String> = stack[from..]
                        .iter()
                        .map(|(t, _)| types[*t].pointer.clone())
                        .collect();
                    names.push(types[node].pointer.clone());
                    names.dedup();
                    return Err(Error::invalid(
                        Location::new(file, &types[node].pointer),
                        format!(
                            "these schemas only refer to each other, so none has a type: {}",
                            names.join(" -> ")
                        ),
                    ));
                }
                box_slot(&mut types[node], slot);
            }
            0 => {
                stack.push((node, slot));
                visit(file, types, index, state, stack, next)?;
                stack.pop();
            }
            _ => {}
        }
    }
    state[node] = 2;
    Ok(())
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
        TypeKind::Enum { .. } => Vec::new(),
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
