//! What the generated client does on the wire beyond single requests: walking pages,
//! observing every response, and error bodies whose schema is an operation's own.
//! (`tracing` spans have their own test binary, `tests/spans.rs`.)

mod support;

use std::sync::{Arc, Mutex};

use clerk::{Client, Error};
use futures_util::StreamExt;
use serde_json::{json, Value};
use support::sample_at as sample;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_wire_secret";

fn client(server: &MockServer) -> Client {
    support::client_without_retries(server.uri(), KEY)
}

/// An item of the given schema with its `id` replaced.
fn with_id(mut item: Value, id: &str) -> Value {
    item["id"] = json!(id);
    item
}

/// Answers `GET route?offset=N` with `body`.
async fn page(server: &MockServer, route: &str, offset: &str, body: Value) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("offset", offset))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn pages_walk_a_counted_list_until_the_total() {
    let server = MockServer::start().await;
    let org = sample("#/components/schemas/Organization");
    let ids = ["org_1", "org_2", "org_3", "org_4", "org_5"];
    let items: Vec<Value> = ids.iter().map(|id| with_id(org.clone(), id)).collect();
    page(
        &server,
        "/organizations",
        "0",
        json!({"data": items[0..2], "total_count": 5}),
    )
    .await;
    page(
        &server,
        "/organizations",
        "2",
        json!({"data": items[2..4], "total_count": 5}),
    )
    .await;
    page(
        &server,
        "/organizations",
        "4",
        json!({"data": items[4..5], "total_count": 5}),
    )
    .await;

    let client = client(&server);
    let mut pages = client.organizations().list_organizations().limit(2).pages();
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page().await.unwrap() {
        sizes.push(page.len());
        seen.extend(page.into_iter().map(|o| o.id));
    }
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(seen, ids);
    assert_eq!(pages.total(), Some(5));
    // The total was reached: no fourth request (wiremock checks `expect(1)` per page).
    assert!(pages.next_page().await.unwrap().is_none());
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn pages_of_a_bare_array_stop_at_the_empty_page_and_stream() {
    let server = MockServer::start().await;
    let user = sample("#/components/schemas/User");
    let users: Vec<Value> = ["user_1", "user_2", "user_3", "user_4"]
        .iter()
        .map(|id| with_id(user.clone(), id))
        .collect();
    page(&server, "/users", "10", json!(users[0..2])).await;
    page(&server, "/users", "12", json!(users[2..4])).await;
    page(&server, "/users", "14", json!([])).await;

    let client = client(&server);
    // Starts from the offset the caller set; other inputs repeat on every page.
    let stream = client
        .users()
        .get_user_list()
        .limit(2)
        .offset(10)
        .order_by("-created_at")
        .pages();
    let pages: Vec<Vec<clerk::models::User>> =
        stream.map(|page| page.unwrap()).collect::<Vec<_>>().await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(
            r.url.query_pairs().filter(|(k, _)| k == "order_by").count(),
            1
        );
        assert_eq!(
            r.url.query_pairs().filter(|(k, _)| k == "offset").count(),
            1
        );
    }
}

