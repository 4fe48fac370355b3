//! The kinds of token a request can carry ([`TokenType`]); `classify` tells them apart.

use std::fmt;

/// A kind of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenType {
    /// A session's token: the `__session` cookie, or a bearer token from a frontend.
    SessionToken,
    /// A token minted from a JWT template: not a session token (it outlives its session's
    /// revocation), never accepted as one.
    JwtTemplate,
    /// An API key (`ak_...`).
    ApiKey,
    /// A machine-to-machine token (`mt_...`, or a JWT whose subject is a machine).
    M2mToken,
    /// An OAuth access token (`oat_...`, or a JWT of type `at+jwt`).
    OAuthToken,
}

impl TokenType {
    /// Clerk's name of the kind (`session_token`, `api_key`, `m2m_token`, `oauth_token`).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenType::SessionToken => "session_token",
            TokenType::JwtTemplate => "jwt_template",
            TokenType::ApiKey => "api_key",
            TokenType::M2mToken => "m2m_token",
            TokenType::OAuthToken => "oauth_token",
        }
    }

    /// Whether this is a machine's token (an API key, an M2M or OAuth token).
    pub fn is_machine(self) -> bool {
        matches!(
            self,
            TokenType::ApiKey | TokenType::M2mToken | TokenType::OAuthToken
        )
    }
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenType::SessionToken => "session token",
            TokenType::JwtTemplate => "JWT template's token",
            TokenType::ApiKey => "API key",
            TokenType::M2mToken => "M2M token",
            TokenType::OAuthToken => "OAuth access token",
        })
    }
}
