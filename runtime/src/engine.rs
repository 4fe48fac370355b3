//! The engine under every generated client: the settings a builder collects, the request
//! an operation describes ([`RequestSpec`]), and sending it with credentials, the version
//! header, timeouts and retries, in a `tracing` span, until a whole response (or a failure)
//! is in hand.
//!
//! A generated `Client` wraps an [`Engine`] and adds what its document decides: the
//! server, the security schemes ([`Profile`]), the default retry policy, and how a
//! response's body is decoded. Failures come back as the runtime's [`Error`], generic
//! over the API's error body, which the generated crate names.

pub mod encoding;

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::call_error::{ApiError, Error};
use crate::redirect_answer::Redirect;
use crate::retry::RetryPolicy;
use crate::transport::{
    read_body, retry_after, BodyError, Received, RedactedHeaders, TransportError,
};
use reqwest::header::{HeaderName, HeaderValue};

/// How long one attempt may take, from connecting to the last byte of the body, unless
/// the builder's `timeout` or `Client::with_timeout` says otherwise: long enough for an
/// API's largest pages, short enough that a stalled server frees the caller well within a
/// service's own request deadline.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long opening a connection may take (the builder's `connect_timeout`).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest response body the client reads, unless the builder's `max_body_size` says
/// otherwise: 32 MiB, many times the largest page an API sends, small enough that a
/// runaway body cannot exhaust memory.
pub const DEFAULT_MAX_BODY_SIZE: usize = 32 * 1024 * 1024;

/// How a security scheme's credential goes on a request.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `Authorization: Bearer <credential>`.
    Bearer,
    /// HTTP basic authentication; the credential is `user:password`.
    Basic,
    /// A header of this name.
    Header(&'static str),
    /// A query parameter of this name.
    Query(&'static str),
    /// A cookie of this name.
    Cookie(&'static str),
}

/// What a generated crate fixes for all its clients, from its document and manifest.
#[doc(hidden)]
#[derive(Debug)]
pub struct Profile {
    /// The document's security schemes, in its order: slot `i` of the credentials is
    /// sent as `schemes[i]` says.
    pub schemes: &'static [Scheme],
    /// The header naming the API version, and the version the crate's types describe.
    pub api_version: Option<(&'static str, &'static str)>,
    /// The `User-Agent` of an HTTP client the engine builds.
    pub user_agent: &'static str,
    /// Whether the API's redirects are answers rather than hops to follow.
    pub redirects_are_answers: bool,
    /// The retry policy when the builder sets none.
    pub default_retry: fn() -> RetryPolicy,
}

type Observer = Arc<dyn Fn(&Exchange<'_>) + Send + Sync>;

/// One response as it arrived, before any retry or decoding: what an `on_response`
/// observer sees. It holds no request header, so never a credential; its `Debug` shows
/// the values of sensitive response headers (`Set-Cookie`, ...) as `<redacted>`.
#[non_exhaustive]
pub struct Exchange<'r> {
    /// The spec's `operationId`.
    pub operation: &'static str,
    /// The request's method.
    pub method: &'r reqwest::Method,
    /// The path template (`/users/{user_id}`), not the filled-in path.
    pub route: &'static str,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// The response's status.
    pub status: u16,
    /// The response's headers.
    pub headers: &'r reqwest::header::HeaderMap,
}

impl fmt::Debug for Exchange<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exchange")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("route", &self.route)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(self.headers))
            .finish()
    }
}

/// What a client builder has collected; the generated builder's setters fill it.
#[doc(hidden)]
#[derive(Default)]
pub struct Settings {
    /// The credential of each security scheme, by slot.
    secrets: Vec<Option<String>>,
    pub base_url: Option<String>,
    pub api_version: Option<String>,
    pub timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub max_body_size: Option<usize>,
    pub retry: Option<RetryPolicy>,
    pub http: Option<reqwest::Client>,
    /// Headers every request carries (the builder's `default_header`).
    pub default_headers: Vec<(String, String)>,
    observer: Option<Observer>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("secrets", &Redacted(&self.secrets))
            .finish_non_exhaustive()
    }
}

/// Shows which credentials are set, never what they are.
struct Redacted<'a>(&'a [Option<String>]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|s| s.as_ref().map(|_| "<redacted>")))
            .finish()
    }
}

impl Settings {
    /// Sets the credential of the scheme in `slot`.
    pub fn set_secret(&mut self, slot: usize, secret: String) {
        if self.secrets.len() <= slot {
            self.secrets.resize(slot + 1, None);
        }
        self.secrets[slot] = Some(secret);
    }

