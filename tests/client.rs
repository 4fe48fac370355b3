//! The generated Clerk client against a local mock: the requests it sends (method, path,
//! query, auth header, body) and the responses it decodes. Payloads are built from the
//! spec's own examples.

mod support;

use clerk::{Client, Error};
use serde_json::json;
use support::sample_at as sample;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_123";

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .secret_key(KEY)
        .base_url(server.uri())
        .build()
        .unwrap()
}

#[tokio::test]
async fn list_users_sends_query_and_bearer_auth_and_decodes_users() {
    let server = MockServer::start().await;
    let user = sample("#/components/schemas/User");
    Mock::given(method("GET"))
        .and(path("/users"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(query_param("limit", "2"))
        .and(query_param("order_by", "-created_at"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([user, user])))
        .expect(1)
        .mount(&server)
        .await;

    let users = client(&server)
        .await
        .users()
        .get_user_list()
        .limit(2)
        .order_by("-created_at")
        .email_address(["a@example.com", "b@example.com"])
        .send()
        .await
        .unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(Some(users[0].id.as_str()), user["id"].as_str());

    // Array query parameters repeat their key (form style, exploded).
    let requests = server.received_requests().await.unwrap();
    let pairs: Vec<(String, String)> = requests[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let emails: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "email_address")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(emails, ["a@example.com", "b@example.com"]);
    assert!(requests[0]
        .headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("clerk-backend/"));
}

#[tokio::test]
async fn update_instance_sends_exactly_the_fields_set() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/instance"))
        .and(body_json(
            json!({"test_mode": true, "allowed_origins": ["http://localhost:3000"]}),
        ))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // `.await` works on the builder directly.
    client(&server)
        .await
        .instance_settings()
        .update_instance()
        .test_mode(true)
        .allowed_origins(["http://localhost:3000"])
        .await
        .unwrap();
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(|req: &Request| req.url.path() == "/users/user%2F1%20%3F")
        .respond_with(ResponseTemplate::new(200).set_body_json(sample("#/components/schemas/User")))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .await
        .users()
        .get_user("user/1 ?")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn required_body_fields_are_arguments() {
    let server = MockServer::start().await;
    let token = sample("#/components/schemas/ActorToken");
    Mock::given(method("POST"))
        .and(path("/actor_tokens"))
        .and(body_json(
            json!({"user_id": "user_1", "actor": {"sub": "user_2"}, "expires_in_seconds": 600}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(&token))
        .expect(1)
        .mount(&server)
        .await;
    let actor: clerk::models::CreateActorTokenBodyActor =
        serde_json::from_value(json!({"sub": "user_2"})).unwrap();
    let created = client(&server)
        .await
        .actor_tokens()
        .create_actor_token("user_1", actor)
        .expires_in_seconds(600)
        .send()
        .await
        .unwrap();
    assert_eq!(Some(created.id.as_str()), token["id"].as_str());
}

#[tokio::test]
async fn delete_decodes_the_deleted_object() {
    let server = MockServer::start().await;
    let deleted = sample("#/components/schemas/DeletedObject");
    Mock::given(method("DELETE"))
        .and(path("/users/user_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&deleted))
        .mount(&server)
        .await;
    let got = client(&server)
        .await
        .users()
        .delete_user("user_1")
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&got).unwrap()["object"],
        deleted["object"]
    );
}

#[tokio::test]
async fn error_responses_carry_status_headers_and_decoded_clerk_errors() {
    let server = MockServer::start().await;
    let errors = sample("#/components/schemas/ClerkErrors");
    Mock::given(method("GET"))
        .and(path("/users/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(&errors)
                .insert_header("x-trace", "abc"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .users()
        .get_user("missing")
        .await
        .unwrap_err();
    let Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers().get("x-trace").unwrap(), "abc");
    let body = api.body().expect("the body decodes as ClerkErrors");
    assert_eq!(
        Some(body.errors[0].message.as_str()),
        errors["errors"][0]["message"].as_str()
    );

    // A body that is not the error schema is kept raw. (A 502 is retried under the spec's
    // policy; this call opts out.)
    Mock::given(method("GET"))
        .and(path("/users/broken"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .mount(&server)
        .await;
    let no_retry = client(&server).await.with_retry(clerk::RetryPolicy::none());
    let Error::Api(api) = no_retry.users().get_user("broken").await.unwrap_err() else {
        panic!()
    };
    assert!(api.body().is_none());
    assert_eq!(api.raw_body(), b"bad gateway");
}

#[tokio::test]
async fn undecodable_success_bodies_are_decode_errors_with_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/user_1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"id\": 5}"))
        .mount(&server)
        .await;
    match client(&server).await.users().get_user("user_1").await {
        Err(Error::Decode { status, body, .. }) => {
            assert_eq!(status, 200);
            assert_eq!(body, b"{\"id\": 5}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn from_env_names_the_missing_variable_and_debug_hides_the_secret() {
    // The only test touching these variables.
    std::env::remove_var(clerk::CREDENTIALS_ENV);
    match Client::from_env() {
        Err(Error::MissingCredentials { variable }) => assert_eq!(variable, "CLERK_SECRET_KEY"),
        other => panic!("expected MissingCredentials, got {other:?}"),
    }
    let client = Client::new("sk_live_secret");
    assert_eq!(client.base_url(), "https://api.clerk.com/v1");
    assert!(!format!("{client:?}").contains("sk_live_secret"));
    // The base URL from CLERK_API_URL, as Clerk's SDKs take it: without the version path.
    std::env::set_var(clerk::CREDENTIALS_ENV, "sk_test_env");
    std::env::set_var(clerk::BASE_URL_ENV, "http://127.0.0.1:4010");
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        "http://127.0.0.1:4010/v1"
    );
    std::env::set_var(clerk::BASE_URL_ENV, "https://proxy.example/clerk/v1/");
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        "https://proxy.example/clerk/v1"
    );
    std::env::remove_var(clerk::BASE_URL_ENV);
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        "https://api.clerk.com/v1"
    );
    std::env::remove_var(clerk::CREDENTIALS_ENV);
}

#[tokio::test]
async fn multipart_upload_carries_the_file_byte_for_byte() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/user_1/profile_image"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sample("#/components/schemas/User")))
        .expect(1)
        .mount(&server)
        .await;
    let png: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff];
    let file = clerk::FilePart::new(png.clone())
        .file_name("me.png")
        .content_type("image/png");
    client(&server)
        .await
        .users()
        .set_user_profile_image("user_1")
        .file(file)
        .send()
        .await
        .unwrap();

    let request = &server.received_requests().await.unwrap()[0];
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type");
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&png);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(request.body, expected);
    assert_eq!(
        request.headers.get("authorization").unwrap(),
        "Bearer sk_test_123"
    );
}

fn fast_retries() -> clerk::RetryPolicy {
    clerk::RetryPolicy {
        initial_interval: std::time::Duration::from_millis(10),
        max_interval: std::time::Duration::from_millis(40),
        ..clerk::Client::default_retry_policy()
    }
}

#[test]
fn the_default_retry_policy_is_the_specs_backoff_within_bounds() {
    // BAPI: x-speakeasy-retries backoff 500 ms, 60 s max, exponent 1.5, 5XX, connection errors.
    let p = clerk::Client::default_retry_policy();
    assert_eq!(p.initial_interval, std::time::Duration::from_millis(500));
    assert_eq!(p.max_interval, std::time::Duration::from_secs(60));
    assert_eq!(p.exponent, 1.5);
    assert_eq!(p.status_codes, ["5XX"]);
    assert!(p.connection_errors);
    // The spec's elapsed limit is an hour and it sets no attempt cap; a call is bounded.
    assert_eq!(p.max_attempts, Some(4));
    assert_eq!(p.max_elapsed, std::time::Duration::from_secs(60));
}

#[tokio::test]
async fn idempotent_requests_are_retried_on_5xx_with_backoff() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/user_1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/user_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sample("#/components/schemas/User")))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    client(&server)
        .await
        .with_retry(fast_retries())
        .users()
        .get_user("user_1")
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    // Waits of 10 ms then 15 ms (x1.5).
    assert!(started.elapsed() >= std::time::Duration::from_millis(25));
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_500_but_is_when_the_server_asks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/actor_tokens"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let actor: clerk::models::CreateActorTokenBodyActor =
        serde_json::from_value(json!({"sub": "user_2"})).unwrap();
    let c = client(&server).await.with_retry(fast_retries());
    let err = c
        .actor_tokens()
        .create_actor_token("user_1", actor.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 500),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // 429 with Retry-After: the POST is sent again after the wait the server asked for.
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/actor_tokens"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/actor_tokens"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(sample("#/components/schemas/ActorToken")),
        )
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    c.actor_tokens()
        .create_actor_token("user_1", actor)
        .await
        .unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the retried POST carries the same body"
    );
}

