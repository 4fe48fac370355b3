//! The fixture documents' crates (`generator/tests/fixtures/`, whose IR and emitted code
//! the generator's golden tests check), built with warnings and clippy lints denied, and
//! run against mock servers.

mod support;

use clerkgen::manifest::Manifest;

fn fixture_manifest(file: &str, out: &std::path::Path, name: &str) -> Manifest {
    Manifest::for_spec(support::fixture(file), out.to_path_buf(), name.into())
}

/// Writes the fixture crates into a scratch workspace and runs clippy on them with
/// warnings denied, offline, in a target directory of its own; then runs
/// `fixtures/decode.rs` against the constructs crate generated with `strict`.
#[test]
fn fixture_crates_compile_without_warnings() {
    let scratch = support::scratch("fixture-crates");
    for (spec, name, strict) in [
        ("constructs.yaml", "constructs", false),
        ("petstore.json", "petstore", false),
        ("constructs.yaml", "strict", true),
        ("openapi31.yaml", "notes", false),
        ("unicode.yaml", "unicode", false),
        ("recursive.yaml", "trees", false),
        ("params.yaml", "params", false),
        ("public.yaml", "public", false),
        ("broken.yaml", "broken", false),
    ] {
        let out = scratch.join(name);
        let mut manifest = fixture_manifest(spec, &out, name);
        manifest.options.strict = strict;
        let generated = clerkgen::generate(&manifest).unwrap();
        generated.files.write(&out).unwrap();
    }
    // The decode test also calls the client against a mock server.
    let mut cargo_toml = std::fs::read_to_string(scratch.join("strict/Cargo.toml")).unwrap();
    cargo_toml.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\nwiremock = \"0.6\"\n",
    );
    std::fs::write(scratch.join("strict/Cargo.toml"), cargo_toml).unwrap();
    std::fs::create_dir_all(scratch.join("strict/tests")).unwrap();
    std::fs::copy(
        support::fixture("decode.rs"),
        scratch.join("strict/tests/decode.rs"),
    )
    .unwrap();
    // The 3.1 crate decodes webhook events into their variants.
    std::fs::create_dir_all(scratch.join("notes/tests")).unwrap();
    std::fs::write(scratch.join("notes/tests/events.rs"), NOTES_EVENTS).unwrap();
    // The parameters crate sends a union's string variant as plain text, on the wire.
    let mut params_toml = std::fs::read_to_string(scratch.join("params/Cargo.toml")).unwrap();
    params_toml.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\nwiremock = \"0.6\"\n",
    );
    std::fs::write(scratch.join("params/Cargo.toml"), params_toml).unwrap();
    std::fs::create_dir_all(scratch.join("params/tests")).unwrap();
    std::fs::write(scratch.join("params/tests/wire.rs"), PARAMS_WIRE).unwrap();
    // The public crate is honest on the wire: no server, no credentials, the headers and
    // media types the document declares.
    let mut public_toml = std::fs::read_to_string(scratch.join("public/Cargo.toml")).unwrap();
    public_toml.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\nwiremock = \"0.6\"\n",
    );
    std::fs::write(scratch.join("public/Cargo.toml"), public_toml).unwrap();
    std::fs::create_dir_all(scratch.join("public/tests")).unwrap();
    std::fs::write(scratch.join("public/tests/wire.rs"), PUBLIC_WIRE).unwrap();
    // The recursive crate decodes and re-encodes nested payloads.
    std::fs::create_dir_all(scratch.join("trees/tests")).unwrap();
    std::fs::write(scratch.join("trees/tests/trees.rs"), TREES).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[workspace]\nmembers = [\"constructs\", \"petstore\", \"strict\", \"notes\", \"unicode\", \"trees\", \"params\", \"public\", \"broken\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    support::cargo_in_scratch(
        &scratch,
        &["clippy", "--workspace", "--quiet", "--", "-D", "warnings"],
        &[],
    );
    // With no feature on, only what every build needs compiles; with `unused_types` alone,
    // the types no operation uses (such as `Gallery`) compile with what they reach,
    // though only one module's operations use that.
    for features in ["", "unused_types"] {
        support::cargo_in_scratch(
            &scratch,
            &[
                "clippy",
                "--quiet",
                "-p",
                "constructs",
                "--no-default-features",
                "--features",
                features,
                "--",
                "-D",
                "warnings",
            ],
            &[],
        );
    }
    support::cargo_in_scratch(
        &scratch,
        &["test", "--quiet", "-p", "strict", "--features", "roundtrip"],
        &[],
    );
    support::cargo_in_scratch(&scratch, &["test", "--quiet", "-p", "notes"], &[]);
    support::cargo_in_scratch(&scratch, &["test", "--quiet", "-p", "params"], &[]);
    support::cargo_in_scratch(&scratch, &["test", "--quiet", "-p", "public"], &[]);
    support::cargo_in_scratch(
        &scratch,
        &["test", "--quiet", "-p", "trees", "--features", "roundtrip"],
        &[],
    );
}