#[tokio::test]
async fn pages_after_walk_by_cursor_from_the_last_id() {
    let server = MockServer::start().await;
    let user = sample("#/components/schemas/User");
    let users: Vec<Value> = ["user_1", "user_2", "user_3"]
        .iter()
        .map(|id| with_id(user.clone(), id))
        .collect();
    let cursor_page = |after: Option<&str>, body: Value| {
        let mock = Mock::given(method("GET"))
            .and(path("/users"))
            .and(query_param("limit", "2"))
            .and(query_param_is_missing("offset"));
        let mock = match after {
            Some(id) => mock.and(query_param("starting_after", id)),
            None => mock.and(query_param_is_missing("starting_after")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
    };
    cursor_page(None, json!(users[0..2])).mount(&server).await;
    cursor_page(Some("user_2"), json!(users[2..3]))
        .mount(&server)
        .await;
    cursor_page(Some("user_3"), json!([])).mount(&server).await;

    let client = client(&server);
    let all = client
        .users()
        .get_user_list()
        .limit(2)
        .pages_after()
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["user_1", "user_2", "user_3"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_failing_page_ends_the_walk_with_its_error() {
    let server = MockServer::start().await;
    let user = sample("#/components/schemas/User");
    page(&server, "/users", "0", json!([user.clone(), user])).await;
    Mock::given(method("GET"))
        .and(path("/users"))
        .and(query_param("offset", "2"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(sample("#/components/schemas/ClerkErrors")),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let result = client
        .users()
        .get_user_list()
        .limit(2)
        .pages()
        .collect_all()
        .await;
    match result {
        Err(Error::Api(e)) => {
            assert_eq!(e.status(), 401);
            assert_eq!(e.operation(), "GetUserList");
        }
        other => panic!("expected the second page's 401, got {other:?}"),
    }
}

#[tokio::test]
async fn the_observer_sees_every_attempt_with_its_route_and_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/user_1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/user_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sample("#/components/schemas/User")))
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let client = Client::builder()
        .secret_key(KEY)
        .base_url(server.uri())
        .retry(clerk::RetryPolicy {
            initial_interval: std::time::Duration::from_millis(1),
            ..Client::default_retry_policy()
        })
        .on_response(move |x| {
            log.lock().unwrap().push(format!(
                "{} {} {} attempt {} -> {} ({} headers)",
                x.operation,
                x.method,
                x.route,
                x.attempt,
                x.status,
                x.headers.len()
            ))
        })
        .build()
        .unwrap();
    client.users().get_user("user_1").await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen[0].starts_with("GetUser GET /users/{user_id} attempt 1 -> 503"),
        "{seen:?}"
    );
    assert!(
        seen[1].starts_with("GetUser GET /users/{user_id} attempt 2 -> 200"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn an_operations_own_error_schema_decodes_apart_from_the_common_one() {
    let server = MockServer::start().await;
    let body =
        sample("#/paths/~1api_keys~1{apiKeyID}/get/responses/404/content/application~1json/schema");
    Mock::given(method("GET"))
        .and(path("/api_keys/ak_1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(&body))
        .mount(&server)
        .await;
    let err = client(&server)
        .api_keys()
        .get_api_key("ak_1")
        .await
        .unwrap_err();
    let Error::Api(e) = err else {
        panic!("expected an API error")
    };
    assert_eq!(e.status(), 404);
    assert!(
        e.body().is_none(),
        "404 of getApiKey is not the common ClerkErrors"
    );
    let own: clerk::models::CreateApiKeyError400 = e.decode().expect("its own schema decodes");
    assert_eq!(
        Some(own.errors[0].message.as_str()),
        body["errors"][0]["message"].as_str()
    );
}

#[tokio::test]
async fn headers_per_call_and_by_default_are_sent_and_response_headers_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/user_1"))
        .and(wiremock::matchers::header("x-tenant", "acme"))
        .and(wiremock::matchers::header("idempotency-key", "key_1"))
        .and(wiremock::matchers::header("prefer", "code=200"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(sample("#/components/schemas/User"))
                .insert_header("x-ratelimit-remaining", "41"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::builder()
        .secret_key(KEY)
        .base_url(server.uri())
        .default_header("X-Tenant", "acme")
        .default_header("Prefer", "code=404")
        .retry(clerk::RetryPolicy::none())
        .build()
        .unwrap();
    // Per call: one header more, one replaced; the pool is shared.
    let call = client
        .with_header("Idempotency-Key", "key_1")
        .with_header("Prefer", "code=200");
    let user = call.users().get_user("user_1").await.unwrap();
    let answer = call
        .users()
        .get_user("user_1")
        .send_with_headers()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.header("x-ratelimit-remaining"), Some("41"));
    assert_eq!(answer.into_body(), user);
    // A header that cannot be sent fails the call, and nothing is sent.
    let err = client
        .with_header("X-Trace", "a\r\nb")
        .users()
        .get_user("user_1")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidSetting {
                setting: "with_header",
                ..
            }
        ),
        "{err:?}"
    );
    let err = Client::builder()
        .secret_key(KEY)
        .default_header("bad name", "x")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidSetting {
                setting: "default_header",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_whole_body_can_be_given_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/users/user_1"))
        .and(wiremock::matchers::body_json(
            json!({"first_name": "Jane", "last_name": "Doe"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(sample("#/components/schemas/User")))
        .expect(1)
        .mount(&server)
        .await;
    let body = clerk::models::UpdateUserBody {
        first_name: clerk::Patch::Value("Jane".into()),
        last_name: clerk::Patch::Value("Doe".into()),
        ..Default::default()
    };
    client(&server)
        .users()
        .update_user("user_1")
        .username("ignored: the body replaces it")
        .body(body)
        .await
        .unwrap();
}
