//! Machine tokens against a Backend API on wiremock: each kind verified with the body
//! field its operation names, each failure answer refusing the token, a timeout refusing
//! it, cached results, and M2M and OAuth tokens in JWT form verified locally.

mod support;

use std::time::Duration;

use clerk_auth::{Accepts, Caller, FixedClock, TokenType, Verifier, VerifyError};
use serde_json::{json, Value};
use support::*;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "ak_3beecc9c60adb5f9b850e91a8ee1e992";
const M2M: &str = "mt_f7f0ba8c3b4843ce7d85fcdd5e71853e";
const OAUTH: &str = "oat_0ef5a7a33d87ed87ee7954c845d80450";

fn api_key() -> Value {
    json!({"object": "api_key", "id": API_KEY, "type": "api_key", "subject": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "name": "MY_SERVICE_API_KEY", "description": null, "claims": {"foo": "bar"}, "scopes": ["read", "write"],
        "revoked": false, "revocation_reason": null, "expired": false, "expiration": null, "created_by": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "last_used_at": 1716883200, "created_at": 1716883200, "updated_at": 1716883200})
}

fn m2m() -> Value {
    json!({"object": "machine_to_machine_token", "id": M2M, "subject": "mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "claims": {"important_metadata": "Some useful data"}, "scopes": ["mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk"], "revoked": false,
        "revocation_reason": null, "expired": false, "expiration": 1716883200000u64, "last_used_at": 1716883200000u64,
        "created_at": 1716883200000u64, "updated_at": 1716883200000u64})
}

fn oauth() -> Value {
    json!({"object": "clerk_idp_oauth_access_token", "id": OAUTH, "client_id": "client_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "subject": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk", "scopes": ["read", "write"], "revoked": false, "revocation_reason": null,
        "expired": false, "expiration": 1716883200, "created_at": 1716883200, "updated_at": 1716883200})
}

/// Mounts `route` answering `status` with `body` for a request with this JSON body.
async fn answer(server: &MockServer, route: &str, request: Value, status: u16, body: Value) {
    Mock::given(method("POST"))
        .and(path(route))
        .and(header("authorization", "Bearer sk_test_1"))
        .and(body_json(request))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

fn verifier(server: &MockServer) -> clerk_auth::VerifierBuilder {
    Verifier::builder()
        .secret_key("sk_test_1")
        .api_url(server.uri())
        .publishable_key(PUBLISHABLE_KEY)
        .clock(FixedClock::at(NOW))
}

#[tokio::test]
async fn each_kind_is_verified_by_its_operation_with_its_field() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/v1/api_keys/verify",
        json!({"secret": API_KEY}),
        200,
        api_key(),
    )
    .await;
    answer(
        &server,
        "/v1/m2m_tokens/verify",
        json!({"token": M2M}),
        200,
        m2m(),
    )
    .await;
    answer(
        &server,
        "/v1/oauth_applications/access_tokens/verify",
        json!({"access_token": OAUTH}),
        200,
        oauth(),
    )
    .await;
    let verifier = verifier(&server).build().unwrap();

    let key = verifier.verify_machine(API_KEY).await.unwrap();
    assert_eq!(
        (key.token_type(), key.id(), key.name()),
        (TokenType::ApiKey, API_KEY, Some("MY_SERVICE_API_KEY"))
    );
    assert_eq!(key.user_id(), Some("user_2xhFjEI5X2qWRvtV13BzSj8H6Dk"));
    assert_eq!(key.scopes(), ["read", "write"]);
    let machine = verifier.verify_machine(M2M).await.unwrap();
    assert_eq!(
        machine.machine_id(),
        Some("mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk")
    );
    let token = verifier.verify_machine(OAUTH).await.unwrap();
    assert_eq!(
        token.client_id(),
        Some("client_2xhFjEI5X2qWRvtV13BzSj8H6Dk")
    );
    // Through `verify`, a route that takes machines.
    assert!(matches!(
        verifier.verify(API_KEY, Accepts::MACHINES).await,
        Ok(Caller::Machine(_))
    ));
}

