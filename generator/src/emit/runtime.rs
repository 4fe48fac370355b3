//! `lib.rs` and `client_core.rs` of the generated crate, shaped by the spec: the module tree and
//! exports, the client and its builder (credentials, server, version header, timeouts),
//! sending with retries, the per-kind senders and the encoding helpers operations use.
//! The error type, files, `Patch`, bodies, auth, servers and `Cargo.toml` have modules of
//! their own; the fixed parts are templates.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Api, ParamLocation, ResponseDecode};

/// Whether the crate has a client: a document with no operations (only types, or only
/// webhook events) gives a types-only crate.
pub fn has_client(api: &Api) -> bool {
    !api.operations.is_empty()
}

pub fn lib_rs(api: &Api) -> TokenStream {
    let text = super::crate_docs::crate_docs(api);
    let docs = {
        let lines: Vec<&str> = text.lines().collect();
        let attrs = lines.iter().map(|l| {
            let l = format!(" {l}");
            let l = l.trim_end().to_string();
            quote!(#![doc = #l])
        });
        quote!(#(#attrs)*)
    };
    let modules = api.modules.iter().map(|m| {
        let (name, feature) = (ident(&m.name), &m.name);
        quote!(#[cfg(feature = #feature)] pub mod #name;)
    });
    let codec = super::codec::uses_codec(api).then(|| {
        quote!(
            #[macro_use]
            mod codec;
        )
    });
    let patch = super::patch::uses_patch(api).then(|| {
        let module = runtime_module(api, "patch");
        quote!(
            #module
            pub use patch::Patch;
        )
    });
    let file = super::uses_files(api).then(|| {
        quote!(
            mod file;
            pub use file::FilePart;
        )
    });
    let redirect = super::uses_redirects(api).then(|| {
        let module = runtime_module(api, "redirect_answer");
        quote!(
            #module
            pub use redirect_answer::Redirect;
        )
    });
    let stream = super::uses_stream(api).then(|| {
        quote!(
            mod stream;
            pub use stream::ByteStream;
        )
    });
    let webhook = api.webhook_signing.as_ref().map(|signing| {
        let env = signing.secret_env.is_some().then(|| {
            quote!(
                pub use webhook::WEBHOOK_SECRET_ENV;
            )
        });
        quote!(
            mod webhook;
            pub use webhook::{Headers, Webhook, WebhookError};
            #env
        )
    });
    let raw_export = super::uses_raw_body(api).then(|| quote!(RawBody,));
    let server_export = api
        .server_template
        .is_some()
        .then(|| quote!(SERVER_URL_TEMPLATE,));
    let env_export = api
        .credentials_env
        .is_some()
        .then(|| quote!(CREDENTIALS_ENV,));
    let version_export = api
        .api_version_header
        .is_some()
        .then(|| quote!(API_VERSION,));
    let pages = super::pages::uses_pagination(api).then(|| {
        quote!(
            mod pages;
            pub use pages::Pages;
        )
    });
    let transport = runtime_module(api, "transport");
    let client = has_client(api).then(|| {
        quote! {
            mod client_core;
            mod error;
            mod retry;
            #transport
            pub use client_core::{Client, ClientBuilder, Exchange, #raw_export ResponseFuture, RetryPolicy, #server_export #version_export #env_export DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT};
            pub use error::{ApiError, Error, ErrorBody, Result, TransportError, TransportErrorKind};
        }
    });
    let extensions = api.extensions.iter().map(|e| {
        let name = ident(&e.name);
        quote!(pub mod #name;)
    });
    quote! {
        #docs
        #![forbid(unsafe_code)]
        // Spec text is Markdown written for other renderers; these lints judge its style.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_long_first_doc_paragraph)]
        // Operations take their required inputs as arguments, and unions hold whole types.
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant)]
        // Deprecated types and operations warn where users name them; the crate's own uses
        // of them (a field of a deprecated type, a deprecated operation's builder) do not.
        #![allow(deprecated)]

        #codec
        pub mod models;
        #patch
        #file
        #stream
        #redirect
        #webhook
        #(#extensions)*
        #pages
        #(#modules)*
        #client
    }
}

pub fn client_rs(api: &Api) -> TokenStream {
    let base_url = &api.base_url;
    let env_const = api.credentials_env.as_ref().map(|env| {
        quote! {
            /// The environment variable [`Client::from_env`] reads.
            pub const CREDENTIALS_ENV: &str = #env;
        }
    });
    let pieces = Pieces {
        version: version_tokens(api),
        servers: super::servers::tokens(api),
        bodies: super::bodies::tokens(api),
    };
    let p = &pieces;
    let helpers = helpers(api);
    let body_items = &p.bodies.items;
    let lenient = super::unless_all_features(quote!(dead_code));
    let path_segment = path_segment(api);
    let version_const = &p.version.version_const;
    let server_items = &p.servers.items;
    let stream_use = super::uses_stream(api).then(|| {
        quote!(
            use crate::stream::ByteStream;
        )
    });
    let client_types = client_types(api, p);
    let client_impl = client_impl(api);
    let client_send = client_send(api, p);
    let builder = builder(api, p);
    let builder_build = builder_build(api, p);
    let request = request_spec(api);
    quote! {
        //! The client: configuration, authentication and sending requests.
        #lenient

        use std::fmt;
        use std::sync::Arc;
        use std::time::Duration;


        use crate::error::{ApiError, Error, Result};
        use crate::transport::{read_body, retry_after, BodyError, Received, TransportError};
        pub use crate::retry::RetryPolicy;
        pub(crate) use crate::retry::status_matches;
        #stream_use

        /// The server URL from the spec.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        #server_items
        #env_const

        #version_const

        const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        /// How long one attempt may take, from connecting to the last byte of the body,
        /// unless [`ClientBuilder::timeout`] or [`Client::with_timeout`] says otherwise: long
        /// enough for the API's largest pages, short enough that a stalled server frees the
        /// caller well within a service's own request deadline.
        pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

        /// How long opening a connection may take ([`ClientBuilder::connect_timeout`]).
        pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

        /// The largest response body the client reads, unless
        /// [`ClientBuilder::max_body_size`] says otherwise: 32 MiB, many times the largest
        /// page an API sends, small enough that a runaway body cannot exhaust memory.
        pub const DEFAULT_MAX_BODY_SIZE: usize = 32 * 1024 * 1024;

        /// The future of a call. Boxed, so that operations share one future type per
        /// response type rather than each compiling a state machine of its own.
        pub type ResponseFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<T>> + Send + 'a>>;

        #client_types
        #client_impl
        #client_send
        #builder
        #builder_build
        #request

        #body_items

        #path_segment

        #helpers
    }
}

/// The client's types: the client and its shared state, what an attempt returns, how a
/// success's body is taken, and what an observer sees.
fn client_types(api: &Api, p: &Pieces) -> TokenStream {
    let version_field = &p.version.version_field;
    let streamed = super::uses_stream(api).then(|| {
        quote! {
            /// The body handed to the caller as it arrives ([`ByteStream`]).
            struct Streamed;

            impl Take for Streamed {
                type Output = ByteStream;
                fn take(_: &Client, spec: &RequestSpec, _: u32, response: reqwest::Response) -> impl std::future::Future<Output = std::result::Result<ByteStream, Failure>> + Send {
                    std::future::ready(Ok(ByteStream::new(spec.operation, response)))
                }
            }
        }
    });
    let redirected = super::uses_redirects(api).then(|| {
        quote! {
            /// A redirect (or a 2XX) as the answer; its body is not read.
            struct Redirected;

            impl Take for Redirected {
                type Output = crate::Redirect;
                fn answers(status: reqwest::StatusCode) -> bool {
                    status.is_success() || status.is_redirection()
                }
                fn take(_: &Client, _: &RequestSpec, _: u32, mut response: reqwest::Response) -> impl std::future::Future<Output = std::result::Result<crate::Redirect, Failure>> + Send {
                    let headers = std::mem::take(response.headers_mut());
                    std::future::ready(Ok(crate::Redirect::new(response.status().as_u16(), headers)))
                }
            }
        }
    });
    quote! {
        /// The API client. Cheap to clone: clones share one connection pool.
        #[derive(Clone)]
        pub struct Client {
            inner: Arc<Inner>,
            options: CallOptions,
        }

        /// Per-call settings, cheap to override with `with_timeout` and `with_retry`.
        #[derive(Debug, Clone)]
        struct CallOptions {
            /// The limit of one attempt (`None`: only the retry policy's `max_elapsed`).
            timeout: Option<Duration>,
            retry: RetryPolicy,
        }

        struct Inner {
            http: reqwest::Client,
            base_url: String,
            secrets: Secrets,
            #version_field
            /// Why the credential given to [`Client::new`] cannot be sent: every call fails
            /// with it (the builder fails at once instead).
            credential_problem: Option<&'static str>,
            max_body_size: usize,
            observer: Option<Observer>,
        }

        /// How one attempt ended.
        enum Outcome<T> {
            /// A success status and its body, as the call takes it ([`Take`]).
            Done(T),
            /// An error status; its body is read only if no retry follows.
            Status(reqwest::Response),
            /// No whole response.
            Failed(Failure),
        }

        /// Why no whole response arrived.
        enum Failure {
            Transport(Box<TransportError>),
            /// A body over the size limit, with its status.
            TooLarge(u16),
        }

        /// How a call takes a success's body.
        trait Take {
            type Output: Send;
            /// Whether a status is the call's answer rather than an error: a 2XX.
            fn answers(status: reqwest::StatusCode) -> bool {
                status.is_success()
            }
            fn take(client: &Client, spec: &RequestSpec, attempt: u32, response: reqwest::Response) -> impl std::future::Future<Output = std::result::Result<Self::Output, Failure>> + Send;
        }

        /// The whole body, read within the size limit during the attempt, so that a failure
        /// reading it is retried like any other.
        struct Whole;

        impl Take for Whole {
            type Output = Received;
            fn take(client: &Client, spec: &RequestSpec, attempt: u32, response: reqwest::Response) -> impl std::future::Future<Output = std::result::Result<Received, Failure>> + Send {
                client.receive(spec, attempt, response)
            }
        }

        #streamed
        #redirected

        type Observer = Arc<dyn Fn(&Exchange<'_>) + Send + Sync>;

        /// One response as it arrived, before any retry or decoding: what an
        /// [`on_response`](ClientBuilder::on_response) observer sees. It holds no request
        /// header, so never the secret key.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct Exchange<'r> {
            /// The spec's `operationId`.
            pub operation: &'static str,
            pub method: &'r reqwest::Method,
            /// The path template (`/users/{user_id}`), not the filled-in path.
            pub route: &'static str,
            /// 1 for the first attempt, 2 for the first retry, ...
            pub attempt: u32,
            pub status: u16,
            pub headers: &'r reqwest::header::HeaderMap,
        }

        impl fmt::Debug for Client {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.inner.base_url)
                    .field("options", &self.options)
                    .field("secrets", &self.inner.secrets)
                    .finish()
            }
        }


    }
}

/// The percent-encoder of path segments, when some operation has a path parameter.
fn path_segment(api: &Api) -> Option<TokenStream> {
    let uses_path_params = api
        .operations
        .iter()
        .any(|op| op.params.iter().any(|p| p.location == ParamLocation::Path));
    uses_path_params.then(|| {
        quote! {
            /// Characters a path segment must not carry unescaped.
            const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
                .add(b' ').add(b'"').add(b'#').add(b'<').add(b'>').add(b'?').add(b'`')
                .add(b'{').add(b'}').add(b'/').add(b'%').add(b'[').add(b']').add(b'^').add(b'|').add(b'\\');

            /// Percent-encodes one path segment.
            pub(crate) fn path_segment(value: &str) -> String {
                percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()
            }
        }
    })
}

/// A module of the runtime: the shared crate's, imported under the same name, or the copy
/// the crate carries.
fn runtime_module(api: &Api, name: &str) -> TokenStream {
    let name = ident(name);
    match api.runtime {
        Some(_) => quote!(use clerkgen_runtime::#name;),
        None => quote!(mod #name;),
    }
}

/// `impl Client`: constructors, accessors and per-call overrides.
fn client_impl(api: &Api) -> TokenStream {
    let base_url = &api.base_url;
    let auth_doc = super::auth::primary_doc(api);
    let new_doc = format!(" A client for `{base_url}` whose secret key is {auth_doc}.");
    let from_env = api.credentials_env.as_ref().map(|env| {
        let env_doc =
            format!(" A client whose secret key is read from the `{env}` environment variable.");
        quote! {
            #[doc = #env_doc]
            ///
            /// Whitespace around the value (a trailing newline of a key read from a file) is
            /// dropped; an unset or blank variable is [`Error::MissingCredentials`].
            pub fn from_env() -> Result<Self> {
                match std::env::var(CREDENTIALS_ENV) {
                    Ok(key) if !key.trim().is_empty() => Self::builder().secret_key(key).build(),
                    _ => Err(Error::MissingCredentials { variable: CREDENTIALS_ENV }),
                }
            }
        }
    });
    quote! {
        impl Client {
            #[doc = #new_doc]
            ///
            /// Whitespace around the key is dropped. A key that cannot be sent (one with a
            /// line break inside) makes every call fail with [`Error::InvalidCredentials`];
            /// [`ClientBuilder::build`] reports it at once.
            pub fn new(secret_key: impl Into<String>) -> Self {
                Self::builder().secret_key(secret_key).build_or_default()
            }

            #from_env

            /// Configures a client: secret key, base URL, timeout, HTTP client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The URL every request path is appended to.
            pub fn base_url(&self) -> &str {
                &self.inner.base_url
            }

            /// This client with another timeout for each attempt of each request; it shares
            /// the connection pool (use it per call: `client.with_timeout(..).users()...`).
            pub fn with_timeout(&self, timeout: Duration) -> Client {
                let mut client = self.clone();
                client.options.timeout = Some(timeout);
                client
            }

            /// This client with another retry policy; it shares the connection pool.
            pub fn with_retry(&self, policy: RetryPolicy) -> Client {
                let mut client = self.clone();
                client.options.retry = policy;
                client
            }

        }
    }
}

/// `impl Client`: sending a request, retrying, and reading its response.
fn client_send(api: &Api, p: &Pieces) -> TokenStream {
    let apply_auth = super::auth::apply(api);
    let body_arms = &p.bodies.arms;
    let query_mut = super::auth::uses_query(api).then(|| quote!(mut));
    let version_send = &p.version.version_send;
    quote! {
        impl Client {
            /// Sends a request, retrying as the policy allows, and reads the whole response;
            /// error statuses become [`Error::Api`]. Runs in a `request` span (operation,
            /// method, route, attempt, status) with an event per response and per retry.
            pub(crate) async fn execute(&self, spec: RequestSpec) -> Result<Received> {
                self.execute_as::<Whole>(spec).await
            }

            async fn execute_as<T: Take>(&self, spec: RequestSpec) -> Result<T::Output> {
                use tracing::Instrument;
                if let Some(problem) = self.inner.credential_problem {
                    return Err(Error::InvalidCredentials { problem });
                }
                let span = tracing::debug_span!(
                    "request",
                    operation = spec.operation,
                    method = %spec.method,
                    route = spec.route,
                    attempt = tracing::field::Empty,
                    status = tracing::field::Empty,
                );
                self.attempts::<T>(spec, span.clone()).instrument(span).await
            }

            async fn attempts<T: Take>(&self, mut spec: RequestSpec, span: tracing::Span) -> Result<T::Output> {
                let policy = &self.options.retry;
                let idempotent = matches!(spec.method.as_str(), "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE");
                let started = std::time::Instant::now();
                let mut body = spec.body.take();
                let mut attempt: u32 = 1;
                loop {
                    // A copy for the next attempt, when the body can be sent again.
                    let next_body = match &body {
                        Some(b) => b.try_clone().map(Some),
                        None => Some(None),
                    };
                    span.record("attempt", attempt);
                    let budget = policy.max_elapsed.saturating_sub(started.elapsed());
                    let outcome = self.attempt::<T>(&spec, body.take(), attempt, budget, &span).await;
                    let wait = match &outcome {
                        Outcome::Status(r) => policy.after_status(r.status().as_u16(), retry_after(r.headers()), idempotent, attempt),
                        Outcome::Failed(Failure::Transport(e)) => policy.after_error(e.kind(), idempotent, attempt),
                        Outcome::Done(_) | Outcome::Failed(Failure::TooLarge(_)) => None,
                    };
                    match (wait, next_body) {
                        (Some(wait), Some(next)) if started.elapsed() + wait < policy.max_elapsed => {
                            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                            tokio::time::sleep(wait).await;
                            body = next;
                            attempt += 1;
                        }
                        _ => return self.finish(outcome, &spec, attempt).await,
                    }
                }
            }

            /// One attempt, limited by the per-attempt timeout and what is left of the call's
            /// budget; a success's body is taken here.
            async fn attempt<T: Take>(&self, spec: &RequestSpec, body: Option<Body>, attempt: u32, budget: Duration, span: &tracing::Span) -> Outcome<T::Output> {
                let limit = self.options.timeout.map_or(budget, |t| t.min(budget)).max(Duration::from_millis(1));
                let response = match self.request(spec, body).timeout(limit).send().await {
                    Ok(response) => response,
                    Err(e) => {
                        let failure = TransportError::before_response(spec.operation, e);
                        tracing::debug!(attempt, error = %failure, "request failed");
                        return Outcome::Failed(Failure::Transport(Box::new(failure)));
                    }
                };
                let status = response.status().as_u16();
                span.record("status", status);
                tracing::debug!(attempt, status, "response");
                if let Some(observe) = &self.inner.observer {
                    observe(&Exchange { operation: spec.operation, method: &spec.method, route: spec.route, attempt, status, headers: response.headers() });
                }
                if !T::answers(response.status()) {
                    return Outcome::Status(response);
                }
                match T::take(self, spec, attempt, response).await {
                    Ok(taken) => Outcome::Done(taken),
                    Err(failure) => Outcome::Failed(failure),
                }
            }

            /// Reads a response's whole body, within the size limit.
            async fn receive(&self, spec: &RequestSpec, attempt: u32, mut response: reqwest::Response) -> std::result::Result<Received, Failure> {
                let status = response.status().as_u16();
                let headers = std::mem::take(response.headers_mut());
                let expected = response.content_length();
                match read_body(response, self.inner.max_body_size).await {
                    Ok(body) => Ok(Received { operation: spec.operation, status, headers, body }),
                    Err(BodyError::TooLarge) => Err(Failure::TooLarge(status)),
                    Err(BodyError::Read { source, received }) => {
                        let failure = TransportError::in_body(spec.operation, status, expected, received, source);
                        tracing::debug!(attempt, error = %failure, "reading the body failed");
                        Err(Failure::Transport(Box::new(failure)))
                    }
                }
            }

            /// The call's result from its last attempt's outcome: an error status's body is
            /// read only now.
            async fn finish<T>(&self, outcome: Outcome<T>, spec: &RequestSpec, attempts: u32) -> Result<T> {
                let failure = match outcome {
                    Outcome::Done(taken) => return Ok(taken),
                    Outcome::Status(response) => match self.receive(spec, attempts, response).await {
                        Ok(received) => return Err(ApiError::new(received, spec.own_errors, attempts).into()),
                        Err(failure) => failure,
                    },
                    Outcome::Failed(failure) => failure,
                };
                Err(match failure {
                    Failure::Transport(e) => Error::Transport(Box::new(e.after_attempts(attempts))),
                    Failure::TooLarge(status) => Error::BodyTooLarge { operation: spec.operation, status, limit: self.inner.max_body_size },
                })
            }

            fn request(&self, spec: &RequestSpec, body: Option<Body>) -> reqwest::RequestBuilder {
                let url = format!("{}{}", self.inner.base_url, spec.path);
                let #query_mut query = spec.query.clone();
                let mut request = self.inner.http.request(spec.method.clone(), url);
                if let Some(timeout) = self.options.timeout {
                    request = request.timeout(timeout);
                }
                if let Some(accept) = spec.accept {
                    request = request.header(reqwest::header::ACCEPT, accept);
                }
                for (name, value) in &spec.headers {
                    request = request.header(*name, value);
                }
                #version_send
                #apply_auth
                if !query.is_empty() {
                    request = request.query(&query);
                }
                match body {
                    #body_arms
                    None => request,
                }
            }
        }
    }
}

/// The client builder and the spec's default retry policy.
fn builder(api: &Api, p: &Pieces) -> TokenStream {
    let scheme_setters = super::auth::setters(api);
    let auth_doc = super::auth::primary_doc(api);
    let secret_doc = match api.auth.first() {
        Some(scheme) if api.auth.len() > 1 => format!(
            " The credential of the `{}` security scheme, {auth_doc}{}. Whitespace around it is dropped.",
            scheme.name(),
            match api.credentials_env {
                Some(_) => " ([`Client::from_env`] reads it)",
                None => "",
            }
        ),
        _ => " The secret key requests authenticate with. Whitespace around it is dropped.".to_string(),
    };
    let (retry_doc, retry_default) = retry_default(api);
    let http_client_doc = match super::declares_redirects(api) {
        true => " Uses a configured `reqwest::Client` (proxies, TLS roots). The API's redirects are answers: a client of your own should not follow them (`reqwest::redirect::Policy::none()`), or those answers are lost.",
        false => " Uses a configured `reqwest::Client` (proxies, TLS roots).",
    };
    let version_builder_field = &p.version.version_builder_field;
    let version_setter = &p.version.version_setter;
    let server_field = &p.servers.field;
    let server_setters = &p.servers.setters;
    quote! {

        impl Default for RetryPolicy {
            #[doc = #retry_doc]
            fn default() -> Self {
                #retry_default
            }
        }

        /// Builds a [`Client`].
        #[derive(Default)]
        pub struct ClientBuilder {
            secrets: Secrets,
            base_url: Option<String>,
            #server_field
            #version_builder_field
            timeout: Option<Duration>,
            connect_timeout: Option<Duration>,
            max_body_size: Option<usize>,
            retry: Option<RetryPolicy>,
            http: Option<reqwest::Client>,
            observer: Option<Observer>,
        }

        impl fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url)
                    .field("timeout", &self.timeout)
                    .field("secrets", &self.secrets)
                    .finish()
            }
        }

        impl ClientBuilder {
            #[doc = #secret_doc]
            pub fn secret_key(mut self, key: impl Into<String>) -> Self {
                self.secrets.0[0] = Some(key.into());
                self
            }

            #scheme_setters

            /// Sends requests to another server (a mock, a proxy). Defaults to [`DEFAULT_BASE_URL`].
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self
            }

            #server_setters

            #version_setter

            /// Fails an attempt that takes longer than this, from connecting to the end of
            /// the body (default: [`DEFAULT_TIMEOUT`]). The retry policy's `max_elapsed`
            /// bounds the whole call.
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// Fails a connection that takes longer than this to open (default:
            /// [`DEFAULT_CONNECT_TIMEOUT`]; not applied to an [`http_client`](Self::http_client)
            /// of your own).
            pub fn connect_timeout(mut self, timeout: Duration) -> Self {
                self.connect_timeout = Some(timeout);
                self
            }

            /// The largest response body to read, in bytes (default:
            /// [`DEFAULT_MAX_BODY_SIZE`]); a longer one fails the call with
            /// [`Error::BodyTooLarge`].
            pub fn max_body_size(mut self, bytes: usize) -> Self {
                self.max_body_size = Some(bytes);
                self
            }

            /// How requests are retried (default: [`RetryPolicy::default`]).
            pub fn retry(mut self, policy: RetryPolicy) -> Self {
                self.retry = Some(policy);
                self
            }

            #[doc = #http_client_doc]
            pub fn http_client(mut self, http: reqwest::Client) -> Self {
                self.http = Some(http);
                self
            }

            /// Calls `observer` with every response the client receives (each attempt,
            /// success or error) before it is retried or decoded: for metrics, rate-limit
            /// headers, or checking a mock's verdict. `tracing` spans carry the same facts.
            pub fn on_response(mut self, observer: impl Fn(&Exchange<'_>) + Send + Sync + 'static) -> Self {
                self.observer = Some(Arc::new(observer));
                self
            }

        }

    }
}

