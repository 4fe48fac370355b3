//! Machine tokens: API keys (`ak_`), M2M tokens (`mt_`) and OAuth access tokens (`oat_`)
//! verified by the Backend API (`verifyApiKey`, `verifyM2MToken`,
//! `verifyOAuthAccessToken`), and M2M and OAuth tokens in JWT form verified locally.
//!
//! Every failure is a refusal: the Backend API answering 401 (the secret key), 404 (no
//! such token), anything else or nothing in time; a token it reports revoked, expired or
//! inactive. Results can be cached for a short time, keyed by the token's SHA-256, never
//! the token itself.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::error::VerifyError;
use crate::token_type::TokenType;

/// A verified machine token: what it is, whose it is, and what it may do.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineAuth {
    pub(crate) token_type: TokenType,
    pub(crate) id: String,
    pub(crate) subject: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) claims: Option<Value>,
    pub(crate) name: Option<String>,
    pub(crate) client_id: Option<String>,
}

impl MachineAuth {
    /// What kind of machine token it is.
    pub fn token_type(&self) -> TokenType {
        self.token_type
    }

    /// The token's id (`ak_...`, `mt_...`, `oat_...`; a JWT's `jti`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whose token it is: a user (`user_...`), an organization (`org_...`) or a machine
    /// (`mch_...`).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The user it acts for, when its subject is a user.
    pub fn user_id(&self) -> Option<&str> {
        self.subject
            .starts_with("user_")
            .then_some(self.subject.as_str())
    }

    /// The organization it acts for, when its subject is one.
    pub fn org_id(&self) -> Option<&str> {
        self.subject
            .starts_with("org_")
            .then_some(self.subject.as_str())
    }

    /// The machine it is, when its subject is one.
    pub fn machine_id(&self) -> Option<&str> {
        self.subject
            .starts_with("mch_")
            .then_some(self.subject.as_str())
    }

    /// Its scopes.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Its custom claims, when it has any.
    pub fn claims(&self) -> Option<&Value> {
        self.claims.as_ref()
    }

    /// An API key's name.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The OAuth client an access token was issued to.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }
}

/// Verifies an opaque machine token with the Backend API.
pub(crate) async fn verify_opaque(
    client: &clerk::Client,
    token_type: TokenType,
    token: &str,
) -> Result<MachineAuth, VerifyError> {
    let refused = |e: clerk::Error| refusal(token_type, &e);
    match token_type {
        TokenType::ApiKey => {
            let key = client
                .api_keys()
                .verify_api_key(token)
                .await
                .map_err(refused)?;
            valid(token_type, key.revoked, key.expired)?;
            Ok(MachineAuth {
                token_type,
                id: key.id,
                subject: key.subject,
                scopes: key.scopes,
                claims: key.claims,
                name: Some(key.name),
                client_id: None,
            })
        }
        TokenType::M2mToken => {
            let m2m = client
                .m2m_tokens()
                .verify_m2m_token(token)
                .await
                .map_err(refused)?;
            valid(token_type, m2m.revoked, m2m.expired)?;
            Ok(MachineAuth {
                token_type,
                id: m2m.id,
                subject: m2m.subject,
                scopes: m2m.scopes.unwrap_or_default(),
                claims: m2m.claims,
                name: None,
                client_id: None,
            })
        }
        TokenType::OAuthToken => {
            use clerk::models::VerifyOAuthAccessTokenResponse as Answer;
            let answer = client
                .oauth_access_tokens()
                .verify_oauth_access_token()
                .access_token(token)
                .await
                .map_err(refused)?;
            let Answer::ClerkIdpOauthAccessToken(oauth) = answer else {
                // `{"active": false}`: an access token that is no longer valid.
                return Err(VerifyError::MachineTokenInvalid {
                    token_type,
                    problem: "the Backend API reports it inactive",
                });
            };
            valid(token_type, oauth.revoked, oauth.expired)?;
            Ok(MachineAuth {
                token_type,
                id: oauth.id,
                subject: oauth.subject,
                scopes: oauth.scopes,
                claims: None,
                name: None,
                client_id: Some(oauth.client_id),
            })
        }
        _ => Err(VerifyError::TokenTypeMismatch { found: token_type }),
    }
}

fn valid(token_type: TokenType, revoked: bool, expired: bool) -> Result<(), VerifyError> {
    match (revoked, expired) {
        (true, _) => Err(VerifyError::MachineTokenInvalid {
            token_type,
            problem: "it is revoked",
        }),
        (_, true) => Err(VerifyError::MachineTokenInvalid {
            token_type,
            problem: "it is expired",
        }),
        _ => Ok(()),
    }
}

/// The refusal for a Backend API call that did not verify the token.
fn refusal(token_type: TokenType, error: &clerk::Error) -> VerifyError {
    match error.status() {
        Some(401) => VerifyError::SecretKeyInvalid,
        Some(404) => VerifyError::MachineTokenInvalid {
            token_type,
            problem: "the Backend API does not know it",
        },
        _ => VerifyError::Unexpected {
            token_type,
            detail: error.to_string(),
        },
    }
}

/// A machine token in JWT form, verified locally: what its claims say.
pub(crate) fn from_jwt_claims(token_type: TokenType, claims: Map<String, Value>) -> MachineAuth {
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_string);
    let words = |name: &str| {
        text(name).map(|s| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
    };
    let scopes = match token_type {
        TokenType::OAuthToken => {
            crate::claims::strings(claims.get("scp")).or_else(|| words("scope"))
        }
        _ => words("scopes"),
    };
    let registered = ["iss", "sub", "exp", "nbf", "iat", "jti"];
    let custom: Map<String, Value> = claims
        .iter()
        .filter(|(k, _)| !registered.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    MachineAuth {
        token_type,
        id: text("jti").unwrap_or_default(),
        subject: text("sub").unwrap_or_default(),
        scopes: scopes.unwrap_or_default(),
        claims: (!custom.is_empty()).then_some(Value::Object(custom)),
        name: None,
        client_id: text("client_id"),
    }
}

/// Verified machine tokens, kept for a short time so that a token used for many requests
/// is checked with the Backend API once per period. Keyed by the token's SHA-256.
#[derive(Debug)]
pub(crate) struct MachineCache {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<[u8; 32], (Instant, MachineAuth)>>,
}

impl MachineCache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        MachineCache {
            ttl,
            capacity: capacity.max(1),
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn key(token: &str) -> [u8; 32] {
        let digest = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
        let mut key = [0u8; 32];
        key.copy_from_slice(digest.as_ref());
        key
    }

    pub fn get(&self, token: &str) -> Option<MachineAuth> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, auth) = entries.get(&Self::key(token))?;
        (at.elapsed() < self.ttl).then(|| auth.clone())
    }

    pub fn put(&self, token: &str, auth: &MachineAuth) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= self.capacity {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
        }
        if entries.len() < self.capacity {
            entries.insert(Self::key(token), (Instant::now(), auth.clone()));
        }
    }
}
