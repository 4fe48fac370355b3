//! Every `example:` of the Backend, Platform and Frontend API specs that belongs to a
//! schema, parameter or response decodes into its generated type and re-encodes to the
//! same JSON.
//!
//! The test maps each example to a Rust type through the IR (every type, field, parameter,
//! body and response records the JSON pointer of its schema), writes a small crate that
//! decodes and re-encodes each one, runs it, and reads its report. New examples in a spec
//! are covered automatically.
//!
//! Comparison rules: numbers compare by value (`1` equals `1.0`); a key the example has
//! but the type does not declare is reported as undeclared, not a failure; a `null` the
//! type encodes for an optional, nullable field the example leaves out counts as equal.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clerkgen::ir::{Api, Presence, TypeKind, TypeRef};
use clerkgen::manifest::Manifest;
use serde_json::{json, Value};

struct SpecUnderTest {
    label: &'static str,
    spec: PathBuf,
    /// The name code uses (the dependency's key).
    krate: String,
    /// The package at `crate_dir` (the committed Backend crate is `clerk-backend`).
    package: &'static str,
    crate_dir: PathBuf,
}

/// Pointer of a schema (or parameter, media type) -> the Rust type its values decode into.
fn type_map(api: &Api) -> HashMap<String, String> {
    let krate = api.crate_name.replace('-', "_");
    let models = format!("{krate}::models");
    let mut map = HashMap::new();
    for t in &api.types {
        if let TypeKind::Struct { fields, .. } = &t.kind {
            for f in fields {
                let ty = f.ty.rust(&models);
                let ty = match f.presence {
                    Presence::Required => ty,
                    Presence::TriState => format!("{krate}::Patch<{ty}>"),
                    _ => format!("Option<{ty}>"),
                };
                map.insert(f.pointer.clone(), ty);
            }
        }
    }
    for t in &api.types {
        map.entry(t.pointer.clone())
            .or_insert_with(|| TypeRef::Named(t.name.clone()).rust(&models));
    }
    // A type folded from several identical inline schemas: each copy's properties map
    // like the first's.
    for t in &api.types {
        for other in &t.also_at {
            let copies: Vec<(String, String)> = map
                .iter()
                .filter_map(|(ptr, ty)| {
                    let rest = ptr.strip_prefix(&t.pointer)?;
                    (rest.is_empty() || rest.starts_with('/'))
                        .then(|| (format!("{other}{rest}"), ty.clone()))
                })
                .collect();
            for (ptr, ty) in copies {
                map.entry(ptr).or_insert(ty);
            }
        }
    }
    for op in &api.operations {
        for p in &op.params {
            map.entry(format!("{}/schema", p.pointer))
                .or_insert_with(|| p.ty.rust(&models));
        }
        if let Some(b) = op
            .body
            .as_ref()
            .filter(|b| b.encoding == clerkgen::ir::BodyEncoding::Json)
        {
            if let Some(ptr) = &b.schema_pointer {
                map.entry(ptr.clone()).or_insert_with(|| b.ty.rust(&models));
            }
        }
        for r in std::iter::once(&op.response).chain(&op.errors) {
            if let Some(ptr) = &r.schema_pointer {
                map.entry(ptr.clone()).or_insert_with(|| r.ty.rust(&models));
            }
        }
    }
    map
}

