//! Decoding a 500-user `GetUserList` response into the generated types, against decoding
//! the same bytes into `serde_json::Value`. The user is the spec's `User` schema filled
//! from its own examples, with distinct ids. `runtime_decode_json` is the client's own
//! decoding step (the body moved into the result or the error), `body_copy_only` the copy
//! of the body that step's setup makes, to subtract.

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
    // Through the client's own decoding step (what a call does with a 200's body).
    group.bench_function("runtime_decode_json", |b| {
        b.iter(|| {
            let received = clerkgen_runtime::transport::Received {
                operation: "GetUserList",
                status: 200,
                headers: Default::default(),
                body: bytes.clone(),
            };
            clerkgen_runtime::engine::encoding::decode_json::<Vec<clerk::models::User>, ()>(
                received,
            )
            .unwrap()
        })
    });
    group.bench_function("body_copy_only", |b| b.iter(|| bytes.clone()));
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(&bytes).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
