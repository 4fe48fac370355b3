//! The keys of one instance, fetched from its key endpoint and cached: one cache per
//! [`Verifier`](crate::Verifier), never shared between instances in a process.
//!
//! Keys are kept for a time to live (five minutes by default) and fetched again after it;
//! a fetch that fails then leaves the cached keys working. A token whose `kid` is not
//! cached makes one fetch, single-flight (concurrent verifications wait for the one fetch),
//! and no more often than a minimum interval, so that a flood of tokens with random `kid`s
//! costs at most one fetch per interval. A signature that does not match under a cached
//! key makes one fetch too (the instance may have rotated its key), within the same limit;
//! the cached key is replaced only by what a successful fetch returns.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::error::{Untrusted, VerifyError};
use crate::keys::{self, Jwk, PublicKey};

/// How long fetched keys are used before they are fetched again (Clerk's SDKs use five
/// minutes).
pub const DEFAULT_KEYS_TTL: Duration = Duration::from_secs(5 * 60);

/// The shortest time between two fetches of the keys, whatever tokens arrive.
pub const DEFAULT_MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(10);

/// The largest key set read from the Frontend API.
const MAX_KEY_SET_BYTES: usize = 256 * 1024;

/// Where an instance's keys are fetched from.
#[derive(Clone)]
pub(crate) enum KeyEndpoint {
    /// The Backend API's `GET /jwks`, with the secret key.
    Backend(clerk::Client),
    /// The Frontend API's public `/.well-known/jwks.json`.
    Frontend { http: reqwest::Client, url: String },
}

impl std::fmt::Debug for KeyEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyEndpoint::Backend(client) => write!(f, "Backend({})", client.base_url()),
            KeyEndpoint::Frontend { url, .. } => write!(f, "Frontend({url})"),
        }
    }
}

impl KeyEndpoint {
    async fn fetch(&self) -> Result<Vec<PublicKey>, VerifyError> {
        match self {
            KeyEndpoint::Backend(client) => fetch_backend(client).await,
            KeyEndpoint::Frontend { http, url } => fetch_frontend(http, url).await,
        }
    }
}

async fn fetch_backend(client: &clerk::Client) -> Result<Vec<PublicKey>, VerifyError> {
    use clerk::models::JwksKeysItem;
    let set = match client.jwks().get_jwks().await {
        Ok(set) => set,
        Err(e) if matches!(e.status(), Some(401 | 403)) => {
            return Err(VerifyError::SecretKeyInvalid)
        }
        Err(e) => return Err(VerifyError::KeysUnavailable(e.to_string())),
    };
    let entries = set.keys.unwrap_or_default();
    let jwks = entries.iter().filter_map(|entry| match entry {
        JwksKeysItem::JwksRsaPublicKey(k) => Some(Jwk {
            kty: "RSA",
            kid: Some(&k.kid),
            alg: Some(&k.alg),
            use_: Some(&k.r#use),
            n: &k.n,
            e: &k.e,
        }),
        _ => None,
    });
    keys::usable(jwks)
}

async fn fetch_frontend(http: &reqwest::Client, url: &str) -> Result<Vec<PublicKey>, VerifyError> {
    let unavailable = |what: &str| VerifyError::KeysUnavailable(format!("{url}: {what}"));
    let mut response = http
        .get(url)
        .send()
        .await
        .map_err(|e| unavailable(&e.without_url().to_string()))?;
    if !response.status().is_success() {
        return Err(unavailable(&format!("answered {}", response.status())));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| unavailable(&e.without_url().to_string()))?
    {
        if body.len().saturating_add(chunk.len()) > MAX_KEY_SET_BYTES {
            return Err(unavailable("the key set is too large"));
        }
        body.extend_from_slice(&chunk);
    }
    let set: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| unavailable("the key set is not JSON"))?;
    keys::keys_of_json(&set)
}