/// Every `example` key in a document, with the pointer of the node that holds it.
fn examples(node: &Value, pointer: &str, out: &mut Vec<(String, Value)>) {
    match node {
        Value::Object(map) => {
            if let Some(example) = map.get("example") {
                out.push((pointer.to_string(), example.clone()));
            }
            for (k, v) in map
                .iter()
                .filter(|(k, _)| *k != "example" && *k != "examples")
            {
                examples(
                    v,
                    &format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                examples(v, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

const HARNESS_MAIN: &str = r#"
use serde_json::Value;
#[allow(unused_imports)]
use std::collections::BTreeMap;

fn compare(expected: &Value, actual: &Value, path: &str, undeclared: &mut Vec<String>) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = format!("{path}/{k}");
                match a.get(k) {
                    Some(av) => compare(ev, av, &p, undeclared)?,
                    None if ev.is_null() => {}
                    None => undeclared.push(p),
                }
            }
            for (k, av) in a {
                if !e.contains_key(k) && !av.is_null() {
                    return Err(format!("{path}/{k}: encoded but not in the example"));
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(ev, av, &format!("{path}/{i}"), undeclared)?;
            }
            Ok(())
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => Ok(()),
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: {e} re-encodes as {a}")),
    }
}

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(case: &Value) {
    let (spec, pointer, example) = (&case["spec"], case["pointer"].as_str().unwrap(), &case["example"]);
    let spec = spec.as_str().unwrap();
    match serde_json::from_value::<T>(example.clone()) {
        Err(e) => println!("fail\t{spec}\t{pointer}\tdoes not decode: {e}"),
        Ok(v) => {
            let back = serde_json::to_value(&v).expect("models encode");
            let mut undeclared = Vec::new();
            match compare(example, &back, "", &mut undeclared) {
                Err(e) => println!("fail\t{spec}\t{pointer}\t{e}"),
                Ok(()) if undeclared.is_empty() => println!("ok\t{spec}\t{pointer}\t"),
                Ok(()) => println!("undeclared\t{spec}\t{pointer}\t{}", undeclared.join(" ")),
            }
        }
    }
}

fn main() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("../cases.json")).unwrap();
"#;

#[test]
fn every_spec_example_decodes_and_round_trips() {
    let root = support::root();
    let scratch = support::scratch("examples-harness");
    std::fs::create_dir_all(scratch.join("harness/src")).unwrap();
    let clerk_specs = support::clerk_specs();
    let specs = [
        SpecUnderTest {
            label: "bapi",
            spec: support::manifest().openapi,
            krate: "clerk".into(),
            package: "clerk-backend",
            crate_dir: root.join("generated/clerk-backend"),
        },
        SpecUnderTest {
            label: "platform",
            spec: clerk_specs.join("platform/beta.yml"),
            krate: "clerk-platform".into(),
            package: "clerk-platform",
            crate_dir: scratch.join("platform"),
        },
        SpecUnderTest {
            label: "fapi",
            spec: clerk_specs.join("fapi/2026-05-12.yml"),
            krate: "clerk-fapi".into(),
            package: "clerk-fapi",
            crate_dir: scratch.join("fapi"),
        },
    ];

    let mut cases = Vec::new();
    let mut calls = String::new();
    let mut unmapped = Vec::new();
    let mut deps = String::new();
    for s in &specs {
        let manifest = Manifest::for_spec(s.spec.clone(), s.crate_dir.clone(), s.krate.clone());
        let generated = clerkgen::generate(&manifest).unwrap();
        if s.label != "bapi" {
            generated.files.write(&s.crate_dir).unwrap();
        }
        // `roundtrip`: request types decode and response types encode too.
        writeln!(
            deps,
            "{} = {{ package = {:?}, path = {:?}, features = [\"roundtrip\"] }}",
            s.krate, s.package, s.crate_dir
        )
        .unwrap();
        let map = type_map(&generated.api);
        let raw: Value =
            serde_yaml_ng::from_str(&std::fs::read_to_string(&s.spec).unwrap()).unwrap();
        let mut found = Vec::new();
        examples(&raw, "#", &mut found);
        for (pointer, example) in found {
            let ty = map
                .get(&pointer)
                .or_else(|| map.get(&format!("{pointer}/schema")));
            match ty {
                Some(ty) => {
                    writeln!(calls, "    check::<{ty}>(&cases[{}]);", cases.len()).unwrap();
                    cases.push(json!({"spec": s.label, "pointer": pointer, "example": example}));
                }
                None => unmapped.push(format!("{}{pointer}", s.label)),
            }
        }
    }

    let harness = scratch.join("harness");
    std::fs::write(
        harness.join("Cargo.toml"),
        format!("[package]\nname = \"examples-harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nserde = \"1\"\nserde_json = \"1\"\n{deps}"),
    )
    .unwrap();
    std::fs::write(
        harness.join("cases.json"),
        serde_json::to_string(&cases).unwrap(),
    )
    .unwrap();
    std::fs::write(
        harness.join("src/main.rs"),
        format!("{HARNESS_MAIN}{calls}}}\n"),
    )
    .unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[workspace]\nmembers = [\"harness\", \"platform\", \"fapi\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    let report =
        support::cargo_in_scratch(&scratch, &["run", "--quiet", "-p", "examples-harness"], &[]);
    summarise(&report, cases.len(), &unmapped, &scratch);
}

fn summarise(report: &str, checked: usize, unmapped: &[String], scratch: &Path) {
    let mut by_status: BTreeMap<&str, Vec<(&str, &str, &str)>> = BTreeMap::new();
    let mut per_spec: BTreeMap<&str, usize> = BTreeMap::new();
    for line in report.lines() {
        let mut parts = line.splitn(4, '\t');
        let (status, spec, pointer, detail) = (
            parts.next().unwrap(),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        by_status
            .entry(status)
            .or_default()
            .push((spec, pointer, detail));
        *per_spec.entry(spec).or_default() += 1;
    }
    std::fs::write(scratch.join("report.tsv"), report).unwrap();
    let count = |s: &str| by_status.get(s).map_or(0, Vec::len);
    for (spec, pointer, detail) in by_status.get("undeclared").into_iter().flatten() {
        println!("undeclared fields: {spec}{pointer}: {detail}");
    }
    for (spec, pointer, detail) in by_status.get("fail").into_iter().flatten() {
        println!("FAILED: {spec}{pointer}: {detail}");
    }
    for u in unmapped {
        println!("no type for example: {u}");
    }
    println!("examples per spec: {per_spec:?}");
    let text = format!(
        "examples: {checked} checked, {} round-trip exactly, {} round-trip with undeclared fields, {} failed, {} without a type\n",
        count("ok"),
        count("undeclared"),
        count("fail"),
        unmapped.len()
    );
    print!("{text}");
    std::fs::write(scratch.join("summary.txt"), text).unwrap();
    assert_eq!(
        count("ok") + count("undeclared") + count("fail"),
        checked,
        "the harness reported every case"
    );
    assert_eq!(
        count("fail"),
        0,
        "examples that do not round-trip (see above)"
    );
}