/// `impl ClientBuilder`: building the client from the settings.
fn builder_build(api: &Api, p: &Pieces) -> TokenStream {
    let version_init = &p.version.version_init;
    let (http_doc, redirects) = match super::declares_redirects(api) {
        true => (
            " The HTTP client given, else one with the user agent and connect timeout that does not follow redirects (the API's redirects are answers).",
            quote!(.redirect(reqwest::redirect::Policy::none())),
        ),
        false => (
            " The HTTP client given, else one with the user agent and connect timeout.",
            TokenStream::new(),
        ),
    };
    let default_url = &p.servers.default_url;
    quote! {
        impl ClientBuilder {
            /// Builds the client. Fails when the secret key cannot be sent (a control
            /// character inside it: [`Error::InvalidCredentials`]) or the HTTP client cannot
            /// be set up.
            pub fn build(self) -> Result<Client> {
                let http = self.http_or_new().map_err(Error::Http)?;
                let client = self.with_http(http);
                match client.inner.credential_problem {
                    Some(problem) => Err(Error::InvalidCredentials { problem }),
                    None => Ok(client),
                }
            }

            /// For [`Client::new`], which cannot fail: a credential problem is reported by
            /// every call, and an HTTP client that cannot be set up with these settings is
            /// replaced by reqwest's default one.
            fn build_or_default(self) -> Client {
                let http = self.http_or_new().unwrap_or_default();
                self.with_http(http)
            }

            #[doc = #http_doc]
            fn http_or_new(&self) -> reqwest::Result<reqwest::Client> {
                match &self.http {
                    Some(http) => Ok(http.clone()),
                    None => reqwest::Client::builder()
                        .user_agent(USER_AGENT)
                        .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                        #redirects
                        .build(),
                }
            }

            fn with_http(self, http: reqwest::Client) -> Client {
                let mut secrets = self.secrets;
                for secret in secrets.0.iter_mut().flatten() {
                    *secret = secret.trim().to_string();
                }
                let base_url = match self.base_url {
                    Some(url) => url,
                    None => #default_url,
                };
                let inner = Inner {
                    http,
                    base_url: base_url.trim_end_matches('/').to_string(),
                    credential_problem: secrets.0.iter().flatten().find_map(|s| credential_problem(s)),
                    secrets,
                    #version_init
                    max_body_size: self.max_body_size.unwrap_or(DEFAULT_MAX_BODY_SIZE),
                    observer: self.observer,
                };
                let options = CallOptions { timeout: Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)), retry: self.retry.unwrap_or_default() };
                Client { inner: Arc::new(inner), options }
            }
        }
    }
}

