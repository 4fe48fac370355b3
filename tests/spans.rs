//! `tracing` spans and events of the generated client, with the secret never in them.
//!
//! This is its own test binary on purpose: tracing caches each callsite's interest
//! process-wide, and a test on another thread that reaches a callsite first, while only
//! the no-op subscriber exists, can cache "never" for it. With one test per process the
//! recorder below is the only subscriber any callsite ever sees.

mod support;

use std::sync::{Arc, Mutex};

use clerk::Client;
use support::sample_at as sample;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_tracing_secret";

fn client(server: &MockServer) -> Client {
    support::client_without_retries(server.uri(), KEY)
}

/// A subscriber that writes every span and event, with their fields, as text.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={}", field.name(), value));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = self.0.lock().unwrap();
        text.push_str(&format!("\nspan {}:", span.metadata().name()));
        span.record(&mut Fields(&mut text));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut text = self.0.lock().unwrap();
        text.push_str("\nrecord:");
        values.record(&mut Fields(&mut text));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = self.0.lock().unwrap();
        text.push_str("\nevent:");
        event.record(&mut Fields(&mut text));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn requests_run_in_spans_that_never_hold_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/user_1"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(sample("#/components/schemas/ClerkErrors")),
        )
        .mount(&server)
        .await;
    let recorder = Recorder::default();
    let client = client(&server);
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let err = client.users().get_user("user_1").await.unwrap_err();
    drop(_guard);
    let text = recorder.0.lock().unwrap().clone();
    assert!(
        text.contains("span request: operation=GetUser method=GET route=/users/{user_id}"),
        "{text}"
    );
    assert!(text.contains("record: attempt=1"), "{text}");
    assert!(text.contains("record: status=404"), "{text}");
    assert!(
        text.contains("event: message=response attempt=1 status=404"),
        "{text}"
    );
    assert!(
        !text.contains(KEY),
        "the secret leaked into a span or event: {text}"
    );
    assert!(!format!("{client:?} {err:?}").contains(KEY));
}
