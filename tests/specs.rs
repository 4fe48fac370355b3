//! Every Clerk OpenAPI document in `specs/` (six Backend API versions, six Frontend API
//! versions, Platform, and the webhooks document, a types-only crate) generates a crate that passes clippy with warnings denied, with
//! every feature (`roundtrip` included) and with none, and whose docs build without
//! warnings: the generator is not tuned to the one document the project ships.

mod support;

use clerkgen::manifest::Manifest;

#[test]
fn every_clerk_document_generates_a_crate_without_warnings() {
    let specs = support::clerk_specs();
    let mut documents = Vec::new();
    for dir in ["bapi", "fapi", "platform", "webhooks"] {
        let entries = std::fs::read_dir(specs.join(dir)).expect("the spec directory reads");
        documents.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yml")),
        );
    }
    documents.sort();
    assert!(documents.len() >= 14, "{documents:?}");

    let scratch = support::scratch("spec-crates");
    let mut members = Vec::new();
    for doc in &documents {
        let kind = doc.parent().unwrap().file_name().unwrap().to_string_lossy();
        let version = doc.file_stem().unwrap().to_string_lossy().replace('-', "");
        let name = format!("{kind}_{version}");
        let out = scratch.join(&name);
        let mut manifest = Manifest::for_spec(doc.clone(), out.clone(), name.clone());
        if kind == "webhooks" {
            // Clerk's events share a plain string `type` holding the webhook's name.
            manifest.options.webhook_tag = Some("type".into());
        }
        let generated =
            clerkgen::generate(&manifest).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        generated.files.write(&out).unwrap();
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        ),
    )
    .unwrap();
    for features in ["--all-features", "--no-default-features"] {
        let args = [
            "clippy",
            "--workspace",
            "--quiet",
            features,
            "--",
            "-D",
            "warnings",
        ];
        support::cargo_in_scratch(&scratch, &args, &[]);
    }
    support::cargo_in_scratch(
        &scratch,
        &["doc", "--workspace", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
}
