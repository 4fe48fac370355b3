//! Who is calling? Verify Clerk session and machine tokens in a Rust service.
//!
//! A [`Verifier`] holds one instance's keys and what the service expects of its tokens,
//! and answers for a token ([`Verifier::verify_session`], [`Verifier::verify_machine`],
//! [`Verifier::verify`]) or for a whole request ([`Verifier::authenticate_request`]: the
//! bearer token or the session cookie). [`Auth`] is the verified session (user, session,
//! organization, role and permissions, features, plans, factor ages, raw and custom
//! claims), and [`Auth::has`] checks a [`Requirement`], failing closed. With the `axum`
//! feature (on by default), [`axum::ClerkLayer`] and the extractors do it per request.
//!
//! ```no_run
//! # async fn run(token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! // CLERK_SECRET_KEY (keys from the Backend API), or CLERK_JWT_KEY (no network at all),
//! // or CLERK_PUBLISHABLE_KEY alone (keys from the Frontend API); the publishable key also
//! // gives the issuer tokens must carry.
//! let verifier = clerk_auth::VerifierBuilder::from_env()
//!     .authorized_parties(["https://app.example.com"])
//!     .build()?;
//! let auth = verifier.verify_session(token).await?;
//! println!("{} in {:?}", auth.user_id(), auth.org_id());
//! if auth.has(&clerk_auth::Requirement::permission("org:invoices:read")) { /* ... */ }
//! # Ok(())
//! # }
//! ```
//!
//! # What is checked
//!
//! In this order, and each failure is a [`VerifyError`] whose
//! [`reason`](VerifyError::reason) is Clerk's own string:
//! 1. the form: at most [`MAX_TOKEN_BYTES`], three base64url parts, JSON objects;
//! 2. the kind: a JWT template's token, an M2M JWT (`sub` starting `mch_`, or its `cat`)
//!    and an OAuth access token (`typ: at+jwt`) are never session tokens, nor the reverse;
//! 3. the header: `alg` is RS256, RS384 or RS512 (`none`, HS*, PS*, ES* are refused), no
//!    `crit`, a `typ` the kind may have; `jku`, `x5u`, `x5c` and `jwk` are never followed;
//! 4. the signature, under the instance's key for the token's `kid`, before any claim is
//!    trusted (a key whose JWK names another algorithm is refused);
//! 5. the claims: `sub`; `exp`, `nbf`, `iat` as whole seconds within the clock skew
//!    (default 5 s; a time of the wrong JSON type is an error); `azp` among the authorized
//!    parties when the service names any (missing or empty fails); `iss` exactly the
//!    instance's issuer (the publishable key's Frontend API origin, or
//!    [`VerifierBuilder::issuer`]); `aud` only when [`VerifierBuilder::audiences`] asks;
//! 6. the session's status: `pending` is refused unless
//!    [`VerifierBuilder::accept_pending_sessions`].
//!
//! # Keys
//!
//! From a PEM key (no network), the Backend API's `GET /jwks` (secret key) or the Frontend
//! API's public `/.well-known/jwks.json` (publishable key alone). Fetched keys are cached
//! per verifier for five minutes; an unknown `kid` fetches once (single-flight) and no more
//! often than every 10 s; a signature that fails under a cached key fetches once more (a
//! rotated key); when the endpoint is down, cached keys keep working.
//!
//! # Machine tokens
//!
//! API keys (`ak_`), M2M tokens (`mt_`) and OAuth access tokens (`oat_`) are verified by
//! the Backend API with the secret key; M2M and OAuth tokens in JWT form are verified
//! locally (their `azp` and `iss` are not checked; their `aud` is when the verifier asks).
//! A 401, a 404, a revoked, expired or inactive token, or no answer within
//! [`VerifierBuilder::backend_timeout`] refuses the token.
//!
//! Nothing here logs, formats or keeps a token or a secret: errors carry at most short
//! pieces of a token's claims (`azp`, `iss`, `kid`), and `Debug` shows keys as
//! `<redacted>`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod algorithm;
mod authorization;
mod claims;
mod classify;
mod clock;
mod error;
mod jwt;
mod key_cache;
mod keys;
mod machine;
pub mod publishable_key;
mod request;
mod scopes;
mod session;
mod token_type;
mod verifier;

#[cfg(feature = "axum")]
pub mod axum;

pub use algorithm::Algorithm;
pub use authorization::{Level, Requirement, Reverification};
pub use classify::token_type;
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Untrusted, VerifyError};
pub use jwt::MAX_TOKEN_BYTES;
pub use key_cache::{DEFAULT_KEYS_TTL, DEFAULT_MIN_REFRESH_INTERVAL};
pub use keys::PublicKey;
pub use machine::MachineAuth;
pub use publishable_key::PublishableKey;
pub use request::{bearer_token, cookie, Reason, RequestState};
pub use scopes::Scoped;
pub use session::{Actor, Auth, Organization, SessionStatus};
pub use token_type::TokenType;
pub use verifier::{
    env, Accepts, Caller, ConfigError, Verifier, VerifierBuilder, DEFAULT_BACKEND_TIMEOUT,
    DEFAULT_CLOCK_SKEW,
};

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