#[tokio::test]
async fn per_call_timeouts_and_no_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/slow"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(std::time::Duration::from_millis(500))
                .set_body_json(sample("#/components/schemas/User")),
        )
        .mount(&server)
        .await;
    let c = client(&server).await;
    let err = c
        .with_timeout(std::time::Duration::from_millis(50))
        .with_retry(clerk::RetryPolicy::none())
        .users()
        .get_user("slow")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // The client it came from keeps its own settings.
    c.users().get_user("slow").await.unwrap();
}

/// Every request names the API version the crate's types describe (the manifest's
/// `api_version_header`), and a client can name another.
#[tokio::test]
async fn every_request_sends_the_api_version_and_a_client_can_override_it() {
    let server = MockServer::start().await;
    let user = sample("#/components/schemas/User");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([user])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(sample("#/components/schemas/Invitation")),
        )
        .mount(&server)
        .await;
    assert_eq!(clerk::API_VERSION, "2026-05-12");
    let c = client(&server).await;
    c.users().get_user_list().await.unwrap();
    c.invitations()
        .create_invitation("a@example.com")
        .await
        .unwrap();
    let pinned = Client::builder()
        .secret_key(KEY)
        .base_url(server.uri())
        .api_version("2025-11-10")
        .build()
        .unwrap();
    pinned.users().get_user_list().await.unwrap();
    let versions: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.headers
                .get("clerk-api-version")
                .expect("every request names a version")
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(versions, ["2026-05-12", "2026-05-12", "2025-11-10"]);
}

/// Requests ask for the media type the client decodes (`Accept`), not `*/*`: a server that
/// lists XML first still answers JSON.
#[tokio::test]
async fn requests_accept_the_media_type_they_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/user_1"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sample("#/components/schemas/User")))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .await
        .users()
        .get_user("user_1")
        .await
        .unwrap();
}
