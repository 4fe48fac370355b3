//! `client_core.rs` of the generated crate: the document's side of the client. The
//! runtime's engine sends requests (credentials, version header, timeouts, retries); this
//! module gives it what the document decides (the server, the security schemes, the
//! version, the default retry policy, whether redirects are answers) and wraps it in the
//! crate's `Client` and `ClientBuilder`, with a sender per kind of response body.

use super::paths::{ENGINE, ERROR_MODULE, REDIRECT, RESPONSE, RETRY, STREAM, TRANSPORT};
use proc_macro2::TokenStream;
use quote::quote;

use std::time::Duration;

use super::Shape;
use crate::ir::{Api, AuthScheme, ParamLocation, ResponseDecode};

pub fn client_rs(api: &Api, shape: &Shape) -> TokenStream {
    let base_url = &api.base_url;
    let env_const = api.credentials_env.as_ref().map(|env| {
        let url_const = api.base_url_env.as_ref().map(|url_env| {
            quote! {
                /// The environment variable [`Client::from_env`] reads another base URL from.
                pub const BASE_URL_ENV: &str = #url_env;
            }
        });
        quote! {
            /// The environment variable [`Client::from_env`] reads.
            pub const CREDENTIALS_ENV: &str = #env;
            #url_const
        }
    });
    let base_url_doc = if base_url.starts_with("http://") || base_url.starts_with("https://") {
        " The server URL from the spec."
    } else {
        " The server URL from the spec: not an absolute URL (the spec names none of its own), so a client needs [`ClientBuilder::base_url`]."
    };
    let servers = super::servers::tokens(api);
    let server_items = &servers.items;
    let lenient = super::unless_all_features(quote!(dead_code));
    let raw_use = shape.raw_body.then(|| quote!(RawBody,));
    let stream_use = shape.stream.then(|| {
        quote!(
            use #STREAM::ByteStream;
        )
    });
    let (version_const, version_profile) = version(api);
    // `from_env` is the only code that names an error variant.
    let error_use = match api.credentials_env {
        Some(_) => quote!(
            use #ERROR_MODULE::{Error, Result};
        ),
        None => quote!(
            use #ERROR_MODULE::Result;
        ),
    };
    let profile = profile(api, shape, version_profile);
    let client = client(api, shape);
    let senders = senders(api);
    let streamed = streamed(shape);
    let builder = builder(api, shape, &servers);
    quote! {
        //! The client: configuration, authentication and sending requests.
        #lenient

        use std::fmt;
        use std::time::Duration;

        use #ENGINE::{Engine, Profile, Settings};
        pub(crate) use #ENGINE::RequestSpec;
        pub use #ENGINE::{Exchange, #raw_use DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT};
        #error_use
        pub use #RETRY::{Jitter, RetryPolicy, MIN_WAIT as MIN_RETRY_WAIT};
        use #TRANSPORT::Received;
        #stream_use

        #[doc = #base_url_doc]
        pub const DEFAULT_BASE_URL: &str = #base_url;

        #server_items
        #env_const
        #version_const

        const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #profile

        /// The future of a call. Boxed, so that operations share one future type per
        /// response type rather than each compiling a state machine of its own.
        pub type ResponseFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<T>> + Send + 'a>>;

        #client
        #senders
        #streamed
        #builder
    }
}