/// Credentials and the request an operation hands the client.
fn request_spec(api: &Api) -> TokenStream {
    let slots = super::auth::slots(api);
    quote! {
        /// The credential of each security scheme, in the document's order; `Debug` shows
        /// which are set, never what they are.
        struct Secrets([Option<String>; #slots]);

        impl Default for Secrets {
            fn default() -> Self {
                Secrets(std::array::from_fn(|_| None))
            }
        }

        impl fmt::Debug for Secrets {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.0.iter().map(|s| s.as_ref().map(|_| "<redacted>"))).finish()
            }
        }

        /// What makes a (trimmed) credential impossible to send, if anything.
        fn credential_problem(secret: &str) -> Option<&'static str> {
            if secret.is_empty() {
                Some("is empty")
            } else if secret.chars().any(char::is_control) {
                Some("contains a line break or another control character")
            } else {
                None
            }
        }

        /// One request, as an operation's builder describes it.
        pub(crate) struct RequestSpec {
            /// The spec's `operationId` and path template, for spans and observers.
            pub operation: &'static str,
            pub route: &'static str,
            /// Error statuses (`404`, `4XX`) whose body has a schema of its own rather than
            /// [`ErrorBody`](crate::ErrorBody).
            pub own_errors: &'static [&'static str],
            pub method: reqwest::Method,
            pub path: String,
            pub query: Vec<(std::borrow::Cow<'static, str>, String)>,
            pub headers: Vec<(&'static str, String)>,
            pub body: Option<Body>,
            /// The media type the operation decodes, sent as `Accept`.
            pub accept: Option<&'static str>,
            /// The security requirements, any one of which the operation accepts: each the
            /// credential slots it sends together.
            pub security: &'static [&'static [usize]],
        }

        impl RequestSpec {
            /// A body-less copy with one query parameter set to `value` (for the next page).
            #[allow(dead_code)]
            pub(crate) fn with_query(&self, name: &'static str, value: String) -> RequestSpec {
                let mut spec = self.with_query_kept();
                spec.query.retain(|(k, _)| k != name);
                spec.query.push((name.into(), value));
                spec
            }

            /// A body-less copy (for the first page of a walk).
            #[allow(dead_code)]
            pub(crate) fn with_query_kept(&self) -> RequestSpec {
                RequestSpec {
                    operation: self.operation,
                    route: self.route,
                    own_errors: self.own_errors,
                    method: self.method.clone(),
                    path: self.path.clone(),
                    query: self.query.clone(),
                    headers: self.headers.clone(),
                    body: None,
                    accept: self.accept,
                    security: self.security,
                }
            }
        }

    }
}

