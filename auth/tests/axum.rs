//! An axum app on the layer, the extractors and the guard: who gets through, and the 401
//! and 403 answers (status, `WWW-Authenticate`, JSON body) of those who do not; optional
//! authentication, a machine-only route, cookies, a replaced rejection, and requests
//! states as `authenticate_request` gives them.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use clerk_auth::axum::{ClerkLayer, RequireLayer};
use clerk_auth::{Accepts, Auth, MachineAuth, RequestState, Requirement, Reverification, Verifier};
use serde_json::{json, Value};
use support::*;
use tower::ServiceExt;

fn verifier() -> Verifier {
    pem_verifier()
}

fn app() -> Router {
    Router::new()
        .route(
            "/invoices",
            get(|auth: Auth| async move { auth.user_id().to_string() }),
        )
        .route_layer(RequireLayer::new(Requirement::permission(
            "org:invoices:read",
        )))
        .route(
            "/me",
            get(|auth: Auth| async move { auth.user_id().to_string() }),
        )
        .route(
            "/maybe",
            get(|auth: Option<Auth>| async move {
                auth.map_or("anonymous".to_string(), |a| a.user_id().to_string())
            }),
        )
        .route(
            "/state",
            get(|state: RequestState| async move {
                format!("{:?}", state.reason().map(|r| r.as_str()))
            }),
        )
        .layer(ClerkLayer::new(verifier()))
}

async fn call(app: Router, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    (
        parts.status,
        parts.headers,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

fn get_with(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).unwrap()
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

#[tokio::test]
async fn a_signed_in_caller_gets_through_and_others_get_401() {
    let token = session_token("k", json!({}));
    let (status, _, body) = call(
        app(),
        get_with("/me", &[("authorization", &bearer(&token))]),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "user_1"));
    // No token: a bare challenge (RFC 6750: no error code without credentials).
    let (status, headers, body) = call(app(), get_with("/me", &[])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers["www-authenticate"], "Bearer");
    assert_eq!(headers["content-type"], "application/json");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        json!({"error": "unauthorized", "reason": "session-token-and-uat-missing"})
    );
    // An expired token: invalid_token, with Clerk's reason.
    let expired = session_token("k", json!({"exp": NOW - 60}));
    let (status, headers, body) = call(
        app(),
        get_with("/me", &[("authorization", &bearer(&expired))]),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        headers["www-authenticate"],
        "Bearer error=\"invalid_token\", error_description=\"session-token-expired\""
    );
    assert!(!body.contains(&expired), "the token is not echoed");
}

#[tokio::test]
async fn the_guard_answers_403_without_the_permission_and_asks_for_reverification() {
    let allowed = session_token(
        "k",
        json!({"fea": "o:invoices", "o": {"id": "org_1", "rol": "admin", "per": "read", "fpm": "1"}}),
    );
    let (status, _, _) = call(
        app(),
        get_with("/invoices", &[("authorization", &bearer(&allowed))]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let member = session_token(
        "k",
        json!({"fea": "o:invoices", "o": {"id": "org_1", "rol": "member", "per": "read", "fpm": "0"}}),
    );
    let (status, _, body) = call(
        app(),
        get_with("/invoices", &[("authorization", &bearer(&member))]),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"error": "forbidden"})
    );
    let (status, _, _) = call(app(), get_with("/invoices", &[])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A route that requires a recent second factor: Clerk's reverification body.
    let strict = Router::new()
        .route("/delete", get(|| async { "deleted" }))
        .route_layer(RequireLayer::new(
            Requirement::role("admin").and_reverification(Reverification::Strict),
        ))
        .layer(ClerkLayer::new(verifier()));
    let stale = session_token(
        "k",
        json!({"fva": [30, 30], "o": {"id": "org_1", "rol": "admin"}}),
    );
    let (status, _, body) = call(
        strict.clone(),
        get_with("/delete", &[("authorization", &bearer(&stale))]),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"clerk_error": {"type": "forbidden", "reason": "reverification-error", "metadata": {"reverification": "strict"}}})
    );
    let fresh = session_token(
        "k",
        json!({"fva": [30, 2], "o": {"id": "org_1", "rol": "admin"}}),
    );
    let (status, _, body) = call(
        strict,
        get_with("/delete", &[("authorization", &bearer(&fresh))]),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "deleted"));
}

#[tokio::test]
async fn optional_auth_lets_anyone_through() {
    let token = session_token("k", json!({}));
    let (_, _, body) = call(
        app(),
        get_with("/maybe", &[("authorization", &bearer(&token))]),
    )
    .await;
    assert_eq!(body, "user_1");
    let (status, _, body) = call(app(), get_with("/maybe", &[])).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "anonymous"));
    let (_, _, body) = call(
        app(),
        get_with("/maybe", &[("authorization", "Bearer garbage")]),
    )
    .await;
    assert_eq!(body, "anonymous");
}

#[tokio::test]
async fn the_session_cookie_and_its_suffixed_name_are_read() {
    let token = session_token("k", json!({"iat": NOW - 10}));
    let suffix = clerk_auth::PublishableKey::parse(PUBLISHABLE_KEY)
        .unwrap()
        .cookie_suffix();
    for cookie in [
        format!("__session={token}; __client_uat={}", NOW - 100),
        format!(
            "__session_{suffix}={token}; __client_uat_{suffix}={}",
            NOW - 100
        ),
    ] {
        let (status, _, body) = call(app(), get_with("/me", &[("cookie", &cookie)])).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "user_1"),
            "{cookie}"
        );
    }
}