    /// Calls `observer` with every response.
    pub fn set_observer(&mut self, observer: impl Fn(&Exchange<'_>) + Send + Sync + 'static) {
        self.observer = Some(Arc::new(observer));
    }

    /// The engine, failing when a credential or a setting cannot be sent or the HTTP
    /// client cannot be set up; `default_base_url` serves when no `base_url` was set.
    pub fn build<B>(
        self,
        profile: &'static Profile,
        default_base_url: impl FnOnce() -> String,
    ) -> Result<Engine, Error<B>> {
        let http = self.http_or_new(profile).map_err(Error::Http)?;
        let engine = self.with_http(profile, http, default_base_url);
        match engine.inner.refusal {
            Some(refusal) => Err(refusal.error()),
            None => Ok(engine),
        }
    }

    /// An engine that cannot fail to be built: a credential or setting problem is
    /// reported by every call, and an HTTP client that cannot be set up with these
    /// settings is replaced by reqwest's default one.
    pub fn build_or_default(
        self,
        profile: &'static Profile,
        default_base_url: impl FnOnce() -> String,
    ) -> Engine {
        let http = self.http_or_new(profile).unwrap_or_default();
        self.with_http(profile, http, default_base_url)
    }

    /// The HTTP client given, else one with the user agent and connect timeout that
    /// follows redirects only within the origin a request went to (none when the API's
    /// redirects are answers) and sends no `Referer`: a credential sent as a header or a
    /// query parameter never reaches another origin, which reqwest's own policy (it strips
    /// only `Authorization` and `Cookie`) would allow.
    fn http_or_new(&self, profile: &Profile) -> reqwest::Result<reqwest::Client> {
        if let Some(http) = &self.http {
            return Ok(http.clone());
        }
        let redirects = if profile.redirects_are_answers {
            reqwest::redirect::Policy::none()
        } else {
            reqwest::redirect::Policy::custom(same_origin_redirect)
        };
        reqwest::Client::builder()
            .user_agent(profile.user_agent)
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .redirect(redirects)
            .referer(false)
            .build()
    }

    fn with_http(
        self,
        profile: &'static Profile,
        http: reqwest::Client,
        default_base_url: impl FnOnce() -> String,
    ) -> Engine {
        let mut secrets = self.secrets;
        secrets.resize(profile.schemes.len(), None);
        for secret in secrets.iter_mut().flatten() {
            *secret = secret.trim().to_string();
        }
        let base_url = self.base_url.unwrap_or_else(default_base_url);
        let api_version = profile.api_version.map(|(header, default)| {
            (
                header,
                self.api_version.unwrap_or_else(|| default.to_string()),
            )
        });
        let (headers, header_refusal) = headers(self.default_headers, "default_header");
        let refusal = secrets
            .iter()
            .flatten()
            .find_map(|s| credential_problem(s))
            .map(Refusal::Credential)
            .or_else(|| {
                let (_, version) = api_version.as_ref()?;
                header_problem(version).map(|problem| Refusal::Setting {
                    setting: "api_version",
                    problem,
                })
            })
            .or(header_refusal)
            .or_else(|| base_url_problem(&base_url));
        let inner = Inner {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            refusal,
            secrets,
            profile,
            api_version,
            max_body_size: self.max_body_size.unwrap_or(DEFAULT_MAX_BODY_SIZE),
            observer: self.observer,
        };
        Engine {
            inner: Arc::new(inner),
            timeout: Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)),
            retry: self.retry.unwrap_or_else(profile.default_retry),
            headers: Arc::new(headers),
            header_refusal: None,
        }
    }
}

/// Why requests cannot be sent to `url`, if they cannot: it must be an absolute `http` or
/// `https` URL (a document without a server of its own, or with a relative one, gives none).
fn base_url_problem(url: &str) -> Option<Refusal> {
    let absolute = reqwest::Url::parse(url)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    (!absolute).then_some(Refusal::Setting {
        setting: "base_url",
        problem: "is not an absolute http(s) URL: the document names no server of its own, so set one with `ClientBuilder::base_url`",
    })
}

/// Headers as a request takes them, and why one cannot be sent (the first such; it is
/// left out).
fn headers(
    pairs: Vec<(String, String)>,
    setting: &'static str,
) -> (Vec<(HeaderName, HeaderValue)>, Option<Refusal>) {
    let mut out = Vec::with_capacity(pairs.len());
    let mut refusal = None;
    for (name, value) in pairs {
        match header(&name, &value) {
            Ok(pair) => out.push(pair),
            Err(problem) => refusal = refusal.or(Some(Refusal::Setting { setting, problem })),
        }
    }
    (out, refusal)
}