/// The public fixture on the wire: a client without a server fails at `build()`; with one,
/// it sends the one `Accept` it decides, the header parameter it may send, and the body's
/// declared media type.
const PUBLIC_WIRE: &str = r##"
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn no_server_no_client_until_a_base_url_is_given() {
    let err = public::Client::builder().build().unwrap_err();
    assert!(matches!(err, public::Error::InvalidSetting { setting: "base_url", .. }), "{err:?}");
    assert!(err.to_string().contains("ClientBuilder::base_url"), "{err}");
    // The constructor that cannot fail reports it from every call, sending nothing.
    let err = public::Client::new().other().get_comic(1).await.unwrap_err();
    assert!(matches!(err, public::Error::InvalidSetting { setting: "base_url", .. }), "{err:?}");
}

#[tokio::test]
async fn headers_and_media_types_are_the_documents() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/comics/7"))
        .and(header("x-trace", "t1"))
        .and(|r: &wiremock::Request| r.headers.get_all("accept").iter().count() == 1)
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 7})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/comics/7"))
        .and(header("content-type", "application/merge-patch+json"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = public::Client::builder().base_url(server.uri()).build().unwrap();
    let comic = client.other().get_comic(7).x_trace("t1").await.unwrap();
    assert_eq!(comic.id, 7);
    client
        .other()
        .patch_comic(7)
        .body(public::models::ComicPatch { title: public::Patch::Null })
        .await
        .unwrap();
}
"##;

/// Nested payloads of the recursive fixture: they decode, and re-encode to the same JSON.
const TREES: &str = r##"
use trees::models::{Category, Expr, Forest};

#[test]
fn nested_payloads_decode_and_round_trip() {
    let json = serde_json::json!({
        "root": {"value": "a", "next": {"value": "b", "next": {"value": "c"}}, "children": [{"value": "d"}]},
        "expr": {"op": "sum", "left": {"op": "lit", "value": 1.0}, "right": {"op": "sum", "left": {"op": "lit", "value": 2.0}, "right": {"op": "lit", "value": 3.0}}},
        "category": {"name": "top", "child": {"name": "mid", "child": "leaf"}}
    });
    let forest: Forest = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(forest.root.next.as_ref().unwrap().next.as_ref().unwrap().value, "c");
    let Expr::Sum(sum) = &forest.expr else { panic!("{:?}", forest.expr) };
    assert!(matches!(&*sum.right, Expr::Sum(_)));
    let Category::Parent(parent) = &forest.category else { panic!() };
    assert!(matches!(&*parent.child, Category::Parent(p) if matches!(&*p.child, Category::String(s) if s == "leaf")));
    assert_eq!(serde_json::to_value(&forest).unwrap(), json);
}
"##;

/// Sample events for the 3.1 fixture's webhooks: each known tag picks its variant, an
/// unknown one keeps the raw JSON.
const NOTES_EVENTS: &str = r##"
use notes::models::Event;

#[test]
fn events_decode_into_their_variants() {
    let shared: Event = serde_json::from_str(r#"{"event": "shared", "note_id": "note_1", "with": null}"#).unwrap();
    match shared {
        Event::NoteShared(e) => assert_eq!((e.note_id.as_str(), e.with), ("note_1", None)),
        other => panic!("{other:?}"),
    }
    let note = r#"{"id": "n", "kind": "note", "title": null, "body": {}, "author": null, "tags": [], "position": [1, 2]}"#;
    let archived: Event = serde_json::from_str(&format!(r#"{{"event": "archived", "note": {note}}}"#)).unwrap();
    assert!(matches!(archived, Event::NoteArchived(e) if e.note.id == "n"));
    let future: Event = serde_json::from_str(r#"{"event": "pinned", "note_id": "note_1"}"#).unwrap();
    assert!(matches!(&future, Event::Unknown(raw) if raw["event"] == "pinned"));
}
"##;

/// Parameters of every type on the wire: an alias in the path, an enum and a union's
/// string and integer variants in the query, an enum in a header; a union and a list in
/// the path.
const PARAMS_WIRE: &str = r##"
use params::models::{GetItemKey, GetThingDeep, GetThingDeepRange, GetThingEither, GetThingFilter, Mode};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts `mock` answering `status`, to be matched exactly once.
async fn expect_once(server: &MockServer, mock: wiremock::MockBuilder, status: u16) {
    mock.respond_with(ResponseTemplate::new(status)).expect(1).mount(server).await;
}

/// A request that carries no `Authorization` header.
fn no_authorization(r: &wiremock::Request) -> bool {
    !r.headers.contains_key("authorization")
}


#[tokio::test]
async fn every_parameter_type_is_sent_as_text() {
    let server = MockServer::start().await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/things/thing_1/7"))
            .and(query_param("mode", "fast"))
            .and(query_param("either", "abc"))
            .and(header("X-Trace", "slow")),
        200,
    )
    .await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/things/thing_1/7"))
            .and(query_param("either", "42")),
        200,
    )
    .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    client
        .other()
        .get_thing("thing_1", 7)
        .mode(Mode::Fast)
        .either(GetThingEither::String("abc".into()))
        .x_trace(Mode::Slow)
        .await
        .unwrap();
    client.other().get_thing("thing_1", 7).either(GetThingEither::from(42i64)).await.unwrap();
}

#[tokio::test]
async fn each_operation_sends_the_credentials_its_security_asks_for() {
    use wiremock::matchers::query_param_is_missing;
    let server = MockServer::start().await;
    // Only the header key, and no Authorization, for an operation that asks for the key.
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/header"))
            .and(header("X-Api-Key", "key_1"))
            .and(no_authorization),
        204,
    )
    .await;
    // Both schemes of one requirement: the key and basic credentials (u:p).
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/both"))
            .and(header("X-Api-Key", "key_1"))
            .and(header("Authorization", "Basic dTpw")),
        204,
    )
    .await;
    // Alternatives: the first the client can meet (the bearer token over the query key).
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/either"))
            .and(header("Authorization", "Bearer tok_1"))
            .and(query_param_is_missing("api_key")),
        204,
    )
    .await;
    let client = params::Client::builder()
        .base_url(server.uri())
        .secret_key(" tok_1\n")
        .api_key_header("key_1")
        .basic_auth("u", "p")
        .build()
        .unwrap();
    client.other().get_with_header_key().await.unwrap();
    client.other().get_with_both().await.unwrap();
    client.other().get_with_either().await.unwrap();
    assert!(!format!("{client:?}").contains("key_1"));

    // A client with only the query key uses it; one with nothing goes out anonymous.
    let server = MockServer::start().await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/either"))
            .and(query_param("api_key", "q_1"))
            .and(no_authorization),
        204,
    )
    .await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/either"))
            .and(query_param_is_missing("api_key"))
            .and(no_authorization),
        204,
    )
    .await;
    let keyed = params::Client::builder().base_url(server.uri()).api_key_query("q_1").build().unwrap();
    keyed.other().get_with_either().await.unwrap();
    let anonymous = params::Client::builder().base_url(server.uri()).build().unwrap();
    anonymous.other().get_with_either().await.unwrap();
}

