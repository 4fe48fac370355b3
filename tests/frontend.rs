//! The generated Frontend API client against a local mock: the security alternatives a
//! caller selects (none, the dev browser query parameter, the `__client` cookie, a native
//! app's bearer token with its flag), redirects returned as answers rather than followed,
//! the server variable, and `from_env` reading the publishable key.

use clerk_frontend::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The one request the mock received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// Calls getSignIn, which accepts every alternative (`[]`, DevBrowser,
/// ProductionBrowser, ProductionNativeApp with ProductionNativeFlag), with the client the
/// builder makes, and returns the request that arrived.
async fn sign_in_request(
    configure: impl FnOnce(clerk_frontend::ClientBuilder) -> clerk_frontend::ClientBuilder,
) -> Request {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/client/sign_ins/sia_123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let client = configure(Client::builder().base_url(server.uri()))
        .build()
        .unwrap();
    // The mock's body is not a sign-in: only the request is judged here.
    let _ = client.sign_ins().get_sign_in("sia_123").send().await;
    only_request(&server).await
}

#[tokio::test]
async fn without_credentials_a_call_goes_out_anonymous() {
    let request = sign_in_request(|b| b).await;
    assert_eq!(header(&request, "cookie"), None);
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn a_dev_browser_token_is_sent_as_its_query_parameter() {
    let request = sign_in_request(|b| b.dev_browser("dvb_123")).await;
    assert_eq!(query(&request, "__dev_session").as_deref(), Some("dvb_123"));
    assert_eq!(header(&request, "cookie"), None);
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn a_browser_client_token_is_sent_as_the_client_cookie() {
    let request = sign_in_request(|b| b.production_browser("eyJclient")).await;
    assert_eq!(
        header(&request, "cookie").as_deref(),
        Some("__client=eyJclient")
    );
    assert_eq!(query(&request, "__dev_session"), None);
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn a_native_app_sends_its_token_as_bearer_with_the_native_flag() {
    let request = sign_in_request(|b| {
        b.production_native_app("eyJnative")
            .production_native_flag("true")
    })
    .await;
    assert_eq!(
        header(&request, "authorization").as_deref(),
        Some("Bearer eyJnative")
    );
    assert_eq!(query(&request, "_is_native").as_deref(), Some("true"));
    assert_eq!(header(&request, "cookie"), None);
}

#[tokio::test]
async fn half_of_a_requirement_sends_nothing_of_it() {
    // The bearer token alone does not meet `ProductionNativeApp + ProductionNativeFlag`.
    let request = sign_in_request(|b| b.production_native_app("eyJnative")).await;
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(query(&request, "_is_native"), None);
}

#[tokio::test]
async fn an_operation_that_answers_with_a_redirect_returns_it_unfollowed() {
    let server = MockServer::start().await;
    let target = format!("{}/landing", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1/client/handshake"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", target.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/landing"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let redirect = client
        .client()
        .handshake_client()
        .redirect_url("https://app.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 307);
    assert_eq!(redirect.location(), Some(target.as_str()));
}

#[tokio::test]
async fn an_error_status_of_a_redirecting_operation_is_still_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/client/handshake"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "errors": [{"message": "bad", "long_message": "bad request", "code": "form_param_missing"}]
        })))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    match client.client().handshake_client().send().await {
        Err(Error::Api(e)) => assert_eq!(e.status(), 400),
        other => panic!("expected a 400, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_beside_a_success_is_returned_as_its_status_not_followed() {
    // putClient answers 200 or 307: the 307 is the call's error, with its Location.
    let server = MockServer::start().await;
    let target = format!("{}/elsewhere", server.uri());
    Mock::given(method("PUT"))
        .and(path("/v1/client"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", target.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    match client.client().put_client().send().await {
        Err(Error::Api(e)) => {
            assert_eq!(e.status(), 307);
            assert_eq!(
                e.headers().get("location").and_then(|v| v.to_str().ok()),
                Some(target.as_str())
            );
        }
        other => panic!("expected the 307, got {other:?}"),
    }
}

#[test]
fn the_domain_server_variable_fills_the_url_template() {
    assert_eq!(
        clerk_frontend::SERVER_URL_TEMPLATE,
        "https://{domain}.clerk.accounts.dev"
    );
    let client = Client::builder().domain("happy-hippo-1").build().unwrap();
    assert_eq!(
        client.base_url(),
        "https://happy-hippo-1.clerk.accounts.dev"
    );
    let default = Client::builder().build().unwrap();
    assert_eq!(
        default.base_url(),
        "https://example-destined-camel-13.clerk.accounts.dev"
    );
}

#[test]
fn from_env_reads_the_publishable_key_into_the_base_url() {
    // The only test of this binary that touches the variable.
    // base64("clerk.example.com$"), encoded with Python's base64 module.
    std::env::set_var("CLERK_PUBLISHABLE_KEY", "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k");
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), "https://clerk.example.com");
    std::env::set_var("CLERK_PUBLISHABLE_KEY", "sk_live_not_a_publishable_key");
    let err = Client::from_env().unwrap_err();
    assert!(
        err.to_string()
            .contains("starts with neither pk_test_ nor pk_live_"),
        "{err}"
    );
    std::env::remove_var("CLERK_PUBLISHABLE_KEY");
    assert!(matches!(
        Client::from_env(),
        Err(Error::MissingCredentials {
            variable: "CLERK_PUBLISHABLE_KEY"
        })
    ));
}