/// The spec-shaped pieces several parts of `client_core.rs` splice in, computed once.
struct Pieces {
    version: VersionTokens,
    servers: super::servers::ServerTokens,
    bodies: super::bodies::BodyTokens,
}

/// The pieces of the client that send the API version header, when the manifest names one.
#[derive(Default)]
struct VersionTokens {
    version_const: TokenStream,
    version_field: TokenStream,
    version_send: TokenStream,
    version_builder_field: TokenStream,
    version_setter: TokenStream,
    version_init: TokenStream,
}

fn version_tokens(api: &Api) -> VersionTokens {
    let Some(header) = &api.api_version_header else {
        return VersionTokens::default();
    };
    let version = &api.api_version;
    let const_doc = format!(
        " The API version this crate's types describe (the document's `info.version`), sent in the `{header}` header of every request so that the server answers in it rather than in the account's default version."
    );
    let setter_doc = format!(
        " Names another API version in the `{header}` header (default: [`API_VERSION`]). The crate's types describe [`API_VERSION`]; another version's responses may not match them."
    );
    VersionTokens {
        version_const: quote! {
            #[doc = #const_doc]
            pub const API_VERSION: &str = #version;
        },
        version_field: quote!(api_version: String,),
        version_send: quote!(request = request.header(#header, &self.inner.api_version);),
        version_builder_field: quote!(api_version: Option<String>,),
        version_setter: quote! {
            #[doc = #setter_doc]
            pub fn api_version(mut self, version: impl Into<String>) -> Self {
                self.api_version = Some(version.into());
                self
            }
        },
        version_init: quote!(api_version: self.api_version.unwrap_or_else(|| API_VERSION.to_string()),),
    }
}

/// At most this many attempts per call by default: three retries ride out a brief outage
/// or a deploy's restarts (with the usual backoff, a few seconds of waiting) without
/// multiplying the load on a server that is down.
const DEFAULT_MAX_ATTEMPTS: u32 = 4;

/// At most this long per call by default, attempts and waits included (a spec may ask for
/// longer; a service calling the API has its own deadlines).
const DEFAULT_MAX_ELAPSED_MS: u64 = 60_000;

/// `RetryPolicy::default()`: the spec's `x-speakeasy-retries` backoff, else 429 and
/// connection errors only; either way within [`DEFAULT_MAX_ATTEMPTS`] and
/// [`DEFAULT_MAX_ELAPSED_MS`].
fn retry_default(api: &Api) -> (String, TokenStream) {
    let attempts = DEFAULT_MAX_ATTEMPTS;
    let bounds = format!(
        " At most {attempts} attempts and {} s per call, waits included.",
        DEFAULT_MAX_ELAPSED_MS / 1000
    );
    match &api.retry {
        Some(r) => {
            let (initial, max, exponent, conn) = (r.initial_interval_ms, r.max_interval_ms, r.exponent, r.connection_errors);
            let elapsed = r.max_elapsed_ms.min(DEFAULT_MAX_ELAPSED_MS);
            let codes = &r.status_codes;
            let doc = format!(
                " The spec's backoff: from {initial} ms by x{exponent} up to {max} ms; statuses {}; connection errors {}.{bounds}",
                codes.join(", "),
                if conn { "retried" } else { "not retried" }
            );
            (doc, quote! {
                RetryPolicy {
                    initial_interval: Duration::from_millis(#initial),
                    max_interval: Duration::from_millis(#max),
                    exponent: #exponent,
                    max_elapsed: Duration::from_millis(#elapsed),
                    max_attempts: Some(#attempts),
                    status_codes: vec![#(#codes.to_string()),*],
                    connection_errors: #conn,
                }
            })
        }
        None => (format!(" The spec recommends no policy: 429 and connection errors are retried, from 500 ms by x2 up to 30 s.{bounds}"), quote! {
            RetryPolicy {
                initial_interval: Duration::from_millis(500),
                max_interval: Duration::from_secs(30),
                exponent: 2.0,
                max_elapsed: Duration::from_millis(#DEFAULT_MAX_ELAPSED_MS),
                max_attempts: Some(#attempts),
                status_codes: Vec::new(),
                connection_errors: true,
            }
        }),
    }
}

/// The response readers and encoders the operations use, and only those.
fn helpers(api: &Api) -> TokenStream {
    let used = |d: ResponseDecode| super::uses_decode(api, d);
    let mut out = TokenStream::new();
    if super::operations::uses_object_query(api, super::operations::ObjectQuery::Deep) {
        out.extend(quote! {
            /// The query pairs of a `deepObject` parameter: `name[key]=value`, nested objects
            /// and lists by bracketed keys and indices (`filter[tags][0]=a`); null members
            /// are left out.
            pub(crate) fn deep_object<T: serde::Serialize>(name: &'static str, value: &T) -> Result<Vec<(std::borrow::Cow<'static, str>, String)>> {
                fn walk(key: String, value: serde_json::Value, out: &mut Vec<(std::borrow::Cow<'static, str>, String)>) {
                    match value {
                        serde_json::Value::Null => {}
                        serde_json::Value::Object(map) => {
                            for (k, v) in map {
                                walk(format!("{key}[{k}]"), v, out);
                            }
                        }
                        serde_json::Value::Array(items) => {
                            for (i, v) in items.into_iter().enumerate() {
                                walk(format!("{key}[{i}]"), v, out);
                            }
                        }
                        serde_json::Value::String(s) => out.push((key.into(), s)),
                        other => out.push((key.into(), other.to_string())),
                    }
                }
                let mut out = Vec::new();
                walk(name.to_string(), serde_json::to_value(value).map_err(Error::Encode)?, &mut out);
                Ok(out)
            }
        });
    }
    if super::operations::uses_object_query(api, super::operations::ObjectQuery::Exploded) {
        out.extend(quote! {
            /// The query pairs of an exploded `form` object parameter: one per set property
            /// (`status=open&limit=1`), a nested value as JSON text.
            pub(crate) fn form_object<T: serde::Serialize>(name: &'static str, value: &T) -> Result<Vec<(std::borrow::Cow<'static, str>, String)>> {
                let text = |v: serde_json::Value| match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                Ok(match serde_json::to_value(value).map_err(Error::Encode)? {
                    serde_json::Value::Object(map) => map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (std::borrow::Cow::Owned(k), text(v))).collect(),
                    serde_json::Value::Null => Vec::new(),
                    other => vec![(std::borrow::Cow::Borrowed(name), text(other))],
                })
            }
        });
    }
    if super::operations::uses_plain_text(api) {
        out.extend(quote! {
            /// A parameter or form value of a type with no `Display` (a union, an alias, an
            /// object) as text: a string as it is, a number or boolean as written, anything
            /// else as JSON text.
            pub(crate) fn plain_text<T: serde::Serialize>(value: &T) -> Result<String> {
                match serde_json::to_value(value).map_err(Error::Encode)? {
                    serde_json::Value::String(s) => Ok(s),
                    other @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => Ok(other.to_string()),
                    other => serde_json::to_string(&other).map_err(Error::Encode),
                }
            }
        });
    }
    if used(ResponseDecode::Json) || used(ResponseDecode::JsonOrEmpty) {
        out.extend(quote! {
            /// Decodes a body with `decode`; one that does not decode is kept in the error
            /// (moved, not copied).
            pub(crate) fn decode_body<T>(received: Received, decode: impl FnOnce(&[u8]) -> serde_json::Result<T>) -> Result<T> {
                match decode(&received.body) {
                    Ok(value) => Ok(value),
                    Err(source) => Err(Error::Decode { operation: received.operation, status: received.status, source, body: received.body }),
                }
            }

            /// Decodes a JSON body into the operation's type.
            pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(received: Received) -> Result<T> {
                decode_body(received, |bytes| serde_json::from_slice(bytes))
            }
        });
    }
    out.extend(senders(api));
    out
}

/// A sender per kind of top-level response (a `Statuses` variant's decoding is the
/// operation's own), in one `impl Client`.
fn senders(api: &Api) -> TokenStream {
    let used = |d: ResponseDecode| api.operations.iter().any(|op| op.response.decode == d);
    let mut senders = TokenStream::new();
    if used(ResponseDecode::Json) {
        senders.extend(quote! {
            pub(crate) fn send_json<'a, T: serde::de::DeserializeOwned + Send + 'a>(&'a self, spec: Result<RequestSpec>) -> ResponseFuture<'a, T> {
                Box::pin(async move { decode_json(self.execute(spec?).await?) })
            }
        });
    }
    if used(ResponseDecode::JsonOrEmpty) {
        senders.extend(quote! {
            /// For an operation with a success status that has no body: an empty body is
            /// `T::default()` (`None`).
            pub(crate) fn send_json_or_empty<'a, T: serde::de::DeserializeOwned + Default + Send + 'a>(&'a self, spec: Result<RequestSpec>) -> ResponseFuture<'a, T> {
                Box::pin(async move {
                    let received = self.execute(spec?).await?;
                    if received.body.iter().all(u8::is_ascii_whitespace) {
                        return Ok(T::default());
                    }
                    decode_json(received)
                })
            }
        });
    }
    if used(ResponseDecode::Text) {
        senders.extend(quote! {
            pub(crate) fn send_text(&self, spec: Result<RequestSpec>) -> ResponseFuture<'_, String> {
                Box::pin(async move {
                    let body = self.execute(spec?).await?.body;
                    Ok(String::from_utf8(body).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
                })
            }
        });
    }
    if used(ResponseDecode::Bytes) {
        senders.extend(quote! {
            pub(crate) fn send_bytes(&self, spec: Result<RequestSpec>) -> ResponseFuture<'_, Vec<u8>> {
                Box::pin(async move { Ok(self.execute(spec?).await?.body) })
            }
        });
    }
    if used(ResponseDecode::Bytes) {
        senders.extend(quote! {
            pub(crate) fn send_stream(&self, spec: Result<RequestSpec>) -> ResponseFuture<'_, ByteStream> {
                Box::pin(async move { self.execute_as::<Streamed>(spec?).await })
            }
        });
    }
    if used(ResponseDecode::ByStatus) {
        senders.extend(quote! {
            /// For an operation whose success statuses have different bodies: `decode` picks
            /// the variant by status.
            pub(crate) fn send_with<'a, T: Send + 'a>(&'a self, spec: Result<RequestSpec>, decode: fn(Received) -> Result<T>) -> ResponseFuture<'a, T> {
                Box::pin(async move { decode(self.execute(spec?).await?) })
            }
        });
    }
    if used(ResponseDecode::Redirect) {
        senders.extend(quote! {
            pub(crate) fn send_redirect(&self, spec: Result<RequestSpec>) -> ResponseFuture<'_, crate::Redirect> {
                Box::pin(async move { self.execute_as::<Redirected>(spec?).await })
            }
        });
    }
    if used(ResponseDecode::Empty) {
        senders.extend(quote! {
            pub(crate) fn send_empty(&self, spec: Result<RequestSpec>) -> ResponseFuture<'_, ()> {
                Box::pin(async move { self.execute(spec?).await.map(drop) })
            }
        });
    }
    quote! {
        /// Sending a request and reading its response, one function per kind of body; each
        /// operation's `send` builds its request and hands it to one of these.
        impl Client {
            #senders
        }
    }
}

/// The webhook verifier: the scheme's template, decoding into the crate's event enum, with
/// `from_env` when the manifest names the secret's variable.
pub fn webhook_rs(api: &Api) -> String {
    let Some(signing) = &api.webhook_signing else {
        return String::new();
    };
    let template = match signing.scheme {
        crate::ir::WebhookSignature::StandardWebhooks => {
            include_str!("../../templates/standard_webhooks.rs")
        }
    };
    let mut text = match api.event_type.as_deref() {
        Some(event) if event != "Event" => template.replace(
            "use crate::models::Event;",
            &format!("use crate::models::{event} as Event;"),
        ),
        _ => template.to_string(),
    };
    if let Some(var) = &signing.secret_env {
        text.push_str(&format!(
            "\n/// The environment variable [`Webhook::from_env`] reads the signing secret from.\n\
             pub const WEBHOOK_SECRET_ENV: &str = {var:?};\n\n\
             impl Webhook {{\n    \
             /// A verifier whose secret is in the `{var}` environment variable.\n    \
             pub fn from_env() -> Result<Self, WebhookError> {{\n        \
             Webhook::from_env_var(WEBHOOK_SECRET_ENV)\n    }}\n}}\n"
        ));
    }
    text
}
