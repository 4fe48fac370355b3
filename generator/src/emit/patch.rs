//! Whether the generated crate needs `Patch<T>` (for request fields that can be left out,
//! sent as `null` or sent with a value); the type itself is the runtime crate's
//! `runtime/src/patch.rs`, depended on or copied.

use crate::ir::{Api, TypeKind};

/// Whether some model field is tri-state (so the crate needs `Patch`).
pub fn uses_patch(api: &Api) -> bool {
    api.types.iter().any(|t| matches!(&t.kind, TypeKind::Struct { fields, .. } if fields.iter().any(|f| f.presence == crate::ir::Presence::TriState)))
}
