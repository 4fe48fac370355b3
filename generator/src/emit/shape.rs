//! What a generated crate has, decided once per crate from the IR: a client or only types,
//! `Patch`, pagers, files, streamed bodies, raw bodies, redirects, the codec macros, a copy
//! of the runtime. Every part of the crate reads these facts from one [`Shape`], handed
//! down, instead of asking the IR again.

use crate::ir::{
    Api, BodyEncoding, Presence, ResponseDecode, TypeKind, TypeRef, UNUSED_TYPES_FEATURE,
};

/// The facts about a crate every part of it agrees on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// It has operations, so a client (a document with only types, or only webhook events,
    /// gives a types-only crate).
    pub client: bool,
    /// Some model field is tri-state, so the crate has `Patch`.
    pub patch: bool,
    /// Some operation has a pager.
    pub pages: bool,
    /// A file (`format: binary`) appears in a model or an operation: the crate has `FilePart`.
    pub files: bool,
    /// Some operation sends a multipart body.
    pub multipart: bool,
    /// Some operation answers with bytes as a whole: it can hand them over as a `ByteStream`.
    pub stream: bool,
    /// Some operation takes a body the client does not encode itself (as its only body or
    /// as an alternative media type): the crate has `RawBody` in its API.
    pub raw_body: bool,
    /// Some operation answers with a redirect (`Redirect`).
    pub redirect_answers: bool,
    /// The document declares a redirect anywhere: the client returns redirects instead of
    /// following them.
    pub redirects_declared: bool,
    /// The models use the codec macros.
    pub codec: bool,
    /// The crate carries a copy of the runtime instead of depending on the runtime crate.
    pub copied_runtime: bool,
    /// Some types are compiled only with [`UNUSED_TYPES_FEATURE`] (no operation uses them).
    pub unused_types: bool,
}

impl Shape {
    /// The shape of the crate generated from `api`.
    pub fn of(api: &Api) -> Shape {
        let ops = &api.operations;
        let redirect_answers = ops
            .iter()
            .any(|op| op.response.decode == ResponseDecode::Redirect);
        Shape {
            client: !ops.is_empty(),
            patch: api.types.iter().any(|t| match &t.kind {
                TypeKind::Struct { fields, .. } => {
                    fields.iter().any(|f| f.presence == Presence::TriState)
                }
                _ => false,
            }),
            pages: ops.iter().any(|op| op.pagination.is_some()),
            files: uses_files(api),
            multipart: ops.iter().any(|op| {
                op.body
                    .as_ref()
                    .is_some_and(|b| b.encoding == BodyEncoding::Multipart)
            }),
            stream: ops
                .iter()
                .any(|op| op.response.decode == ResponseDecode::Bytes),
            raw_body: ops.iter().any(|op| {
                op.body
                    .as_ref()
                    .is_some_and(|b| b.encoding == BodyEncoding::Raw || !b.alternatives.is_empty())
            }),
            redirect_answers,
            redirects_declared: redirect_answers
                || ops
                    .iter()
                    .any(|op| op.errors.iter().any(|e| e.status.is_redirect())),
            codec: api.types.iter().any(|t| {
                matches!(
                    t.kind,
                    TypeKind::Struct { .. } | TypeKind::Enum { .. } | TypeKind::Tagged { .. }
                )
            }),
            copied_runtime: api.runtime.is_none(),
            unused_types: api.types.iter().any(|t| {
                t.features
                    .as_ref()
                    .is_some_and(|f| f.iter().any(|f| f == UNUSED_TYPES_FEATURE))
            }),
        }
    }
}

/// Whether a file (`format: binary`) appears anywhere: in a model (a field, a variant, an
/// alias, inside lists, maps and options) or an operation's parameters, body or
/// responses.
fn uses_files(api: &Api) -> bool {
    fn holds_file(t: &TypeRef) -> bool {
        match t {
            TypeRef::File => true,
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Boxed(inner) => holds_file(inner),
            _ => false,
        }
    }
    let in_types = api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct { fields, .. } => fields.iter().any(|f| holds_file(&f.ty)),
        TypeKind::Untagged { variants } => variants.iter().any(|v| holds_file(&v.ty)),
        TypeKind::Tagged { variants, .. } => variants.iter().any(|v| holds_file(&v.ty)),
        TypeKind::Statuses { variants } => variants.iter().any(|v| holds_file(&v.ty)),
        TypeKind::Alias { target } => holds_file(target),
        TypeKind::Enum { .. } => false,
    });
    let in_operations = api.operations.iter().any(|op| {
        op.params.iter().any(|p| holds_file(&p.ty))
            || op.body.as_ref().is_some_and(|b| holds_file(&b.ty))
            || std::iter::once(&op.response)
                .chain(&op.errors)
                .any(|r| holds_file(&r.ty))
    });
    in_types || in_operations
}
