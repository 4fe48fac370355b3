//! The generated client against a server that misbehaves on purpose
//! (`support/fault_server.rs`): retries, timeouts, size limits and the errors a person
//! reads. Each case asserts the result, how many requests the server saw, and a bound on
//! the wall time; every error's `Display`, `Debug` and cause chain, and every span and
//! event, are checked for the secret.
//!
//! Its own test binary: the `tracing` recorder must be the process's only subscriber
//! before any callsite is reached (see `tests/spans.rs`).

mod support;

#[path = "support/fault_server.rs"]
mod fault_server;

use std::error::Error as _;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use clerk::{Client, Error, RetryPolicy, TransportErrorKind};
use fault_server::{Act, FaultServer};
use serde_json::json;

const KEY: &str = "sk_test_fault_secret_0123456789";

/// Every span and event of the process, as text (the recorder is global).
fn trace_text() -> &'static Mutex<String> {
    static TEXT: OnceLock<Arc<Mutex<String>>> = OnceLock::new();
    TEXT.get_or_init(|| {
        // This run's cases only, in the summary `record` writes.
        let _ = std::fs::remove_file(support::root().join("target/faults-harness/summary.txt"));
        let text = Arc::new(Mutex::new(String::new()));
        tracing::subscriber::set_global_default(Recorder(text.clone()))
            .expect("no other subscriber in this binary");
        text
    })
}

struct Recorder(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut Fields(&mut self.0.lock().unwrap()));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Fast backoff within the default bounds (4 attempts), so that tests take milliseconds.
fn fast() -> RetryPolicy {
    RetryPolicy {
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(50),
        ..Client::default_retry_policy()
    }
}

fn client(server: &FaultServer, retry: RetryPolicy) -> Client {
    trace_text();
    Client::builder()
        .secret_key(KEY)
        .base_url(server.url())
        .timeout(Duration::from_millis(500))
        .retry(retry)
        .build()
        .unwrap()
}

fn user() -> serde_json::Value {
    support::sample_at("#/components/schemas/User")
}

fn ok_user() -> Act {
    Act::json(200, &user())
}

/// The secret is in no `Display` or `Debug` of the error or its causes, nor in any span.
fn assert_no_secret(err: &Error) {
    let mut cause: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = cause {
        let text = format!("{e} {e:?}");
        assert!(!text.contains(KEY), "the secret leaked: {text}");
        cause = e.source();
    }
    let spans = trace_text().lock().unwrap();
    assert!(
        !spans.contains(KEY),
        "the secret leaked into a span or event"
    );
}

/// The error's one-line `Display` does not repeat its source's text.
fn assert_one_line(err: &Error) {
    let text = err.to_string();
    assert!(!text.contains('\n'), "{text}");
    if let Some(source) = err.source() {
        let inner = source.to_string();
        assert!(
            !text.contains(&inner),
            "{text:?} repeats its source {inner:?}"
        );
    }
}

