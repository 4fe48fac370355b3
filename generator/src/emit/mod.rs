//! Emit stage: turns an [`Api`] into token streams, one per file of the generated crate,
//! plus the crate's `Cargo.toml`. One function per concern: see `types` (models),
//! `operations` (modules and request builders), `client` (the client), `lib_rs` (the
//! crate root), with [`Shape`] saying what the crate has.

mod auth;
mod cargo;
mod client;
mod codec;
mod crate_docs;
mod doc;
mod error;
mod file;
mod lib_rs;
mod operations;
mod pages;
mod paths;
mod servers;
mod shape;
mod types;
mod webhook;

use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, TypePaths, TypeRef};

pub use doc::sanitize as sanitize_doc;
pub use shape::Shape;

/// One unit of emitted Rust: a whole file, or a run of the models file. Parts are emitted
/// independently (and in parallel by the write stage), then joined in order per file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Lib,
    Client,
    Error,
    /// A file of the runtime crate, copied when the crate does not depend on that crate.
    Runtime(RuntimeFile),
    Codec,
    File,
    /// A success body handed over as it arrives: a fixed template.
    Stream,
    /// The `sends!` macro that writes every request builder's senders: a fixed template.
    Sends,
    /// Verifying signed webhook deliveries: a fixed template for the scheme.
    Webhook,
    /// Types `start..end` of the models module; the part with `start == 0` has the header.
    Models {
        start: usize,
        end: usize,
    },
    /// The operations module at this index of `Api::modules`.
    Module(usize),
    /// The `sends!` invocations that end that module, as text.
    ModuleSends(usize),
    /// The hand-written module at this index of `Api::extensions`, as it is.
    Extension(usize),
}

/// A source file of the runtime crate, which a crate generated without it carries a copy
/// of, at the same path under `src/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeFile {
    /// Sending with credentials, timeouts and retries.
    Engine,
    /// Encoding inputs and decoding bodies (a submodule of the engine).
    Encoding,
    /// The retry policy and status patterns.
    Retry,
    /// The call's errors, generic over the API's error body.
    Error,
    /// Reading bodies and naming transport failures.
    Transport,
    /// Request fields that can be left out, sent as `null` or set.
    Patch,
    /// The answer of an operation that answers with a redirect.
    RedirectAnswer,
    /// Walking a list operation page by page.
    Pages,
    /// A body with its status and headers.
    Response,
}

impl RuntimeFile {
    /// The file's path, under `src/` in the runtime crate and in a copy alike.
    fn path(self) -> &'static str {
        match self {
            RuntimeFile::Engine => "src/engine.rs",
            RuntimeFile::Encoding => "src/engine/encoding.rs",
            RuntimeFile::Retry => "src/retry.rs",
            RuntimeFile::Error => "src/call_error.rs",
            RuntimeFile::Transport => "src/transport.rs",
            RuntimeFile::Patch => "src/patch.rs",
            RuntimeFile::RedirectAnswer => "src/redirect_answer.rs",
            RuntimeFile::Pages => "src/pages.rs",
            RuntimeFile::Response => "src/response.rs",
        }
    }

    /// The file as a copy carries it: without its unit tests, which test the runtime
    /// crate (with its own dev-dependencies), not the crate the copy is in.
    fn copied_source(self) -> &'static str {
        let source = self.source();
        match source.find("\n#[cfg(test)]\nmod tests {") {
            Some(at) => &source[..at + 1],
            None => source,
        }
    }

    fn source(self) -> &'static str {
        match self {
            RuntimeFile::Engine => include_str!("../../runtime-src/engine.rs"),
            RuntimeFile::Encoding => include_str!("../../runtime-src/engine/encoding.rs"),
            RuntimeFile::Retry => include_str!("../../runtime-src/retry.rs"),
            RuntimeFile::Error => include_str!("../../runtime-src/call_error.rs"),
            RuntimeFile::Transport => include_str!("../../runtime-src/transport.rs"),
            RuntimeFile::Patch => include_str!("../../runtime-src/patch.rs"),
            RuntimeFile::RedirectAnswer => include_str!("../../runtime-src/redirect_answer.rs"),
            RuntimeFile::Pages => include_str!("../../runtime-src/pages.rs"),
            RuntimeFile::Response => include_str!("../../runtime-src/response.rs"),
        }
    }
}

/// What the emitter produces for a crate: Rust parts per file, and plain text files.
#[derive(Debug)]
pub struct Plan {
    /// What the crate has, which every part reads.
    pub shape: Shape,
    /// File paths relative to the crate root (`src/lib.rs`), in output order.
    pub parts: Vec<(PathBuf, Part)>,
    pub text: Vec<(PathBuf, String)>,
}

/// What emit hands over for one part of a file, for the write stage to lay out.
pub enum Source {
    /// Tokens, parsed and laid out with prettyplease.
    Tokens(TokenStream),
    /// Rust text laid out already (a template or a runtime file), used as it is.
    Text(String),
}

