//! The generated clients under hostile values: ids from a service's own users in paths,
//! numbers from a server in arithmetic, text with line breaks in headers, redirects to
//! other hosts, and list endpoints that never end. Each case runs against a loopback
//! server bounded in requests (`support/fault_server.rs`) and asserts what was sent (or
//! that nothing was) and the error returned.

mod support;

#[path = "support/fault_server.rs"]
mod fault_server;

use std::time::{Duration, Instant};

use clerk::{Client, Error, Jitter, RetryPolicy};
use fault_server::{Act, FaultServer};
use serde_json::{json, Value};

const KEY: &str = "sk_test_hostile_secret_0123456789";

fn client(server: &FaultServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .secret_key(KEY)
        .base_url(server.url())
        .timeout(Duration::from_millis(500))
        .retry(retry)
        .build()
        .unwrap()
}

fn user(id: &str) -> Value {
    let mut user = support::sample_at("#/components/schemas/User");
    user["id"] = json!(id);
    user
}

/// The parameter an `InvalidInput` error names, failing the test on any other error.
fn refused_parameter<T: std::fmt::Debug>(result: Result<T, Error>) -> (&'static str, String) {
    match result {
        Err(e @ Error::InvalidInput { .. }) => {
            let Error::InvalidInput {
                operation,
                parameter,
                ..
            } = &e
            else {
                unreachable!()
            };
            assert!(e.to_string().starts_with(operation), "{e}");
            (parameter, e.to_string())
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn a_path_parameter_that_would_leave_its_segment_is_refused_before_sending() {
    let server = FaultServer::start(vec![Act::json(200, &json!({}))]).await;
    let clerk = client(&server, RetryPolicy::none());
    // `..` would send PATCH /organizations/org_1/metadata: another operation.
    let result = clerk
        .organization_memberships()
        .update_organization_membership_metadata("org_1", "..")
        .public_metadata(json!({"role": "owner"}).as_object().unwrap().clone())
        .await;
    let (parameter, text) = refused_parameter(result);
    assert_eq!(parameter, "user_id");
    assert_eq!(
        text,
        "UpdateOrganizationMembershipMetadata: nothing was sent: the parameter `user_id` is `.` or `..`, which would name another path"
    );
    for id in ["..", ".", ""] {
        let (parameter, _) = refused_parameter(clerk.users().get_user(id).await);
        assert_eq!(parameter, "user_id", "{id:?}");
    }
    assert_eq!(server.requests(), 0);
    // Encoded dots and slashes stay inside the segment, as text.
    let server = FaultServer::start(vec![Act::json(200, &user("user_1"))]).await;
    let clerk = client(&server, RetryPolicy::none());
    for id in ["%2e%2e", "../admin", "a/..", "user_1?x=1#y"] {
        clerk.users().get_user(id).await.unwrap();
    }
    let paths: Vec<String> = server.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(
        paths,
        [
            "/users/%252e%252e",
            "/users/..%2Fadmin",
            "/users/a%2F..",
            "/users/user_1%3Fx=1%23y"
        ]
    );
}

#[tokio::test]
async fn a_retry_after_past_any_clock_ends_the_call_with_the_error() {
    // The first answer makes the call run a second before the second one arrives.
    let server = FaultServer::start(vec![
        Act::status(503).with_header("retry-after", "1"),
        Act::status(429).with_header("retry-after", u64::MAX.to_string()),
    ])
    .await;
    let started = Instant::now();
    let err = client(&server, Client::default_retry_policy())
        .users()
        .get_user("user_1")
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status(), 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(u64::MAX)));
    assert_eq!(server.requests(), 2);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(err
        .to_string()
        .contains("retry after 18446744073709551615 s"));
}

#[tokio::test]
async fn an_open_attempt_budget_and_a_nonsensical_policy_neither_panic_nor_spin() {
    let server = FaultServer::start(vec![Act::status(503).with_header("retry-after", "0")]).await;
    for exponent in [f64::NAN, -3.0, f64::INFINITY, 1e308] {
        let before = server.requests();
        let policy = RetryPolicy {
            initial_interval: Duration::ZERO,
            max_interval: Duration::MAX,
            exponent,
            max_attempts: None,
            max_elapsed: Duration::from_millis(600),
            ..Client::default_retry_policy()
        };
        let started = Instant::now();
        let err = client(&server, policy)
            .users()
            .get_user("user_1")
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(503), "{exponent}");
        // Waits of at least the floor: at most 600 / 50 + 1 attempts.
        let made = server.requests() - before;
        assert!((2..=13).contains(&made), "{exponent}: {made} requests");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

#[tokio::test]
async fn retry_after_zero_is_no_busy_loop_and_waits_are_jittered() {
    let server = FaultServer::start(vec![Act::status(429).with_header("retry-after", "0")]).await;
    let open = RetryPolicy {
        max_attempts: None,
        max_elapsed: Duration::from_secs(2),
        jitter: Jitter::None,
        ..RetryPolicy::default()
    };
    client(&server, open.clone())
        .users()
        .get_user("user_1")
        .await
        .unwrap_err();
    // Retry-After: 0 is a lower bound, the backoff the wait: 500 ms, then 1 s.
    assert_eq!(server.requests(), 3);
    let server = FaultServer::start(vec![Act::status(429).with_header("retry-after", "0")]).await;
    let jittered = RetryPolicy {
        jitter: Jitter::Full,
        ..open
    };
    client(&server, jittered)
        .users()
        .get_user("user_1")
        .await
        .unwrap_err();
    // Full jitter never waits less than the floor (50 ms): at most 41 requests in 2 s.
    assert!(
        (3..=41).contains(&server.requests()),
        "{}",
        server.requests()
    );
}

#[tokio::test]
async fn a_header_that_cannot_be_sent_as_given_is_refused_at_once_and_not_retried() {
    let server = FaultServer::start(vec![Act::json(200, &json!({}))]).await;
    let frontend = clerk_frontend::Client::builder()
        .base_url(server.url())
        .build()
        .unwrap();
    let started = Instant::now();
    let result = frontend
        .environment()
        .update_environment("https://app.example.com\r\nX-Injected: 1")
        .await;
    match result {
        Err(clerk_frontend::Error::InvalidInput { parameter, .. }) => {
            assert_eq!(parameter, "Origin")
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(100));
    // The version header too: the builder fails, and a client that cannot fail to be built
    // fails every call, before sending.
    let broken = Client::builder()
        .secret_key(KEY)
        .base_url(server.url())
        .api_version("2025-01-01\nX-Injected: 1")
        .build()
        .unwrap_err();
    assert_eq!(
        broken.to_string(),
        "the client's `api_version` contains a line break or another control character"
    );
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_with_the_credential() {
    let elsewhere = FaultServer::start(vec![Act::json(200, &user("user_1"))]).await;
    let location = format!("{}/users/user_1", elsewhere.url());
    let origin = FaultServer::start(vec![Act::status(307).with_header("location", location)]).await;
    let err = client(&origin, RetryPolicy::none())
        .users()
        .get_user("user_1")
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status(), 307);
    assert_eq!(elsewhere.requests(), 0);
    assert!(!format!("{err} {err:?}").contains(KEY));
    // Within the origin, a redirect is followed, with the credential and no Referer.
    let server = FaultServer::start(vec![
        Act::status(302).with_header("location", "/users/user_2"),
        Act::json(200, &user("user_2")),
    ])
    .await;
    let found = client(&server, RetryPolicy::none())
        .users()
        .get_user("user_1")
        .await
        .unwrap();
    assert_eq!(found.id, "user_2");
    let seen = server.seen();
    assert_eq!(seen[1].path, "/users/user_2");
    let head = seen[1].head.to_ascii_lowercase();
    assert!(head.contains(&format!("bearer {}", KEY.to_ascii_lowercase())));
    assert!(!head.contains("referer"), "{head}");
}

/// A page of two users.
fn page(first: &str, second: &str) -> Act {
    Act::json(200, &json!([user(first), user(second)]))
}

#[tokio::test]
async fn a_walk_over_pages_the_server_repeats_ends_with_an_error() {
    // The server ignores the offset: the same page comes back.
    let server = FaultServer::start(vec![page("user_1", "user_2")]).await;
    let clerk = client(&server, RetryPolicy::none());
    let err = clerk
        .users()
        .get_user_list()
        .limit(2)
        .pages()
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "GetUserList: the walk over pages stopped after 2 pages: the server sent a page it had sent before"
    );
    assert_eq!(server.requests(), 2);

    // By cursor: the pages differ, but the cursor comes round to an item passed before.
    let server = FaultServer::start(vec![
        page("user_1", "user_2"),
        page("user_3", "user_4"),
        page("user_5", "user_2"),
    ])
    .await;
    let clerk = client(&server, RetryPolicy::none());
    let mut pages = clerk.users().get_user_list().limit(2).pages_after();
    assert_eq!(pages.next_page().await.unwrap().unwrap().len(), 2);
    assert_eq!(pages.next_page().await.unwrap().unwrap().len(), 2);
    let err = pages.next_page().await.unwrap_err();
    assert!(
        matches!(err, Error::Pages { pages: 3, problem, .. } if problem.contains("cursor came round")),
        "{err:?}"
    );
    assert!(pages.next_page().await.unwrap().is_none());
    assert_eq!(server.requests(), 3);
    let queries: Vec<String> = server.seen().into_iter().map(|s| s.head).collect();
    assert!(
        queries[2].contains("starting_after=user_4"),
        "{}",
        queries[2]
    );

    // A limit of one's own: the walk fails rather than asking for page 4.
    let server = FaultServer::start(vec![
        page("user_1", "user_2"),
        page("user_3", "user_4"),
        page("user_5", "user_6"),
        page("user_7", "user_8"),
    ])
    .await;
    let clerk = client(&server, RetryPolicy::none());
    let err = clerk
        .users()
        .get_user_list()
        .limit(2)
        .pages()
        .max_pages(3)
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Pages { pages: 3, .. }), "{err:?}");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn an_error_shows_no_cookie_and_a_decode_error_names_the_failing_field() {
    let server = FaultServer::start(vec![Act::json(404, &json!({"errors": []}))
        .with_header("set-cookie", "__session=secret_session_token; HttpOnly")
        .with_header("x-request-id", "req_1")])
    .await;
    let err = client(&server, RetryPolicy::none())
        .users()
        .get_user("user_1")
        .await
        .unwrap_err();
    let debug = format!("{err:?}");
    assert!(!debug.contains("secret_session_token"), "{debug}");
    assert!(debug.contains("\"set-cookie\": <redacted>"), "{debug}");
    assert!(debug.contains("req_1"), "{debug}");
    // The headers themselves are there for a caller who asks.
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert!(api.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("secret_session_token"));

    let mut broken = user("user_2");
    broken["email_addresses"][0]["email_address"] = json!(7);
    let server = FaultServer::start(vec![Act::json(200, &json!([user("user_1"), broken]))]).await;
    let err = client(&server, RetryPolicy::none())
        .users()
        .get_user_list()
        .await
        .unwrap_err();
    let Error::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "[1].email_addresses[0].email_address");
    assert!(err.to_string().contains(&format!("at `{path}`")), "{err}");
}
