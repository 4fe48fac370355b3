//! The [`Verifier`]: one instance's keys and expectations, and the verification of its
//! session and machine tokens. Build one per instance and share it (it is cheap to clone):
//! its key cache is its own, so a token of another instance never verifies under it.

use std::sync::Arc;
use std::time::Duration;

use crate::claims::{self, Expected};
use crate::classify::{jwt_type, token_type};
use crate::clock::{Clock, SystemClock};
use crate::error::VerifyError;
use crate::jwt::{Category, Jwt};
use crate::key_cache::{KeyCache, KeyEndpoint, DEFAULT_KEYS_TTL, DEFAULT_MIN_REFRESH_INTERVAL};
use crate::keys::PublicKey;
use crate::machine::{self, MachineAuth, MachineCache};
use crate::publishable_key::{InvalidPublishableKey, PublishableKey};
use crate::session::{Auth, SessionStatus};
use crate::token_type::TokenType;

/// The clock skew allowed by default, either way, on `exp`, `nbf` and `iat`.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(5);

/// How long a call to the Backend API verifying a machine token may take by default.
pub const DEFAULT_BACKEND_TIMEOUT: Duration = Duration::from_secs(5);

/// The environment variables [`VerifierBuilder::from_env`] reads.
pub mod env {
    /// The instance's PEM public key: verification with no network at all.
    pub const JWT_KEY: &str = "CLERK_JWT_KEY";
    /// The secret key: the Backend API's keys and machine tokens.
    pub const SECRET_KEY: &str = "CLERK_SECRET_KEY";
    /// The publishable key: the issuer, the Frontend API's keys, the cookie suffix.
    pub const PUBLISHABLE_KEY: &str = "CLERK_PUBLISHABLE_KEY";
    /// Another Backend API URL (a proxy, a mock), as Clerk's SDKs take it:
    /// `https://api.clerk.com`, the version path (`/v1`) added when it has none.
    pub const API_URL: &str = "CLERK_API_URL";
}

/// Which kinds of token a route accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepts(u8);

impl Accepts {
    /// Session tokens only: the default.
    pub const SESSION: Accepts = Accepts(1);
    /// Machine tokens only: API keys, M2M and OAuth access tokens.
    pub const MACHINES: Accepts = Accepts(2 | 4 | 8);
    /// Session and machine tokens.
    pub const ANY: Accepts = Accepts(1 | 2 | 4 | 8);

    fn bit(kind: TokenType) -> u8 {
        match kind {
            TokenType::SessionToken => 1,
            TokenType::ApiKey => 2,
            TokenType::M2mToken => 4,
            TokenType::OAuthToken => 8,
            // A JWT template's token is accepted by no route.
            _ => 0,
        }
    }

    /// Exactly these kinds.
    pub fn only(kinds: &[TokenType]) -> Accepts {
        Accepts(kinds.iter().fold(0, |bits, kind| bits | Self::bit(*kind)))
    }

    /// Whether `kind` is accepted.
    pub fn accepts(self, kind: TokenType) -> bool {
        self.0 & Self::bit(kind) != 0
    }
}

impl Default for Accepts {
    fn default() -> Self {
        Accepts::SESSION
    }
}

/// Who a verified token says is calling.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
// Short-lived, matched at once: boxing the session would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Caller {
    /// A user, in a session.
    Session(Auth),
    /// A machine, or a user's API key or OAuth token.
    Machine(MachineAuth),
}

/// Why a verifier cannot be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No way to get the instance's keys: no PEM key, secret key or publishable key.
    #[error("no key source: set CLERK_JWT_KEY, CLERK_SECRET_KEY or CLERK_PUBLISHABLE_KEY")]
    NoKeySource,
    /// The publishable key does not read.
    #[error("CLERK_PUBLISHABLE_KEY: {0}")]
    PublishableKey(#[from] InvalidPublishableKey),
    /// The PEM key does not read.
    #[error("CLERK_JWT_KEY: {0}")]
    JwtKey(VerifyError),
    /// The Backend API client cannot be built with the secret key or URL given.
    #[error("the Backend API client: {0}")]
    Backend(String),
}