/// How many model types one part holds (large enough to amortise, small enough to balance).
const MODELS_PER_PART: usize = 64;

/// The runtime files a crate generated without the runtime crate carries: the client's
/// when it has operations, and the ones its types use.
fn copied_runtime(shape: &Shape) -> Vec<RuntimeFile> {
    let mut files = Vec::new();
    if shape.client {
        files.extend([
            RuntimeFile::Engine,
            RuntimeFile::Encoding,
            RuntimeFile::Retry,
            RuntimeFile::Error,
            RuntimeFile::Transport,
            RuntimeFile::RedirectAnswer,
            RuntimeFile::Response,
        ]);
    }
    if shape.patch {
        files.push(RuntimeFile::Patch);
    }
    if shape.pages {
        files.push(RuntimeFile::Pages);
    }
    files
}

/// The parts of the generated crate.
pub fn plan(api: &Api) -> Plan {
    let shape = Shape::of(api);
    let mut parts = vec![(PathBuf::from("src/lib.rs"), Part::Lib)];
    if shape.client {
        parts.push((PathBuf::from("src/client_core.rs"), Part::Client));
        parts.push((PathBuf::from("src/error.rs"), Part::Error));
        parts.push((PathBuf::from("src/sends.rs"), Part::Sends));
    }
    if shape.copied_runtime {
        for file in copied_runtime(&shape) {
            parts.push((PathBuf::from(file.path()), Part::Runtime(file)));
        }
    }
    if shape.codec {
        parts.push((PathBuf::from("src/codec.rs"), Part::Codec));
    }
    if shape.files {
        parts.push((PathBuf::from("src/file.rs"), Part::File));
    }
    if shape.stream {
        parts.push((PathBuf::from("src/stream.rs"), Part::Stream));
    }
    if api.webhook_signing.is_some() {
        parts.push((PathBuf::from("src/webhook.rs"), Part::Webhook));
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
    for (i, extension) in api.extensions.iter().enumerate() {
        let file = PathBuf::from(format!("src/{}.rs", extension.name));
        parts.push((file, Part::Extension(i)));
    }
    for (i, module) in api.modules.iter().enumerate() {
        let file = PathBuf::from(format!("src/{}.rs", module.name));
        parts.push((file.clone(), Part::Module(i)));
        if !module.operations.is_empty() {
            parts.push((file, Part::ModuleSends(i)));
        }
    }
    let surface = crate::surface::ApiSurface::of(api).to_file_text();
    let text = vec![
        (
            PathBuf::from("Cargo.toml"),
            cargo::cargo_toml(api, &shape),
        ),
        (PathBuf::from(crate::surface::FILE), surface),
        (PathBuf::from("README.md"), crate_docs::readme(api, &shape)),
        // prettyplease formats the crate; `cargo fmt --all` must not reformat it (that would
        // make it differ from what the generator writes).
        (PathBuf::from("rustfmt.toml"), "# Generated by clerkgen: this crate is formatted by the generator.\ndisable_all_formatting = true\n".to_string()),
    ];
    Plan { shape, parts, text }
}

impl Part {
    /// A rough cost of emitting and laying out this part, so the writer can start the
    /// dearest parts first and no core idles at the end (a module's operation costs
    /// about two models; the client runtime about forty).
    pub fn weight(&self, api: &Api) -> usize {
        match self {
            Part::Module(i) => 2 * api.modules[*i].operations.len(),
            Part::Models { start, end } => end - start,
            Part::Client => 40,
            Part::Lib | Part::Error => 10,
            Part::Codec
            | Part::File
            | Part::Runtime(_)
            | Part::Stream
            | Part::Sends
            | Part::ModuleSends(_)
            | Part::Extension(_)
            | Part::Webhook => 1,
        }
    }
}

/// The source of one part: tokens, or text for a part kept as a template.
pub fn emit_part(api: &Api, shape: &Shape, part: &Part) -> Source {
    let tokens = match part {
        Part::Codec => return Source::Text(codec::codec_rs(api)),
        Part::Runtime(file) => return Source::Text(file.copied_source().to_string()),
        Part::Stream => return Source::Text(include_str!("../../templates/stream.rs").to_string()),
        Part::Sends => {
            // With no module's feature on, no builder invokes the macro: the lint is
            // allowed after the module docs, before the macro.
            let template = include_str!("../../templates/sends.rs");
            let docs_end = template.find("\n\n").map_or(0, |at| at + 1);
            let (docs, rest) = template.split_at(docs_end);
            return Source::Text(format!(
                "{docs}#![cfg_attr(not(feature = \"{FULL_FEATURE}\"), allow(unused_macros))]\n{rest}"
            ));
        }
        Part::ModuleSends(i) => {
            return Source::Text(operations::module_sends(api, &api.modules[*i]))
        }
        Part::Webhook => return Source::Text(webhook::webhook_rs(api)),
        Part::Extension(i) => {
            let e = &api.extensions[*i];
            let note = format!(
                "// Hand-written: copied as it is from `{}`, which the manifest names in `extensions`.\n\n",
                e.file
            );
            return Source::Text(format!("{note}{}", e.source));
        }
        Part::Lib => lib_rs::lib_rs(api, shape),
        Part::Client => client::client_rs(api, shape),
        Part::Error => error::error_rs(api),
        Part::File => file::file_rs(shape),
        Part::Models { start, end } => types::models_rs(api, shape, *start..*end),
        Part::Module(i) => operations::module_rs(api, &api.modules[*i]),
    };
    Source::Tokens(tokens)
}

/// The `#[cfg]` of a type's item, in one attribute: compiled with one of the modules that
/// use the type (always, when `features` is `None`), and only with `roundtrip` when the
/// API itself does not `need` it (`cfg(all(feature = "users", feature = "roundtrip"))`).
pub(crate) fn gate(features: Option<&[String]>, needed: bool) -> TokenStream {
    let modules = match features {
        None => None,
        Some([one]) => Some(quote!(feature = #one)),
        Some(list) => Some(quote!(any(#(feature = #list),*))),
    };
    let roundtrip = (!needed).then(|| quote!(feature = "roundtrip"));
    match (modules, roundtrip) {
        (None, None) => TokenStream::new(),
        (Some(one), None) | (None, Some(one)) => quote!(#[cfg(#one)]),
        (Some(modules), Some(roundtrip)) => quote!(#[cfg(all(#modules, #roundtrip))]),
    }
}

/// The feature that turns on every module (and is the default).
pub const FULL_FEATURE: &str = "full";

/// `#![cfg_attr(not(feature = "full"), allow(...))]`: with some modules off, shared
/// helpers they alone use go unused; with every module on, nothing is excused.
pub(crate) fn unless_all_features(lints: TokenStream) -> TokenStream {
    quote!(#![cfg_attr(not(feature = #FULL_FEATURE), allow(#lints))])
}

/// The identifier for a name of the IR, raw (`r#type`) where it is a keyword.
pub(crate) fn ident(name: &str) -> Ident {
    match crate::ir::naming::is_raw_keyword(name) {
        true => Ident::new_raw(name, Span::call_site()),
        false => Ident::new(name, Span::call_site()),
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
    let paths = TypePaths {
        models: if qualified {
            paths::MODELS.as_str()
        } else {
            ""
        },
        runtime: paths::ROOT.as_str(),
        map: "std::collections::BTreeMap",
    };
    t.render(paths)
        .parse()
        .expect("a rendered type is Rust: its names come from ir::naming")
}

/// A module of the runtime: the shared crate's, imported under the same name, or the copy
/// the crate carries.
pub(crate) fn runtime_module(api: &Api, name: &str) -> TokenStream {
    let name = ident(name);
    match api.runtime {
        Some(_) => quote!(use clerkgen_runtime::#name;),
        // A copy of the whole module, public as the runtime crate's is: the crate's aliases
        // (`Error`, `Pages`) and re-exports point into it, and their docs link to its items.
        None => quote!(pub mod #name;),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The top-level modules a runtime file names as `crate::<module>`.
    fn crate_modules(source: &str) -> Vec<&str> {
        source
            .split("crate::")
            .skip(1)
            .filter_map(|rest| {
                rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
            })
            .collect()
    }

    /// The runtime's second shape, a copy inside a generated crate, holds together: for
    /// every set of files a crate can carry, each file's `crate::` paths name modules of
    /// that set, so the copy resolves as the runtime crate does (`crate` being the
    /// generated crate, whose `lib.rs` declares the copied modules at the same paths).
    #[test]
    fn every_copy_of_the_runtime_names_only_modules_it_carries() {
        let shapes = [
            (true, false, false),
            (true, true, false),
            (true, false, true),
        ];
        let shapes = shapes
            .into_iter()
            .chain([(true, true, true), (false, true, false)]);
        for (client, patch, pages) in shapes {
            let shape = Shape {
                client,
                patch,
                pages,
                files: false,
                multipart: false,
                stream: false,
                raw_body: false,
                redirect_answers: false,
                redirects_declared: false,
                codec: false,
                copied_runtime: true,
                unused_types: false,
            };
            let files = copied_runtime(&shape);
            let carried: Vec<&str> = files
                .iter()
                .filter_map(|f| f.path().strip_prefix("src/")?.split(['/', '.']).next())
                .collect();
            for file in &files {
                for module in crate_modules(file.copied_source()) {
                    assert!(
                        carried.contains(&module),
                        "{} names crate::{module}, which a crate with {shape:?} does not carry",
                        file.path()
                    );
                }
            }
        }
    }

    #[test]
    fn a_copy_leaves_the_runtime_unit_tests_out() {
        let engine = RuntimeFile::Engine;
        assert!(engine.source().contains("\n#[cfg(test)]\nmod tests {"));
        assert!(!engine.copied_source().contains("#[cfg(test)]"));
        assert!(engine.copied_source().ends_with('\n'));
    }
}
