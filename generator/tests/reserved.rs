//! `clerkgen::ir::reserved` is what emit names by hand: every method the emitted client,
//! client builder and request builders have is either in its table or a name the IR gave
//! (an accessor, a credential or server variable setter, a parameter or body setter), and
//! every module of the crate root is in the table or a module of the document's. A name
//! emit writes that the table lacks could collide with a name from a document.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clerkgen::ir::{reserved, Api, BodyInput};
use clerkgen::manifest::Manifest;
use syn::ext::IdentExt;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The methods the `sends!` template writes into every request builder.
fn sends_methods() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("generator/templates/sends.rs"))
        .expect("the sends template reads");
    text.split("fn ")
        .skip(1)
        .filter_map(|rest| {
            rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
        })
        .map(str::to_string)
        .collect()
}

/// The name of the type an `impl` block is for (`GetUserRequest` of `impl<'a> GetUserRequest<'a>`).
fn impl_target(block: &syn::ItemImpl) -> Option<String> {
    match &*block.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Every `fn` of every inherent `impl`, by the type it is for; and the crate root's modules.
fn methods_and_modules(files: &[(PathBuf, String)]) -> (Vec<(String, String)>, Vec<String>) {
    let mut methods = Vec::new();
    let mut modules = Vec::new();
    for (path, text) in files {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for item in file.items {
            match item {
                syn::Item::Impl(block) if block.trait_.is_none() => {
                    let Some(target) = impl_target(&block) else {
                        continue;
                    };
                    for member in &block.items {
                        if let syn::ImplItem::Fn(f) = member {
                            methods.push((target.clone(), f.sig.ident.unraw().to_string()));
                        }
                    }
                }
                syn::Item::Mod(m) if path.ends_with("src/lib.rs") => {
                    modules.push(m.ident.to_string());
                }
                _ => {}
            }
        }
    }
    (methods, modules)
}

fn check(api: &Api, files: &[(PathBuf, String)]) -> Vec<String> {
    let table = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
    let mut client = table(reserved::CRATE_ROOT);
    client.extend(api.modules.iter().map(|m| m.accessor.clone()));
    let mut builder = table(reserved::CLIENT_BUILDER);
    builder.extend(api.auth.iter().map(|a| a.setter().to_string()));
    builder.extend(api.server_variables.iter().map(|v| v.setter.clone()));
    let mut crate_root = table(reserved::CRATE_ROOT);
    crate_root.extend(api.modules.iter().map(|m| m.name.clone()));
    crate_root.extend(api.extensions.iter().map(|e| e.name.clone()));
    // The senders the template writes are a request builder's own methods too.
    let request_builder = table(reserved::REQUEST_BUILDER);
    let mut stray: Vec<String> = sends_methods()
        .into_iter()
        .filter(|m| !request_builder.contains(m))
        .map(|m| format!("sends!: {m}"))
        .collect();

    let (methods, modules) = methods_and_modules(files);
    for (target, method) in &methods {
        let allowed = match target.as_str() {
            "Client" => client.contains(method),
            "ClientBuilder" => builder.contains(method),
            _ => match api.operations.iter().find(|op| &op.builder == target) {
                Some(op) => {
                    let mut own = table(reserved::REQUEST_BUILDER);
                    own.extend(op.params.iter().map(|p| p.rust_name.clone()));
                    if let Some(body) = &op.body {
                        own.extend(body.input.fields().iter().map(|f| f.setter.clone()));
                        if let BodyInput::Whole { setter } = &body.input {
                            own.insert(setter.clone());
                        }
                    }
                    own.contains(method)
                }
                None => true,
            },
        };
        if !allowed {
            stray.push(format!("{target}::{method}"));
        }
    }
    stray.extend(modules.into_iter().filter(|m| !crate_root.contains(m)));
    stray
}

#[test]
fn emit_names_nothing_the_reserved_tables_lack() {
    let documents = [
        root().join("generator/tests/fixtures/params.yaml"),
        root().join("generator/tests/fixtures/constructs.yaml"),
        root().join("generator/tests/fixtures/public.yaml"),
        root().join("specs/clerk/bapi/2025-11-10.yml"),
    ];
    let scratch = tempfile::tempdir().expect("a scratch directory");
    for doc in documents {
        let manifest = Manifest::for_spec(doc.clone(), scratch.path().join("out"), "probe".into());
        let generated =
            clerkgen::generate(&manifest).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        let stray = check(&generated.api, &generated.files.files);
        assert!(
            stray.is_empty(),
            "{}: emitted names missing from clerkgen::ir::reserved: {stray:?}",
            doc.display()
        );
    }
}