/// Builds a [`Verifier`].
#[must_use]
pub struct VerifierBuilder {
    jwt_key: Option<String>,
    secret_key: Option<String>,
    publishable_key: Option<String>,
    api_url: Option<String>,
    backend: Option<clerk::Client>,
    frontend_keys: bool,
    frontend_api_url: Option<String>,
    issuer: Option<String>,
    expected: Expected,
    skew: Duration,
    clock: Arc<dyn Clock>,
    accept_pending: bool,
    keys_ttl: Duration,
    min_refresh: Duration,
    backend_timeout: Duration,
    machine_cache: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl std::fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("jwt_key", &self.jwt_key.is_some())
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("publishable_key", &self.publishable_key)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl Default for VerifierBuilder {
    fn default() -> Self {
        VerifierBuilder {
            jwt_key: None,
            secret_key: None,
            publishable_key: None,
            api_url: None,
            backend: None,
            frontend_keys: false,
            frontend_api_url: None,
            issuer: None,
            expected: Expected::default(),
            skew: DEFAULT_CLOCK_SKEW,
            clock: Arc::new(SystemClock),
            accept_pending: false,
            keys_ttl: DEFAULT_KEYS_TTL,
            min_refresh: DEFAULT_MIN_REFRESH_INTERVAL,
            backend_timeout: DEFAULT_BACKEND_TIMEOUT,
            machine_cache: None,
            http: None,
        }
    }
}

impl VerifierBuilder {
    /// A builder with what the environment sets ([`env`](mod@env)): the PEM key, the secret key,
    /// the publishable key and the Backend API URL, each where it is set and not blank.
    pub fn from_env() -> Self {
        let var = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        VerifierBuilder {
            jwt_key: var(env::JWT_KEY),
            secret_key: var(env::SECRET_KEY),
            publishable_key: var(env::PUBLISHABLE_KEY),
            api_url: var(env::API_URL),
            ..VerifierBuilder::default()
        }
    }

    /// The instance's PEM public key (the dashboard's "JWT public key"): tokens are
    /// verified with no network call at all.
    pub fn jwt_key(mut self, pem: impl Into<String>) -> Self {
        self.jwt_key = Some(pem.into());
        self
    }

    /// The secret key: the keys come from the Backend API (unless a PEM key is set), and
    /// machine tokens can be verified.
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// The publishable key: the issuer tokens must carry (its Frontend API origin), the
    /// cookie names' suffix, and the Frontend API's public keys when neither a PEM key nor
    /// a secret key is set.
    pub fn publishable_key(mut self, key: impl Into<String>) -> Self {
        self.publishable_key = Some(key.into());
        self
    }

    /// Another Backend API URL (default: the `clerk` crate's), as Clerk's SDKs take it: a
    /// URL without a path (`https://api.clerk.com`) gets the API's version path, `/v1`.
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = Some(url.into());
        self
    }

    /// A Backend API client of one's own (its base URL, timeouts, HTTP client); the
    /// secret key is then its own.
    pub fn backend(mut self, client: clerk::Client) -> Self {
        self.backend = Some(client);
        self
    }

    /// Takes the keys from the Frontend API's public key set even when a secret key is
    /// set (the secret key then only serves machine tokens).
    pub fn keys_from_frontend_api(mut self) -> Self {
        self.frontend_keys = true;
        self
    }

    /// Where the Frontend API's public keys are fetched (`<url>/.well-known/jwks.json`),
    /// instead of the publishable key's host: a proxy, a mock.
    pub fn frontend_api_url(mut self, url: impl Into<String>) -> Self {
        self.frontend_api_url = Some(url.into());
        self
    }

