//! Who is calling, from a request's headers: the token from `Authorization: Bearer` or
//! from the session cookie, verified, as a [`RequestState`].
//!
//! Supported of Clerk's rules: a bearer token (the scheme in any case; other schemes are
//! no token); the `__session` and `__client_uat` cookies, under their names suffixed for
//! the instance (from the publishable key) when present, else the plain ones, read per RFC
//! 6265; the cookie checks that call for a handshake (a session cookie without
//! `__client_uat`, `__client_uat` without a session cookie, a token issued before
//! `__client_uat`, an expired or not yet valid token) on a request for a document (a GET
//! with `Sec-Fetch-Dest: document` or `iframe`, or without it and accepting `text/html`),
//! and signed-out with the same reason otherwise; token kinds a route does not accept are
//! refused with `token-type-mismatch`. Not supported: resolving a handshake (the nonce
//! Clerk's Frontend API sends back), development-instance browser tokens
//! (`__clerk_db_jwt`), satellite-domain syncing, refreshing an expired session with the
//! `__refresh` cookie, and organization syncing. A handshake state is reported with its
//! reason; the axum extractors answer it as signed out.

use http::{HeaderMap, Method};

use crate::classify::token_type;
use crate::error::VerifyError;
use crate::jwt::Jwt;
use crate::machine::MachineAuth;
use crate::session::Auth;
use crate::token_type::TokenType;
use crate::verifier::{Accepts, Caller, Verifier};

/// Why a request is signed out or needs a handshake, in Clerk's words.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// No token in the header, and no session cookie nor `__client_uat`.
    SessionTokenAndUatMissing,
    /// A machine-only route, and no token in the `Authorization` header.
    NoTokenInHeader,
    /// A session cookie, but no `__client_uat` (or `0`).
    SessionTokenWithoutClientUat,
    /// `__client_uat` says a session exists, but there is no session cookie.
    ClientUatWithoutSessionToken,
    /// The session cookie's token was issued before the client's last update.
    SessionTokenIatBeforeClientUat,
    /// The token did not verify.
    Token(VerifyError),
}

impl Reason {
    /// Clerk's reason string.
    pub fn as_str(&self) -> &'static str {
        match self {
            Reason::SessionTokenAndUatMissing => "session-token-and-uat-missing",
            Reason::NoTokenInHeader => "No token in header",
            Reason::SessionTokenWithoutClientUat => "session-token-but-no-client-uat",
            Reason::ClientUatWithoutSessionToken => "client-uat-but-no-session-token",
            Reason::SessionTokenIatBeforeClientUat => "session-token-iat-before-client-uat",
            Reason::Token(VerifyError::Expired { .. }) => "session-token-expired",
            Reason::Token(VerifyError::NotActiveYet { .. }) => "session-token-nbf",
            Reason::Token(VerifyError::IssuedInTheFuture { .. }) => {
                "session-token-iat-in-the-future"
            }
            Reason::Token(e) => e.reason(),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Token(e) => write!(f, "{e}"),
            other => f.write_str(other.as_str()),
        }
    }
}

/// What a request says of its caller.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
// Short-lived, matched at once: boxing the session would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum RequestState {
    /// A verified session.
    SignedIn(Auth),
    /// A verified machine token.
    Machine(MachineAuth),
    /// No caller: no token, or one that did not verify (the reason says which).
    SignedOut(Reason),
    /// Clerk's rules call for a handshake with the Frontend API before the session can be
    /// trusted (a document request whose session cookie is stale or inconsistent).
    Handshake(Reason),
}

impl RequestState {
    /// The session, when signed in.
    pub fn auth(&self) -> Option<&Auth> {
        match self {
            RequestState::SignedIn(auth) => Some(auth),
            _ => None,
        }
    }

    /// The machine, when one is calling.
    pub fn machine(&self) -> Option<&MachineAuth> {
        match self {
            RequestState::Machine(machine) => Some(machine),
            _ => None,
        }
    }

    /// Why there is no caller, when there is none.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            RequestState::SignedOut(reason) | RequestState::Handshake(reason) => Some(reason),
            _ => None,
        }
    }
}

/// The token of `Authorization: Bearer <token>` (the scheme in any case).
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The value of cookie `name` in the request's `Cookie` headers, per RFC 6265: pairs split
/// on `;`, the name before the first `=`, a quoted value unquoted; the first wins.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key.trim() == name).then(|| {
                let value = value.trim();
                value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value)
            })
        })
}

/// Whether a request asks for a document a browser navigates to: the only requests a
/// handshake (a redirect) can answer.
fn wants_document(method: &Method, headers: &HeaderMap) -> bool {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    *method == Method::GET
        && match header("sec-fetch-dest") {
            Some(dest) => dest == "document" || dest == "iframe",
            None => header("accept").is_some_and(|a| a.starts_with("text/html")),
        }
}

