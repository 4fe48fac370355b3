//! Verifying a session token with its key cached, beside the bare RSA signature check it
//! contains (ring's, which the verifier uses): what the rest (decoding, header and claims
//! checks, reading the session) costs on top. The same check with the pure-Rust `rsa`
//! crate is measured too, as the reason for the choice. `cargo bench -p clerk-auth --bench
//! verify`.

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rsa::pkcs8::DecodePublicKey;
use rsa::Pkcs1v15Sign;
use serde_json::json;
use sha2::{Digest, Sha256};

fn verify(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let verifier = support::pem_verifier();
    let token = support::session_token(
        "ins_1",
        json!({"fea": "o:invoices,u:dashboard", "o": {"id": "org_1", "rol": "admin", "per": "read,manage", "fpm": "3"}}),
    );
    runtime
        .block_on(verifier.verify_session(&token))
        .expect("the token verifies");

    // The bare check: SHA-256 of the signing input and the RSA verification.
    let key = rsa::RsaPublicKey::from_public_key_pem(support::public_pem("a")).unwrap();
    let (n, e) = {
        use rsa::traits::PublicKeyParts;
        (key.n().to_bytes_be(), key.e().to_bytes_be())
    };
    let (input, signature) = token.rsplit_once('.').unwrap();
    let signature = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(signature)
            .unwrap()
    };

    let mut group = c.benchmark_group("session_token");
    group.throughput(Throughput::Elements(1));
    group.bench_function("verify_session_cached_key", |b| {
        b.iter(|| runtime.block_on(verifier.verify_session(&token)).unwrap())
    });
    group.bench_function("ring_rs256_signature_only", |b| {
        b.iter(|| {
            ring::signature::RsaPublicKeyComponents { n: &n, e: &e }
                .verify(
                    &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                    input.as_bytes(),
                    &signature,
                )
                .unwrap()
        })
    });
    group.bench_function("rsa_crate_rs256_signature_only", |b| {
        b.iter(|| {
            key.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(input.as_bytes()),
                &signature,
            )
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, verify);
criterion_main!(benches);