    /// The issuer tokens must carry, exactly (default: the publishable key's Frontend API
    /// origin): for a proxy or a satellite domain.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// The origins a session token may be minted for (`azp`); with any set, a token
    /// without one of them is refused.
    pub fn authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expected.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// The audiences a token's `aud` must name one of; without any, `aud` is not looked
    /// at.
    pub fn audiences<I, S>(mut self, audiences: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expected.audiences = audiences.into_iter().map(Into::into).collect();
        self
    }

    /// The clock skew allowed on `exp`, `nbf` and `iat`, either way (default 5 s; zero is
    /// none).
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.skew = skew;
        self
    }

    /// Another clock (a [`FixedClock`](crate::FixedClock) in tests).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Accepts sessions whose status is `pending` as signed in.
    pub fn accept_pending_sessions(mut self) -> Self {
        self.accept_pending = true;
        self
    }

    /// How long fetched keys are used before fetching them again (default five minutes).
    pub fn keys_ttl(mut self, ttl: Duration) -> Self {
        self.keys_ttl = ttl;
        self
    }

    /// The shortest time between two fetches of the keys (default 10 s).
    pub fn min_refresh_interval(mut self, interval: Duration) -> Self {
        self.min_refresh = interval;
        self
    }

    /// How long a Backend API call verifying a machine token may take, retries included
    /// (default 5 s); past it the token is refused.
    pub fn backend_timeout(mut self, timeout: Duration) -> Self {
        self.backend_timeout = timeout;
        self
    }

    /// Keeps verified machine tokens for `ttl`, so that the Backend API checks a token
    /// once per period (default: every time). A revoked token stays accepted until its
    /// entry expires.
    pub fn cache_machine_tokens(mut self, ttl: Duration) -> Self {
        self.machine_cache = Some(ttl);
        self
    }

    /// The HTTP client that fetches the Frontend API's keys.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The verifier.
    pub fn build(self) -> Result<Verifier, ConfigError> {
        let publishable_key = self
            .publishable_key
            .as_deref()
            .map(PublishableKey::parse)
            .transpose()?;
        let backend = self.backend_client()?;
        let keys = self.key_source(backend.as_ref(), publishable_key.as_ref())?;
        let mut expected = self.expected;
        expected.issuer = self.issuer.or_else(|| {
            publishable_key
                .as_ref()
                .map(PublishableKey::frontend_api_url)
        });
        expected.skew = i64::try_from(self.skew.as_secs()).unwrap_or(i64::MAX);
        let limit = self.backend_timeout;
        let machines = backend.map(|client| {
            client.with_timeout(limit).with_retry(clerk::RetryPolicy {
                max_elapsed: limit,
                max_attempts: Some(2),
                ..clerk::Client::default_retry_policy()
            })
        });
        Ok(Verifier {
            inner: Arc::new(Inner {
                keys,
                expected,
                clock: self.clock,
                accept_pending: self.accept_pending,
                backend: machines,
                publishable_key,
                machine_cache: self.machine_cache.map(|ttl| MachineCache::new(ttl, 10_000)),
            }),
        })
    }

    fn backend_client(&self) -> Result<Option<clerk::Client>, ConfigError> {
        if let Some(client) = &self.backend {
            return Ok(Some(client.clone()));
        }
        let Some(secret) = &self.secret_key else {
            return Ok(None);
        };
        let mut builder = clerk::Client::builder().secret_key(secret.clone());
        if let Some(url) = &self.api_url {
            builder = builder.base_url(clerkgen_runtime::engine::base_url_with_path(
                url,
                clerk::DEFAULT_BASE_URL,
            ));
        }
        builder
            .build()
            .map(Some)
            .map_err(|e| ConfigError::Backend(e.to_string()))
    }

    fn key_source(
        &self,
        backend: Option<&clerk::Client>,
        publishable_key: Option<&PublishableKey>,
    ) -> Result<Keys, ConfigError> {
        if let Some(pem) = &self.jwt_key {
            let key = PublicKey::from_pem(pem).map_err(ConfigError::JwtKey)?;
            return Ok(Keys::Pem(Arc::new(key)));
        }
        let frontend = || {
            let origin = self
                .frontend_api_url
                .clone()
                .or_else(|| publishable_key.map(PublishableKey::frontend_api_url))?;
            Some(KeyEndpoint::Frontend {
                http: self.http.clone().unwrap_or_else(default_http),
                url: format!("{}/.well-known/jwks.json", origin.trim_end_matches('/')),
            })
        };
        let endpoint = match (backend, self.frontend_keys) {
            (Some(client), false) => Some(KeyEndpoint::Backend(
                client
                    .with_timeout(Duration::from_secs(5))
                    .with_retry(clerk::RetryPolicy {
                        max_elapsed: Duration::from_secs(10),
                        ..clerk::Client::default_retry_policy()
                    }),
            )),
            _ => frontend(),
        };
        let endpoint = endpoint.ok_or(ConfigError::NoKeySource)?;
        Ok(Keys::Remote(Box::new(KeyCache::new(
            endpoint,
            self.keys_ttl,
            self.min_refresh,
        ))))
    }
}

