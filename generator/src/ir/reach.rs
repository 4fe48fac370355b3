//! What the types are needed for, found by walking from operations to the types they
//! reach: the cargo features that compile each type, and the serde directions it needs
//! (encoded in requests, decoded from responses).

use super::model::{
    position_sorted, Module, Operation, SerdeDirections, TypeDef, TypeRef, UNUSED_TYPES_FEATURE,
};

/// The types as a graph of indexes into the IR's list (sorted by name): each type's direct
/// references are resolved once, so that no walk looks a name up.
struct Walker<'t> {
    types: &'t [TypeDef],
    edges: Vec<Vec<usize>>,
}

impl<'t> Walker<'t> {
    fn new(types: &'t [TypeDef]) -> Self {
        let edges = types
            .iter()
            .map(|t| {
                t.kind
                    .refs()
                    .into_iter()
                    .filter_map(|r| index_of(types, r))
                    .collect()
            })
            .collect();
        Walker { types, edges }
    }

    /// The types `refs` name (through lists, options, maps and boxes).
    fn named<'r>(&self, refs: impl IntoIterator<Item = &'r TypeRef>) -> Vec<usize> {
        refs.into_iter()
            .filter_map(|r| index_of(self.types, r))
            .collect()
    }

    /// The types for which `used` is false.
    fn orphans(&self, used: impl Fn(usize) -> bool) -> Vec<usize> {
        (0..self.edges.len()).filter(|&i| !used(i)).collect()
    }

    /// The types `starts` reach, themselves included, through fields, variants and
    /// aliases.
    fn reachable(&self, starts: Vec<usize>) -> Reached {
        let mut seen = vec![false; self.edges.len()];
        let mut list = Vec::new();
        let mut stack = starts;
        while let Some(i) = stack.pop() {
            let Some(flag) = seen.get_mut(i) else {
                continue;
            };
            if !std::mem::replace(flag, true) {
                list.push(i);
                stack.extend(self.edges.get(i).into_iter().flatten());
            }
        }
        Reached { seen, list }
    }
}

/// The index of the type a reference names, through lists, options, maps and boxes.
fn index_of(types: &[TypeDef], r: &TypeRef) -> Option<usize> {
    let mut t = r;
    while let Some(inner) = t.contained() {
        t = inner;
    }
    match t {
        TypeRef::Named(name) => position_sorted(types, name),
        _ => None,
    }
}

/// The types one walk reached: a flag per type, and the list in the order reached.
struct Reached {
    seen: Vec<bool>,
    list: Vec<usize>,
}

impl Reached {
    fn contains(&self, i: usize) -> bool {
        self.seen.get(i).copied().unwrap_or(false)
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
    let with_ops: Vec<&Module> = modules
        .iter()
        .filter(|m| !m.operations.is_empty())
        .collect();
    if with_ops.is_empty() {
        types.iter_mut().for_each(|t| t.features = None);
        return;
    }
    let by_module = super::operations_by_module(operations);
    let mut users: Vec<Vec<String>> = vec![Vec::new(); types.len()];
    for m in &with_ops {
        let indexes = by_module.get(&m.name).into_iter().flatten();
        let ops = indexes.filter_map(|&i| operations.get(i));
        let roots = walker.named(ops.flat_map(|o| sent(o).chain(received(o))));
        for &i in &walker.reachable(roots).list {
            if let Some(list) = users.get_mut(i) {
                list.push(m.name.clone());
            }
        }
    }
    let always = walker.reachable(walker.named(always));
    let used = |i: usize| users.get(i).is_some_and(|l| !l.is_empty()) || always.contains(i);
    let unused = walker.reachable(walker.orphans(used));
    for ((i, t), mut list) in types.iter_mut().enumerate().zip(users) {
        t.features = if always.contains(i) || list.len() == with_ops.len() {
            None
        } else {
            if unused.contains(i) {
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
        walker.named(
            operations
                .iter()
                .flat_map(|o| sent(o).chain(received(o)))
                .chain(error_body),
        ),
    );
    let orphans = walker.orphans(|i| used.contains(i));
    let mut encode_roots = walker.named(operations.iter().flat_map(sent));
    encode_roots.extend(&orphans);
    let mut decode_roots = walker.named(operations.iter().flat_map(received).chain(error_body));
    decode_roots.extend(&orphans);
    let (encoded, decoded) = (
        walker.reachable(encode_roots),
        walker.reachable(decode_roots),
    );
    for (i, t) in types.iter_mut().enumerate() {
        t.serde = SerdeDirections {
            encode: encoded.contains(i),
            decode: decoded.contains(i),
        };
    }
}
