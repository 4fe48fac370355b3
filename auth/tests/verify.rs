//! Session tokens, signed here with generated test keys, against a verifier whose keys
//! come from a Backend API on wiremock: the accepted token, and each way a token is
//! refused (form, algorithm, header, signature, times, authorized party, issuer,
//! audience, kind), each its own test.

mod support;

use clerk_auth::{FixedClock, TokenType, Verifier, VerifierBuilder, VerifyError};
use serde_json::{json, Value};
use support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KID: &str = "ins_test_a";

/// A Backend API serving key `a` as [`KID`] at `GET /jwks`, for the secret key `sk_test_1`.
async fn backend() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/jwks"))
        .and(header("authorization", "Bearer sk_test_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(jwks(&[(&key("a"), KID)])))
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> VerifierBuilder {
    Verifier::builder()
        .secret_key("sk_test_1")
        .api_url(server.uri())
        .publishable_key(PUBLISHABLE_KEY)
        .authorized_parties([APP])
        .clock(FixedClock::at(NOW))
}

async fn verifier() -> (MockServer, Verifier) {
    let server = backend().await;
    let verifier = builder(&server).build().unwrap();
    (server, verifier)
}

async fn refused(token: &str) -> VerifyError {
    let (_server, verifier) = verifier().await;
    verifier.verify_session(token).await.unwrap_err()
}

#[tokio::test]
async fn a_valid_session_token_verifies_into_its_auth() {
    let (_server, verifier) = verifier().await;
    let token = session_token(
        KID,
        json!({"o": {"id": "org_1", "rol": "admin", "slg": "acme", "per": "read", "fpm": "1"}, "fea": "o:invoices"}),
    );
    let auth = verifier.verify_session(&token).await.unwrap();
    assert_eq!(auth.user_id(), "user_1");
    assert_eq!(auth.session_id(), Some("sess_1"));
    assert_eq!(auth.org_id(), Some("org_1"));
    assert_eq!(auth.org_role(), Some("org:admin"));
    assert_eq!(auth.org_permissions(), ["org:invoices:read"]);
    assert_eq!(auth.expires_at(), NOW + 60);
}

#[tokio::test]
async fn rs384_and_rs512_verify_with_a_key_that_names_no_algorithm() {
    let server = MockServer::start().await;
    let mut jwk = jwk(&key("a"), KID);
    jwk.as_object_mut().unwrap().remove("alg");
    Mock::given(method("GET"))
        .and(path("/.well-known/jwks.json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"keys": [jwk]})))
        .mount(&server)
        .await;
    // The Frontend API's key set (the Backend API's always names the algorithm).
    let verifier = Verifier::builder()
        .publishable_key(PUBLISHABLE_KEY)
        .frontend_api_url(server.uri())
        .clock(FixedClock::at(NOW))
        .build()
        .unwrap();
    for alg in ["RS256", "RS384", "RS512"] {
        let token = sign(
            &key("a"),
            &json!({"alg": alg, "kid": KID}),
            &session_claims(),
        );
        verifier.verify_session(&token).await.unwrap();
    }
}

#[tokio::test]
async fn algorithms_other_than_rsa_with_sha2_are_refused() {
    let claims = session_claims();
    for alg in [
        json!("none"),
        json!("None"),
        json!(""),
        json!("HS256"),
        json!("PS256"),
        json!("ES256"),
        json!("EdDSA"),
        Value::Null,
    ] {
        let token = sign(&key("a"), &json!({"alg": alg, "kid": KID}), &claims);
        let err = refused(&token).await;
        assert!(
            matches!(err, VerifyError::Algorithm { .. }),
            "{alg}: {err:?}"
        );
        assert_eq!(err.reason(), "token-invalid-algorithm");
    }
    // An unsigned token: `alg: none` and an empty signature.
    let header = base64_url(&json!({"alg": "none", "kid": KID}));
    let body = base64_url(&claims);
    let err = refused(&format!("{header}.{body}.")).await;
    assert_eq!(err.reason(), "token-invalid");
}

/// HS256 with the instance's public key as the HMAC secret: the classic confusion.
#[tokio::test]
async fn an_hmac_token_keyed_with_the_public_key_is_refused() {
    use hmac::{Hmac, Mac};
    let input = format!(
        "{}.{}",
        base64_url(&json!({"alg": "HS256", "kid": KID})),
        base64_url(&session_claims())
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(public_pem("a").as_bytes()).unwrap();
    mac.update(input.as_bytes());
    let token = format!("{input}.{}", b64(&mac.finalize().into_bytes()));
    assert!(matches!(
        refused(&token).await,
        VerifyError::Algorithm { .. }
    ));
}

#[tokio::test]
async fn a_key_whose_jwk_names_another_algorithm_is_not_used_for_it() {
    let server = MockServer::start().await;
    let mut jwk = jwk(&key("a"), KID);
    jwk["alg"] = json!("RS512");
    Mock::given(method("GET"))
        .and(path("/v1/jwks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"keys": [jwk]})))
        .mount(&server)
        .await;
    let verifier = builder(&server).build().unwrap();
    let token = session_token(KID, json!({}));
    assert!(matches!(
        verifier.verify_session(&token).await,
        Err(VerifyError::Algorithm { .. })
    ));
}

#[tokio::test]
async fn an_unknown_critical_header_is_refused() {
    let token = sign(
        &key("a"),
        &json!({"alg": "RS256", "kid": KID, "crit": ["exp"]}),
        &session_claims(),
    );
    assert_eq!(refused(&token).await, VerifyError::Critical);
}

#[tokio::test]
async fn a_token_over_the_size_cap_is_refused_before_anything_else() {
    let token = session_token(KID, json!({"padding": "x".repeat(9_000)}));
    assert!(matches!(
        refused(&token).await,
        VerifyError::TooLarge { .. }
    ));
}

#[tokio::test]
async fn embedded_and_linked_keys_are_never_followed() {
    // An attacker's key set, linked by jku and x5u, and the key embedded as jwk.
    let attacker = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(jwks(&[(&key("b"), KID)])))
        .expect(0)
        .mount(&attacker)
        .await;
    let header = json!({
        "alg": "RS256",
        "kid": KID,
        "jku": format!("{}/jwks.json", attacker.uri()),
        "x5u": format!("{}/cert.pem", attacker.uri()),
        "x5c": ["MIIB"],
        "jwk": jwk(&key("b"), KID),
    });
    let token = sign(&key("b"), &header, &session_claims());
    assert_eq!(refused(&token).await, VerifyError::Signature);
}

#[tokio::test]
async fn the_kid_is_an_opaque_key_and_an_unknown_one_is_a_mismatch() {
    for kid in [
        "../../jwks",
        "ins_unknown",
        "",
        "https://attacker.example/jwks",
    ] {
        let token = session_token(kid, json!({}));
        let err = refused(&token).await;
        assert!(
            matches!(err, VerifyError::KidMismatch { .. }),
            "{kid}: {err:?}"
        );
        assert_eq!(err.reason(), "jwk-kid-mismatch");
    }
}

#[tokio::test]
async fn the_signature_is_checked_before_any_claim() {
    // Expired, from another party, and signed with another key: the signature is what fails.
    let claims = json!({"sub": "user_1", "exp": NOW - 1000, "azp": "https://evil.example", "iss": "https://evil.example"});
    let token = sign(&key("b"), &json!({"alg": "RS256", "kid": KID}), &claims);
    let err = refused(&token).await;
    assert_eq!(err, VerifyError::Signature);
    assert_eq!(err.reason(), "token-invalid-signature");
    // A payload changed after signing.
    let token = session_token(KID, json!({}));
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let mut claims = session_claims();
    claims["sub"] = json!("user_admin");
    parts[1] = base64_url(&claims);
    assert_eq!(refused(&parts.join(".")).await, VerifyError::Signature);
}

#[tokio::test]
async fn times_are_checked_within_the_clock_skew() {
    let server = backend().await;
    let at = |skew: u64| {
        builder(&server)
            .clock_skew(std::time::Duration::from_secs(skew))
            .build()
            .unwrap()
    };
    let expired_4s = session_token(KID, json!({"exp": NOW - 4}));
    let expired_6s = session_token(KID, json!({"exp": NOW - 6}));
    at(5).verify_session(&expired_4s).await.unwrap();
    let err = at(5).verify_session(&expired_6s).await.unwrap_err();
    assert!(matches!(err, VerifyError::Expired { exp, now: NOW, skew: 5 } if exp == NOW - 6));
    assert_eq!(err.reason(), "token-expired");
    // Zero means zero: a token expiring now is expired.
    let now = session_token(KID, json!({"exp": NOW}));
    assert!(matches!(
        at(0).verify_session(&now).await,
        Err(VerifyError::Expired { .. })
    ));
    let nbf = session_token(KID, json!({"nbf": NOW + 6}));
    assert_eq!(
        at(5).verify_session(&nbf).await.unwrap_err().reason(),
        "token-not-active-yet"
    );
    let iat = session_token(KID, json!({"iat": NOW + 6}));
    assert_eq!(
        at(5).verify_session(&iat).await.unwrap_err().reason(),
        "token-iat-in-the-future"
    );
    at(10).verify_session(&iat).await.unwrap();
}

#[tokio::test]
async fn a_time_claim_of_the_wrong_type_is_an_error_not_a_skipped_check() {
    for claims in [
        json!({"exp": "1900000000"}),
        json!({"exp": 1.9e9}),
        json!({"nbf": "0"}),
        json!({"iat": [1]}),
        json!({"exp": null}),
    ] {
        let token = session_token(KID, claims.clone());
        let err = refused(&token).await;
        assert!(
            matches!(err, VerifyError::Claim { .. }),
            "{claims}: {err:?}"
        );
        assert_eq!(err.reason(), "token-verification-failed");
    }
    let mut claims = session_claims();
    claims.as_object_mut().unwrap().remove("exp");
    let token = sign(&key("a"), &json!({"alg": "RS256", "kid": KID}), &claims);
    assert!(matches!(
        refused(&token).await,
        VerifyError::Claim { claim: "exp", .. }
    ));
}

#[tokio::test]
async fn the_authorized_party_must_be_listed_when_parties_are_named() {
    for azp in [
        json!("https://evil.example"),
        json!(""),
        json!(7),
        Value::Null,
    ] {
        let mut claims = session_claims();
        match &azp {
            Value::Null => drop(claims.as_object_mut().unwrap().remove("azp")),
            other => claims["azp"] = other.clone(),
        }
        let token = sign(&key("a"), &json!({"alg": "RS256", "kid": KID}), &claims);
        let err = refused(&token).await;
        assert_eq!(err.reason(), "token-invalid-authorized-parties", "{azp}");
    }
    // With no parties named, a token without azp passes.
    let server = backend().await;
    let open = Verifier::builder()
        .secret_key("sk_test_1")
        .api_url(server.uri())
        .publishable_key(PUBLISHABLE_KEY)
        .clock(FixedClock::at(NOW))
        .build()
        .unwrap();
    let mut claims = session_claims();
    claims.as_object_mut().unwrap().remove("azp");
    let token = sign(&key("a"), &json!({"alg": "RS256", "kid": KID}), &claims);
    open.verify_session(&token).await.unwrap();
}

#[tokio::test]
async fn the_issuer_is_matched_exactly() {
    for iss in [
        json!("https://clerk.example.com/"),
        json!("http://clerk.example.com"),
        json!("https://clerk.example.com.evil.example"),
        json!("clerk.example.com"),
        json!(1),
    ] {
        let token = session_token(KID, json!({"iss": iss}));
        let err = refused(&token).await;
        assert!(matches!(err, VerifyError::Issuer { .. }), "{iss}: {err:?}");
        assert_eq!(err.reason(), "token-invalid-issuer");
    }
    // A proxy's issuer, configured.
    let server = backend().await;
    let proxied = builder(&server)
        .issuer("https://example.com/__clerk")
        .build()
        .unwrap();
    let token = session_token(KID, json!({"iss": "https://example.com/__clerk"}));
    proxied.verify_session(&token).await.unwrap();
    let token = session_token(KID, json!({}));
    assert!(matches!(
        proxied.verify_session(&token).await,
        Err(VerifyError::Issuer { .. })
    ));
}

#[tokio::test]
async fn the_audience_is_checked_only_when_asked_for() {
    let (_server, verifier) = verifier().await;
    // A token carrying aud passes a verifier that configured none.
    for aud in [json!("api://x"), json!(["mch_1", "mch_2"])] {
        verifier
            .verify_session(&session_token(KID, json!({"aud": aud})))
            .await
            .unwrap();
    }
    let server = backend().await;
    let strict = builder(&server)
        .audiences(["api://orders"])
        .build()
        .unwrap();
    strict
        .verify_session(&session_token(KID, json!({"aud": "api://orders"})))
        .await
        .unwrap();
    strict
        .verify_session(&session_token(KID, json!({"aud": ["x", "api://orders"]})))
        .await
        .unwrap();
    for aud in [json!("api://other"), json!(["x"]), json!(7)] {
        let err = strict
            .verify_session(&session_token(KID, json!({"aud": aud})))
            .await
            .unwrap_err();
        assert_eq!(err, VerifyError::Audience);
    }
    let err = strict
        .verify_session(&session_token(KID, json!({})))
        .await
        .unwrap_err();
    assert_eq!(err, VerifyError::Audience);
}

#[tokio::test]
async fn other_kinds_of_token_are_never_session_tokens() {
    let claims = session_claims();
    let cases = [
        (
            json!({"alg": "RS256", "kid": KID, "cat": "cl_B7d4PD222AAA"}),
            claims.clone(),
            TokenType::JwtTemplate,
        ),
        (
            json!({"alg": "RS256", "kid": KID, "cat": "cl_B7d4PD333AAA"}),
            claims.clone(),
            TokenType::M2mToken,
        ),
        (
            json!({"alg": "RS256", "kid": KID}),
            json!({"sub": "mch_1", "exp": NOW + 60}),
            TokenType::M2mToken,
        ),
        (
            json!({"alg": "RS256", "kid": KID, "typ": "at+jwt"}),
            claims.clone(),
            TokenType::OAuthToken,
        ),
        (
            json!({"alg": "RS256", "kid": KID, "typ": "application/at+jwt"}),
            claims.clone(),
            TokenType::OAuthToken,
        ),
    ];
    for (header, claims, kind) in cases {
        let token = sign(&key("a"), &header, &claims);
        let err = refused(&token).await;
        assert_eq!(
            err,
            VerifyError::TokenTypeMismatch { found: kind },
            "{header}"
        );
        assert_eq!(err.reason(), "token-type-mismatch");
    }
    // A session token with an unexpected typ is refused too.
    let token = sign(
        &key("a"),
        &json!({"alg": "RS256", "kid": KID, "typ": "JOSE+JSON"}),
        &claims,
    );
    assert!(matches!(
        refused(&token).await,
        VerifyError::HeaderType { .. }
    ));
    // The session and ignore categories are session tokens.
    for cat in ["cl_B7d4PD111AAA", "cl_I7d4PD111III"] {
        let token = sign(
            &key("a"),
            &json!({"alg": "RS256", "kid": KID, "cat": cat}),
            &claims,
        );
        let (_server, verifier) = verifier().await;
        verifier.verify_session(&token).await.unwrap();
    }
    // And the reverse: a session token is no machine token.
    let (_server, verifier) = verifier().await;
    let err = verifier
        .verify_machine(&session_token(KID, json!({})))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        VerifyError::TokenTypeMismatch {
            found: TokenType::SessionToken
        }
    );
}

#[tokio::test]
async fn a_pending_session_is_signed_out_unless_the_service_opts_in() {
    let (server, verifier) = verifier().await;
    let token = session_token(KID, json!({"sts": "pending"}));
    let err = verifier.verify_session(&token).await.unwrap_err();
    assert_eq!(err, VerifyError::SessionPending);
    let lenient = builder(&server).accept_pending_sessions().build().unwrap();
    lenient.verify_session(&token).await.unwrap();
}

#[tokio::test]
async fn malformed_tokens_are_refused_as_invalid() {
    for token in [
        "",
        "a.b",
        "a.b.c.d",
        "not a token",
        "e30.e30.",
        "....",
        "eyJhbGciOiJSUzI1NiJ9.W10.c2ln",
    ] {
        let err = refused(token).await;
        assert_eq!(err.reason(), "token-invalid", "{token:?}: {err:?}");
    }
}

#[tokio::test]
async fn no_error_or_debug_shows_the_token_or_the_secret() {
    let (_server, verifier) = verifier().await;
    assert!(!format!("{verifier:?}").contains("sk_test_1"));
    let token = session_token(KID, json!({"exp": NOW - 100}));
    let err = verifier.verify_session(&token).await.unwrap_err();
    let signature = token.rsplit('.').next().unwrap();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(
            !text.contains(signature) && !text.contains(&token[..40]),
            "{text}"
        );
    }
    // A long claim from the token is cut short in the error.
    let token = session_token(KID, json!({"azp": "x".repeat(500)}));
    let text = verifier
        .verify_session(&token)
        .await
        .unwrap_err()
        .to_string();
    assert!(text.len() < 200, "{text}");
}

pub fn base64_url(value: &Value) -> String {
    b64(&serde_json::to_vec(value).unwrap())
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
