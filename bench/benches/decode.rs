//! Decoding a 500-user `GetUserList` response into the generated types, against decoding
//! the same bytes into `serde_json::Value`. The user is the spec's `User` schema filled
//! from its own examples, with distinct ids.

#[path = "../../tests/support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::Value;

fn decode(c: &mut Criterion) {
    let user = support::sample_at("#/components/schemas/User");
    let users: Vec<Value> = (0..500)
        .map(|i| {
            let mut u = user.clone();
            u["id"] = Value::from(format!("user_{i:05}"));
            u
        })
        .collect();
    let bytes = serde_json::to_vec(&users).unwrap();
    // The bytes decode into the generated type (checked once, outside the timing).
    let typed: Vec<clerk::models::User> = serde_json::from_slice(&bytes).expect("users decode");
    assert_eq!(typed.len(), 500);

    let mut group = c.benchmark_group("decode_500_users");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("generated_types", |b| {
        b.iter(|| serde_json::from_slice::<Vec<clerk::models::User>>(&bytes).unwrap())
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(&bytes).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
