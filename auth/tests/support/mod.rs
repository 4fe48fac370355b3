//! What the token tests share: the test keys (`tests/keys/`, generated for these tests and
//! used nowhere else), signing a token with them, key sets as an instance serves them, and
//! a Backend API or Frontend API on wiremock.
#![allow(dead_code)]

use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The publishable key of the test instance: its Frontend API is `clerk.example.com`.
pub const PUBLISHABLE_KEY: &str = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k";
/// Its issuer.
pub const ISSUER: &str = "https://clerk.example.com";
/// Its authorized party.
pub const APP: &str = "https://app.example.com";
/// A fixed time, in seconds.
pub const NOW: i64 = 1_800_000_000;

pub fn key(name: &str) -> RsaPrivateKey {
    let pem = match name {
        "a" => include_str!("../keys/instance_a.pem"),
        "a2" => include_str!("../keys/instance_a_rotated.pem"),
        "b" => include_str!("../keys/instance_b.pem"),
        "small" => include_str!("../keys/small_1024.pem"),
        other => panic!("no test key {other}"),
    };
    RsaPrivateKey::from_pkcs1_pem(pem).expect("a test key")
}

pub fn public_pem(name: &str) -> &'static str {
    match name {
        "a" => include_str!("../keys/instance_a.pub.pem"),
        "b" => include_str!("../keys/instance_b.pub.pem"),
        "small" => include_str!("../keys/small_1024.pub.pem"),
        other => panic!("no test key {other}"),
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A token with this header and these claims, signed with `key` by the header's `alg`
/// (RS256 when it names another, so that the header can lie).
pub fn sign(key: &RsaPrivateKey, header: &Value, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        b64(&serde_json::to_vec(header).unwrap()),
        b64(&serde_json::to_vec(claims).unwrap())
    );
    let signature = match header["alg"].as_str() {
        Some("RS384") => key.sign(Pkcs1v15Sign::new::<Sha384>(), &Sha384::digest(&input)),
        Some("RS512") => key.sign(Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(&input)),
        _ => key.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(&input)),
    }
    .unwrap();
    format!("{input}.{}", b64(&signature))
}

/// A session token of the test instance's, valid at [`NOW`], signed with key `a` as `kid`.
pub fn session_token(kid: &str, extra: Value) -> String {
    let mut claims = session_claims();
    for (k, v) in extra.as_object().unwrap() {
        claims[k] = v.clone();
    }
    sign(
        &key("a"),
        &json!({"alg": "RS256", "kid": kid, "typ": "JWT"}),
        &claims,
    )
}

pub fn session_claims() -> Value {
    json!({
        "azp": APP,
        "exp": NOW + 60,
        "iat": NOW - 10,
        "nbf": NOW - 20,
        "iss": ISSUER,
        "sid": "sess_1",
        "sub": "user_1",
        "v": 2,
    })
}

/// The JWK of a key under `kid`.
pub fn jwk(key: &RsaPrivateKey, kid: &str) -> Value {
    let public = key.to_public_key();
    json!({
        "use": "sig",
        "kty": "RSA",
        "kid": kid,
        "alg": "RS256",
        "n": b64(&public.n().to_bytes_be()),
        "e": b64(&public.e().to_bytes_be()),
    })
}

pub fn jwks(keys: &[(&RsaPrivateKey, &str)]) -> Value {
    json!({"keys": keys.iter().map(|(k, kid)| jwk(k, kid)).collect::<Vec<_>>()})
}

/// A verifier of the test instance with key `a` as its PEM key, [`APP`] its authorized
/// party and the clock at [`NOW`].
pub fn pem_verifier() -> clerk_auth::Verifier {
    clerk_auth::Verifier::builder()
        .jwt_key(public_pem("a"))
        .publishable_key(PUBLISHABLE_KEY)
        .authorized_parties([APP])
        .clock(clerk_auth::FixedClock::at(NOW))
        .build()
        .expect("the test verifier builds")
}