impl Verifier {
    /// Authenticates a request by its method and headers; `accepts` names the kinds of
    /// token the route takes (session tokens only, by default).
    pub async fn authenticate_request(
        &self,
        method: &Method,
        headers: &HeaderMap,
        accepts: Accepts,
    ) -> RequestState {
        if let Some(token) = bearer_token(headers) {
            return self.by_bearer_token(method, headers, token, accepts).await;
        }
        if !accepts.accepts(TokenType::SessionToken) {
            return RequestState::SignedOut(Reason::NoTokenInHeader);
        }
        self.by_session_cookie(method, headers).await
    }

    async fn by_bearer_token(
        &self,
        method: &Method,
        headers: &HeaderMap,
        token: &str,
        accepts: Accepts,
    ) -> RequestState {
        match self.verify(token, accepts).await {
            Ok(Caller::Session(auth)) => RequestState::SignedIn(auth),
            Ok(Caller::Machine(machine)) => RequestState::Machine(machine),
            Err(e) => self.refused(method, headers, Reason::Token(e)),
        }
    }

    async fn by_session_cookie(&self, method: &Method, headers: &HeaderMap) -> RequestState {
        let suffix = self.publishable_key().map(|pk| pk.cookie_suffix());
        let read = |name: &str| {
            suffix
                .as_ref()
                .and_then(|s| cookie(headers, &format!("{name}_{s}")))
                .or_else(|| cookie(headers, name))
        };
        let client_uat = read("__client_uat")
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|uat| *uat > 0);
        let session = read("__session").filter(|s| !s.is_empty());
        let token = match (session, client_uat) {
            (None, None) => return RequestState::SignedOut(Reason::SessionTokenAndUatMissing),
            (Some(_), None) => {
                return self.refused(method, headers, Reason::SessionTokenWithoutClientUat)
            }
            (None, Some(_)) => {
                return self.refused(method, headers, Reason::ClientUatWithoutSessionToken)
            }
            (Some(token), Some(_)) => token,
        };
        let kind = token_type(token);
        if kind != TokenType::SessionToken {
            return RequestState::SignedOut(Reason::Token(VerifyError::TokenTypeMismatch {
                found: kind,
            }));
        }
        let issued = Jwt::decode(token)
            .ok()
            .and_then(|jwt| jwt.claims.get("iat").and_then(serde_json::Value::as_i64));
        if let (Some(iat), Some(uat)) = (issued, client_uat) {
            if iat < uat {
                return self.refused(method, headers, Reason::SessionTokenIatBeforeClientUat);
            }
        }
        match self.verify_session(token).await {
            Ok(auth) => RequestState::SignedIn(auth),
            Err(e) => self.refused(method, headers, Reason::Token(e)),
        }
    }

    /// A handshake where Clerk's rules call for one and it can happen (a document request,
    /// and a publishable key to know the Frontend API by); signed out otherwise.
    fn refused(&self, method: &Method, headers: &HeaderMap, reason: Reason) -> RequestState {
        let handshake = matches!(
            reason,
            Reason::SessionTokenWithoutClientUat
                | Reason::ClientUatWithoutSessionToken
                | Reason::SessionTokenIatBeforeClientUat
                | Reason::Token(
                    VerifyError::Expired { .. }
                        | VerifyError::NotActiveYet { .. }
                        | VerifyError::IssuedInTheFuture { .. }
                )
        );
        if handshake && self.publishable_key().is_some() && wants_document(method, headers) {
            RequestState::Handshake(reason)
        } else {
            RequestState::SignedOut(reason)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_bearer_scheme_in_any_case_and_no_other() {
        for value in ["Bearer tok", "bearer tok", "BEARER  tok ", " Bearer tok"] {
            assert_eq!(
                bearer_token(&headers(&[("authorization", value)])),
                Some("tok"),
                "{value}"
            );
        }
        for value in ["Basic dTpw", "tok", "Bearer", "Bearer ", "Token tok"] {
            assert_eq!(
                bearer_token(&headers(&[("authorization", value)])),
                None,
                "{value}"
            );
        }
    }

    #[test]
    fn cookies_split_before_anything_else_and_the_first_wins() {
        let h = headers(&[
            ("cookie", "a=1; __session=\"tok\"; __session=second"),
            ("cookie", "__client_uat=5"),
        ]);
        assert_eq!(cookie(&h, "__session"), Some("tok"));
        assert_eq!(cookie(&h, "__client_uat"), Some("5"));
        assert_eq!(cookie(&h, "a"), Some("1"));
        // An encoded `;` does not split, and a value cannot smuggle another cookie.
        let h = headers(&[("cookie", "x=a%3B__session%3Devil; __session=real")]);
        assert_eq!(cookie(&h, "__session"), Some("real"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn documents_are_gets_for_a_page() {
        let get = Method::GET;
        assert!(wants_document(
            &get,
            &headers(&[("sec-fetch-dest", "document")])
        ));
        assert!(wants_document(
            &get,
            &headers(&[("accept", "text/html,application/xhtml+xml")])
        ));
        assert!(!wants_document(
            &get,
            &headers(&[("sec-fetch-dest", "empty"), ("accept", "text/html")])
        ));
        assert!(!wants_document(
            &Method::POST,
            &headers(&[("sec-fetch-dest", "document")])
        ));
        assert!(!wants_document(
            &get,
            &headers(&[("accept", "application/json")])
        ));
    }
}
