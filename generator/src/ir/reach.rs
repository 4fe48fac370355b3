//! What the types are needed for, found by walking from operations to the types they
//! reach: the cargo features that compile each type, and the serde directions it needs
//! (encoded in requests, decoded from responses).

use std::collections::{BTreeMap, BTreeSet};

use super::model::{
    position_sorted, Module, Operation, SerdeDirections, TypeDef, TypeRef, UNUSED_TYPES_FEATURE,
};

/// The types, sorted by name (as the IR keeps them), for walking from references to
/// definitions.
struct Walker<'t> {
    types: &'t [TypeDef],
}

impl<'t> Walker<'t> {
    fn new(types: &'t [TypeDef]) -> Self {
        Walker { types }
    }

    /// References to the types for which `used` is false.
    fn orphans(&self, used: impl Fn(usize) -> bool) -> Vec<TypeRef> {
        (0..self.types.len())
            .filter(|&i| !used(i))
            .map(|i| TypeRef::Named(self.types[i].name.clone()))
            .collect()
    }

    /// The indexes of the types `roots` reach, through fields, variants and aliases.
    fn reachable(&self, roots: Vec<&TypeRef>) -> BTreeSet<usize> {
        let types = self.types;
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&TypeRef> = roots;
        while let Some(t) = stack.pop() {
            if let Some(inner) = t.contained() {
                stack.push(inner);
                continue;
            }
            let TypeRef::Named(n) = t else { continue };
            let Some(i) = position_sorted(types, n) else {
                continue;
            };
            if seen.insert(i) {
                stack.extend(types[i].kind.refs());
            }
        }
        seen
    }
}

/// The types an operation sends: parameters and body.
fn sent(o: &Operation) -> impl Iterator<Item = &TypeRef> {
    o.params
        .iter()
        .map(|p| &p.ty)
        .chain(o.body.iter().map(|b| &b.ty))
}

/// The types an operation receives: the success and error responses.
fn received(o: &Operation) -> impl Iterator<Item = &TypeRef> {
    std::iter::once(&o.response).chain(&o.errors).map(|r| &r.ty)
}

/// Decides which cargo features compile each type: the modules whose operations use it,
/// and [`UNUSED_TYPES_FEATURE`] for the types no operation uses (and what they reach).
/// What `always` reaches (the common error body, the webhook payloads) is compiled with
/// any features, and so is everything when no module has operations.
pub fn assign_features(
    types: &mut [TypeDef],
    modules: &[Module],
    operations: &[Operation],
    always: Vec<&TypeRef>,
) {
    let walker = Walker::new(types);
    let mut users: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let with_ops: Vec<&Module> = modules
        .iter()
        .filter(|m| !m.operations.is_empty())
        .collect();
    if with_ops.is_empty() {
        types.iter_mut().for_each(|t| t.features = None);
        return;
    }
    for m in &with_ops {
        let roots: Vec<&TypeRef> = operations
            .iter()
            .filter(|o| o.module == m.name)
            .flat_map(|o| sent(o).chain(received(o)))
            .collect();
        for i in walker.reachable(roots) {
            users.entry(i).or_default().push(m.name.clone());
        }
    }
    let always = walker.reachable(always);
    let orphans = walker.orphans(|i| users.contains_key(&i) || always.contains(&i));
    let unused = walker.reachable(orphans.iter().collect());
    for (i, t) in types.iter_mut().enumerate() {
        let mut list = users.remove(&i).unwrap_or_default();
        t.features = if always.contains(&i) || list.len() == with_ops.len() {
            None
        } else {
            if unused.contains(&i) {
                list.push(UNUSED_TYPES_FEATURE.to_string());
            }
            Some(list)
        };
    }
}

/// Decides which serde directions each type needs: `encode` when a request reaches it,
/// `decode` when a response (or the common error body) does. A type no operation uses
/// gets both, and so does everything it reaches.
pub fn assign_directions(
    types: &mut [TypeDef],
    operations: &[Operation],
    error_body: Option<&TypeRef>,
) {
    let walker = Walker::new(types);
    let used = walker.reachable(
        operations
            .iter()
            .flat_map(|o| sent(o).chain(received(o)))
            .chain(error_body)
            .collect(),
    );
    let orphans = walker.orphans(|i| used.contains(&i));
    let encoded = walker.reachable(operations.iter().flat_map(sent).chain(&orphans).collect());
    let decoded = walker.reachable(
        operations
            .iter()
            .flat_map(received)
            .chain(error_body)
            .chain(&orphans)
            .collect(),
    );
    for (i, t) in types.iter_mut().enumerate() {
        t.serde = SerdeDirections {
            encode: encoded.contains(&i),
            decode: decoded.contains(&i),
        };
    }
}
