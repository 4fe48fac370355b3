//! Regeneration reports: what changed between two spec versions, whether it breaks users,
//! the suggested version, and the CHANGELOG entry.

mod support;

use clerkgen::manifest::Manifest;

fn bapi(version: &str) -> std::path::PathBuf {
    support::manifest()
        .openapi
        .with_file_name(format!("{version}.yml"))
}

#[test]
fn report_for_bapi_2025_11_10_to_2026_05_12() {
    let manifest = support::manifest();
    let report = clerkgen::diff_specs(&manifest, &bapi("2025-11-10"), &bapi("2026-05-12")).unwrap();
    let added: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.kind == "operation added")
        .map(|c| c.subject.as_str())
        .collect();
    assert_eq!(added.len(), 10, "{added:?}");
    let removed_fields: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.kind == "field removed")
        .map(|c| c.detail.as_str())
        .collect();
    assert!(removed_fields
        .iter()
        .any(|d| d.starts_with("`UpdateUserBody.public_metadata`")));
    assert!(removed_fields
        .iter()
        .any(|d| d.starts_with("`UpdateOrganizationBody.private_metadata`")));
    assert!(report
        .changes
        .iter()
        .filter(|c| c.breaking)
        .all(|c| c.kind == "field removed"));
    assert_eq!(report.suggest_version("0.1.0"), "0.2.0");
    assert_eq!(report.suggest_version("1.4.2"), "2.0.0");
    insta::assert_snapshot!("bapi_2025_11_10_to_2026_05_12", report.render("0.1.0"));
}

#[test]
fn additive_changes_suggest_a_compatible_version() {
    let manifest = support::manifest();
    let report = clerkgen::diff_specs(&manifest, &bapi("2026-05-12"), &bapi("2026-05-12")).unwrap();
    assert!(report.is_empty());
    let fixture = Manifest::for_spec(
        support::fixture("petstore.json"),
        "unused".into(),
        "petstore".into(),
    );
    let same = clerkgen::diff_specs(
        &fixture,
        &support::fixture("petstore.json"),
        &support::fixture("petstore.json"),
    )
    .unwrap();
    assert_eq!(same.suggest_version("1.2.3"), "1.2.4");

    // An operation and a type the old API lacked: additive, so a minor bump after 1.0.
    let (api, _) = clerkgen::build_ir(&fixture).unwrap();
    let new = clerkgen::surface::ApiSurface::of(&api);
    let mut old = new.clone();
    old.operations.remove("showPetById");
    old.types.remove("Pets");
    let additive = clerkgen::diff::diff(&old, &new);
    assert_eq!(additive.changes.len(), 2);
    assert_eq!(additive.breaking(), 0);
    assert_eq!(additive.suggest_version("1.2.3"), "1.3.0");
    assert_eq!(additive.suggest_version("0.1.0"), "0.1.1");
    // The reverse removes both: breaking.
    assert_eq!(
        clerkgen::diff::diff(&new, &old).suggest_version("1.2.3"),
        "2.0.0"
    );
}

#[test]
fn regenerating_after_a_spec_change_appends_to_the_changelog() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = support::manifest();
    manifest.out_dir = dir.path().to_path_buf();
    // The expected entries name this version, whatever the Clerk crate's is now.
    manifest.crate_version = "0.1.0".to_string();
    manifest.openapi = bapi("2025-11-10");
    let first = clerkgen::write(&manifest, &clerkgen::generate(&manifest).unwrap()).unwrap();
    assert!(first.report.is_none());
    let changelog = std::fs::read_to_string(dir.path().join("CHANGELOG.md")).unwrap();
    assert!(
        changelog
            .contains("## API 2025-11-10\n\nFirst generation, crate version 0.1.0: 239 operations"),
        "{changelog}"
    );

    manifest.openapi = bapi("2026-05-12");
    let second = clerkgen::write(&manifest, &clerkgen::generate(&manifest).unwrap()).unwrap();
    let report = second.report.expect("the API changed");
    assert_eq!(report.breaking(), 5);
    let changelog = std::fs::read_to_string(dir.path().join("CHANGELOG.md")).unwrap();
    assert!(changelog.contains("## API 2025-11-10 -> 2026-05-12\n\nAPI version 2025-11-10 -> 2026-05-12: 33 changes, 5 breaking; suggested crate version 0.2.0"), "{changelog}");

    // Generating again with no change adds nothing.
    let third = clerkgen::write(&manifest, &clerkgen::generate(&manifest).unwrap()).unwrap();
    assert!(third.report.is_none() && third.changed.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("CHANGELOG.md")).unwrap(),
        changelog
    );
}
