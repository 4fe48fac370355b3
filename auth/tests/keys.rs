//! Where keys come from and how they are cached: a PEM key with no network, the Frontend
//! API's public key set with no secret, two instances in one process, a rotated key, a
//! hundred verifications after a rotation making one fetch, a flood of unknown `kid`s, and
//! cached keys that keep working while the key endpoint is down. Clerk's own fixtures
//! verify or fail as Clerk's tests say.

mod support;

use std::time::Duration;

use clerk_auth::{FixedClock, Verifier, VerifyError};
use serde_json::{json, Value};
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// A Frontend API serving `set` at `/.well-known/jwks.json`.
async fn frontend(set: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/.well-known/jwks.json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(set))
        .mount(&server)
        .await;
    server
}

fn verifier_for(server: &MockServer) -> clerk_auth::VerifierBuilder {
    Verifier::builder()
        .publishable_key(PUBLISHABLE_KEY)
        .frontend_api_url(server.uri())
        .clock(FixedClock::at(NOW))
}

async fn fetches(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

#[tokio::test]
async fn a_pem_key_verifies_with_no_network_at_all() {
    let verifier = Verifier::builder()
        .jwt_key(public_pem("a"))
        .publishable_key(PUBLISHABLE_KEY)
        .clock(FixedClock::at(NOW))
        .build()
        .unwrap();
    // Any kid: the one key is the instance's.
    verifier
        .verify_session(&session_token("whatever", json!({})))
        .await
        .unwrap();
    // A key pasted with its line breaks written as \n reads the same.
    let escaped = public_pem("a").replace('\n', "\\n");
    Verifier::builder().jwt_key(escaped).build().unwrap();
    // Another instance's token fails on it.
    let b = sign(
        &key("b"),
        &json!({"alg": "RS256", "kid": "whatever"}),
        &session_claims(),
    );
    assert_eq!(
        verifier.verify_session(&b).await.unwrap_err(),
        VerifyError::Signature
    );
    // A key too short, or not a key, is refused when building.
    assert!(Verifier::builder()
        .jwt_key(public_pem("small"))
        .build()
        .is_err());
    assert!(Verifier::builder()
        .jwt_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
        .build()
        .is_err());
}

#[tokio::test]
async fn the_frontend_apis_public_keys_need_no_secret() {
    let server = frontend(jwks(&[(&key("a"), "ins_a")])).await;
    let verifier = verifier_for(&server).build().unwrap();
    verifier
        .verify_session(&session_token("ins_a", json!({})))
        .await
        .unwrap();
    verifier
        .verify_session(&session_token("ins_a", json!({})))
        .await
        .unwrap();
    // Fetched once, then cached.
    assert_eq!(fetches(&server).await, 1);
    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.headers.get("authorization").is_none());
}

#[tokio::test]
async fn two_instances_in_one_process_never_share_keys() {
    // Both instances use the same kid: only the key tells them apart.
    let a = frontend(jwks(&[(&key("a"), "ins_same")])).await;
    let b = frontend(jwks(&[(&key("b"), "ins_same")])).await;
    let verifier_a = verifier_for(&a).build().unwrap();
    let verifier_b = verifier_for(&b).build().unwrap();
    let token_a = session_token("ins_same", json!({}));
    let token_b = sign(
        &key("b"),
        &json!({"alg": "RS256", "kid": "ins_same"}),
        &session_claims(),
    );
    verifier_a.verify_session(&token_a).await.unwrap();
    verifier_b.verify_session(&token_b).await.unwrap();
    assert_eq!(
        verifier_a.verify_session(&token_b).await.unwrap_err(),
        VerifyError::Signature
    );
    assert_eq!(
        verifier_b.verify_session(&token_a).await.unwrap_err(),
        VerifyError::Signature
    );
    // PEM keys too.
    let pem_a = Verifier::builder()
        .jwt_key(public_pem("a"))
        .publishable_key(PUBLISHABLE_KEY)
        .clock(FixedClock::at(NOW))
        .build()
        .unwrap();
    let pem_b = Verifier::builder()
        .jwt_key(public_pem("b"))
        .publishable_key(PUBLISHABLE_KEY)
        .clock(FixedClock::at(NOW))
        .build()
        .unwrap();
    pem_a.verify_session(&token_a).await.unwrap();
    assert!(pem_a.verify_session(&token_b).await.is_err());
    assert!(pem_b.verify_session(&token_a).await.is_err());
}

