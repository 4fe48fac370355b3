//! Writes `COUNT` Backend API users as a JSON array, for decoding benchmarks outside this
//! workspace (`scripts/bench-progenitor`). Each user is the document's `User` schema
//! filled from its own examples, with a distinct id. `full` keeps the nested lists (email
//! addresses, phone numbers, external and SAML accounts, ... one item each); `flat` empties
//! every list.
//!
//! `cargo run -p clerkgen-bench --example sample_users -- full|flat COUNT OUT.json`

#[path = "../../tests/support/mod.rs"]
mod support;

use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, count, output] = args.as_slice() else {
        eprintln!("usage: sample_users full|flat COUNT OUT.json");
        std::process::exit(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("COUNT must be a number: {count}");
        std::process::exit(2);
    };
    let mut user = support::sample_at("#/components/schemas/User");
    match kind.as_str() {
        "full" => fill_patterns(&mut user),
        "flat" => empty_lists(&mut user),
        other => {
            eprintln!("full or flat, not {other}");
            std::process::exit(2);
        }
    }
    let users: Vec<Value> = (0..count)
        .map(|i| {
            let mut u = user.clone();
            u["id"] = Value::from(format!("user_{i:05}"));
            u
        })
        .collect();
    let bytes = serde_json::to_vec(&users).unwrap_or_default();
    if let Err(e) = std::fs::write(output, &bytes) {
        eprintln!("{output}: {e}");
        std::process::exit(1);
    }
    eprintln!("{output}: {count} {kind} users, {} bytes", bytes.len());
}

/// Gives values matching their schemas' `pattern` to the patterned fields of a user that
/// the document's examples leave unmatched (`IdentificationLink.type`, `^oauth_[a-z]+$`,
/// in each `linked_to` list; an OAuth verification's `strategy`, `^oauth_...[a-z]+$`),
/// and keeps one of `domain` and `domains` in a SAML or enterprise connection (their
/// `oneOf` takes one or the other): progenitor's types check both while decoding.
fn fill_patterns(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(fill_patterns),
        Value::Object(map) => {
            if let Some(Value::Array(links)) = map.get_mut("linked_to") {
                for link in links.iter_mut().filter_map(Value::as_object_mut) {
                    link.insert("type".into(), Value::from("oauth_google"));
                }
            }
            if map.contains_key("domain") {
                map.remove("domains");
            }
            if map.get("object").and_then(Value::as_str) == Some("verification_oauth") {
                map.insert("strategy".into(), Value::from("oauth_google"));
            }
            map.values_mut().for_each(fill_patterns);
        }
        _ => {}
    }
}

/// Every list in the user, at any depth, made empty.
fn empty_lists(value: &mut Value) {
    match value {
        Value::Array(items) => items.clear(),
        Value::Object(map) => map.values_mut().for_each(empty_lists),
        _ => {}
    }
}
