//! Capability files and overlays: every capability file loads and is validated against
//! its spec, workflows compose modules, and overlays apply before anything else.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use clerkgen::ir::{ModuleSource, TypeTable};
use clerkgen::manifest::Manifest;

fn specs_dir() -> PathBuf {
    support::clerk_specs().parent().unwrap().to_path_buf()
}

fn with_capabilities(spec: &str, pattern: &str) -> Manifest {
    let specs = specs_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(specs.join("capabilities"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(pattern)
        })
        .collect();
    files.sort();
    let mut manifest = Manifest::for_spec(
        specs.join("clerk").join(spec),
        "unused".into(),
        "clerk".into(),
    );
    manifest.capabilities = files;
    manifest
}

#[test]
fn all_capability_files_load_and_validate_against_their_specs() {
    let groups = [
        ("bapi/2026-05-12.yml", "clerk-backend-api-", 38),
        ("fapi/2026-05-12.yml", "clerk-frontend-api-", 39),
        ("platform/beta.yml", "clerk-platform-api-", 7),
    ];
    let mut files = 0;
    for (spec, prefix, expected) in groups {
        let manifest = with_capabilities(spec, prefix);
        assert_eq!(manifest.capabilities.len(), expected, "{prefix}");
        files += manifest.capabilities.len();
        let (api, warnings) = clerkgen::build_ir(&manifest)
            .unwrap_or_else(|e| panic!("{prefix} files do not match {spec}: {e}"));
        let from_capabilities = api
            .modules
            .iter()
            .filter(|m| matches!(m.source, ModuleSource::Capability { .. }))
            .count();
        assert_eq!(from_capabilities, expected);
        let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
        for w in &warnings {
            *by_kind.entry(w.kind).or_default() += 1;
        }
        let untouched: usize = api.modules.iter().map(|m| m.unnamed.len()).sum();
        println!("{prefix}* against {spec}: {} operations, {untouched} named by no capability, warnings {by_kind:?}", api.operations.len());
    }
    // The three workflow files are in the project manifest.
    let workflows = support::manifest()
        .capabilities
        .iter()
        .filter(|p| !p.to_string_lossy().contains("-api-"))
        .count();
    assert_eq!(files + workflows, 87);
}

#[test]
fn project_manifest_groups_by_capability_and_reports_deviations() {
    let (api, warnings) = clerkgen::build_ir(&support::manifest()).unwrap();
    let b2b = api.modules.iter().find(|m| m.name == "b2b_saas").unwrap();
    assert!(b2b.operations.is_empty());
    assert_eq!(b2b.imports.len(), 9);
    assert!(b2b.imports.contains(&"organizations".to_string()));
    let lifecycle = api
        .modules
        .iter()
        .find(|m| m.name == "user_lifecycle")
        .unwrap();
    assert_eq!(
        lifecycle.imports,
        [
            "users",
            "invitations",
            "email_addresses",
            "phone_numbers",
            "sessions"
        ]
    );

    // 39 operations are named by no capability file (SCIM, directories, ...): 22 in modules
    // of their own, 17 joining the capability module their tag names.
    let unnamed: Vec<&String> = api.modules.iter().flat_map(|m| &m.unnamed).collect();
    assert_eq!(unnamed.len(), 39);
    let users = api.modules.iter().find(|m| m.name == "users").unwrap();
    assert!(matches!(users.source, ModuleSource::Capability { .. }));
    assert_eq!(users.unnamed.len(), 4);
    // Deviations are warnings with the capability file and pointer.
    let media = warnings
        .iter()
        .find(|w| w.kind == "capability-media-type" && w.message.contains("SetUserProfileImage"))
        .unwrap();
    assert!(media.at.file.ends_with("clerk-backend-api-users.yaml"));
    assert!(media
        .at
        .pointer
        .starts_with("#/capability/consumes/0/resources/"));
    assert!(warnings
        .iter()
        .any(|w| w.kind == "capability-body" && w.message.contains("`UpdateInstance`")));
}

#[test]
fn clerks_overlay_applies_cleanly() {
    let mut manifest = support::manifest();
    manifest.overlays = vec![specs_dir().join("clerk/overlays/bapi-fixes.yml")];
    let (api, warnings) = clerkgen::build_ir(&manifest).unwrap();
    assert!(
        !warnings.iter().any(|w| w.kind == "overlay-no-match"),
        "{warnings:?}"
    );
    // The JWKS key union became one object with the overlay's properties...
    let keys = api
        .types
        .iter()
        .find(|t| t.pointer == "#/components/schemas/JWKS/properties/keys/items")
        .unwrap();
    let clerkgen::ir::TypeKind::Struct { fields, closed } = &keys.kind else {
        panic!("{keys:?}")
    };
    assert!(closed);
    assert_eq!(
        fields
            .iter()
            .map(|f| f.wire_name.as_str())
            .collect::<Vec<_>>(),
        ["use", "kty", "kid", "alg", "n", "e", "x", "crv"]
    );
    // ...the key schemas are gone, and so is `clerk_trace_id`.
    assert!(!api
        .types
        .iter()
        .any(|t| t.pointer.starts_with("#/components/schemas/JWKS.")));
    let errors = api
        .types
        .iter()
        .find(|t| t.pointer == "#/components/schemas/ClerkErrors")
        .unwrap();
    let clerkgen::ir::TypeKind::Struct { fields, .. } = &errors.kind else {
        panic!()
    };
    assert!(!fields.iter().any(|f| f.wire_name == "clerk_trace_id"));
}

#[test]
fn an_overlay_target_that_matches_nothing_is_a_warning_naming_the_action() {
    let mut manifest = Manifest::for_spec(
        support::fixture("constructs.yaml"),
        "unused".into(),
        "fixture".into(),
    );
    manifest.overlays = vec![support::fixture("bad/no-match-overlay.yaml")];
    let (api, warnings) = clerkgen::build_ir(&manifest).unwrap();
    let w = warnings
        .iter()
        .find(|w| w.kind == "overlay-no-match")
        .expect("a warning");
    assert_eq!(w.at.pointer, "#/actions/1");
    assert!(
        w.message.contains("$.components.schemas.NoSuchSchema")
            && w.message.contains("renamed upstream"),
        "{}",
        w.message
    );
    // The matching action applied.
    let widget = api.type_def("Widget").unwrap();
    let clerkgen::ir::TypeKind::Struct { fields, .. } = &widget.kind else {
        panic!()
    };
    assert_eq!(fields[0].doc.as_deref(), Some("The widget's id."));
}