/// A header, or why it cannot be sent as given.
fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), &'static str> {
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| "names no valid header")?;
    if let Some(problem) = header_problem(value) {
        return Err(problem);
    }
    let value = HeaderValue::from_str(value).map_err(|_| CONTROL_CHARACTER)?;
    Ok((name, value))
}

/// A base URL given the way an SDK's environment variable usually gives it: when it has
/// no path (`https://api.example.com`), the path of the document's own server
/// (`https://api.example.com/v1` gives `/v1`) is added; a URL with a path is kept.
#[doc(hidden)]
pub fn base_url_with_path(url: &str, default: &str) -> String {
    fn path_of(url: &str) -> Option<&str> {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        rest.find('/').map(|at| &rest[at..])
    }
    let url = url.trim().trim_end_matches('/');
    match (path_of(url), path_of(default.trim_end_matches('/'))) {
        (None, Some(path)) => format!("{url}{path}"),
        _ => url.to_string(),
    }
}

/// What a header value cannot hold: the problem every refusal of one names.
const CONTROL_CHARACTER: &str = "contains a line break or another control character";

/// What makes a (trimmed) credential impossible to send, if anything.
fn credential_problem(secret: &str) -> Option<&'static str> {
    if secret.is_empty() {
        Some("is empty")
    } else if secret.chars().any(char::is_control) {
        Some(CONTROL_CHARACTER)
    } else {
        None
    }
}

/// What makes a value impossible to send as a header exactly as given, if anything: a
/// control character (a CR or LF would end the header, or start another one).
fn header_problem(value: &str) -> Option<&'static str> {
    value
        .chars()
        .any(char::is_control)
        .then_some(CONTROL_CHARACTER)
}

/// Why an engine refuses every call: a credential or a setting it was given cannot be
/// sent. The builder fails with it at once; a client that cannot fail to be built reports
/// it from every call, before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Credential(&'static str),
    Setting {
        setting: &'static str,
        problem: &'static str,
    },
}

impl Refusal {
    fn error<B>(self) -> Error<B> {
        match self {
            Refusal::Credential(problem) => Error::InvalidCredentials { problem },
            Refusal::Setting { setting, problem } => Error::InvalidSetting { setting, problem },
        }
    }
}

/// The most redirects a call follows (reqwest's own default).
const MAX_REDIRECTS: usize = 10;

/// The redirect policy of a client the engine builds: follow within the origin of the
/// first request, up to [`MAX_REDIRECTS`]; a redirect to another origin (another host,
/// port or scheme, `https` to `http` included) is not followed but returned as the
/// response, so the call fails with its 3XX status and `Location`.
fn same_origin_redirect(attempt: reqwest::redirect::Attempt<'_>) -> reqwest::redirect::Action {
    let first = attempt.previous().first().map(reqwest::Url::origin);
    if attempt.previous().len() > MAX_REDIRECTS {
        attempt.error(TooManyRedirects)
    } else if first.is_some_and(|origin| origin != attempt.url().origin()) {
        attempt.stop()
    } else {
        attempt.follow()
    }
}

/// A redirect chain longer than [`MAX_REDIRECTS`].
#[derive(Debug)]
struct TooManyRedirects;

impl fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "more than {MAX_REDIRECTS} redirects")
    }
}

impl std::error::Error for TooManyRedirects {}

