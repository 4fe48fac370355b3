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

/// One unit of emitted Rust: a whole file, or a run of the models file. Parts are emitted
/// independently (and in parallel by the write stage), then joined in order per file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Lib,
    Client,
    Error,
    Codec,
    Patch,
    File,
    /// Types `start..end` of the models module; the part with `start == 0` has the header.
    Models { start: usize, end: usize },
    /// The operations module at this index of `Api::modules`.
    Module(usize),
}

/// What the emitter produces for a crate: Rust parts per file, and plain text files.
#[derive(Debug)]
pub struct Plan {
    /// File paths relative to the crate root (`src/lib.rs`), in output order.
    pub parts: Vec<(PathBuf, Part)>,
    pub text: Vec<(PathBuf, String)>,
}

/// The file in the generated crate recording its public API, for the next `diff`.
pub const SURFACE_FILE: &str = "api-surface.json";

/// How many model types one part holds (large enough to amortise, small enough to balance).
const MODELS_PER_PART: usize = 64;

/// The parts of the generated crate.
pub fn plan(api: &Api, manifest: &Manifest) -> Plan {
    let mut parts = vec![
        (PathBuf::from("src/lib.rs"), Part::Lib),
        (PathBuf::from("src/client.rs"), Part::Client),
        (PathBuf::from("src/error.rs"), Part::Error),
    ];
    if runtime::uses_patch(api) {
        parts.push((PathBuf::from("src/patch.rs"), Part::Patch));
    }
    if runtime::codec_rs(api).is_some() {
        parts.push((PathBuf::from("src/codec.rs"), Part::Codec));
    }
    if uses_files(api) {
        parts.push((PathBuf::from("src/file.rs"), Part::File));
    }
    let n = api.types.len();
    let mut start = 0;
    loop {
        let end = (start + MODELS_PER_PART).min(n);
        parts.push((PathBuf::from("src/models.rs"), Part::Models { start, end }));
        if end >= n {
            break;
        }
        start = end;
    }
    for (i, module) in api.modules.iter().enumerate() {
        parts.push((PathBuf::from(format!("src/{}.rs", module.name)), Part::Module(i)));
    }
    let surface = serde_json::to_string_pretty(&crate::diff::ApiSurface::of(api)).expect("the surface serialises") + "\n";
    let text = vec![
        (PathBuf::from("Cargo.toml"), runtime::cargo_toml(api, manifest)),
        (PathBuf::from(SURFACE_FILE), surface),
    ];
    Plan { parts, text }
}

/// The tokens of one part.
pub fn emit_part(api: &Api, part: &Part) -> TokenStream {
    match part {
        Part::Lib => runtime::lib_rs(api),
        Part::Client => runtime::client_rs(api),
        Part::Error => runtime::error_rs(api),
        Part::Codec => runtime::codec_rs(api).unwrap_or_default(),
        Part::Patch => runtime::patch_rs(),
        Part::File => runtime::file_rs(api),
        Part::Models { start, end } => types::models_rs(api, *start..*end),
        Part::Module(i) => operations::module_rs(api, &api.modules[*i]),
    }
}

/// Whether any operation sends a body with this encoding.
pub(crate) fn uses_encoding(api: &Api, encoding: crate::ir::BodyEncoding) -> bool {
    api.operations.iter().any(|op| op.body.as_ref().is_some_and(|b| b.encoding == encoding))
}

/// Whether any model has a file (`format: binary`) field.
pub(crate) fn uses_files(api: &Api) -> bool {
    api.types.iter().any(|t| matches!(&t.kind, TypeKind::Struct { fields, .. } if fields.iter().any(|f| matches!(f.ty, TypeRef::File))))
}

/// Whether any operation takes a body the client does not encode itself.
pub(crate) fn uses_raw_body(api: &Api) -> bool {
    api.operations.iter().any(|op| op.body.as_ref().is_some_and(|b| b.encoding == crate::ir::BodyEncoding::Raw))
}

/// `#[cfg(any(feature = "a", ...))]` for a type compiled only with some modules.
pub(crate) fn features_cfg(features: Option<&[String]>) -> TokenStream {
    match features {
        None => TokenStream::new(),
        Some([one]) => quote!(#[cfg(feature = #one)]),
        Some(list) => quote!(#[cfg(any(#(feature = #list),*))]),
    }
}

/// `#![cfg_attr(not(all(<every module feature>)), allow(...))]`: with some modules off,
/// shared helpers they alone use go unused; with all on, nothing is excused.
pub(crate) fn unless_all_features(api: &Api, lints: TokenStream) -> TokenStream {
    let all = api.modules.iter().map(|m| m.name.as_str());
    quote!(#![cfg_attr(not(all(#(feature = #all),*)), allow(#lints))])
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
        TypeRef::File => quote!(crate::FilePart),
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