/// An HTTP client for the Frontend API's keys: bounded in time, following no redirect.
fn default_http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

/// Where the verifier's keys come from.
#[derive(Debug)]
enum Keys {
    /// One PEM key, whatever the `kid`.
    Pem(Arc<PublicKey>),
    /// A key endpoint, cached.
    Remote(Box<KeyCache>),
}

/// Verifies one instance's tokens. Cheap to clone: clones share the key cache.
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    keys: Keys,
    expected: Expected,
    clock: Arc<dyn Clock>,
    accept_pending: bool,
    /// The Backend API, for machine tokens (with their timeout).
    backend: Option<clerk::Client>,
    publishable_key: Option<PublishableKey>,
    machine_cache: Option<MachineCache>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Verifier")
            .field("keys", &inner.keys)
            .field("issuer", &inner.expected.issuer)
            .field("authorized_parties", &inner.expected.authorized_parties)
            .field(
                "backend",
                &inner.backend.as_ref().map(clerk::Client::base_url),
            )
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// Configures a verifier.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder::default()
    }

    /// A verifier from the environment ([`env`](mod@env)); use [`VerifierBuilder::from_env`] to add
    /// authorized parties and the rest.
    pub fn from_env() -> Result<Verifier, ConfigError> {
        VerifierBuilder::from_env().build()
    }

    /// The publishable key, when one is set.
    pub fn publishable_key(&self) -> Option<&PublishableKey> {
        self.inner.publishable_key.as_ref()
    }

    /// Verifies a session token: its form, its kind (not a JWT template's, machine or
    /// OAuth token), its algorithm and signature under the instance's key, then its claims
    /// (times, authorized party, issuer, audience when asked). A pending session is
    /// refused unless the builder accepts them.
    pub async fn verify_session(&self, token: &str) -> Result<Auth, VerifyError> {
        let jwt = Jwt::decode(token)?;
        let kind = jwt_type(&jwt);
        if kind != TokenType::SessionToken {
            return Err(VerifyError::TokenTypeMismatch { found: kind });
        }
        check_header(&jwt, &[None, Some("JWT")])?;
        self.check_signature(&jwt).await?;
        claims::check(&jwt.claims, &self.inner.expected, self.inner.clock.now())?;
        let auth = Auth::from_claims(jwt.claims);
        if auth.session_status() == Some(&SessionStatus::Pending) && !self.inner.accept_pending {
            return Err(VerifyError::SessionPending);
        }
        Ok(auth)
    }

    /// Verifies a machine token: an opaque one with the Backend API, a JWT one locally
    /// (its signature under the instance's key, its times, and its audience when the
    /// verifier asks for one).
    pub async fn verify_machine(&self, token: &str) -> Result<MachineAuth, VerifyError> {
        let kind = token_type(token);
        if !kind.is_machine() {
            return Err(VerifyError::TokenTypeMismatch { found: kind });
        }
        if let Some(hit) = self.inner.machine_cache.as_ref().and_then(|c| c.get(token)) {
            return Ok(hit);
        }
        let verified = match Jwt::decode(token) {
            Ok(jwt) => self.verify_machine_jwt(jwt, kind).await?,
            Err(_) => {
                let backend = self
                    .inner
                    .backend
                    .as_ref()
                    .ok_or(VerifyError::NoSecretKey)?;
                machine::verify_opaque(backend, kind, token).await?
            }
        };
        if let Some(cache) = &self.inner.machine_cache {
            cache.put(token, &verified);
        }
        Ok(verified)
    }

    /// Verifies a token of any kind `accepts` allows; another kind is refused with
    /// `token-type-mismatch` before anything else is done.
    pub async fn verify(&self, token: &str, accepts: Accepts) -> Result<Caller, VerifyError> {
        let kind = token_type(token);
        if !accepts.accepts(kind) {
            return Err(VerifyError::TokenTypeMismatch { found: kind });
        }
        if kind.is_machine() {
            self.verify_machine(token).await.map(Caller::Machine)
        } else {
            self.verify_session(token).await.map(Caller::Session)
        }
    }

    async fn verify_machine_jwt(
        &self,
        jwt: Jwt<'_>,
        kind: TokenType,
    ) -> Result<MachineAuth, VerifyError> {
        match kind {
            TokenType::M2mToken => {
                if jwt.header.category.is_some_and(|c| c != Category::M2mToken) {
                    return Err(VerifyError::Malformed("an M2M token of another category"));
                }
                check_header(&jwt, &[None, Some("JWT")])?;
            }
            _ => check_header(&jwt, &[Some("at+jwt"), Some("application/at+jwt")])?,
        }
        self.check_signature(&jwt).await?;
        let expected = &self.inner.expected;
        claims::text(&jwt.claims, "sub")?.ok_or(VerifyError::Claim {
            claim: "sub",
            expected: "string",
        })?;
        claims::check_times(&jwt.claims, self.inner.clock.now(), expected.skew)?;
        claims::check_audience(&jwt.claims, &expected.audiences)?;
        Ok(machine::from_jwt_claims(kind, jwt.claims))
    }

    /// Checks the signature under the instance's key for the token's `kid`; under a
    /// cached key that does not match, once more under the key the endpoint gives now.
    async fn check_signature(&self, jwt: &Jwt<'_>) -> Result<(), VerifyError> {
        jwt.header.algorithm()?;
        match &self.inner.keys {
            Keys::Pem(key) => jwt.verify_signature(key),
            Keys::Remote(cache) => {
                let kid = jwt.header.kid.as_deref().unwrap_or("");
                let key = cache.key(kid).await?;
                match jwt.verify_signature(&key) {
                    Err(VerifyError::Signature) => match cache.rotated(&key).await {
                        Some(rotated) => jwt.verify_signature(&rotated),
                        None => Err(VerifyError::Signature),
                    },
                    other => other,
                }
            }
        }
    }
}

/// The header checks before any key is looked up: no `crit`, and a `typ` this kind of
/// token may have.
fn check_header(jwt: &Jwt<'_>, types: &[Option<&str>]) -> Result<(), VerifyError> {
    if jwt.header.critical {
        return Err(VerifyError::Critical);
    }
    let typ = jwt.header.typ.as_deref();
    if !types.contains(&typ) {
        return Err(VerifyError::HeaderType {
            typ: crate::error::Untrusted::new(typ.unwrap_or("")),
        });
    }
    jwt.header.algorithm().map(drop)
}
