//! Telling kinds of token apart before anything is verified, so that one kind is never
//! accepted as another.
//!
//! Opaque machine tokens carry a prefix (`ak_` API keys, `mt_` M2M tokens, `oat_` OAuth
//! access tokens). A JWT is an M2M token when its `sub` is a machine (`mch_`) or its `cat`
//! header says so, an OAuth access token when its header `typ` is `at+jwt`, a JWT template's
//! token when its `cat` header says so, and a session token otherwise.

use crate::jwt::{Category, Jwt};
use crate::token_type::TokenType;

/// How an opaque machine token's text starts.
const OPAQUE_PREFIXES: [(&str, TokenType); 3] = [
    ("mt_", TokenType::M2mToken),
    ("oat_", TokenType::OAuthToken),
    ("ak_", TokenType::ApiKey),
];

/// What kind of token `token` is, from its shape alone (nothing is verified): a prefix for
/// opaque machine tokens, and for a JWT its header and subject. A text that is neither is
/// a session token, for verification to refuse.
pub fn token_type(token: &str) -> TokenType {
    if let Some((_, kind)) = OPAQUE_PREFIXES.iter().find(|(p, _)| token.starts_with(p)) {
        return *kind;
    }
    match Jwt::decode(token) {
        Ok(jwt) => jwt_type(&jwt),
        Err(_) => TokenType::SessionToken,
    }
}

/// The kind of a decoded JWT.
pub(crate) fn jwt_type(jwt: &Jwt<'_>) -> TokenType {
    let machine_subject = jwt
        .claims
        .get("sub")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|sub| sub.starts_with("mch_"));
    if machine_subject || jwt.header.category == Some(Category::M2mToken) {
        TokenType::M2mToken
    } else if jwt.header.is_access_token() {
        TokenType::OAuthToken
    } else if jwt.header.category == Some(Category::JwtTemplate) {
        TokenType::JwtTemplate
    } else {
        TokenType::SessionToken
    }
}