/// Answers with the first key set until `switch` flips, then with the second.
struct Rotating {
    before: Value,
    after: Value,
    switch: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Respond for Rotating {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let rotated = self.switch.load(std::sync::atomic::Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json(if rotated { &self.after } else { &self.before })
    }
}

async fn rotating(
    before: Value,
    after: Value,
) -> (MockServer, std::sync::Arc<std::sync::atomic::AtomicBool>) {
    let server = MockServer::start().await;
    let switch = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    Mock::given(method("GET"))
        .and(path("/.well-known/jwks.json"))
        .respond_with(Rotating {
            before,
            after,
            switch: switch.clone(),
        })
        .mount(&server)
        .await;
    (server, switch)
}

#[tokio::test]
async fn a_rotated_key_under_a_new_kid_is_fetched_once_for_a_hundred_verifications() {
    let (server, switch) = rotating(
        jwks(&[(&key("a"), "ins_1")]),
        jwks(&[(&key("a"), "ins_1"), (&key("a2"), "ins_2")]),
    )
    .await;
    let verifier = verifier_for(&server)
        .min_refresh_interval(Duration::ZERO)
        .build()
        .unwrap();
    verifier
        .verify_session(&session_token("ins_1", json!({})))
        .await
        .unwrap();
    assert_eq!(fetches(&server).await, 1);
    switch.store(true, std::sync::atomic::Ordering::SeqCst);
    let rotated = sign(
        &key("a2"),
        &json!({"alg": "RS256", "kid": "ins_2"}),
        &session_claims(),
    );
    let checks = (0..100).map(|_| {
        let (verifier, token) = (verifier.clone(), rotated.clone());
        tokio::spawn(async move { verifier.verify_session(&token).await })
    });
    for result in futures_join(checks).await {
        result.unwrap();
    }
    assert_eq!(
        fetches(&server).await,
        2,
        "one fetch for a hundred verifications"
    );
}

#[tokio::test]
async fn a_key_rotated_under_the_same_kid_is_fetched_after_a_signature_fails() {
    let (server, switch) = rotating(
        jwks(&[(&key("a"), "ins_1")]),
        jwks(&[(&key("a2"), "ins_1")]),
    )
    .await;
    let verifier = verifier_for(&server)
        .min_refresh_interval(Duration::ZERO)
        .build()
        .unwrap();
    verifier
        .verify_session(&session_token("ins_1", json!({})))
        .await
        .unwrap();
    switch.store(true, std::sync::atomic::Ordering::SeqCst);
    let rotated = sign(
        &key("a2"),
        &json!({"alg": "RS256", "kid": "ins_1"}),
        &session_claims(),
    );
    verifier.verify_session(&rotated).await.unwrap();
    assert_eq!(fetches(&server).await, 2);
}

#[tokio::test]
async fn a_flood_of_unknown_kids_costs_at_most_one_fetch_per_interval() {
    let server = frontend(jwks(&[(&key("a"), "ins_1")])).await;
    let verifier = verifier_for(&server).build().unwrap();
    verifier
        .verify_session(&session_token("ins_1", json!({})))
        .await
        .unwrap();
    for i in 0..50 {
        let err = verifier
            .verify_session(&session_token(&format!("ins_random_{i}"), json!({})))
            .await
            .unwrap_err();
        assert!(matches!(err, VerifyError::KidMismatch { .. }), "{err:?}");
    }
    // Less than the minimum interval (10 s) after the first fetch: no unknown kid fetched.
    assert_eq!(fetches(&server).await, 1);
    // And bad signatures under the real kid are no lever either.
    let forged = sign(
        &key("b"),
        &json!({"alg": "RS256", "kid": "ins_1"}),
        &session_claims(),
    );
    for _ in 0..20 {
        assert_eq!(
            verifier.verify_session(&forged).await.unwrap_err(),
            VerifyError::Signature
        );
    }
    assert_eq!(fetches(&server).await, 1);
}

#[tokio::test]
async fn cached_keys_keep_working_while_the_key_endpoint_is_down() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/.well-known/jwks.json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(jwks(&[(&key("a"), "ins_1")])))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/.well-known/jwks.json"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let verifier = verifier_for(&server)
        .keys_ttl(Duration::from_millis(1))
        .min_refresh_interval(Duration::ZERO)
        .build()
        .unwrap();
    let token = session_token("ins_1", json!({}));
    verifier.verify_session(&token).await.unwrap();
    tokio::time::sleep(Duration::from_millis(5)).await;
    // Stale: fetched again, which fails; the cached key still verifies.
    verifier.verify_session(&token).await.unwrap();
    assert_eq!(fetches(&server).await, 2);
    // A kid never seen, with the endpoint down: the keys could not be loaded.
    let err = verifier
        .verify_session(&session_token("ins_2", json!({})))
        .await
        .unwrap_err();
    assert_eq!(err.reason(), "jwk-remote-failed-to-load");
}

