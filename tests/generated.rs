//! `generated/` is what the generator writes, every time, byte for byte.

mod support;

use clerkgen::manifest::Manifest;
use clerkgen::DriftKind;

#[test]
fn every_generated_crate_is_in_step_with_specs_and_generator() {
    let manifests = Manifest::load_all(&support::root().join("specs/clerkgen.toml")).unwrap();
    let names: Vec<&str> = manifests.iter().map(|m| m.crate_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "clerk-backend",
            "clerk-platform",
            "clerk-webhooks",
            "clerk-frontend"
        ]
    );
    for manifest in &manifests {
        let drift = clerkgen::check(manifest).unwrap();
        let listed: Vec<String> = drift.iter().map(ToString::to_string).collect();
        assert!(
            drift.is_empty(),
            "{} is stale, run `cargo clerkgen generate`: {listed:?}",
            manifest.out_dir.display()
        );
    }
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let manifest = support::manifest();
    let first = clerkgen::generate(&manifest).unwrap();
    let second = clerkgen::generate(&manifest).unwrap();
    assert_eq!(first.files, second.files);
    let fixture = Manifest::for_spec(
        support::fixture("constructs.yaml"),
        "unused".into(),
        "fixture".into(),
    );
    assert_eq!(
        clerkgen::generate(&fixture).unwrap().files,
        clerkgen::generate(&fixture).unwrap().files
    );
}

#[test]
fn drift_check_names_changed_missing_and_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = Manifest::for_spec(
        support::fixture("petstore.json"),
        dir.path().to_path_buf(),
        "petstore".into(),
    );
    let generated = clerkgen::generate(&manifest).unwrap();

    let missing = generated.files.drift(dir.path());
    assert_eq!(missing.len(), generated.files.files.len());
    assert!(missing.iter().all(|d| d.kind == DriftKind::Missing));

    generated.files.write(dir.path()).unwrap();
    assert!(clerkgen::check(&manifest).unwrap().is_empty());

    let lib = dir.path().join("src/lib.rs");
    std::fs::write(
        &lib,
        std::fs::read_to_string(&lib).unwrap() + "// edited by hand\n",
    )
    .unwrap();
    let stale = dir.path().join("src/old_module.rs");
    std::fs::write(&stale, format!("{} from `x`.\n", clerkgen::HEADER_MARK)).unwrap();
    let handwritten = dir.path().join("src/notes.rs");
    std::fs::write(&handwritten, "// not generated\n").unwrap();

    let drift = clerkgen::check(&manifest).unwrap();
    let kinds: Vec<(String, DriftKind)> = drift
        .iter()
        .map(|d| (d.path.display().to_string(), d.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("src/lib.rs".to_string(), DriftKind::Changed),
            ("src/old_module.rs".to_string(), DriftKind::Stale)
        ]
    );

    // Writing repairs both and leaves files the generator did not write alone.
    let changed = generated.files.write(dir.path()).unwrap();
    assert_eq!(changed.len(), 2);
    assert!(!stale.exists());
    assert!(handwritten.exists());
    assert!(clerkgen::check(&manifest).unwrap().is_empty());
}

/// The text of a generated file, if the crate has it.
fn file<'a>(files: &'a clerkgen::FileSet, path: &str) -> Option<&'a str> {
    files
        .files
        .iter()
        .find(|(p, _)| p.to_str() == Some(path))
        .map(|(_, text)| text.as_str())
}

#[test]
fn the_runtime_is_a_dependency_when_the_manifest_names_it_and_a_copy_otherwise() {
    // The manifest's Backend crate depends on runtime/ by path and carries no copy.
    let manifest = support::manifest();
    assert!(manifest.options.runtime.is_some());
    let shared = clerkgen::generate(&manifest).unwrap().files;
    assert_eq!(file(&shared, "src/transport.rs"), None);
    let cargo = file(&shared, "Cargo.toml").unwrap();
    // The dependency names the runtime crate's own version, so the package builds from
    // crates.io as from the checkout.
    let runtime: toml::Value = toml::from_str(
        &std::fs::read_to_string(support::root().join("runtime/Cargo.toml")).unwrap(),
    )
    .unwrap();
    let version = runtime["package"]["version"].as_str().unwrap();
    let line =
        format!("clerkgen-runtime = {{ version = \"{version}\", path = \"../../runtime\" }}");
    assert!(cargo.contains(&line), "{line} in {cargo}");
    assert!(!cargo.contains("hyper"), "{cargo}");
    assert!(file(&shared, "src/lib.rs")
        .unwrap()
        .contains("use clerkgen_runtime::transport;"));

    // The same document generated standalone carries the runtime's module, from its one
    // source.
    let standalone = Manifest::for_spec(manifest.openapi.clone(), "unused".into(), "bapi".into());
    let vendored = clerkgen::generate(&standalone).unwrap().files;
    let copy = file(&vendored, "src/transport.rs").expect("a copy of the transport module");
    let source = std::fs::read_to_string(support::root().join("runtime/src/transport.rs")).unwrap();
    assert!(copy.ends_with(&source), "the copy is the runtime's source");
    assert!(file(&vendored, "src/lib.rs")
        .unwrap()
        .contains("mod transport;"));
    assert!(!file(&vendored, "Cargo.toml")
        .unwrap()
        .contains("clerkgen-runtime"));
}
