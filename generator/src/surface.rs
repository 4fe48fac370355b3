//! The public API surface of a generated crate, and the file that records it.
//!
//! An [`ApiSurface`] is what code written against a generated crate depends on:
//! operations (by operationId) with their Rust method, parameters, body and response types;
//! types with their fields, enum values, union variants and whether they are
//! `#[non_exhaustive]`. Generation records it in the crate as [`FILE`], so that the next
//! generation can say what changed (`crate::diff`) and write the changelog entry. This
//! module owns the type, the file's name, and reading and writing it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ir::naming::spelled;
use crate::ir::{Api, TypeKind};

/// The file in the generated crate recording its public API, for the next generation.
pub const FILE: &str = "api-surface.json";

/// The public shape of a generated crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiSurface {
    /// The document's `info.version`.
    pub api_version: String,
    /// The operations, by operationId.
    pub operations: BTreeMap<String, OperationSurface>,
    /// The models, by Rust name.
    pub types: BTreeMap<String, TypeSurface>,
}

/// What a caller of one operation depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// The HTTP method.
    pub method: String,
    /// The path template.
    pub path: String,
    /// `module::method`.
    pub rust: String,
    /// Whether the document deprecates it.
    pub deprecated: bool,
    /// Rust name -> (type, required).
    pub params: BTreeMap<String, (String, bool)>,
    /// The request body's type.
    pub body: Option<String>,
    /// The success response's type.
    pub response: String,
}

/// What a user of one model depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeSurface {
    /// A struct.
    Struct {
        /// Wire name -> Rust type of the field (with its `Option`/`Patch`).
        fields: BTreeMap<String, String>,
        /// `#[non_exhaustive]`: code outside the crate builds none with a literal, so a
        /// new field breaks nothing. Absent from surfaces recorded before it existed.
        #[serde(default, skip_serializing_if = "is_false")]
        non_exhaustive: bool,
    },
    /// A string enum.
    Enum {
        /// Its wire values.
        values: Vec<String>,
        /// `#[non_exhaustive]`: matches on it have a wildcard arm, so a new value breaks
        /// nothing.
        #[serde(default, skip_serializing_if = "is_false")]
        non_exhaustive: bool,
    },
    /// A union of types (tagged, untagged or by status).
    Union {
        /// Its variants' types.
        variants: Vec<String>,
    },
    /// Another name for a type.
    Alias {
        /// The type.
        target: String,
    },
}

impl ApiSurface {
    /// The surface of the crate generated from `api`.
    pub fn of(api: &Api) -> ApiSurface {
        let operations = api
            .operations
            .iter()
            .map(|op| {
                let params = op
                    .params
                    .iter()
                    .map(|p| {
                        let name = spelled(&p.rust_name).into_owned();
                        (name, (p.ty.rust("models"), p.required))
                    })
                    .collect();
                let surface = OperationSurface {
                    method: op.method.to_string(),
                    path: op.path.clone(),
                    rust: format!("{}::{}", spelled(&op.module), spelled(&op.rust_name)),
                    deprecated: op.deprecated,
                    params,
                    body: op.body.as_ref().map(|b| b.ty.rust("models")),
                    response: op.response.ty.rust("models"),
                };
                (op.operation_id.clone(), surface)
            })
            .collect();
        let types = api
            .types
            .iter()
            .map(|t| {
                let non_exhaustive = t.non_exhaustive();
                let surface = match &t.kind {
                    TypeKind::Struct { fields, .. } => TypeSurface::Struct {
                        fields: fields
                            .iter()
                            .map(|f| {
                                let ty = f.ty.rust("models");
                                let ty = match f.presence.wrapper() {
                                    None => ty,
                                    Some(wrapper) => format!("{wrapper}<{ty}>"),
                                };
                                (f.wire_name.clone(), ty)
                            })
                            .collect(),
                        non_exhaustive,
                    },
                    TypeKind::Enum { variants, .. } => TypeSurface::Enum {
                        values: variants.iter().map(|v| v.value.clone()).collect(),
                        non_exhaustive,
                    },
                    TypeKind::Untagged { variants } => TypeSurface::Union {
                        variants: variants.iter().map(|v| v.ty.rust("models")).collect(),
                    },
                    TypeKind::Tagged { variants, .. } => TypeSurface::Union {
                        variants: variants.iter().map(|v| v.ty.rust("models")).collect(),
                    },
                    TypeKind::Alias { target } => TypeSurface::Alias {
                        target: target.rust("models"),
                    },
                    TypeKind::Statuses { variants } => TypeSurface::Union {
                        variants: variants
                            .iter()
                            .map(|v| format!("{} {}({})", v.status, v.name, v.ty.rust("models")))
                            .collect(),
                    },
                };
                (t.name.clone(), surface)
            })
            .collect();
        ApiSurface {
            api_version: api.api_version.clone(),
            operations,
            types,
        }
    }

    /// The surface a crate in `out_dir` was last generated with, if it records one that
    /// reads (a crate generated for the first time has none).
    pub fn read(out_dir: &Path) -> Option<ApiSurface> {
        let text = std::fs::read_to_string(out_dir.join(FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The text of [`FILE`]: pretty JSON with a final newline.
    pub fn to_file_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a surface is plain data");
        text.push('\n');
        text
    }
}

fn is_false(value: &bool) -> bool {
    !value
}