/// Sends requests: a connection pool, credentials and per-call settings. Cheap to clone:
/// clones share the pool.
#[doc(hidden)]
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
    /// The limit of one attempt (`None`: only the retry policy's `max_elapsed`).
    timeout: Option<Duration>,
    retry: RetryPolicy,
    /// Headers every request of this engine carries, set last (they replace any of the
    /// same name): the builder's defaults and the `with_header` calls since.
    headers: Arc<Vec<(HeaderName, HeaderValue)>>,
    /// Why a header given to `with_header` cannot be sent: every call fails with it.
    header_refusal: Option<Refusal>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    secrets: Vec<Option<String>>,
    profile: &'static Profile,
    /// The version header and the version it names.
    api_version: Option<(&'static str, String)>,
    /// Why a credential or setting given to a constructor that cannot fail cannot be
    /// sent: every call fails with it (the builder fails at once instead).
    refusal: Option<Refusal>,
    max_body_size: usize,
    observer: Option<Observer>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("secrets", &Redacted(&self.inner.secrets))
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
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
#[doc(hidden)]
pub enum Failure {
    Transport(Box<TransportError>),
    /// A body over the size limit, with its status.
    TooLarge(u16),
    /// The request could not be built, so nothing was sent (and nothing is retried).
    Unsent(reqwest::Error),
}

/// How a call takes a success's body.
#[doc(hidden)]
pub trait Take {
    /// What the call returns.
    type Output: Send;

    /// Whether a status is the call's answer rather than an error: a 2XX.
    fn answers(status: reqwest::StatusCode) -> bool {
        status.is_success()
    }

    /// Takes the body of an answer.
    fn take(
        engine: &Engine,
        spec: &RequestSpec,
        attempt: u32,
        response: reqwest::Response,
    ) -> impl Future<Output = Result<Self::Output, Failure>> + Send;
}

/// The whole body, read within the size limit during the attempt, so that a failure
/// reading it is retried like any other.
#[doc(hidden)]
pub struct Whole;

impl Take for Whole {
    type Output = Received;

    fn take(
        engine: &Engine,
        spec: &RequestSpec,
        attempt: u32,
        response: reqwest::Response,
    ) -> impl Future<Output = Result<Received, Failure>> + Send {
        engine.receive(spec, attempt, response)
    }
}

/// A redirect (or a 2XX) as the answer; its body is not read.
#[doc(hidden)]
pub struct Redirected;

impl Take for Redirected {
    type Output = Redirect;

    fn answers(status: reqwest::StatusCode) -> bool {
        status.is_success() || status.is_redirection()
    }

    fn take(
        _: &Engine,
        _: &RequestSpec,
        _: u32,
        mut response: reqwest::Response,
    ) -> impl Future<Output = Result<Redirect, Failure>> + Send {
        let headers = std::mem::take(response.headers_mut());
        std::future::ready(Ok(Redirect::new(response.status().as_u16(), headers)))
    }
}

impl Engine {
    /// The URL every request path is appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// This engine with another timeout per attempt; it shares the connection pool.
    pub fn with_timeout(&self, timeout: Duration) -> Engine {
        Engine {
            timeout: Some(timeout),
            ..self.clone()
        }
    }

    /// This engine with another retry policy; it shares the connection pool.
    pub fn with_retry(&self, retry: RetryPolicy) -> Engine {
        Engine {
            retry,
            ..self.clone()
        }
    }

    /// This engine with one more header on every request (replacing one of the same
    /// name); it shares the connection pool. A header that cannot be sent makes every call
    /// of the copy fail with `Error::InvalidSetting`, before anything is sent.
    pub fn with_header(&self, name: &str, value: &str) -> Engine {
        let mut engine = self.clone();
        match header(name, value) {
            Ok((name, value)) => {
                let headers = Arc::make_mut(&mut engine.headers);
                headers.retain(|(n, _)| *n != name);
                headers.push((name, value));
            }
            Err(problem) => {
                engine.header_refusal = engine.header_refusal.or(Some(Refusal::Setting {
                    setting: "with_header",
                    problem,
                }))
            }
        }
        engine
    }

    /// Sends a request, retrying as the policy allows, and reads the whole response.
    /// Runs in a `request` span (operation, method, route, attempt, status) with an event
    /// per response and per retry.
    pub async fn execute<B: serde::de::DeserializeOwned>(
        &self,
        spec: RequestSpec,
    ) -> Result<Received, Error<B>> {
        self.execute_as::<Whole, B>(spec).await
    }

    /// Sends a request, retrying as the policy allows; `T` takes a success's body.
    pub async fn execute_as<T: Take, B: serde::de::DeserializeOwned>(
        &self,
        spec: RequestSpec,
    ) -> Result<T::Output, Error<B>> {
        use tracing::Instrument;
        if let Some(refusal) = self.inner.refusal.or(self.header_refusal) {
            return Err(refusal.error());
        }
        if let Some(refused) = spec.refused_header() {
            return Err(refused);
        }
        let span = tracing::debug_span!(
            "request",
            operation = spec.operation,
            method = %spec.method,
            route = spec.route,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.attempts::<T, B>(spec, span.clone())
            .instrument(span)
            .await
    }

    async fn attempts<T: Take, B: serde::de::DeserializeOwned>(
        &self,
        mut spec: RequestSpec,
        span: tracing::Span,
    ) -> Result<T::Output, Error<B>> {
        let policy = &self.retry;
        let idempotent = spec.method.is_idempotent();
        let started = Instant::now();
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
            let outcome = self
                .attempt::<T>(&spec, body.take(), attempt, budget, &span)
                .await;
            let wait = match &outcome {
                Outcome::Status(r) => policy.after_status(
                    r.status().as_u16(),
                    retry_after(r.headers()),
                    idempotent,
                    attempt,
                ),
                Outcome::Failed(Failure::Transport(e)) => {
                    policy.after_error(e.kind(), idempotent, attempt)
                }
                Outcome::Done(_) | Outcome::Failed(Failure::TooLarge(_) | Failure::Unsent(_)) => {
                    None
                }
            };
            match (wait, next_body) {
                (Some(wait), Some(next)) if policy.fits(started.elapsed(), wait) => {
                    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                    tracing::debug!(attempt, wait_ms, "retrying");
                    tokio::time::sleep(wait).await;
                    body = next;
                    attempt = attempt.saturating_add(1);
                }
                _ => return self.finish(outcome, &spec, attempt).await,
            }
        }
    }

    /// One attempt, limited by the per-attempt timeout and what is left of the call's
    /// budget; a success's body is taken here.
    async fn attempt<T: Take>(
        &self,
        spec: &RequestSpec,
        body: Option<Body>,
        attempt: u32,
        budget: Duration,
        span: &tracing::Span,
    ) -> Outcome<T::Output> {
        let limit = self
            .timeout
            .map_or(budget, |t| t.min(budget))
            .max(Duration::from_millis(1));
        let request = match self.request(spec, body).timeout(limit).build() {
            Ok(mut request) => {
                self.add_headers(&mut request);
                request
            }
            Err(e) => return Outcome::Failed(Failure::Unsent(e.without_url())),
        };
        let response = match self.inner.http.execute(request).await {
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
            observe(&Exchange {
                operation: spec.operation,
                method: &spec.method,
                route: spec.route,
                attempt,
                status,
                headers: response.headers(),
            });
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
    async fn receive(
        &self,
        spec: &RequestSpec,
        attempt: u32,
        mut response: reqwest::Response,
    ) -> Result<Received, Failure> {
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let expected = response.content_length();
        match read_body(response, self.inner.max_body_size).await {
            Ok(body) => Ok(Received {
                operation: spec.operation,
                status,
                headers,
                body,
            }),
            Err(BodyError::TooLarge) => Err(Failure::TooLarge(status)),
            Err(BodyError::Read { source, received }) => {
                let failure =
                    TransportError::in_body(spec.operation, status, expected, received, source);
                tracing::debug!(attempt, error = %failure, "reading the body failed");
                Err(Failure::Transport(Box::new(failure)))
            }
        }
    }

    /// The call's result from its last attempt's outcome: an error status's body is read
    /// only now.
    async fn finish<T, B: serde::de::DeserializeOwned>(
        &self,
        outcome: Outcome<T>,
        spec: &RequestSpec,
        attempts: u32,
    ) -> Result<T, Error<B>> {
        let failure = match outcome {
            Outcome::Done(taken) => return Ok(taken),
            Outcome::Status(response) => match self.receive(spec, attempts, response).await {
                Ok(received) => {
                    let error = ApiError::new(received, spec.own_errors, attempts);
                    return Err(Error::Api(Box::new(error)));
                }
                Err(failure) => failure,
            },
            Outcome::Failed(failure) => failure,
        };
        Err(match failure {
            Failure::Transport(e) => Error::Transport(Box::new(e.after_attempts(attempts))),
            Failure::Unsent(e) => Error::Http(e),
            Failure::TooLarge(status) => Error::BodyTooLarge {
                operation: spec.operation,
                status,
                limit: self.inner.max_body_size,
            },
        })
    }

    fn request(&self, spec: &RequestSpec, body: Option<Body>) -> reqwest::RequestBuilder {
        let url = format!("{}{}", self.inner.base_url, spec.path);
        let mut query = spec.query.clone();
        let mut request = self.inner.http.request(spec.method.clone(), url);
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        if let Some(accept) = spec.accept {
            request = request.header(reqwest::header::ACCEPT, accept);
        }
        for (name, value) in &spec.headers {
            request = request.header(*name, value);
        }
        if let Some((header, version)) = &self.inner.api_version {
            request = request.header(*header, version);
        }
        request = self.authenticate(request, &mut query, spec.security);
        if !query.is_empty() {
            request = request.query(&query);
        }
        match body {
            Some(body) => body.put_on(request),
            None => request,
        }
    }

    /// Puts the engine's own headers on a built request, each replacing any of its name.
    fn add_headers(&self, request: &mut reqwest::Request) {
        for (name, value) in self.headers.iter() {
            request.headers_mut().insert(name.clone(), value.clone());
        }
    }

    /// Sends the credentials of the first non-empty requirement all of whose credentials
    /// the client has; nothing when it has none (an operation that also accepts anonymous
    /// calls then goes out anonymous; one that does not gets the server's 401).
    fn authenticate(
        &self,
        mut request: reqwest::RequestBuilder,
        query: &mut Vec<(Cow<'static, str>, String)>,
        security: &[&[usize]],
    ) -> reqwest::RequestBuilder {
        let secrets = &self.inner.secrets;
        let has = |slot: usize| secrets.get(slot).is_some_and(Option::is_some);
        let chosen = security
            .iter()
            .find(|requirement| !requirement.is_empty() && requirement.iter().all(|&s| has(s)));
        for &slot in chosen.copied().unwrap_or_default() {
            let secret = secrets[slot].as_deref().unwrap_or_default();
            request = match self.inner.profile.schemes[slot] {
                Scheme::Bearer => request.bearer_auth(secret),
                Scheme::Basic => {
                    let (user, password) = secret.split_once(':').unwrap_or((secret, ""));
                    request.basic_auth(user, Some(password))
                }
                Scheme::Header(name) => request.header(name, secret),
                Scheme::Query(name) => {
                    query.push((name.into(), secret.to_string()));
                    request
                }
                Scheme::Cookie(name) => {
                    request.header(reqwest::header::COOKIE, format!("{name}={secret}"))
                }
            };
        }
        request
    }
}

/// One request, as an operation's builder describes it.
#[doc(hidden)]
pub struct RequestSpec {
    /// The spec's `operationId` and path template, for spans and observers.
    pub operation: &'static str,
    pub route: &'static str,
    /// Error statuses (`404`, `4XX`) whose body has a schema of its own rather than the
    /// API's common error body.
    pub own_errors: &'static [&'static str],
    pub method: reqwest::Method,
    pub path: String,
    pub query: Vec<(Cow<'static, str>, String)>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Body>,
    /// The media type the operation decodes, sent as `Accept`.
    pub accept: Option<&'static str>,
    /// The security requirements, any one of which the operation accepts: each the
    /// credential slots it sends together.
    pub security: &'static [&'static [usize]],
}

impl RequestSpec {
    /// The error for a header value that cannot be sent exactly as given (a header
    /// parameter, or a cookie parameter in the `Cookie` header), if there is one: such a
    /// request is refused before anything is sent.
    fn refused_header<B>(&self) -> Option<Error<B>> {
        self.headers.iter().find_map(|(name, value)| {
            header_problem(value).map(|problem| Error::InvalidInput {
                operation: self.operation,
                parameter: name,
                problem,
            })
        })
    }

    /// A body-less copy with one query parameter set to `value` (for the next page).
    pub fn with_query(&self, name: &'static str, value: String) -> RequestSpec {
        let mut spec = self.without_body();
        spec.query.retain(|(k, _)| k != name);
        spec.query.push((name.into(), value));
        spec
    }

    /// A body-less copy (for the first page of a walk).
    pub fn without_body(&self) -> RequestSpec {
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

/// A request body the client sends as given, for media types it does not encode itself
/// (such as `multipart/form-data`).
#[derive(Debug, Clone)]
pub struct RawBody {
    /// The `Content-Type` header, including any boundary parameter.
    pub content_type: String,
    /// The encoded body.
    pub bytes: Vec<u8>,
}

impl RawBody {
    /// A body of this media type.
    pub fn new(content_type: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        RawBody {
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }
}

/// A request body, encoded.
#[doc(hidden)]
pub enum Body {
    /// JSON, and the media type it is sent as.
    Json {
        bytes: Vec<u8>,
        media_type: &'static str,
    },
    Raw(RawBody),
    /// `application/x-www-form-urlencoded` pairs.
    Form(Vec<(String, String)>),
    Multipart(reqwest::multipart::Form),
}

impl Body {
    /// A copy for another attempt; a multipart body streams once and has none.
    fn try_clone(&self) -> Option<Body> {
        match self {
            Body::Json { bytes, media_type } => Some(Body::Json {
                bytes: bytes.clone(),
                media_type,
            }),
            Body::Raw(raw) => Some(Body::Raw(raw.clone())),
            Body::Form(pairs) => Some(Body::Form(pairs.clone())),
            Body::Multipart(_) => None,
        }
    }

    fn put_on(self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Body::Json { bytes, media_type } => request
                .header(reqwest::header::CONTENT_TYPE, media_type)
                .body(bytes),
            Body::Raw(raw) => request
                .header(reqwest::header::CONTENT_TYPE, raw.content_type)
                .body(raw.bytes),
            Body::Form(pairs) => request.form(&pairs),
            Body::Multipart(form) => request.multipart(form),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static PROFILE: Profile = Profile {
        schemes: &[
            Scheme::Bearer,
            Scheme::Query("key"),
            Scheme::Cookie("__session"),
        ],
        api_version: Some(("Api-Version", "2024-01-01")),
        user_agent: "test",
        redirects_are_answers: false,
        default_retry: RetryPolicy::default,
    };

    fn engine(settings: Settings) -> Engine {
        settings.build_or_default(&PROFILE, || "https://api.example.com/v1/".to_string())
    }

    fn spec(security: &'static [&'static [usize]]) -> RequestSpec {
        RequestSpec {
            operation: "op",
            route: "/things",
            own_errors: &[],
            method: reqwest::Method::GET,
            path: "/things".to_string(),
            query: vec![("limit".into(), "1".to_string())],
            headers: Vec::new(),
            body: None,
            accept: None,
            security,
        }
    }

    fn built(engine: &Engine, spec: &RequestSpec) -> reqwest::Request {
        let mut request = engine.request(spec, None).build().unwrap();
        engine.add_headers(&mut request);
        request
    }

    #[test]
    fn credentials_are_trimmed_and_problems_found() {
        let mut settings = Settings::default();
        settings.set_secret(0, "  sk_test \n".to_string());
        let e = engine(settings);
        assert_eq!(e.inner.secrets[0].as_deref(), Some("sk_test"));
        assert_eq!(e.inner.refusal, None);
        let mut settings = Settings::default();
        settings.set_secret(0, "sk\ntest".to_string());
        assert!(matches!(
            settings.build::<()>(&PROFILE, String::new),
            Err(Error::InvalidCredentials { .. })
        ));
    }

    #[test]
    fn the_first_complete_requirement_is_sent() {
        let mut settings = Settings::default();
        settings.set_secret(1, "k1".to_string());
        settings.set_secret(2, "c2".to_string());
        let e = engine(settings);
        // The bearer requirement is incomplete: the query and cookie pair goes.
        let request = built(&e, &spec(&[&[0], &[1, 2]]));
        assert_eq!(
            request.url().as_str(),
            "https://api.example.com/v1/things?limit=1&key=k1"
        );
        assert_eq!(request.headers()["cookie"], "__session=c2");
        assert!(request.headers().get("authorization").is_none());
        assert_eq!(request.headers()["api-version"], "2024-01-01");
        // No requirement it can meet: nothing is sent.
        let request = built(&e, &spec(&[&[0]]));
        assert!(request.headers().get("authorization").is_none());
    }

    #[test]
    fn the_version_header_can_be_overridden_and_the_base_url_replaced() {
        let mut settings = Settings::default();
        settings.set_secret(0, "sk".to_string());
        settings.api_version = Some("2025-01-01".to_string());
        settings.base_url = Some("http://localhost:1/".to_string());
        let e = engine(settings);
        let request = built(&e, &spec(&[&[0]]));
        assert_eq!(request.url().as_str(), "http://localhost:1/things?limit=1");
        assert_eq!(request.headers()["api-version"], "2025-01-01");
        assert_eq!(request.headers()["authorization"], "Bearer sk");
    }

    #[test]
    fn debug_never_shows_a_credential() {
        let mut settings = Settings::default();
        settings.set_secret(0, "sk_live_secret".to_string());
        assert!(!format!("{settings:?}").contains("sk_live"));
        assert!(!format!("{:?}", engine(settings)).contains("sk_live"));
    }

    #[test]
    fn a_next_page_copy_replaces_its_parameter() {
        let next = spec(&[]).with_query("limit", "2".to_string());
        assert_eq!(next.query, vec![("limit".into(), "2".to_string())]);
    }

    #[test]
    fn a_header_value_that_cannot_be_sent_as_given_is_refused_before_sending() {
        let mut refused = spec(&[]);
        refused.headers = vec![("X-Trace", "a\r\nX-Injected: 1".to_string())];
        let err = refused.refused_header::<()>().unwrap();
        assert_eq!(
            err.to_string(),
            "op: nothing was sent: the parameter `X-Trace` contains a line break or another control character"
        );
        let settings = Settings {
            api_version: Some("2025-01-01\r\nX-Injected: 1".to_string()),
            ..Settings::default()
        };
        assert!(matches!(
            settings.build::<()>(&PROFILE, String::new),
            Err(Error::InvalidSetting {
                setting: "api_version",
                ..
            })
        ));
    }

    proptest::proptest! {
        /// Any header value is either refused before sending or put on the request byte
        /// for byte.
        #[test]
        fn any_header_value_is_sent_exactly_or_refused(value in "\\PC*|[\\x00-\\x7f]{0,12}") {
            let mut one = spec(&[]);
            one.headers = vec![("X-Value", value.clone())];
            if one.refused_header::<()>().is_none() {
                let request = built(&engine(Settings::default()), &one);
                proptest::prop_assert_eq!(request.headers()["x-value"].as_bytes(), value.as_bytes());
            } else {
                proptest::prop_assert!(value.chars().any(char::is_control));
            }
        }

        /// Any query value comes back from the request's URL as it was given.
        #[test]
        fn any_query_value_round_trips(value in "\\PC*|[\\x00-\\x7f]{0,12}") {
            let mut one = spec(&[]);
            one.query = vec![("q".into(), value.clone())];
            let request = built(&engine(Settings::default()), &one);
            let pairs: Vec<(String, String)> = request.url().query_pairs().into_owned().collect();
            proptest::prop_assert_eq!(pairs, vec![("q".to_string(), value)]);
        }

        /// Any path parameter stays in its own segment, or is refused.
        #[test]
        fn any_path_parameter_stays_in_its_segment_or_is_refused(
            value in "\\PC*|[./%a-z\\x00-\\x20]{0,6}",
        ) {
            match encoding::path_segment::<()>("op", "id", &value) {
                Err(_) => proptest::prop_assert!(matches!(value.as_str(), "" | "." | "..")),
                Ok(segment) => {
                    let url = reqwest::Url::parse(&format!("https://api.example.com/v1/things/{segment}/notes"))
                        .expect("an encoded segment makes a URL");
                    let segments: Vec<&str> = url.path_segments().expect("a base").collect();
                    proptest::prop_assert_eq!(segments.len(), 4, "{}", url);
                    proptest::prop_assert_eq!(segments[3], "notes");
                    let decoded = percent_encoding::percent_decode_str(segments[2]).decode_utf8_lossy();
                    proptest::prop_assert_eq!(decoded.as_ref(), value.as_str());
                }
            }
        }
    }

    #[test]
    fn default_and_per_call_headers_replace_their_name_and_bad_ones_refuse_calls() {
        let settings = Settings {
            default_headers: vec![("X-Trace".into(), "default".into())],
            ..Settings::default()
        };
        let e = engine(settings);
        let request = built(&e, &spec(&[]));
        assert_eq!(request.headers()["x-trace"], "default");
        let per_call = e
            .with_header("X-Trace", "call")
            .with_header("Prefer", "code=404");
        let request = built(&per_call, &spec(&[]));
        assert_eq!(request.headers().get_all("x-trace").iter().count(), 1);
        assert_eq!(request.headers()["x-trace"], "call");
        assert_eq!(request.headers()["prefer"], "code=404");
        assert!(!format!("{per_call:?}").contains("code=404"));
        let broken = e.with_header("X-Trace", "a\r\nb");
        assert!(matches!(
            broken.header_refusal,
            Some(Refusal::Setting {
                setting: "with_header",
                ..
            })
        ));
        assert!(e.with_header("bad name", "x").header_refusal.is_some());
        let settings = Settings {
            default_headers: vec![("X".into(), "a\nb".into())],
            ..Settings::default()
        };
        assert!(matches!(
            settings.build::<()>(&PROFILE, String::new),
            Err(Error::InvalidSetting {
                setting: "default_header",
                ..
            })
        ));
    }

    #[test]
    fn a_base_url_without_a_path_takes_the_documents() {
        let default = "https://api.example.com/v1";
        assert_eq!(
            base_url_with_path("http://localhost:4010", default),
            "http://localhost:4010/v1"
        );
        assert_eq!(
            base_url_with_path("https://proxy.test/", default),
            "https://proxy.test/v1"
        );
        assert_eq!(
            base_url_with_path("https://proxy.test/api/v2", default),
            "https://proxy.test/api/v2"
        );
        assert_eq!(
            base_url_with_path("https://proxy.test", "https://api.example.com"),
            "https://proxy.test"
        );
    }
}