#[tokio::test]
async fn cookie_states_are_clerks_and_a_document_request_calls_for_a_handshake() {
    let verifier = verifier();
    let token = session_token("k", json!({"iat": NOW - 10}));
    let state = |cookie: String, document: bool| {
        let verifier = verifier.clone();
        async move {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert("cookie", cookie.parse().unwrap());
            if document {
                headers.insert("sec-fetch-dest", "document".parse().unwrap());
            }
            verifier
                .authenticate_request(&Method::GET, &headers, Accepts::SESSION)
                .await
        }
    };
    let reason = |s: &RequestState| s.reason().map(|r| r.as_str().to_string());
    let s = state(format!("__session={token}"), false).await;
    assert!(matches!(s, RequestState::SignedOut(_)));
    assert_eq!(
        reason(&s).as_deref(),
        Some("session-token-but-no-client-uat")
    );
    let s = state(format!("__session={token}"), true).await;
    assert!(matches!(s, RequestState::Handshake(_)), "{s:?}");
    let s = state(format!("__client_uat={NOW}"), true).await;
    assert_eq!(
        reason(&s).as_deref(),
        Some("client-uat-but-no-session-token")
    );
    let s = state(format!("__session={token}; __client_uat={NOW}"), true).await;
    assert_eq!(
        reason(&s).as_deref(),
        Some("session-token-iat-before-client-uat")
    );
    let expired = session_token("k", json!({"exp": NOW - 60, "iat": NOW - 100}));
    let s = state(
        format!("__session={expired}; __client_uat={}", NOW - 200),
        true,
    )
    .await;
    assert!(matches!(s, RequestState::Handshake(_)));
    assert_eq!(reason(&s).as_deref(), Some("session-token-expired"));
    let s = state(
        format!("__session={expired}; __client_uat={}", NOW - 200),
        false,
    )
    .await;
    assert!(matches!(s, RequestState::SignedOut(_)));
    let s = state("__client_uat=0".to_string(), true).await;
    assert_eq!(reason(&s).as_deref(), Some("session-token-and-uat-missing"));
    // A machine's JWT in the session cookie is no session.
    let m2m = sign(
        &key("a"),
        &json!({"alg": "RS256", "kid": "k"}),
        &json!({"sub": "mch_1", "exp": NOW + 60, "iat": NOW}),
    );
    let s = state(
        format!("__session={m2m}; __client_uat={}", NOW - 100),
        false,
    )
    .await;
    assert_eq!(reason(&s).as_deref(), Some("token-type-mismatch"));
    // Through the extractor, a handshake state is answered as signed out.
    let (status, _, _) = call(
        app(),
        get_with(
            "/me",
            &[
                ("cookie", &format!("__session={token}")),
                ("sec-fetch-dest", "document"),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_machine_only_route_takes_machine_tokens_and_refuses_sessions() {
    let machines = Router::new()
        .route(
            "/jobs",
            get(|machine: MachineAuth| async move { machine.subject().to_string() }),
        )
        .layer(ClerkLayer::new(verifier()).accepts(Accepts::MACHINES));
    let m2m = sign(
        &key("a"),
        &json!({"alg": "RS256", "kid": "k"}),
        &json!({"sub": "mch_1", "exp": NOW + 60, "iat": NOW, "jti": "mt_1"}),
    );
    let (status, _, body) = call(
        machines.clone(),
        get_with("/jobs", &[("authorization", &bearer(&m2m))]),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "mch_1"));
    let session = session_token("k", json!({}));
    let (status, headers, body) = call(
        machines.clone(),
        get_with("/jobs", &[("authorization", &bearer(&session))]),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("token-type-mismatch"));
    assert!(body.contains("token-type-mismatch"));
    // No header: machine tokens are never read from cookies.
    let (_, _, body) = call(
        machines,
        get_with("/jobs", &[("cookie", &format!("__session={session}"))]),
    )
    .await;
    assert!(body.contains("No token in header"), "{body}");
    // A session route refuses a machine token.
    let (status, _, _) = call(app(), get_with("/me", &[("authorization", &bearer(&m2m))])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_rejection_can_be_replaced_and_a_route_without_the_layer_says_so() {
    let custom = Router::new()
        .route(
            "/me",
            get(|auth: Auth| async move { auth.user_id().to_string() }),
        )
        .layer(ClerkLayer::new(verifier()).rejection(|rejection| {
            (StatusCode::IM_A_TEAPOT, format!("{:?}", rejection.kind())).into_response()
        }));
    let (status, _, body) = call(custom, get_with("/me", &[])).await;
    assert_eq!(status, StatusCode::IM_A_TEAPOT);
    assert!(body.contains("session-token-and-uat-missing"), "{body}");
    let bare = Router::new().route(
        "/me",
        get(|auth: Auth| async move { auth.user_id().to_string() }),
    );
    let (status, _, _) = call(bare, get_with("/me", &[])).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn the_layer_works_as_a_route_layer_too() {
    let app = Router::new()
        .route("/open", get(|| async { "open" }))
        .route(
            "/me",
            get(|auth: Auth| async move { auth.user_id().to_string() })
                .route_layer(ClerkLayer::new(verifier())),
        );
    let (status, _, _) = call(app.clone(), get_with("/open", &[])).await;
    assert_eq!(status, StatusCode::OK);
    let token = session_token("k", json!({}));
    let (_, _, body) = call(app, get_with("/me", &[("authorization", &bearer(&token))])).await;
    assert_eq!(body, "user_1");
}