/// The `API_VERSION` constant and the profile's version header, when the manifest names
/// one.
fn version(api: &Api) -> (TokenStream, TokenStream) {
    let Some(header) = &api.api_version_header else {
        return (TokenStream::new(), quote!(None));
    };
    let version = &api.api_version;
    let doc = format!(
        " The API version this crate's types describe (the document's `info.version`), sent in the `{header}` header of every request so that the server answers in it rather than in the account's default version."
    );
    (
        quote! {
            #[doc = #doc]
            pub const API_VERSION: &str = #version;
        },
        quote!(Some((#header, API_VERSION))),
    )
}

/// How each security scheme's credential goes on a request, in the document's order.
fn schemes(api: &Api) -> TokenStream {
    let schemes = api.auth.iter().map(|scheme| match scheme {
        AuthScheme::Bearer { .. } => quote!(Scheme::Bearer),
        AuthScheme::Basic { .. } => quote!(Scheme::Basic),
        AuthScheme::ApiKey {
            location, param, ..
        } => match location {
            ParamLocation::Query => quote!(Scheme::Query(#param)),
            ParamLocation::Cookie => quote!(Scheme::Cookie(#param)),
            _ => quote!(Scheme::Header(#param)),
        },
    });
    quote!(&[#(#schemes),*])
}

/// The document's fixed choices, handed to the engine.
fn profile(api: &Api, shape: &Shape, version: TokenStream) -> TokenStream {
    let schemes = schemes(api);
    let scheme_use = (!api.auth.is_empty()).then(|| {
        quote!(
            use #ENGINE::Scheme;
        )
    });
    let redirects = shape.redirects_declared;
    quote! {
        /// What every client of this API shares: its security schemes (a credential slot
        /// each), its version header, and its defaults.
        static PROFILE: Profile = {
            #scheme_use
            Profile {
                schemes: #schemes,
                api_version: #version,
                user_agent: USER_AGENT,
                redirects_are_answers: #redirects,
                default_retry: Client::default_retry_policy,
            }
        };
    }
}

/// `Client::from_env`, when the manifest names the credential's variable: the secret key
/// from it, and the base URL from the URL variable when that is set.
fn from_env(api: &Api) -> Option<TokenStream> {
    let build = match &api.base_url_env {
        Some(_) => quote! {
            let builder = Self::builder().secret_key(key);
            match std::env::var(BASE_URL_ENV).ok().filter(|url| !url.trim().is_empty()) {
                Some(url) => builder.base_url(#ENGINE::base_url_with_path(&url, DEFAULT_BASE_URL)).build(),
                None => builder.build(),
            }
        },
        None => quote!(Self::builder().secret_key(key).build()),
    };
    api.credentials_env.as_ref().map(|env| {
        let env_doc = match &api.base_url_env {
            Some(url_env) => format!(" A client whose secret key is read from the `{env}` environment variable, and whose base URL from `{url_env}` when it is set (a URL without a path, such as `https://api.example.com`, takes [`DEFAULT_BASE_URL`]'s)."),
            None => format!(" A client whose secret key is read from the `{env}` environment variable."),
        };
        quote! {
            #[doc = #env_doc]
            ///
            /// Whitespace around the value (a trailing newline of a key read from a file) is
            /// dropped; an unset or blank variable is [`Error::MissingCredentials`](crate::Error::MissingCredentials).
            pub fn from_env() -> Result<Self> {
                match std::env::var(CREDENTIALS_ENV) {
                    Ok(key) if !key.trim().is_empty() => { #build }
                    _ => Err(Error::MissingCredentials { variable: CREDENTIALS_ENV }),
                }
            }
        }
    })
}

/// `Client::new`: without arguments when the API asks for no credentials, else taking the
/// secret key.
fn new_fn(api: &Api) -> TokenStream {
    let base_url = &api.base_url;
    let absolute = base_url.starts_with("http://") || base_url.starts_with("https://");
    if api.auth.is_empty() {
        let doc = match absolute {
            true => format!(" A client for `{base_url}`: the API asks for no credentials."),
            false => " A client: the API asks for no credentials. Its document names no server of its own, so every call fails until [`ClientBuilder::base_url`] gives one.".to_string(),
        };
        quote! {
            #[doc = #doc]
            ///
            /// [`ClientBuilder::build`] says at once what cannot work (a base URL that is
            /// not absolute); this constructor reports it from every call.
            pub fn new() -> Self {
                Self::builder().build_or_default()
            }
        }
    } else {
        let auth_doc = super::auth::primary_doc(api);
        let doc = format!(" A client for `{base_url}` whose secret key is {auth_doc}.");
        quote! {
            #[doc = #doc]
            ///
            /// Whitespace around the key is dropped. A key that cannot be sent (one with a
            /// line break inside) makes every call fail with [`Error::InvalidCredentials`](crate::Error::InvalidCredentials);
            /// [`ClientBuilder::build`] reports it at once.
            pub fn new(secret_key: impl Into<String>) -> Self {
                Self::builder().secret_key(secret_key).build_or_default()
            }
        }
    }
}

/// The client type and its constructors, accessors and per-call overrides.
fn client(api: &Api, shape: &Shape) -> TokenStream {
    let from_env = from_env(api);
    let new = new_fn(api);
    // A client that needs no credential is a value like any other.
    let default_impl = api.auth.is_empty().then(|| {
        quote! {
            impl Default for Client {
                fn default() -> Self {
                    Client::new()
                }
            }
        }
    });
    let (retry_doc, retry_default) = retry_default(api);
    let engine_accessor = shape.pages.then(|| {
        quote! {
            /// The engine, for a pager's requests.
            pub(crate) fn engine(&self) -> &Engine {
                &self.engine
            }
        }
    });
    quote! {
        /// The API client. Cheap to clone: clones share one connection pool.
        #[derive(Clone)]
        pub struct Client {
            engine: Engine,
        }

        #default_impl

        impl fmt::Debug for Client {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.engine, f)
            }
        }

        impl Client {
            #new

            #from_env

            /// Configures a client: credentials, base URL, timeouts, headers, HTTP client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The URL every request path is appended to.
            pub fn base_url(&self) -> &str {
                self.engine.base_url()
            }

            /// This client with another timeout for each attempt of each request; it shares
            /// the connection pool, so it serves for one call as well: call an operation on
            /// `client.with_timeout(..)`.
            pub fn with_timeout(&self, timeout: Duration) -> Client {
                Client { engine: self.engine.with_timeout(timeout) }
            }

            #engine_accessor

            /// This client with another retry policy; it shares the connection pool.
            pub fn with_retry(&self, policy: RetryPolicy) -> Client {
                Client { engine: self.engine.with_retry(policy) }
            }

            /// This client with one more header on every request, replacing a header of the
            /// same name (an idempotency key, a tracing header, a mock's `Prefer`); it
            /// shares the connection pool, so it serves for one call as well: call an
            /// operation on `client.with_header("Idempotency-Key", key)`. A name or value
            /// that cannot be sent fails each call with [`Error::InvalidSetting`](crate::Error::InvalidSetting), before anything is sent.
            pub fn with_header(&self, name: impl AsRef<str>, value: impl AsRef<str>) -> Client {
                Client { engine: self.engine.with_header(name.as_ref(), value.as_ref()) }
            }

            /// The retry policy a client uses unless [`ClientBuilder::retry`] or
            /// [`with_retry`](Self::with_retry) gives another.
            #[doc = ""]
            #[doc = #retry_doc]
            pub fn default_retry_policy() -> RetryPolicy {
                #retry_default
            }
        }
    }
}

/// `default_retry_policy()`: the spec's `x-speakeasy-retries` backoff, else the runtime's
/// default (429 and connection errors only); either way within the runtime's attempt and
/// time bounds.
fn retry_default(api: &Api) -> (String, TokenStream) {
    let Some(r) = &api.retry else {
        return (
            " The spec recommends no policy: [`RetryPolicy::default`], which retries 429 and connection errors, within its bounds on attempts and on time per call.".to_string(),
            quote!(RetryPolicy::default()),
        );
    };
    let (initial, max, exponent, conn) = (
        r.initial_interval_ms,
        r.max_interval_ms,
        r.exponent,
        r.connection_errors,
    );
    let elapsed = Duration::from_millis(r.max_elapsed_ms);
    let codes = &r.status_codes;
    let doc = format!(
        " The spec's backoff: from {initial} ms by x{exponent} up to {max} ms; statuses {}; connection errors {}. Within [`RetryPolicy::default`]'s bounds on attempts and on time per call (or the spec's {} s, if shorter), waits included.",
        codes.join(", "),
        if conn { "retried" } else { "not retried" },
        elapsed.as_secs_f64()
    );
    let elapsed_ms = r.max_elapsed_ms;
    (
        doc,
        quote! {
            let default = RetryPolicy::default();
            RetryPolicy {
                initial_interval: Duration::from_millis(#initial),
                max_interval: Duration::from_millis(#max),
                exponent: #exponent,
                max_elapsed: default.max_elapsed.min(Duration::from_millis(#elapsed_ms)),
                status_codes: vec![#(#codes.to_string()),*],
                connection_errors: #conn,
                ..default
            }
        },
    )
}

/// The senders every operation's `send` (written by the `sends!` macro) hands its
/// request to, in one `impl Client`: one generic pair over how the body is decoded, and the
/// ones for a streamed body and for a redirect answer.
fn senders(api: &Api) -> TokenStream {
    let used = |d: ResponseDecode| api.operations.iter().any(|op| op.response.decode == d);
    let mut senders = TokenStream::new();
    if used(ResponseDecode::Bytes) {
        senders.extend(quote! {
            pub(crate) fn send_stream(&self, spec: Result<RequestSpec>) -> ResponseFuture<'_, ByteStream> {
                Box::pin(async move { self.engine.execute_as::<Streamed, _>(spec?).await })
            }
        });
    }
    if used(ResponseDecode::Redirect) {
        senders.extend(quote! {
            pub(crate) fn send_redirect(&self, spec: Result<RequestSpec>) -> ResponseFuture<'_, #REDIRECT> {
                Box::pin(async move { self.engine.execute_as::<#ENGINE::Redirected, _>(spec?).await })
            }
        });
    }
    quote! {
        /// Sending a request and reading its response; each operation's `send` builds its
        /// request and hands it to one of these with its way of decoding the body.
        impl Client {
            /// Sends a request, retrying as the policy allows, and reads the whole response;
            /// error statuses become [`Error::Api`](crate::Error::Api). Runs in a `request` span (operation,
            /// method, route, attempt, status) with an event per response and per retry.
            pub(crate) async fn execute(&self, spec: RequestSpec) -> Result<Received> {
                self.engine.execute(spec).await
            }

            pub(crate) fn send_request<'a, T: Send + 'a>(&'a self, spec: Result<RequestSpec>, decode: fn(Received) -> Result<T>) -> ResponseFuture<'a, T> {
                Box::pin(async move { decode(self.execute(spec?).await?) })
            }

            pub(crate) fn send_request_with_headers<'a, T: Send + 'a>(&'a self, spec: Result<RequestSpec>, decode: fn(Received) -> Result<T>) -> ResponseFuture<'a, #RESPONSE<T>> {
                Box::pin(async move {
                    let mut received = self.execute(spec?).await?;
                    let (status, headers) = (received.status, std::mem::take(&mut received.headers));
                    Ok(#RESPONSE::new(status, headers, decode(received)?))
                })
            }

            #senders
        }
    }
}

/// How a streamed body is taken: handed to the caller as it arrives.
fn streamed(shape: &Shape) -> Option<TokenStream> {
    shape.stream.then(|| {
        quote! {
            /// The body handed to the caller as it arrives ([`ByteStream`]).
            struct Streamed;

            impl #ENGINE::Take for Streamed {
                type Output = ByteStream;
                fn take(_: &Engine, spec: &RequestSpec, _: u32, response: reqwest::Response) -> impl std::future::Future<Output = std::result::Result<ByteStream, #ENGINE::Failure>> + Send {
                    std::future::ready(Ok(ByteStream::new(spec.operation, response)))
                }
            }
        }
    })
}

/// The client builder: the document's setters (credentials, server variables, version)
/// and the runtime's settings.
fn builder(api: &Api, shape: &Shape, servers: &super::servers::ServerTokens) -> TokenStream {
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
    let secret_key = (!api.auth.is_empty()).then(|| {
        quote! {
            #[doc = #secret_doc]
            pub fn secret_key(mut self, key: impl Into<String>) -> Self {
                self.settings.set_secret(0, key.into());
                self
            }
        }
    });
    let http_client_doc = match shape.redirects_declared {
        true => " Uses a configured `reqwest::Client` (proxies, TLS roots). The API's redirects are answers: a client of your own should not follow them (`reqwest::redirect::Policy::none()`), or those answers are lost.",
        false => " Uses a configured `reqwest::Client` (proxies, TLS roots).",
    };
    let version_setter = api.api_version_header.as_ref().map(|header| {
        let doc = format!(
            " Names another API version in the `{header}` header (default: [`API_VERSION`]). The crate's types describe [`API_VERSION`]; another version's responses may not match them."
        );
        quote! {
            #[doc = #doc]
            pub fn api_version(mut self, version: impl Into<String>) -> Self {
                self.settings.api_version = Some(version.into());
                self
            }
        }
    });
    let server_field = &servers.field;
    let server_setters = &servers.setters;
    let build = builder_build(servers);
    quote! {
        /// Builds a [`Client`].
        #[derive(Debug, Default)]
        pub struct ClientBuilder {
            settings: Settings,
            #server_field
        }

        impl ClientBuilder {
            #secret_key

            #scheme_setters

            /// Sends requests to another server (a mock, a proxy). Defaults to [`DEFAULT_BASE_URL`].
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.settings.base_url = Some(url.into());
                self
            }

            #server_setters

            #version_setter

            /// Fails an attempt that takes longer than this, from connecting to the end of
            /// the body (default: [`DEFAULT_TIMEOUT`]). The retry policy's `max_elapsed`
            /// bounds the whole call.
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.settings.timeout = Some(timeout);
                self
            }

            /// Fails a connection that takes longer than this to open (default:
            /// [`DEFAULT_CONNECT_TIMEOUT`]; not applied to an [`http_client`](Self::http_client)
            /// of your own).
            pub fn connect_timeout(mut self, timeout: Duration) -> Self {
                self.settings.connect_timeout = Some(timeout);
                self
            }

            /// The largest response body to read, in bytes (default:
            /// [`DEFAULT_MAX_BODY_SIZE`]); a longer one fails the call with
            /// [`Error::BodyTooLarge`](crate::Error::BodyTooLarge).
            pub fn max_body_size(mut self, bytes: usize) -> Self {
                self.settings.max_body_size = Some(bytes);
                self
            }

            /// A header every request carries (repeat for more); one of the same name that a
            /// request sets is replaced. A name or value that cannot be sent fails
            /// [`build`](Self::build) with [`Error::InvalidSetting`](crate::Error::InvalidSetting).
            pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.settings.default_headers.push((name.into(), value.into()));
                self
            }

            /// How requests are retried (default: [`Client::default_retry_policy`]).
            pub fn retry(mut self, policy: RetryPolicy) -> Self {
                self.settings.retry = Some(policy);
                self
            }

            #[doc = #http_client_doc]
            pub fn http_client(mut self, http: reqwest::Client) -> Self {
                self.settings.http = Some(http);
                self
            }

            /// Calls `observer` with every response the client receives (each attempt,
            /// success or error) before it is retried or decoded: for metrics, rate-limit
            /// headers, or checking a mock's verdict. `tracing` spans carry the same facts.
            pub fn on_response(mut self, observer: impl Fn(&Exchange<'_>) + Send + Sync + 'static) -> Self {
                self.settings.set_observer(observer);
                self
            }
        }

        #build
    }
}

/// `build` and the infallible build behind `Client::new`.
fn builder_build(servers: &super::servers::ServerTokens) -> TokenStream {
    let parts = &servers.destructure;
    let default_url = &servers.default_url;
    quote! {
        impl ClientBuilder {
            /// Builds the client. Fails when the secret key cannot be sent (a control
            /// character inside it: [`Error::InvalidCredentials`](crate::Error::InvalidCredentials)) or the HTTP client cannot
            /// be set up.
            pub fn build(self) -> Result<Client> {
                let ClientBuilder { #parts } = self;
                Ok(Client { engine: settings.build(&PROFILE, #default_url)? })
            }

            /// For [`Client::new`], which cannot fail: a credential problem is reported by
            /// every call, and an HTTP client that cannot be set up with these settings is
            /// replaced by reqwest's default one.
            fn build_or_default(self) -> Client {
                let ClientBuilder { #parts } = self;
                Client { engine: settings.build_or_default(&PROFILE, #default_url) }
            }
        }
    }
}