#[tokio::test]
async fn objects_in_the_query_are_sent_as_deep_objects_and_exploded_forms() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t/1"))
        .and(query_param("deep[status]", "open"))
        .and(query_param("deep[tags][0]", "a"))
        .and(query_param("deep[tags][1]", "b"))
        .and(query_param("deep[range][gte]", "3"))
        .and(query_param("status", "closed"))
        .and(query_param("limit", "2"))
        .and(|r: &wiremock::Request| {
            // No key for the unset members, none for the objects themselves.
            r.url.query_pairs().all(|(k, _)| k != "filter" && k != "deep" && k != "deep[range]")
        })
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    client
        .other()
        .get_thing("t", 1)
        .deep(GetThingDeep {
            status: Some("open".into()),
            tags: Some(vec!["a".into(), "b".into()]),
            range: Some(GetThingDeepRange { gte: Some(3) }),
        })
        .filter(GetThingFilter { status: Some("closed".into()), limit: Some(2) })
        .await
        .unwrap();
}

#[tokio::test]
async fn success_statuses_with_different_bodies_decode_into_their_own_variants() {
    use params::models::StartJobResponse;
    let server = MockServer::start().await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    let answers = [
        (200, r#"{"result": "done"}"#),
        (201, r#"{"id": "job_1", "queued": 2}"#),
        (202, ""),
        (203, "see later"),
        (207, "[]"),
    ];
    let mut seen = Vec::new();
    for (status, body) in answers {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/jobs"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        seen.push(client.other().start_job().await.unwrap());
    }
    assert!(matches!(&seen[0], StartJobResponse::Ok(r) if r.result.as_deref() == Some("done")));
    assert!(matches!(&seen[1], StartJobResponse::Created(c) if c.id == "job_1" && c.queued == Some(2)));
    assert_eq!(seen[2], StartJobResponse::Accepted);
    assert_eq!(seen[3], StartJobResponse::NonAuthoritativeInformation("see later".into()));
    assert_eq!(seen[4], StartJobResponse::Other { status: 207, body: b"[]".to_vec() });
}

#[tokio::test]
async fn a_list_of_files_is_one_part_per_file_and_a_binary_response_is_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .and(|r: &wiremock::Request| {
            let body = String::from_utf8_lossy(&r.body);
            body.matches("name=\"files\"").count() == 2
                && body.contains("first file")
                && body.contains("second file")
                && body.contains("filename=\"b.txt\"")
        })
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"PK\x03\x04".to_vec(), "application/zip"))
        .expect(1)
        .mount(&server)
        .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    let files = [
        params::FilePart::new(b"first file".to_vec()).file_name("a.txt"),
        params::FilePart::new(b"second file".to_vec()).file_name("b.txt"),
    ];
    let archive: Vec<u8> = client.other().upload_files(files).label("two").await.unwrap();
    assert_eq!(archive, b"PK\x03\x04");
}