/// What the cache holds.
#[derive(Default)]
struct State {
    keys: Vec<Arc<PublicKey>>,
    /// When the keys were last fetched successfully.
    fetched_at: Option<Instant>,
    /// When a fetch was last started.
    attempted_at: Option<Instant>,
    /// Counts fetches that finished: a waiter whose fetch someone else made sees it move.
    generation: u64,
}

/// The cached keys of one instance.
#[derive(Debug)]
pub(crate) struct KeyCache {
    endpoint: KeyEndpoint,
    ttl: Duration,
    min_interval: Duration,
    state: Mutex<State>,
    /// Held while fetching: one fetch at a time.
    fetching: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("keys", &self.keys.len())
            .field("generation", &self.generation)
            .finish()
    }
}

/// What a lookup found.
struct Found {
    key: Option<Arc<PublicKey>>,
    fresh: bool,
    generation: u64,
}

impl KeyCache {
    pub fn new(endpoint: KeyEndpoint, ttl: Duration, min_interval: Duration) -> Self {
        KeyCache {
            endpoint,
            ttl,
            min_interval,
            state: Mutex::new(State::default()),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lookup(&self, kid: &str) -> Found {
        let state = self.state();
        Found {
            key: state.keys.iter().find(|k| k.kid() == Some(kid)).cloned(),
            fresh: state.fetched_at.is_some_and(|at| at.elapsed() < self.ttl),
            generation: state.generation,
        }
    }

    /// The key with id `kid`: cached, or fetched as the module docs say.
    pub async fn key(&self, kid: &str) -> Result<Arc<PublicKey>, VerifyError> {
        let found = self.lookup(kid);
        match found.key {
            Some(key) if found.fresh => Ok(key),
            // Stale: fetch again, but a failed fetch leaves the cached key working.
            Some(key) => {
                let _ = self.refresh(found.generation).await;
                Ok(self.lookup(kid).key.unwrap_or(key))
            }
            None => {
                let fetched = self.refresh(found.generation).await;
                match (self.lookup(kid).key, fetched) {
                    (Some(key), _) => Ok(key),
                    (None, Err(Refresh::Failed(e))) => Err(e),
                    (None, _) => Err(VerifyError::KidMismatch {
                        kid: Untrusted::new(kid),
                    }),
                }
            }
        }
    }

    /// After a signature did not match under `stale`: the key the endpoint now gives for
    /// its `kid`, if a fetch is allowed and gives another.
    pub async fn rotated(&self, stale: &PublicKey) -> Option<Arc<PublicKey>> {
        let kid = stale.kid()?;
        let generation = self.lookup(kid).generation;
        self.refresh(generation).await.ok()?;
        self.lookup(kid).key.filter(|key| **key != *stale)
    }

    /// Fetches the keys, unless another fetch finished since `generation` was seen (its
    /// keys serve) or one started less than the minimum interval ago.
    async fn refresh(&self, generation: u64) -> Result<(), Refresh> {
        let _one_at_a_time = self.fetching.lock().await;
        {
            let mut state = self.state();
            if state.generation != generation {
                return Ok(());
            }
            if state
                .attempted_at
                .is_some_and(|at| at.elapsed() < self.min_interval)
            {
                return Err(Refresh::TooSoon);
            }
            state.attempted_at = Some(Instant::now());
        }
        let fetched = self.endpoint.fetch().await;
        let mut state = self.state();
        state.generation = state.generation.wrapping_add(1);
        match fetched {
            Ok(keys) => {
                tracing::debug!(keys = keys.len(), endpoint = ?self.endpoint, "fetched the instance's keys");
                state.keys = keys.into_iter().map(Arc::new).collect();
                state.fetched_at = Some(Instant::now());
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, endpoint = ?self.endpoint, "fetching the instance's keys failed");
                Err(Refresh::Failed(e))
            }
        }
    }
}

/// Why no fetch brought keys.
enum Refresh {
    /// The last fetch started less than the minimum interval ago.
    TooSoon,
    Failed(VerifyError),
}
