//! The axum example service (`examples/axum-service`) end to end: it lists users across
//! pages from a mock Clerk, acts on a signed webhook delivery while refusing a tampered
//! one, with Clerk's own example payloads, and answers `/me` and the organization route by
//! the caller's session token (signed here with the auth crate's test keys).

mod support;

#[path = "../auth/tests/support/mod.rs"]
mod tokens;

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Starts the service on an ephemeral port against `clerk_url`; returns its address and
/// what its webhook handler records.
async fn start(clerk_url: String) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = clerk_axum_example::AppState {
        clerk: support::client_without_retries(clerk_url, "sk_test_example"),
        verifier: clerk_auth::Verifier::builder()
            .jwt_key(tokens::public_pem("a"))
            .publishable_key(tokens::PUBLISHABLE_KEY)
            .authorized_parties([tokens::APP])
            .clock(clerk_auth::FixedClock::at(tokens::NOW))
            .build()
            .unwrap(),
        webhook: Arc::new(clerk_webhooks::Webhook::new(SECRET).unwrap()),
        seen: seen.clone(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, clerk_axum_example::app(state))
            .await
            .unwrap()
    });
    (address, seen)
}

fn user(id: &str, email: &str) -> Value {
    let mut user = support::sample_at("#/components/schemas/User");
    user["id"] = json!(id);
    user["primary_email_address_id"] = json!(format!("idn_{id}"));
    user["email_addresses"][0]["id"] = json!(format!("idn_{id}"));
    user["email_addresses"][0]["email_address"] = json!(email);
    user
}

#[tokio::test]
async fn get_users_reads_every_page() {
    let clerk = MockServer::start().await;
    for (offset, body) in [
        (
            "0",
            json!([
                user("user_1", "a@example.com"),
                user("user_2", "b@example.com")
            ]),
        ),
        ("2", json!([user("user_3", "c@example.com")])),
        ("3", json!([])),
    ] {
        Mock::given(method("GET"))
            .and(path("/users"))
            .and(query_param("limit", "100"))
            .and(query_param("offset", offset))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&clerk)
            .await;
    }
    let (service, _) = start(clerk.uri()).await;
    let response = reqwest::get(format!("{service}/users")).await.unwrap();
    assert_eq!(response.status(), 200);
    let users: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(
        users,
        json!([
            {"id": "user_1", "email": "a@example.com"},
            {"id": "user_2", "email": "b@example.com"},
            {"id": "user_3", "email": "c@example.com"},
        ])
    );
}

/// Posts `body` to the service's webhook route, signed now with `SECRET`.
async fn deliver(service: &str, body: &[u8], signed_body: &[u8]) -> u16 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signer = clerk_webhooks::Webhook::new(SECRET).unwrap();
    reqwest::Client::new()
        .post(format!("{service}/webhooks/clerk"))
        .header("svix-id", "msg_1")
        .header("svix-timestamp", now.to_string())
        .header("svix-signature", signer.sign("msg_1", now, signed_body))
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn webhooks_are_verified_before_they_are_acted_on() {
    let (service, seen) = start("http://127.0.0.1:9".into()).await;
    let text =
        std::fs::read_to_string(support::clerk_specs().join("webhooks/2025-04-15.yml")).unwrap();
    let doc: Value = serde_yaml_ng::from_str(&text).unwrap();
    let example = &doc["x-webhooks"]["user.created"]["post"]["requestBody"]["content"]
        ["application/json"]["example"];
    let body = serde_json::to_vec(example).unwrap();
    assert_eq!(deliver(&service, &body, &body).await, 204);
    let id = example["data"]["id"].as_str().unwrap();
    assert_eq!(*seen.lock().unwrap(), [format!("user.created {id}")]);

    // A body changed after signing is refused and not acted on.
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace(id, "user_forged");
    assert_eq!(deliver(&service, tampered.as_bytes(), &body).await, 400);
    assert_eq!(seen.lock().unwrap().len(), 1);

    // An event this crate does not know is still acknowledged, as raw JSON.
    let unknown = br#"{"type":"user.teleported","object":"event","data":{}}"#;
    assert_eq!(deliver(&service, unknown, unknown).await, 204);
    assert_eq!(seen.lock().unwrap()[1], r#"unknown "user.teleported""#);
}

#[tokio::test]
async fn me_and_the_organization_route_answer_by_the_session() {
    let (service, _) = start("http://127.0.0.1:9".into()).await;
    let get = |route: &str, token: Option<String>| {
        let mut request = reqwest::Client::new().get(format!("{service}{route}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let member = tokens::session_token(
        "ins_1",
        json!({"fea": "o:invoices", "o": {"id": "org_1", "rol": "member", "per": "read", "fpm": "0"}}),
    );
    let (status, body) = get("/me", Some(member.clone())).await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"user_id": "user_1", "org_id": "org_1", "org_role": "org:member"})
    );
    assert_eq!(get("/me", None).await.0, 401);
    assert_eq!(get("/org/invoices", Some(member)).await.0, 403);
    let reader = tokens::session_token(
        "ins_1",
        json!({"fea": "o:invoices", "o": {"id": "org_1", "rol": "admin", "per": "read", "fpm": "1"}}),
    );
    let (status, body) = get("/org/invoices", Some(reader)).await;
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"org_id":"org_1","invoices":[]}"#)
    );
    // Routes outside the session layer need no session: `/users` is called (and answers 502,
    // since no Clerk listens here).
    assert_eq!(get("/users", None).await.0, 502);
}
