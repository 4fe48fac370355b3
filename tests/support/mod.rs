//! Shared test helpers: paths, the project manifest, and payloads built from the spec's
//! own `example:` values.
#![allow(dead_code)]

use std::path::PathBuf;

use clerkgen::manifest::Manifest;
use serde_json::{Map, Value};

/// The project root: the nearest directory above this package holding the manifest
/// (the tests and the benchmarks share this module).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|d| d.join("specs/clerkgen.toml").is_file())
        .unwrap_or(&here)
        .to_path_buf()
}

/// A fixture document of the generator's golden tests (`generator/tests/fixtures/`).
pub fn fixture(name: &str) -> PathBuf {
    root().join("generator/tests/fixtures").join(name)
}

/// The directory of Clerk's OpenAPI documents (`bapi/`, `fapi/`, `platform/`): the one
/// above the manifest's document's own directory.
pub fn clerk_specs() -> PathBuf {
    let spec = manifest().openapi;
    let dir = spec.parent().and_then(|d| d.parent());
    dir.expect("the manifest's spec is two levels down")
        .to_path_buf()
}

/// Where `scripts/corpus-install` unpacks the corpus documents (from the committed
/// `tests/corpus/docs.tar.xz`): `<package>/<file>` as `tests/corpus/corpus.toml` names
/// them. `None` when they are not unpacked, which fails in CI (`scripts/check` unpacks
/// them) and skips elsewhere.
pub fn corpus_docs() -> Option<PathBuf> {
    let docs = root().join("tests/corpus/docs");
    if docs.join(".archive").is_file() {
        return Some(docs);
    }
    assert!(
        std::env::var("CI").is_err(),
        "the corpus is not unpacked: run scripts/corpus-install (scripts/check does)"
    );
    println!("SKIPPED: the corpus is not unpacked; run scripts/corpus-install");
    None
}

/// A scratch directory under `target/`, emptied of what an earlier run left.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The project manifest's Backend API crate, `clerk` (`specs/clerkgen.toml`).
pub fn manifest() -> Manifest {
    Manifest::load(&root().join("specs/clerkgen.toml"), Some("clerk-backend"))
        .expect("the project manifest loads")
}

/// Runs cargo in a scratch workspace (crates the tests wrote under `target/`), offline,
/// with the project's lock file and a target directory of its own, and fails the test
/// with cargo's output when it fails. `env` is passed to cargo (and what it runs).
pub fn cargo_in_scratch(scratch: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> String {
    std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock"))
        .expect("the lock file copies");
    let output = std::process::Command::new(env!("CARGO"))
        .arg("--offline")
        .args(args)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", root().join("target/fixture-target"))
        .envs(env.iter().copied())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {args:?} failed in {}:\n{}",
        scratch.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The manifest's OpenAPI document as raw JSON, for reading examples (parsed once per
/// test binary).
pub fn raw_spec() -> &'static Value {
    static SPEC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(manifest().openapi).expect("the spec is readable");
        serde_yaml_ng::from_str(&text).expect("the spec is YAML")
    })
}

/// A sample of the manifest spec's schema at a JSON pointer (see [`sample`]).
pub fn sample_at(pointer: &str) -> Value {
    let spec = raw_spec();
    sample(spec, schema(spec, pointer))
}

/// A client of the generated crate for a mock server, with retries off.
pub fn client_without_retries(base_url: String, secret_key: &str) -> clerk::Client {
    clerk::Client::builder()
        .secret_key(secret_key)
        .base_url(base_url)
        .retry(clerk::RetryPolicy::none())
        .build()
        .unwrap()
}

/// Follows `$ref`s and returns the schema at a JSON pointer (`#/components/schemas/User`).
pub fn schema<'a>(spec: &'a Value, pointer: &str) -> &'a Value {
    let node = spec
        .pointer(&percent_decoded(pointer.trim_start_matches('#')))
        .unwrap_or_else(|| panic!("{pointer} exists"));
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => schema(spec, r),
        None => node,
    }
}

/// A pointer as written in a URI fragment, `%7B` for `{`, decoded.
fn percent_decoded(pointer: &str) -> String {
    let bytes = pointer.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A JSON instance of a schema: every property, each from its `example:` when it has one,
/// else the first enum value, else a value of its type. `allOf` members are merged and the
/// first `oneOf`/`anyOf` member is used.
pub fn sample(spec: &Value, node: &Value) -> Value {
    sample_depth(spec, node, 0)
}

fn sample_depth(spec: &Value, node: &Value, depth: usize) -> Value {
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        return sample_depth(spec, schema(spec, r), depth);
    }
    if let Some(example) = node.get("example") {
        return example.clone();
    }
    if depth > 12 {
        return Value::Null;
    }
    if let Some(all) = node.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for member in all {
            if let Value::Object(m) = sample_depth(spec, member, depth + 1) {
                merged.extend(m);
            }
        }
        if let Value::Object(own) = sample_object(spec, node, depth) {
            merged.extend(own);
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = node
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            if node.get("properties").is_none() {
                return sample_depth(spec, first, depth + 1);
            }
        }
    }
    if let Some(first) = node
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return first.clone();
    }
    match node.get("type").and_then(Value::as_str) {
        Some("string") => Value::String("example".into()),
        Some("integer") => Value::from(1),
        Some("number") => Value::from(1.5),
        Some("boolean") => Value::Bool(true),
        Some("array") => match node.get("items") {
            Some(items) => Value::Array(vec![sample_depth(spec, items, depth + 1)]),
            None => Value::Array(Vec::new()),
        },
        _ => sample_object(spec, node, depth),
    }
}

fn sample_object(spec: &Value, node: &Value, depth: usize) -> Value {
    let mut out = Map::new();
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            out.insert(name.clone(), sample_depth(spec, prop, depth + 1));
        }
    }
    Value::Object(out)
}