#[tokio::test]
async fn a_binary_response_streams_past_the_body_size_limit_and_an_error_status_is_still_an_error() {
    let server = MockServer::start().await;
    let archive: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(archive.clone(), "application/zip"))
        .expect(2)
        .mount(&server)
        .await;
    let client = params::Client::builder()
        .base_url(server.uri())
        .max_body_size(64 * 1024)
        .build()
        .unwrap();
    let upload = || client.other().upload_files([params::FilePart::new(b"x".to_vec())]);
    // Read whole, the body is over the limit; streamed, it is not held at once.
    let whole = upload().send().await.unwrap_err();
    assert!(matches!(whole, params::Error::BodyTooLarge { status: 200, .. }), "{whole:?}");
    let mut stream = upload().send_stream().await.unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.content_length(), Some(archive.len() as u64));
    assert_eq!(stream.headers()["content-type"], "application/zip");
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next_chunk().await.unwrap() {
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert_eq!(received, archive);
    assert_eq!(stream.received(), archive.len() as u64);
    assert!(chunks > 1, "the body arrived in one chunk");
    assert!(stream.next_chunk().await.unwrap().is_none(), "a finished stream stays finished");

    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(r#"{"message": "no"}"#, "application/json"))
        .mount(&server)
        .await;
    let error = upload().send_stream().await.unwrap_err();
    assert!(matches!(&error, params::Error::Api(e) if e.status() == 403), "{error:?}");
}

#[tokio::test]
async fn server_variables_are_builder_options_with_defaults() {
    assert_eq!(params::SERVER_URL_TEMPLATE, "http://127.0.0.1:{port}/{tenant}");
    assert_eq!(params::DEFAULT_BASE_URL, "http://127.0.0.1:80/demo");
    let server = MockServer::start().await;
    let port = server.address().port().to_string();
    expect_once(&server, Mock::given(method("GET")).and(path("/acme/items/5/a")), 204).await;
    expect_once(&server, Mock::given(method("GET")).and(path("/demo/items/6/b")), 204).await;
    let acme = params::Client::builder().port(port.clone()).tenant("acme").build().unwrap();
    assert_eq!(acme.base_url(), format!("http://127.0.0.1:{port}/acme"));
    acme.other().get_item(GetItemKey::from(5i64), ["a"]).await.unwrap();
    // The other variable keeps its default.
    let demo = params::Client::builder().port(port).build().unwrap();
    demo.other().get_item(GetItemKey::from(6i64), ["b"]).await.unwrap();
    // A base URL replaces the template altogether.
    let direct = params::Client::builder().tenant("acme").base_url(server.uri()).build().unwrap();
    assert_eq!(direct.base_url(), server.uri());
}

#[tokio::test]
async fn a_wildcard_response_with_a_schema_is_asked_for_and_decoded_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wildcard"))
        .and(header("Accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"count": 3}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    let response = client.other().get_wildcard().await.unwrap();
    assert_eq!(response.count, Some(3));
}

#[tokio::test]
async fn a_union_and_a_list_in_the_path_are_sent_as_text() {
    let server = MockServer::start().await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/items/5/a,b")),
        204,
    )
    .await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/items/key_1/c")),
        204,
    )
    .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    client.other().get_item(GetItemKey::from(5i64), ["a", "b"]).await.unwrap();
    client.other().get_item(GetItemKey::String("key_1".into()), ["c"]).await.unwrap();
    // A union or a list that would leave its segment is refused, and nothing is sent.
    let dots = client.other().get_item(GetItemKey::String("..".into()), ["c"]).await;
    assert!(matches!(dots, Err(params::Error::InvalidInput { parameter: "key", .. })), "{dots:?}");
    let empty = client.other().get_item(GetItemKey::from(5i64), Vec::<String>::new()).await;
    assert!(matches!(empty, Err(params::Error::InvalidInput { parameter: "ids", .. })), "{empty:?}");
}

