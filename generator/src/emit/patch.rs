//! Whether the generated crate needs `Patch<T>` (for request fields that can be left out,
//! sent as `null` or sent with a value); the type itself is the runtime crate's
//! `runtime/src/patch.rs`, depended on or copied.

use crate::ir::{Api, Presence, TypeKind};

/// Whether some model field is tri-state (so the crate needs `Patch`).
pub fn uses_patch(api: &Api) -> bool {
    api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct { fields, .. } => fields.iter().any(|f| f.presence == Presence::TriState),
        _ => false,
    })
}
