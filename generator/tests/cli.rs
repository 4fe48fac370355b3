//! The command line on bad input: a clear message naming the file and JSON pointer,
//! exit code 2, never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-clerkgen"))
        .args(args)
        .current_dir(fixtures())
        .output()
        .unwrap()
}

fn generate_spec(spec: &str) -> Output {
    let out = tempfile::tempdir().unwrap();
    run(&[
        "generate",
        "--spec",
        spec,
        "--out",
        out.path().to_str().unwrap(),
        "--name",
        "x",
    ])
}

fn assert_error(output: &Output, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected `{e}` in: {stderr}");
    }
}

#[test]
fn missing_file() {
    assert_error(
        &generate_spec("bad/no-such-file.yaml"),
        &["error: bad/no-such-file.yaml: cannot read file"],
    );
}

#[test]
fn malformed_yaml_names_the_line() {
    assert_error(
        &generate_spec("bad/malformed.yaml"),
        &["error: bad/malformed.yaml: invalid YAML at line 8 column 1"],
    );
}

/// Generates with `--verbose` and expects success with each warning.
fn assert_warned(spec: &str, expected: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let output = run(&[
        "generate",
        "--spec",
        spec,
        "--out",
        out.path().to_str().unwrap(),
        "--name",
        "x",
        "--verbose",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected `{e}` in: {stderr}");
    }
}

#[test]
fn a_dangling_ref_is_a_warning_naming_the_pointer_of_the_ref() {
    // The damage is local: the parameter is left out, the operation kept.
    assert_warned(
        "bad/dangling-ref.yaml",
        &[
            "warning: bad/dangling-ref.yaml#/paths/~1users/get/parameters/1/$ref [dangling-ref]: $ref `#/components/parameters/Missing` resolves to nothing",
            "warning: bad/dangling-ref.yaml#/paths/~1users/get/parameters/1 [invalid-node]: not a valid document here: missing field `in`; the node is left out",
            "generated 1 operations",
        ],
    );
}

#[test]
fn an_invalid_value_is_a_warning_naming_the_pointer_of_the_value() {
    assert_warned(
        "bad/wrong-shape.yaml",
        &[
            "warning: bad/wrong-shape.yaml#/paths/~1users/get/parameters/0/in [invalid-node]: not a valid document here: unknown variant `nowhere`",
            // Without its `in`, the parameter is left out too; the operation stays.
            "warning: bad/wrong-shape.yaml#/paths/~1users/get/parameters/0 [invalid-node]",
            "generated 1 operations",
        ],
    );
}

#[test]
fn unknown_capability_operation_suggests_the_closest() {
    assert_error(
        &run(&["generate", "--manifest", "bad/unknown-capability.toml"]),
        &["bad/unknown-capability.yaml#/capability/consumes/0/resources/0/operations/1/name: capability operation `createWidgett` is not an operationId", "(closest: createWidget"],
    );
}

#[test]
fn check_exits_1_and_lists_files_when_stale_and_0_when_fresh() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let args = [
        "generate",
        "--spec",
        "petstore.json",
        "--out",
        dir,
        "--name",
        "petstore",
    ];
    let stale = run(&[&args[..], &["--check"]].concat());
    assert_eq!(stale.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stale.stdout).contains("src/lib.rs (missing)"));
    assert_eq!(run(&args).status.code(), Some(0));
    assert_eq!(
        run(&[&args[..], &["--check"]].concat()).status.code(),
        Some(0)
    );
}

