//! Why a token was refused: [`VerifyError`], a typed enum whose [`reason`](VerifyError::reason)
//! strings are Clerk's own (`token-expired`, `jwk-kid-mismatch`, ...), so that logs read the
//! same across stacks. No error holds a token or a key; values read from an untrusted token
//! (its `azp`, `iss`, `kid`, `alg`) are kept short.

use std::fmt;

use crate::token_type::TokenType;

/// The longest text from a token an error keeps (an `azp`, a `kid`, ...).
const SHOWN_CHARS: usize = 64;

/// Text from an untrusted token, cut to 64 characters for an error.
#[derive(Clone, PartialEq, Eq)]
pub struct Untrusted(String);

impl Untrusted {
    pub(crate) fn new(text: &str) -> Self {
        let mut shown: String = text.chars().take(SHOWN_CHARS).collect();
        if shown.len() < text.len() {
            shown.push('…');
        }
        Untrusted(shown)
    }

    /// The text, cut short.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Untrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Untrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Debug's quoting escapes control characters: a log line stays one line.
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Why a token was not accepted. Each variant's [`reason`](Self::reason) is the string
/// Clerk's SDKs give the same failure; [`Display`](fmt::Display) says it in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a JWT: not three base64url parts, a header or payload that is not a JSON
    /// object, or a signature that does not decode.
    #[error("the token is not a well-formed JWT: {0}")]
    Malformed(&'static str),
    /// Longer than any Clerk token (the limit is [`MAX_TOKEN_BYTES`](crate::MAX_TOKEN_BYTES)).
    #[error("the token is {len} bytes, more than the {limit} a token may have")]
    TooLarge {
        /// The token's length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// An `alg` other than RS256, RS384 and RS512 (`none`, HS*, PS*, ES*, ...), or one the
    /// key is not for.
    #[error("the token's algorithm {alg} is not accepted (RS256, RS384, RS512 with an RSA key)")]
    Algorithm {
        /// The header's `alg`.
        alg: Untrusted,
    },
    /// A `crit` header naming extensions this verifier does not implement.
    #[error("the token names critical header extensions this verifier does not implement")]
    Critical,
    /// A header `typ` this kind of token does not have (a session token is `JWT` or has
    /// none; an OAuth access token is `at+jwt`).
    #[error("the token's type {typ} is not the expected one")]
    HeaderType {
        /// The header's `typ`.
        typ: Untrusted,
    },
    /// The signature does not match under the instance's key.
    #[error("the token's signature is invalid")]
    Signature,
    /// A claim is missing or of the wrong JSON type (a time claim as a string, say).
    #[error("the token's `{claim}` claim is missing or not a {expected}")]
    Claim {
        /// The claim's name.
        claim: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// `exp` is past (beyond the clock skew).
    #[error("the token expired at {exp} (now {now}, allowing {skew} s of clock skew)")]
    Expired {
        /// The token's `exp`, in seconds since the Unix epoch.
        exp: i64,
        /// The verifier's clock.
        now: i64,
        /// The clock skew allowed, in seconds.
        skew: i64,
    },
    /// `nbf` is in the future (beyond the clock skew).
    #[error("the token is not valid before {nbf} (now {now}, allowing {skew} s of clock skew)")]
    NotActiveYet {
        /// The token's `nbf`.
        nbf: i64,
        /// The verifier's clock.
        now: i64,
        /// The clock skew allowed, in seconds.
        skew: i64,
    },
    /// `iat` is in the future (beyond the clock skew).
    #[error(
        "the token was issued at {iat}, in the future (now {now}, allowing {skew} s of clock skew)"
    )]
    IssuedInTheFuture {
        /// The token's `iat`.
        iat: i64,
        /// The verifier's clock.
        now: i64,
        /// The clock skew allowed, in seconds.
        skew: i64,
    },
    /// `azp` is missing, empty, or not one of the service's authorized parties.
    #[error("the token's authorized party {azp:?} is not one of this service's")]
    AuthorizedParty {
        /// The token's `azp`, if it has one.
        azp: Option<Untrusted>,
    },
    /// `iss` is not the instance's issuer (its Frontend API origin, or the one configured).
    #[error("the token's issuer {iss:?} is not this instance's")]
    Issuer {
        /// The token's `iss`, if it has one.
        iss: Option<Untrusted>,
    },
    /// `aud` does not name any audience the service accepts.
    #[error("the token's audience is not one this service accepts")]
    Audience,
    /// A token of another kind than the route accepts (a JWT template's token, a machine
    /// token, or an OAuth access token where a session token is expected, and the
    /// reverse).
    #[error("a {found} is not accepted here")]
    TokenTypeMismatch {
        /// What the token is.
        found: TokenType,
    },
    /// No key of the instance has the token's `kid`, even after fetching the keys again.
    #[error("no key of this instance has the token's kid {kid}")]
    KidMismatch {
        /// The token's `kid`.
        kid: Untrusted,
    },
    /// The verifier has no way to get a key: no PEM key, secret key or publishable key.
    #[error(
        "no key to verify with: set a PEM key (CLERK_JWT_KEY), a secret key or a publishable key"
    )]
    NoKeySource,
    /// The configured PEM key, or a key the instance publishes, is not a usable RSA public
    /// key (2048 to 4096 bits).
    #[error("the verification key is not usable: {0}")]
    InvalidKey(&'static str),
    /// The instance's keys could not be fetched, and none is cached for this token.
    #[error("the instance's keys could not be loaded: {0}")]
    KeysUnavailable(String),
    /// The Backend API refused the secret key.
    #[error("the Backend API refused the secret key")]
    SecretKeyInvalid,
    /// An opaque machine token, and no secret key to verify it with.
    #[error("machine tokens are verified with the Backend API: set the secret key")]
    NoSecretKey,
    /// A valid token of a session whose status is `pending` (a task left, such as choosing
    /// an organization): signed out unless the verifier accepts pending sessions.
    #[error("the session is pending")]
    SessionPending,
    /// A machine token the Backend API does not know, or reports revoked or expired.
    #[error("the {token_type} is not valid: {problem}")]
    MachineTokenInvalid {
        /// What kind of machine token.
        token_type: TokenType,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The Backend API could not answer (a timeout, a 5XX, an unexpected answer): the
    /// token is refused, not trusted.
    #[error("the {token_type} could not be verified: {detail}")]
    Unexpected {
        /// What kind of token.
        token_type: TokenType,
        /// What went wrong (never the token).
        detail: String,
    },
}

impl VerifyError {
    /// Clerk's reason string for this failure, as its SDKs log and return it.
    pub fn reason(&self) -> &'static str {
        match self {
            VerifyError::Malformed(_)
            | VerifyError::TooLarge { .. }
            | VerifyError::Critical
            | VerifyError::HeaderType { .. }
            | VerifyError::MachineTokenInvalid { .. } => "token-invalid",
            VerifyError::Algorithm { .. } => "token-invalid-algorithm",
            VerifyError::Signature => "token-invalid-signature",
            VerifyError::Claim { .. } | VerifyError::Audience => "token-verification-failed",
            VerifyError::Expired { .. } => "token-expired",
            VerifyError::NotActiveYet { .. } => "token-not-active-yet",
            VerifyError::IssuedInTheFuture { .. } => "token-iat-in-the-future",
            VerifyError::AuthorizedParty { .. } => "token-invalid-authorized-parties",
            // None of Clerk's SDKs checks the issuer; the string follows their pattern.
            VerifyError::Issuer { .. } => "token-invalid-issuer",
            VerifyError::TokenTypeMismatch { .. } => "token-type-mismatch",
            VerifyError::KidMismatch { .. } => "jwk-kid-mismatch",
            VerifyError::NoKeySource => "jwk-failed-to-resolve",
            VerifyError::InvalidKey(_) => "jwk-remote-invalid",
            VerifyError::KeysUnavailable(_) => "jwk-remote-failed-to-load",
            VerifyError::SecretKeyInvalid | VerifyError::NoSecretKey => "secret-key-invalid",
            // Clerk's SDKs turn a pending session signed-out without a reason string.
            VerifyError::SessionPending => "session-pending",
            VerifyError::Unexpected { .. } => "unexpected-error",
        }
    }
}