/// Appends one line to `target/faults-harness/summary.txt`: the case, the requests the
/// server saw and the wall time (`scripts/check` prints the table).
fn record(case: &str, server: &FaultServer, started: Instant) {
    use std::io::Write;
    let dir = support::root().join("target/faults-harness");
    std::fs::create_dir_all(&dir).unwrap();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("summary.txt"))
        .unwrap();
    let line = format!(
        "{case:<58} {:>4} requests {:>7.0} ms\n",
        server.requests(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    file.write_all(line.as_bytes()).unwrap();
}

fn transport(err: &Error) -> &clerk::TransportError {
    match err {
        Error::Transport(e) => e,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

fn api(err: &Error) -> &clerk::ApiError {
    match err {
        Error::Api(e) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

async fn get(client: &Client) -> Result<clerk::models::User, Error> {
    client.users().get_user("user_1").await
}

async fn post(client: &Client) -> Result<clerk::models::Invitation, Error> {
    client
        .invitations()
        .create_invitation("a@example.com")
        .await
}

#[tokio::test]
async fn get_after_500_500_succeeds_on_the_third_attempt() {
    let server = FaultServer::start(vec![Act::status(500), Act::status(500), ok_user()]).await;
    let started = Instant::now();
    let user = get(&client(&server, fast())).await.unwrap();
    assert_eq!(
        user.id,
        support::sample_at("#/components/schemas/User")["id"]
    );
    assert_eq!(server.requests(), 3);
    assert!(started.elapsed() < Duration::from_secs(2));
    record("GET: 500, 500, 200 -> Ok", &server, started);
}

#[tokio::test]
async fn always_503_stops_at_the_default_attempt_cap_with_the_specs_backoff() {
    let server = FaultServer::start(vec![Act::status(503)]).await;
    let started = Instant::now();
    let err = get(&client(&server, Client::default_retry_policy()))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(api(&err).status(), 503);
    assert_eq!(api(&err).attempts(), 4);
    assert_eq!(server.requests(), 4);
    // The spec's backoff bounds waits of 500, 750 and 1125 ms; full jitter draws each
    // between the floor and that bound.
    assert!(elapsed >= 3 * clerk::MIN_RETRY_WAIT, "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2375 + 1500), "{elapsed:?}");
    // Without jitter, the waits are the backoff itself.
    let server = FaultServer::start(vec![Act::status(503)]).await;
    let exact = RetryPolicy {
        jitter: clerk::Jitter::None,
        ..Client::default_retry_policy()
    };
    let started = Instant::now();
    get(&client(&server, exact)).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(server.requests(), 4);
    assert!(elapsed >= Duration::from_millis(2375), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert!(err.to_string().contains("(after 4 attempts)"), "{err}");
    assert_one_line(&err);
    assert_no_secret(&err);
    record(
        "GET: always 503, spec's policy, no jitter -> Api 503",
        &server,
        started,
    );
}

#[tokio::test]
async fn a_429_with_a_short_retry_after_is_waited_for() {
    let server = FaultServer::start(vec![
        Act::status(429).with_header("retry-after", "1"),
        ok_user(),
    ])
    .await;
    let started = Instant::now();
    get(&client(&server, fast())).await.unwrap();
    assert_eq!(server.requests(), 2);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    record("GET: 429 Retry-After: 1, 200 -> Ok", &server, started);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_returns_the_429_at_once() {
    let server = FaultServer::start(vec![Act::status(429).with_header("retry-after", "120")]).await;
    let started = Instant::now();
    let err = get(&client(&server, fast())).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(server.requests(), 1);
    assert_eq!(api(&err).retry_after(), Some(Duration::from_secs(120)));
    assert!(err.to_string().contains("retry after 120 s"), "{err}");
    assert_one_line(&err);
    assert_no_secret(&err);
    record(
        "GET: 429 Retry-After: 120 -> Api 429 at once",
        &server,
        started,
    );
}

#[tokio::test]
async fn a_post_is_not_resent_after_a_500() {
    let server = FaultServer::start(vec![Act::status(500), ok_user()]).await;
    let started = Instant::now();
    let err = post(&client(&server, fast())).await.unwrap_err();
    assert_eq!(api(&err).status(), 500);
    assert_eq!(server.requests(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_one_line(&err);
    assert_no_secret(&err);
    record("POST: 500 -> Api 500, not resent", &server, started);
}

#[tokio::test]
async fn a_post_is_resent_when_a_503_asks_for_it() {
    let invitation = support::sample_at("#/components/schemas/Invitation");
    let server = FaultServer::start(vec![
        Act::status(503).with_header("retry-after", "1"),
        Act::json(200, &invitation),
    ])
    .await;
    let started = Instant::now();
    post(&client(&server, fast())).await.unwrap();
    assert_eq!(server.requests(), 2);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert!(server.seen().iter().all(|r| r.method == "POST"));
    record("POST: 503 Retry-After: 1, 200 -> Ok", &server, started);
}

#[tokio::test]
async fn a_post_is_not_resent_after_a_reset() {
    let server = FaultServer::start(vec![Act::Reset, ok_user()]).await;
    let started = Instant::now();
    let err = post(&client(&server, fast())).await.unwrap_err();
    assert_eq!(transport(&err).kind(), TransportErrorKind::Reset);
    assert_eq!(server.requests(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        err.to_string(),
        "CreateInvitation: the connection was reset before a response arrived"
    );
    assert_one_line(&err);
    assert_no_secret(&err);
    record(
        "POST: reset -> Transport Reset, not resent",
        &server,
        started,
    );
}

#[tokio::test]
async fn a_get_is_resent_after_a_reset() {
    let server = FaultServer::start(vec![Act::Reset, ok_user()]).await;
    let started = Instant::now();
    get(&client(&server, fast())).await.unwrap();
    assert_eq!(server.requests(), 2);
    assert!(started.elapsed() < Duration::from_secs(1));
    record("GET: reset, 200 -> Ok", &server, started);
}

#[tokio::test]
async fn a_get_is_resent_after_a_silent_close() {
    let server = FaultServer::start(vec![Act::Close, ok_user()]).await;
    let started = Instant::now();
    get(&client(&server, fast())).await.unwrap();
    assert_eq!(server.requests(), 2);
    assert!(started.elapsed() < Duration::from_secs(1));
    record("GET: close without answer, 200 -> Ok", &server, started);

    // Always closed: the error says so, after every attempt.
    let server = FaultServer::start(vec![Act::Close]).await;
    let started = Instant::now();
    let err = get(&client(&server, fast())).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(transport(&err).kind(), TransportErrorKind::Closed);
    assert_eq!(transport(&err).attempts(), 4);
    assert_eq!(server.requests(), 4);
    assert_eq!(
        err.to_string(),
        "GetUser: the server closed the connection without answering (after 4 attempts)"
    );
    assert_one_line(&err);
    assert_no_secret(&err);
    record("GET: always closed -> Transport Closed", &server, started);
}

#[tokio::test]
async fn a_truncated_body_is_retried_and_named_with_what_arrived() {
    let cut = Act::Truncate {
        declared: 100,
        body: b"{\"id\": \"".to_vec(),
    };
    let server = FaultServer::start(vec![cut.clone(), ok_user()]).await;
    let started = Instant::now();
    get(&client(&server, fast())).await.unwrap();
    assert_eq!(server.requests(), 2);
    assert!(started.elapsed() < Duration::from_secs(1));
    record("GET: truncated body, 200 -> Ok", &server, started);

    let server = FaultServer::start(vec![cut]).await;
    let started = Instant::now();
    let err = get(&client(&server, fast())).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    let e = transport(&err);
    assert_eq!(e.kind(), TransportErrorKind::Truncated);
    assert_eq!(
        (e.status(), e.received(), e.expected_len()),
        (Some(200), &b"{\"id\": \""[..], Some(100))
    );
    assert_eq!(server.requests(), 4);
    assert_eq!(
        err.to_string(),
        "GetUser: the 200 response's body was cut short after 8 of 100 bytes (after 4 attempts)"
    );
    assert_one_line(&err);
    assert_no_secret(&err);
    record(
        "GET: always truncated -> Transport Truncated",
        &server,
        started,
    );
}

#[tokio::test]
async fn a_stall_before_the_headers_times_out_and_is_retried() {
    let server =
        FaultServer::start(vec![Act::StallHeaders(Duration::from_secs(3)), ok_user()]).await;
    let started = Instant::now();
    get(&client(&server, fast())).await.unwrap();
    assert_eq!(server.requests(), 2);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(500) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    record(
        "GET: stall before headers (500 ms timeout), 200 -> Ok",
        &server,
        started,
    );

    let server = FaultServer::start(vec![Act::StallHeaders(Duration::from_secs(3))]).await;
    let started = Instant::now();
    let err = get(&client(&server, fast())).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(transport(&err).kind(), TransportErrorKind::Timeout);
    assert_eq!(server.requests(), 4);
    assert_eq!(
        err.to_string(),
        "GetUser: timed out waiting for the response (after 4 attempts)"
    );
    assert_one_line(&err);
    assert_no_secret(&err);
    record(
        "GET: always stalls before headers -> Transport Timeout",
        &server,
        started,
    );
}

#[tokio::test]
async fn a_stall_in_the_body_times_out_and_is_retried() {
    let stall = Act::StallBody {
        declared: 100,
        first: b"{\"id\"".to_vec(),
        stall: Duration::from_secs(3),
    };
    let server = FaultServer::start(vec![stall.clone(), ok_user()]).await;
    let started = Instant::now();
    get(&client(&server, fast())).await.unwrap();
    assert_eq!(server.requests(), 2);
    assert!(started.elapsed() < Duration::from_secs(2));
    record(
        "GET: stall mid-body (500 ms timeout), 200 -> Ok",
        &server,
        started,
    );

    let server = FaultServer::start(vec![stall]).await;
    let started = Instant::now();
    let err = get(&client(&server, RetryPolicy::none()))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(transport(&err).kind(), TransportErrorKind::Timeout);
    assert_eq!(transport(&err).received(), b"{\"id\"");
    assert_eq!(server.requests(), 1);
    assert_eq!(
        err.to_string(),
        "GetUser: timed out reading the 200 response's body after 5 of 100 bytes"
    );
    assert_one_line(&err);
    assert_no_secret(&err);
    record(
        "GET: stall mid-body, no retries -> Transport Timeout",
        &server,
        started,
    );
}

#[tokio::test]
async fn the_call_budget_bounds_every_attempt_and_wait() {
    let server = FaultServer::start(vec![Act::StallHeaders(Duration::from_secs(3))]).await;
    let budget = RetryPolicy {
        max_elapsed: Duration::from_millis(700),
        ..fast()
    };
    let started = Instant::now();
    let err = get(&client(&server, budget)).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(transport(&err).kind(), TransportErrorKind::Timeout);
    // A 500 ms attempt, a wait, then an attempt cut to what is left of 700 ms.
    assert_eq!(server.requests(), 2);
    assert!(elapsed < Duration::from_millis(1000), "{elapsed:?}");
    assert_no_secret(&err);
    record(
        "GET: always stalls, 700 ms call budget -> Transport Timeout",
        &server,
        started,
    );
}

#[tokio::test]
async fn a_body_over_the_size_limit_fails_naming_the_limit() {
    let big = json!({"id": "x".repeat(4096)});
    let server = FaultServer::start(vec![Act::json(200, &big)]).await;
    let client = Client::builder()
        .secret_key(KEY)
        .base_url(server.url())
        .max_body_size(1024)
        .retry(fast())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                status: 200,
                limit: 1024,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.requests(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        err.to_string(),
        "GetUser: the 200 response's body is longer than the client's limit of 1024 bytes (ClientBuilder::max_body_size)"
    );
    assert_no_secret(&err);
    record(
        "GET: 4 KB body over a 1 KB limit -> BodyTooLarge",
        &server,
        started,
    );
}

#[tokio::test]
async fn a_redirect_loop_ends_with_an_error_and_no_retry() {
    let server = FaultServer::start(vec![Act::RedirectToSelf]).await;
    let started = Instant::now();
    let err = get(&client(&server, fast())).await.unwrap_err();
    assert_eq!(transport(&err).kind(), TransportErrorKind::Redirects);
    // The first request and reqwest's ten redirects; no second attempt.
    assert_eq!(server.requests(), 11);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        err.to_string(),
        "GetUser: the server's redirects did not end"
    );
    assert_one_line(&err);
    assert_no_secret(&err);
    record(
        "GET: redirect loop -> Transport Redirects, not retried",
        &server,
        started,
    );
}

#[tokio::test]
async fn a_404_says_what_the_error_body_says() {
    let body = json!({
        "errors": [{"code": "resource_not_found", "message": "not found", "long_message": "No user with id user_1"}],
        "clerk_trace_id": "trace_123"
    });
    let server = FaultServer::start(vec![Act::json(404, &body)]).await;
    let started = Instant::now();
    let err = get(&client(&server, fast())).await.unwrap_err();
    assert_eq!(server.requests(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        err.to_string(),
        "GetUser: the API answered 404 Not Found: resource_not_found: No user with id user_1 (trace id trace_123)"
    );
    assert_eq!(
        api(&err).body().unwrap().errors[0].code,
        "resource_not_found"
    );
    assert_one_line(&err);
    assert_no_secret(&err);
    record("GET: 404 with an error body -> Api 404", &server, started);
}

#[tokio::test]
async fn a_hundred_concurrent_calls_all_succeed() {
    let server = FaultServer::start(vec![ok_user()]).await;
    let client = client(&server, fast());
    let started = Instant::now();
    let calls = (0..100).map(|_| get(&client));
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(server.requests(), 100);
    assert!(started.elapsed() < Duration::from_secs(10));
    record("GET x 100 at once -> 100 Ok", &server, started);
}

#[tokio::test]
async fn a_large_error_body_shows_as_a_short_preview() {
    let server = FaultServer::start(vec![Act::Respond {
        status: 500,
        headers: Vec::new(),
        body: vec![b'a'; 10 * 1024 * 1024],
    }])
    .await;
    let started = Instant::now();
    let err = get(&client(&server, RetryPolicy::none()))
        .await
        .unwrap_err();
    assert_eq!(api(&err).raw_body().len(), 10 * 1024 * 1024);
    let (display, debug) = (err.to_string(), format!("{err:?}"));
    assert!(
        display.len() < 5_000 && debug.len() < 6_000,
        "{} / {}",
        display.len(),
        debug.len()
    );
    assert!(
        debug.contains("(10485760 bytes)"),
        "{}",
        &debug[debug.len() - 200..]
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_no_secret(&err);
    record(
        "GET: 500 with a 10 MB body -> Api 500, short Debug",
        &server,
        started,
    );
}

#[tokio::test]
async fn a_decode_error_keeps_the_body_and_debugs_it_as_text() {
    let server = FaultServer::start(vec![Act::Respond {
        status: 200,
        headers: Vec::new(),
        body: b"{\"not\": \"a user\"}".to_vec(),
    }])
    .await;
    let err = get(&client(&server, fast())).await.unwrap_err();
    let Error::Decode { body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(body, b"{\"not\": \"a user\"}");
    assert!(
        format!("{err:?}").contains(r#"body: "{\"not\": \"a user\"}" (17 bytes)"#),
        "{err:?}"
    );
    assert_one_line(&err);
}

#[tokio::test]
async fn a_credential_with_surrounding_whitespace_is_trimmed() {
    let server = FaultServer::start(vec![ok_user()]).await;
    let client = Client::builder()
        .secret_key(format!("  {KEY}\n"))
        .base_url(server.url())
        .build()
        .unwrap();
    get(&client).await.unwrap();
    let head = server.seen()[0].head.to_ascii_lowercase();
    assert!(
        head.contains(&format!(
            "authorization: bearer {}\r\n",
            KEY.to_ascii_lowercase()
        )),
        "{head}"
    );
}

#[tokio::test]
async fn a_credential_that_cannot_be_sent_fails_at_build_time() {
    let broken = format!("{KEY}\n{KEY}");
    let err = Client::builder().secret_key(&broken).build().unwrap_err();
    assert!(matches!(err, Error::InvalidCredentials { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the credential contains a line break or another control character"
    );
    // `Client::new` cannot fail: each call reports it, and nothing is sent.
    let server = FaultServer::start(vec![ok_user()]).await;
    trace_text();
    let client = Client::builder()
        .secret_key(broken.clone())
        .base_url(server.url());
    assert!(client.build().is_err());
    let client = Client::new(broken);
    let err = client.users().get_user("user_1").await.unwrap_err();
    assert!(matches!(err, Error::InvalidCredentials { .. }), "{err:?}");
    assert_eq!(server.requests(), 0);
    assert_no_secret(&err);
    assert!(!format!("{client:?}").contains(KEY));
}

#[test]
fn the_default_limits_are_documented_constants() {
    assert_eq!(clerk::DEFAULT_TIMEOUT, Duration::from_secs(30));
    assert_eq!(clerk::DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(10));
    assert_eq!(clerk::DEFAULT_MAX_BODY_SIZE, 32 * 1024 * 1024);
}
