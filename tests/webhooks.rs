//! Webhook events: Clerk's webhooks document (45 events under `x-webhooks`, no `paths`)
//! generates a types-only crate with one type per event payload and one `Event` enum
//! tagged by `type` (the manifest's `webhook_tag`: the events share a plain string
//! `type` whose value is the webhook's name). Every event example that matches its schema
//! decodes into its own variant and re-encodes to the same JSON (ten of the 27 lack a
//! property their schema requires: spec defects, checked and listed); an event the
//! document does not list decodes into `Unknown` with its raw JSON.

mod support;

use clerkgen::manifest::Manifest;
use serde_json::{json, Value};

/// The project manifest's `clerk-webhooks` crate (its `webhook_tag` is `type`), written
/// to `out`.
fn webhooks_manifest(out: std::path::PathBuf) -> Manifest {
    let path = support::root().join("specs/clerkgen.toml");
    let mut manifest = Manifest::load(&path, Some("clerk-webhooks")).unwrap();
    manifest.out_dir = out;
    manifest
}

#[test]
fn the_webhooks_document_gives_an_event_enum_over_all_45_events() {
    let generated = clerkgen::generate(&webhooks_manifest("unused".into())).unwrap();
    let api = &generated.api;
    assert!(api.operations.is_empty());
    assert_eq!(api.webhooks.len(), 45);
    assert_eq!(api.event_type.as_deref(), Some("Event"));
    let user_created = api
        .webhooks
        .iter()
        .find(|w| w.name == "user.created")
        .unwrap();
    assert_eq!(user_created.variant, "UserCreated");
    assert_eq!(
        user_created.payload,
        clerkgen::ir::TypeRef::Named("UserCreatedEvent".into())
    );
    // A types-only crate: no client, no runtime.
    let files: Vec<String> = generated
        .files
        .files
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(
        !files.iter().any(|f| f == "src/client_core.rs"),
        "{files:?}"
    );
    assert!(files.iter().any(|f| f == "src/models.rs"));
}

#[test]
fn every_event_example_decodes_into_its_variant() {
    let scratch = support::scratch("webhooks-harness");
    let generated = clerkgen::generate(&webhooks_manifest(scratch.join("clerk-webhooks"))).unwrap();
    generated
        .files
        .write(&scratch.join("clerk-webhooks"))
        .unwrap();

    // Each event's example, with the variant it must decode into.
    let text =
        std::fs::read_to_string(support::clerk_specs().join("webhooks/2025-04-15.yml")).unwrap();
    let doc: Value = serde_yaml_ng::from_str(&text).unwrap();
    let mut cases = Vec::new();
    for w in &generated.api.webhooks {
        let media =
            &doc["x-webhooks"][&w.name]["post"]["requestBody"]["content"]["application/json"];
        if let Some(example) = media.get("example") {
            cases.push(json!({"name": w.name, "variant": w.variant, "example": example}));
        }
    }
    assert_eq!(cases.len(), 27, "the document carries 27 event examples");
    cases.push(json!({
        "name": "user.teleported",
        "variant": "Unknown",
        "example": {"type": "user.teleported", "object": "event", "data": {"id": "user_1"}}
    }));
    std::fs::write(
        scratch.join("cases.json"),
        serde_json::to_vec(&cases).unwrap(),
    )
    .unwrap();

    std::fs::create_dir_all(scratch.join("harness/src")).unwrap();
    std::fs::write(
        scratch.join("harness/Cargo.toml"),
        "[package]\nname = \"webhooks-harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nclerk-webhooks = { path = \"../clerk-webhooks\", features = [\"roundtrip\"] }\nserde_json = \"1\"\n",
    )
    .unwrap();
    std::fs::write(scratch.join("harness/src/main.rs"), HARNESS).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[workspace]\nmembers = [\"clerk-webhooks\", \"harness\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    let cases_path = scratch.join("cases.json");
    let report = support::cargo_in_scratch(
        &scratch,
        &[
            "run",
            "--quiet",
            "-p",
            "webhooks-harness",
            "--",
            cases_path.to_str().unwrap(),
        ],
        &[],
    );
    // Ten examples predate their schemas: each lacks a property its payload schema
    // requires (checked here against the document itself, not against the generator).
    // Those are the spec's defects, reported, not typed away; every other example, and
    // the unknown event, decodes into its variant and re-encodes to the same JSON.
    let mut defects = Vec::new();
    for line in report.lines().filter_map(|l| l.strip_prefix("FAIL ")) {
        let (name, message) = line.split_once(": ").unwrap();
        // The error names where inside the event it is (`at `data`: ...`).
        let message = message
            .strip_prefix("at `")
            .and_then(|m| m.split_once("`: "))
            .map_or(message, |(_, rest)| rest);
        let field = message
            .strip_prefix("missing field `")
            .and_then(|m| m.strip_suffix('`'))
            .unwrap_or_else(|| {
                panic!("{name}: a failure other than a missing required field: {message}")
            });
        let case = cases.iter().find(|c| c["name"] == name).unwrap();
        assert!(
            !has_key(&case["example"], field),
            "{name}: the example has `{field}`"
        );
        assert!(
            required_somewhere(&doc["components"], field),
            "{field} is required by no schema"
        );
        defects.push(format!("{name} lacks `{field}`"));
    }
    assert_eq!(defects.len(), 10, "{defects:?}");
    assert!(
        report.contains("18 of 28 events decoded into their variant"),
        "{report}"
    );
}

/// Whether a JSON value has `key` at any depth.
fn has_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => map.contains_key(key) || map.values().any(|v| has_key(v, key)),
        Value::Array(items) => items.iter().any(|v| has_key(v, key)),
        _ => false,
    }
}

/// Whether some schema under `node` lists `field` as required.
fn required_somewhere(node: &Value, field: &str) -> bool {
    match node {
        Value::Object(map) => {
            let here = map
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|f| f == field));
            here || map.values().any(|v| required_somewhere(v, field))
        }
        Value::Array(items) => items.iter().any(|v| required_somewhere(v, field)),
        _ => false,
    }
}

/// Decodes each case into `Event`, checks the variant, and re-encodes it: every key of
/// the example must come back with the same value (keys the types do not declare are
/// counted, not failed).
const HARNESS: &str = r#"
use clerk_webhooks::models::Event;
use serde_json::Value;

/// Whether `encoded` holds every value of `example` (numbers by value).
fn covers(example: &Value, encoded: &Value, undeclared: &mut usize) -> bool {
    match (example, encoded) {
        (Value::Object(a), Value::Object(b)) => a.iter().all(|(k, v)| match b.get(k) {
            Some(w) => covers(v, w, undeclared),
            None => {
                *undeclared += 1;
                true
            }
        }),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| covers(x, y, undeclared)),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("the cases file");
    let cases: Vec<Value> = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let (mut ok, mut undeclared) = (0, 0);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let variant = case["variant"].as_str().unwrap();
        let event: Event = match serde_json::from_value(case["example"].clone()) {
            Ok(event) => event,
            Err(e) => {
                println!("FAIL {name}: {e}");
                continue;
            }
        };
        let debug = format!("{event:?}");
        assert!(debug.starts_with(&format!("{variant}(")), "{name}: decoded as {}", &debug[..debug.len().min(80)]);
        let encoded = serde_json::to_value(&event).unwrap();
        assert!(covers(&case["example"], &encoded, &mut undeclared), "{name}: re-encodes differently: {encoded}");
        ok += 1;
    }
    println!("{ok} of {} events decoded into their variant ({undeclared} undeclared keys)", cases.len());
}
"#;