#[tokio::test]
async fn api_keys_never_follow_a_redirect_to_another_origin() {
    // Another origin: the redirect is the answer, and the other host sees nothing.
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let origin = MockServer::start().await;
    for route in ["/secure/header", "/secure/either"] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(307).insert_header("Location", format!("{}/stolen", elsewhere.uri())))
            .mount(&origin)
            .await;
    }
    let header_key = params::Client::builder().base_url(origin.uri()).api_key_header("key_1").build().unwrap();
    let err = header_key.other().get_with_header_key().await.unwrap_err();
    assert_eq!(err.status(), Some(307));
    let query_key = params::Client::builder().base_url(origin.uri()).api_key_query("q_1").build().unwrap();
    let err = query_key.other().get_with_either().await.unwrap_err();
    assert_eq!(err.status(), Some(307));
    assert!(!format!("{err} {err:?}").contains("q_1"));

    // The same origin: followed, with the key, and without a Referer that would carry a
    // query key.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/secure/header"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/secure/both"))
        .expect(1)
        .mount(&server)
        .await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/both"))
            .and(header("X-Api-Key", "key_1"))
            .and(|r: &wiremock::Request| !r.headers.contains_key("referer")),
        204,
    )
    .await;
    let client = params::Client::builder().base_url(server.uri()).api_key_header("key_1").build().unwrap();
    client.other().get_with_header_key().await.unwrap();
}
"##;
