//! Writes the part of a Backend API document that progenitor 0.15 accepts, as JSON, for
//! `scripts/bench-progenitor` to give both generators the same input.
//!
//! Left out: every operation with a multipart or form body (progenitor generates no
//! client for either), and the three operations it refuses (`VerifyPassword`,
//! `VerifyTOTP`: bodies it cannot type; `GetPublicInterstitial`: a response it cannot
//! type). Everything else is the document as it stands.
//!
//! `cargo run -p clerkgen-bench --example progenitor_subset -- IN.yml OUT.json`

use serde_json::Value;

/// Operations progenitor 0.15.1 stops on, with a reason other than their body's media type.
const REFUSED: [&str; 3] = ["VerifyPassword", "VerifyTOTP", "GetPublicInterstitial"];

/// Request media types progenitor generates no client for.
const UNSUPPORTED_BODIES: [&str; 2] = ["multipart/form-data", "application/x-www-form-urlencoded"];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: progenitor_subset IN.yml OUT.json");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(input).unwrap_or_else(|e| fail(input, e));
    let mut doc: Value = serde_yaml_ng::from_str(&text).unwrap_or_else(|e| fail(input, e));
    let (kept, dropped) = keep_accepted(&mut doc);
    let json = serde_json::to_string(&doc).unwrap_or_else(|e| fail(output, e));
    std::fs::write(output, json).unwrap_or_else(|e| fail(output, e));
    eprintln!("{output}: {kept} operations ({dropped} left out)");
}

fn fail(file: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("{file}: {e}");
    std::process::exit(1);
}

/// Removes the operations progenitor does not accept, and paths left with none. Returns
/// how many operations stay and how many went.
fn keep_accepted(doc: &mut Value) -> (usize, usize) {
    let (mut kept, mut dropped) = (0, 0);
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return (0, 0);
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            if accepted(op) {
                kept += 1;
            } else {
                item.remove(method);
                dropped += 1;
            }
        }
    }
    paths.retain(|_, item| {
        item.as_object()
            .is_some_and(|item| METHODS.iter().any(|m| item.contains_key(*m)))
    });
    (kept, dropped)
}

fn accepted(op: &Value) -> bool {
    let id = op.get("operationId").and_then(Value::as_str).unwrap_or("");
    let content = op
        .pointer("/requestBody/content")
        .and_then(Value::as_object);
    let form_body = content.is_some_and(|c| UNSUPPORTED_BODIES.iter().any(|m| c.contains_key(*m)));
    !REFUSED.contains(&id) && !form_body
}
