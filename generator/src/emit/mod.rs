//! Emit stage: turns an [`Api`] into token streams, one per file of the generated crate,
//! plus the crate's `Cargo.toml`. One function per concern: see `types` (models),
//! `operations` (modules and request builders), `runtime` (client, errors, codecs).

mod doc;
mod operations;
mod runtime;
mod types;

use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, TypeKind, TypeRef};
use crate::manifest::Manifest;

pub use doc::sanitize as sanitize_doc;

/// What the emitter produces: Rust files as tokens, other files as text.
#[derive(Debug)]
pub struct EmittedCrate {
    /// Paths relative to the crate root (`src/lib.rs`).
    pub rust: Vec<(PathBuf, TokenStream)>,
    pub text: Vec<(PathBuf, String)>,
}

pub fn emit(api: &Api, manifest: &Manifest) -> EmittedCrate {
    let mut rust = vec![
        (PathBuf::from("src/lib.rs"), runtime::lib_rs(api)),
        (PathBuf::from("src/client.rs"), runtime::client_rs(api)),
        (PathBuf::from("src/error.rs"), runtime::error_rs(api)),
        (PathBuf::from("src/models.rs"), types::models_rs(api)),
    ];
    if runtime::uses_patch(api) {
        rust.push((PathBuf::from("src/patch.rs"), runtime::patch_rs()));
    }
    if let Some(codec) = runtime::codec_rs(api) {
        rust.push((PathBuf::from("src/codec.rs"), codec));
    }
    for module in &api.modules {
        rust.push((PathBuf::from(format!("src/{}.rs", module.name)), operations::module_rs(api, module)));
    }
    let text = vec![(PathBuf::from("Cargo.toml"), runtime::cargo_toml(api, manifest))];
    EmittedCrate { rust, text }
}

/// Whether any operation takes a body the client does not encode itself.
pub(crate) fn uses_raw_body(api: &Api) -> bool {
    api.operations.iter().any(|op| op.body.as_ref().is_some_and(|b| b.encoding == crate::ir::BodyEncoding::Raw))
}

/// An identifier, raw (`r#type`) where the IR made it so.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for a [`TypeRef`], as used outside the models module.
pub(crate) fn rust_type(t: &TypeRef) -> TokenStream {
    type_tokens(t, true)
}

/// The Rust type for a [`TypeRef`] inside the models module (models by bare name).
pub(crate) fn model_type(t: &TypeRef) -> TokenStream {
    type_tokens(t, false)
}

fn type_tokens(t: &TypeRef, qualified: bool) -> TokenStream {
    let rust_type = |t: &TypeRef| type_tokens(t, qualified);
    match t {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Unit => quote!(()),
        TypeRef::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(inner);
            quote!(Option<#inner>)
        }
        TypeRef::Named(n) => {
            let n = ident(n);
            if qualified {
                quote!(crate::models::#n)
            } else {
                quote!(#n)
            }
        }
    }
}

/// What a named type is, following aliases.
pub(crate) fn kind_of<'a>(api: &'a Api, t: &TypeRef) -> Option<&'a TypeKind> {
    let TypeRef::Named(n) = t else { return None };
    let def = api.type_def(n)?;
    match &def.kind {
        TypeKind::Alias { target } => kind_of(api, target).or(Some(&def.kind)),
        k => Some(k),
    }
}

/// The type behind aliases (`Named` aliases of primitives resolve to the primitive).
pub(crate) fn resolved<'a>(api: &'a Api, t: &'a TypeRef) -> &'a TypeRef {
    if let TypeRef::Named(n) = t {
        if let Some(TypeKind::Alias { target }) = api.type_def(n).map(|d| &d.kind) {
            return resolved(api, target);
        }
    }
    t
}