#[tokio::test]
async fn the_backend_apis_keys_need_the_secret_key_and_a_refusal_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/jwks"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"errors": [{"code": "clerk_key_invalid", "message": "bad key", "long_message": "bad key"}]})))
        .mount(&server)
        .await;
    let verifier = Verifier::builder()
        .secret_key("sk_test_wrong")
        .api_url(server.uri())
        .clock(FixedClock::at(NOW))
        .build()
        .unwrap();
    let err = verifier
        .verify_session(&session_token("ins_1", json!({})))
        .await
        .unwrap_err();
    assert_eq!(err, VerifyError::SecretKeyInvalid);
    assert_eq!(err.reason(), "secret-key-invalid");
}

#[tokio::test]
async fn no_key_source_is_a_configuration_error() {
    assert!(matches!(
        Verifier::builder().build(),
        Err(clerk_auth::ConfigError::NoKeySource)
    ));
    assert!(Verifier::builder()
        .publishable_key("pk_test_nope!")
        .build()
        .is_err());
}

/// Clerk's own fixtures (`tests/fixtures/`, from clerk/javascript), used as Clerk's tests
/// use them: the clock at the token's `iat`, the authorized party Clerk names.
mod clerk_fixtures {
    use super::*;

    fn fixtures() -> Value {
        serde_json::from_str(include_str!("fixtures/fixtures.json")).unwrap()
    }

    async fn verifier() -> (MockServer, Verifier) {
        let f = fixtures();
        let server = frontend(f["mockJwks"].clone()).await;
        let verifier = Verifier::builder()
            .publishable_key("pk_live_Y2xlcmsuaW5zcGlyZWQucHVtYS03NC5sY2wuZGV2JA")
            .frontend_api_url(server.uri())
            .authorized_parties(["https://accounts.inspired.puma-74.lcl.dev"])
            .clock(FixedClock::at(f["now"].as_i64().unwrap()))
            .build()
            .unwrap();
        (server, verifier)
    }

    #[tokio::test]
    async fn the_valid_token_verifies_with_its_jwks_and_its_pem_key() {
        let f = fixtures();
        let (_server, verifier) = verifier().await;
        let auth = verifier
            .verify_session(f["mockJwt"].as_str().unwrap())
            .await
            .unwrap();
        assert_eq!(auth.user_id(), "user_2GIpXOEpVyJw51rkZn9Kmnc6Sxr");
        assert_eq!(auth.session_id(), Some("sess_2GbDB4enNdCa5vS1zpC3Xzg9tK9"));
        let pem = Verifier::builder()
            .jwt_key(f["pemEncodedPublicKey"].as_str().unwrap())
            .issuer("https://clerk.inspired.puma-74.lcl.dev")
            .clock(FixedClock::at(f["now"].as_i64().unwrap()))
            .build()
            .unwrap();
        pem.verify_session(f["mockJwt"].as_str().unwrap())
            .await
            .unwrap();
        let other = Verifier::builder()
            .jwt_key(f["someOtherPublicKey"].as_str().unwrap())
            .clock(FixedClock::at(f["now"].as_i64().unwrap()))
            .build()
            .unwrap();
        assert_eq!(
            other
                .verify_session(f["mockJwt"].as_str().unwrap())
                .await
                .unwrap_err(),
            VerifyError::Signature
        );
        // The file's PEM keys match what fixtures.json carries.
        assert_eq!(
            include_str!("fixtures/public.pem").trim(),
            f["pemEncodedPublicKey"].as_str().unwrap().trim()
        );
    }

    #[tokio::test]
    async fn the_expired_invalid_and_malformed_tokens_fail_with_clerks_reasons() {
        let f = fixtures();
        let (_server, verifier) = verifier().await;
        for (token, reason) in [
            ("mockExpiredJwt", "token-expired"),
            ("mockInvalidSignatureJwt", "token-invalid-signature"),
            // Its signature is cut short (Clerk's own tests do not use it).
            ("mockMalformedJwt", "token-invalid-signature"),
        ] {
            let err = verifier
                .verify_session(f[token].as_str().unwrap())
                .await
                .unwrap_err();
            assert_eq!(err.reason(), reason, "{token}: {err:?}");
        }
        let err = verifier
            .verify_session("test_header_token")
            .await
            .unwrap_err();
        assert_eq!(err.reason(), "token-invalid");
        // Clerk's OAuth access tokens are not session tokens.
        for token in [
            "mockSignedOAuthAccessTokenJwt",
            "mockSignedOAuthAccessTokenJwtApplicationTyp",
        ] {
            assert_eq!(
                verifier
                    .verify_session(f[token].as_str().unwrap())
                    .await
                    .unwrap_err()
                    .reason(),
                "token-type-mismatch"
            );
        }
    }
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await.unwrap());
    }
    out
}