#[test]
fn works_as_a_cargo_subcommand_and_prints_the_ir() {
    let output = run(&[
        "clerkgen",
        "ir",
        "--format",
        "json",
        "--spec",
        "petstore.json",
        "--name",
        "petstore",
        "--out",
        "unused",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ir: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(ir["ir_format"], 2);
    assert_eq!(ir["operations"].as_array().unwrap().len(), 3);
    // Format 2: a body's input says how the builder takes it; a field, its presence.
    // Operations are sorted by operationId; the module lists them in output order.
    assert_eq!(
        ir["modules"][0]["operations"],
        serde_json::json!(["listPets", "createPets", "showPetById"])
    );
    let create = &ir["operations"][0];
    assert_eq!(create["operation_id"], "createPets");
    assert!(
        create["body"]["input"]["fields"].is_array(),
        "{}",
        create["body"]
    );
    let pet = ir["types"][0]["kind"]["fields"][0].as_object().unwrap();
    assert_eq!(pet["presence"], "required");
    assert!(
        !pet.contains_key("required") && !pet.contains_key("nullable"),
        "{pet:?}"
    );
    assert_eq!(ir["types"][0]["path"], "petstore::models::Pet");
    assert_eq!(ir["operations"][1]["rust_name"], "list_pets");
}

#[test]
fn swagger_2_is_named_as_such() {
    assert_error(
        &generate_spec("bad/swagger2.yaml"),
        &["error: bad/swagger2.yaml#/swagger: this is a Swagger 2.0 document; clerkgen reads OpenAPI 3.0 and 3.1"],
    );
}

#[test]
fn an_unknown_openapi_version_is_named() {
    assert_error(
        &generate_spec("bad/openapi4.yaml"),
        &["error: bad/openapi4.yaml#/openapi: OpenAPI version 4.0.0 is not supported"],
    );
}

#[test]
fn a_malformed_path_template_names_its_pointer() {
    assert_error(
        &generate_spec("bad/malformed-path.yaml"),
        &["error: bad/malformed-path.yaml#/paths/~1a~1{b{c}: malformed path template `/a/{b{c}`: a `{` inside a parameter name"],
    );
}

#[test]
fn a_cycle_of_aliases_names_both_pointers() {
    assert_error(
        &generate_spec("bad/alias-cycle.yaml"),
        &["these schemas only refer to each other, so none has a type: #/components/schemas/A -> #/components/schemas/B"],
    );
}

/// A manifest of two crates in a scratch directory, with the fixtures' documents.
fn two_crate_manifest(dir: &Path, second_name: &str) -> PathBuf {
    let fixtures = fixtures().canonicalize().unwrap();
    let text = format!(
        "[[crate]]\nname = \"pets\"\nversion = \"0.1.0\"\npath = \"pets\"\n\n[crate.inputs]\nopenapi = {:?}\n\n\
         [[crate]]\nname = {second_name:?}\nversion = \"0.2.0\"\npath = \"notes\"\n\n[crate.inputs]\nopenapi = {:?}\n",
        fixtures.join("petstore.json"),
        fixtures.join("openapi31.yaml"),
    );
    let path = dir.join("clerkgen.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_manifest_of_several_crates_generates_each_or_the_one_named() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = two_crate_manifest(dir.path(), "notes");
    let manifest = manifest.to_str().unwrap();
    let only = run(&["generate", "--manifest", manifest, "--crate", "notes"]);
    assert!(
        only.status.success(),
        "{}",
        String::from_utf8_lossy(&only.stderr)
    );
    assert!(dir.path().join("notes/src/lib.rs").is_file());
    assert!(!dir.path().join("pets").exists());
    // The check sees the crate not yet written.
    assert_eq!(
        run(&["generate", "--manifest", manifest, "--check"])
            .status
            .code(),
        Some(1)
    );
    let all = run(&["generate", "--manifest", manifest]);
    assert!(
        all.status.success(),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    assert!(dir.path().join("pets/src/lib.rs").is_file());
    let cargo = std::fs::read_to_string(dir.path().join("notes/Cargo.toml")).unwrap();
    assert!(cargo.contains("version = \"0.2.0\""), "{cargo}");
    assert!(run(&["generate", "--manifest", manifest, "--check"])
        .status
        .success());
    // `ir` reads the first crate unless told otherwise.
    let ir = run(&[
        "ir",
        "--manifest",
        manifest,
        "--format",
        "text",
        "--crate",
        "notes",
    ]);
    assert!(String::from_utf8_lossy(&ir.stdout).contains("listNotes"));
}

#[test]
fn several_crates_refuse_an_unnamed_override_an_unknown_crate_and_a_repeated_name() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = two_crate_manifest(dir.path(), "notes");
    let manifest = manifest.to_str().unwrap();
    assert_error(
        &run(&["generate", "--manifest", manifest, "--out", "elsewhere"]),
        &["the manifest describes 2 crates", "--crate"],
    );
    assert_error(
        &run(&["generate", "--manifest", manifest, "--crate", "nope"]),
        &["no crate `nope` in the manifest (it describes pets, notes)"],
    );
    let repeated = two_crate_manifest(dir.path(), "pets");
    assert_error(
        &run(&["generate", "--manifest", repeated.to_str().unwrap()]),
        &["crate `pets` is described twice"],
    );
}

#[test]
fn diff_reports_a_broken_manifest_instead_of_ignoring_it() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("clerkgen.toml");
    std::fs::write(&manifest, "[crate]\nname = \"x\"\n").unwrap();
    let output = run(&[
        "diff",
        "petstore.json",
        "petstore.json",
        "--manifest",
        manifest.to_str().unwrap(),
    ]);
    assert_error(&output, &["clerkgen.toml", "missing field"]);
}