#[tokio::test]
async fn a_route_refuses_the_kinds_it_does_not_accept_before_any_call() {
    let server = MockServer::start().await;
    let verifier = verifier(&server).build().unwrap();
    for (token, kind) in [
        (API_KEY, TokenType::ApiKey),
        (M2M, TokenType::M2mToken),
        (OAUTH, TokenType::OAuthToken),
    ] {
        let err = verifier.verify(token, Accepts::SESSION).await.unwrap_err();
        assert_eq!(err, VerifyError::TokenTypeMismatch { found: kind });
    }
    let err = verifier
        .verify(API_KEY, Accepts::only(&[TokenType::M2mToken]))
        .await
        .unwrap_err();
    assert_eq!(err.reason(), "token-type-mismatch");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn every_failure_answer_refuses_the_token() {
    let server = MockServer::start().await;
    let errors = json!({"errors": [{"code": "not_found", "message": "not found", "long_message": "not found"}]});
    answer(
        &server,
        "/v1/api_keys/verify",
        json!({"secret": API_KEY}),
        404,
        errors.clone(),
    )
    .await;
    answer(
        &server,
        "/v1/m2m_tokens/verify",
        json!({"token": M2M}),
        401,
        errors.clone(),
    )
    .await;
    answer(
        &server,
        "/v1/oauth_applications/access_tokens/verify",
        json!({"access_token": OAUTH}),
        500,
        errors.clone(),
    )
    .await;
    let verifier = verifier(&server).build().unwrap();
    assert_eq!(
        verifier.verify_machine(API_KEY).await.unwrap_err().reason(),
        "token-invalid"
    );
    assert_eq!(
        verifier.verify_machine(M2M).await.unwrap_err(),
        VerifyError::SecretKeyInvalid
    );
    let err = verifier.verify_machine(OAUTH).await.unwrap_err();
    assert_eq!(err.reason(), "unexpected-error");
    assert!(!format!("{err} {err:?}").contains(OAUTH) && !format!("{err:?}").contains("sk_test_1"));
}

#[tokio::test]
async fn revoked_expired_and_inactive_tokens_are_refused() {
    let server = MockServer::start().await;
    let mut revoked = api_key();
    revoked["revoked"] = json!(true);
    answer(
        &server,
        "/v1/api_keys/verify",
        json!({"secret": API_KEY}),
        200,
        revoked,
    )
    .await;
    let mut expired = m2m();
    expired["expired"] = json!(true);
    answer(
        &server,
        "/v1/m2m_tokens/verify",
        json!({"token": M2M}),
        200,
        expired,
    )
    .await;
    answer(
        &server,
        "/v1/oauth_applications/access_tokens/verify",
        json!({"access_token": OAUTH}),
        200,
        json!({"active": false}),
    )
    .await;
    let verifier = verifier(&server).build().unwrap();
    for token in [API_KEY, M2M, OAUTH] {
        let err = verifier.verify_machine(token).await.unwrap_err();
        assert!(
            matches!(err, VerifyError::MachineTokenInvalid { .. }),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn no_answer_in_time_refuses_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/api_keys/verify"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(api_key())
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let verifier = verifier(&server)
        .backend_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = verifier.verify_machine(API_KEY).await.unwrap_err();
    assert_eq!(err.reason(), "unexpected-error");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn verified_tokens_can_be_cached_for_a_short_time() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/v1/api_keys/verify",
        json!({"secret": API_KEY}),
        200,
        api_key(),
    )
    .await;
    let verifier = verifier(&server)
        .cache_machine_tokens(Duration::from_secs(30))
        .build()
        .unwrap();
    for _ in 0..5 {
        verifier.verify_machine(API_KEY).await.unwrap();
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // Without the cache, every verification asks.
    let uncached = self::verifier(&server).build().unwrap();
    uncached.verify_machine(API_KEY).await.unwrap();
    uncached.verify_machine(API_KEY).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn opaque_tokens_need_the_secret_key() {
    let verifier = Verifier::builder()
        .jwt_key(public_pem("a"))
        .build()
        .unwrap();
    assert_eq!(
        verifier.verify_machine(API_KEY).await.unwrap_err(),
        VerifyError::NoSecretKey
    );
}

#[tokio::test]
async fn jwt_machine_tokens_are_verified_locally() {
    let verifier = Verifier::builder()
        .jwt_key(public_pem("a"))
        .publishable_key(PUBLISHABLE_KEY)
        .authorized_parties([APP])
        .clock(FixedClock::at(NOW))
        .build()
        .unwrap();
    // An M2M JWT: no azp, an aud of machines; the authorized parties do not apply to it.
    let claims = json!({"iss": "https://m2m.example", "sub": "mch_1", "aud": ["mch_2"], "exp": NOW + 60, "iat": NOW, "jti": "mt_1", "scopes": "mch_2 mch_3"});
    let m2m = sign(
        &key("a"),
        &json!({"alg": "RS256", "kid": "k", "cat": "cl_B7d4PD333AAA"}),
        &claims,
    );
    let machine = verifier.verify_machine(&m2m).await.unwrap();
    assert_eq!(
        (machine.token_type(), machine.id(), machine.machine_id()),
        (TokenType::M2mToken, "mt_1", Some("mch_1"))
    );
    assert_eq!(machine.scopes(), ["mch_2", "mch_3"]);
    // Another category on an M2M subject is refused.
    let odd = sign(
        &key("a"),
        &json!({"alg": "RS256", "kid": "k", "cat": "cl_I7d4PD111III"}),
        &claims,
    );
    assert!(verifier.verify_machine(&odd).await.is_err());
    // Expired, or signed by another key.
    let mut old = claims.clone();
    old["exp"] = json!(NOW - 60);
    let expired = sign(&key("a"), &json!({"alg": "RS256", "kid": "k"}), &old);
    assert_eq!(
        verifier
            .verify_machine(&expired)
            .await
            .unwrap_err()
            .reason(),
        "token-expired"
    );
    let forged = sign(&key("b"), &json!({"alg": "RS256", "kid": "k"}), &claims);
    assert_eq!(
        verifier.verify_machine(&forged).await.unwrap_err(),
        VerifyError::Signature
    );
    // An OAuth access token in JWT form.
    let oauth_claims = json!({"sub": "user_1", "client_id": "client_1", "scope": "read:foo write:bar", "exp": NOW + 60, "jti": "oat_1"});
    for typ in ["at+jwt", "application/at+jwt"] {
        let token = sign(
            &key("a"),
            &json!({"alg": "RS256", "kid": "k", "typ": typ}),
            &oauth_claims,
        );
        let oauth = verifier.verify_machine(&token).await.unwrap();
        assert_eq!(
            (oauth.token_type(), oauth.client_id()),
            (TokenType::OAuthToken, Some("client_1"))
        );
        assert_eq!(oauth.scopes(), ["read:foo", "write:bar"]);
    }
}
