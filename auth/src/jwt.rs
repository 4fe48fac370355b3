//! A compact JWS taken apart: its header (algorithm, key id, type, Clerk's token category),
//! its claims as a JSON object, and its signature, checked with RS256, RS384 or RS512.
//!
//! Nothing here follows the token: `jku`, `x5u`, `x5c` and an embedded `jwk` are ignored
//! (the key always comes from the verifier's own source), `kid` is an opaque lookup key,
//! and a `crit` header is refused, since this verifier implements no extension.

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::algorithm::Algorithm;
use crate::error::{Untrusted, VerifyError};
use crate::keys::PublicKey;

/// The longest token the verifier reads: Clerk's session tokens are about 1 KB, and a JWT
/// template with many custom claims stays well under this.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Base64url without padding, strict: no `=`, no characters of another alphabet, no
/// non-zero trailing bits (one token, one encoding).
const BASE64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Clerk's token category (the `cat` header), where it marks one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Category {
    Session,
    JwtTemplate,
    M2mToken,
    /// Instances that stamp every token alike: it says nothing of the kind.
    Ignore,
    /// A category this verifier does not know: never a session token.
    Other,
}

impl Category {
    fn from_tag(tag: &str) -> Category {
        match tag {
            "cl_B7d4PD111AAA" => Category::Session,
            "cl_B7d4PD222AAA" => Category::JwtTemplate,
            "cl_B7d4PD333AAA" => Category::M2mToken,
            "cl_I7d4PD111III" => Category::Ignore,
            _ => Category::Other,
        }
    }
}

/// The header fields the verifier reads.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// The `alg`, as written (`None` when absent or not a string).
    pub alg: Option<String>,
    pub kid: Option<String>,
    pub typ: Option<String>,
    pub category: Option<Category>,
    /// Whether a `crit` header is present.
    pub critical: bool,
}

impl Header {
    fn read(object: &Map<String, Value>) -> Result<Header, VerifyError> {
        let text = |name: &'static str| match object.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(VerifyError::Malformed("a header field is not a string")),
        };
        Ok(Header {
            alg: object
                .get("alg")
                .and_then(Value::as_str)
                .map(str::to_string),
            kid: text("kid")?,
            typ: text("typ")?,
            category: text("cat")?.as_deref().map(Category::from_tag),
            critical: object.contains_key("crit"),
        })
    }

    /// The algorithm, if it is one a Clerk token may use.
    pub fn algorithm(&self) -> Result<Algorithm, VerifyError> {
        self.alg
            .as_deref()
            .and_then(Algorithm::from_name)
            .ok_or_else(|| VerifyError::Algorithm {
                alg: Untrusted::new(self.alg.as_deref().unwrap_or("")),
            })
    }

    /// Whether the header says the token is an OAuth access token (RFC 9068).
    pub fn is_access_token(&self) -> bool {
        matches!(self.typ.as_deref(), Some("at+jwt" | "application/at+jwt"))
    }
}

/// A decoded, not yet verified, JWT.
#[derive(Debug)]
pub(crate) struct Jwt<'t> {
    pub header: Header,
    pub claims: Map<String, Value>,
    /// `header.payload`, as it came: what the signature is over.
    signing_input: &'t str,
    signature: Vec<u8>,
}

impl<'t> Jwt<'t> {
    /// Takes a compact JWS apart. Checks the form only: the size, three base64url parts,
    /// JSON objects for the header and the claims.
    pub fn decode(token: &'t str) -> Result<Jwt<'t>, VerifyError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(VerifyError::TooLarge {
                len: token.len(),
                limit: MAX_TOKEN_BYTES,
            });
        }
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Malformed(
                "it is not three parts separated by dots",
            ));
        };
        let signing_input = &token[..header.len() + 1 + payload.len()];
        let header = object(header, "the header is not a base64url JSON object")?;
        let claims = object(payload, "the payload is not a base64url JSON object")?;
        let signature = BASE64URL
            .decode(signature)
            .map_err(|_| VerifyError::Malformed("the signature is not base64url"))?;
        if signature.is_empty() {
            return Err(VerifyError::Malformed("the signature is empty"));
        }
        Ok(Jwt {
            header: Header::read(&header)?,
            claims,
            signing_input,
            signature,
        })
    }

    /// Checks the signature under `key`: the algorithm must be one a Clerk token may use
    /// and the one the key is for.
    pub fn verify_signature(&self, key: &PublicKey) -> Result<(), VerifyError> {
        let algorithm = self.header.algorithm()?;
        if !key.allows(algorithm) {
            return Err(VerifyError::Algorithm {
                alg: Untrusted::new(self.header.alg.as_deref().unwrap_or("")),
            });
        }
        if key.verifies(algorithm, self.signing_input.as_bytes(), &self.signature) {
            Ok(())
        } else {
            Err(VerifyError::Signature)
        }
    }
}

/// A base64url part decoded as a JSON object.
fn object(part: &str, problem: &'static str) -> Result<Map<String, Value>, VerifyError> {
    let bytes = BASE64URL
        .decode(part)
        .map_err(|_| VerifyError::Malformed(problem))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(VerifyError::Malformed(problem)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(json: &str) -> String {
        BASE64URL.encode(json)
    }

    #[test]
    fn only_three_base64url_parts_of_json_objects_decode() {
        let good = format!("{}.{}.c2ln", part(r#"{"alg":"RS256"}"#), part("{}"));
        assert!(Jwt::decode(&good).is_ok());
        for bad in [
            String::new(),
            "a.b".to_string(),
            format!("{good}.extra"),
            format!("{}.{}.c2ln", part("[]"), part("{}")),
            format!("{}.{}.c2ln", part(r#"{"alg":"RS256"}"#), part("null")),
            format!("{}.{}.", part(r#"{"alg":"RS256"}"#), part("{}")),
            format!("{}=.{}.c2ln", part(r#"{"alg":"RS256"}"#), part("{}")),
            format!("{}.{}.c2ln", part(r#"{"alg":"RS256","kid":7}"#), part("{}")),
        ] {
            assert!(
                matches!(Jwt::decode(&bad), Err(VerifyError::Malformed(_))),
                "{bad}"
            );
        }
        let huge = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert!(matches!(
            Jwt::decode(&huge),
            Err(VerifyError::TooLarge { .. })
        ));
    }

    #[test]
    fn only_rsa_with_sha2_is_an_algorithm() {
        for name in ["RS256", "RS384", "RS512"] {
            assert!(Algorithm::from_name(name).is_some());
        }
        for name in [
            "none", "None", "", "HS256", "PS256", "ES256", "EdDSA", "rs256",
        ] {
            assert!(Algorithm::from_name(name).is_none(), "{name}");
        }
    }
}
