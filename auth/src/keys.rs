//! The instance's public keys: from a PEM key (`CLERK_JWT_KEY`), or from a JSON Web Key Set
//! (the Backend API's `GET /jwks`, or the Frontend API's `/.well-known/jwks.json`). Only
//! RSA keys of 2048 to 4096 bits meant for signatures are kept.

use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};

use crate::error::VerifyError;
use crate::jwt::Algorithm;

/// The smallest RSA modulus accepted, in bits.
const MIN_BITS: usize = 2048;

/// An RSA public key of the instance, with the key id and algorithm its JWK declares.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    kid: Option<String>,
    /// The one algorithm the key is for, when its JWK says.
    alg: Option<Algorithm>,
    rsa: RsaPublicKey,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("bits", &self.rsa.n().bits())
            .finish()
    }
}

impl PublicKey {
    /// A PEM public key (`-----BEGIN PUBLIC KEY-----`, or PKCS#1's `BEGIN RSA PUBLIC KEY`),
    /// as the dashboard shows it. A key pasted into an environment file with its line
    /// breaks written as `\n` reads the same.
    pub fn from_pem(pem: &str) -> Result<PublicKey, VerifyError> {
        let pem = pem.trim().replace("\\n", "\n");
        let rsa = RsaPublicKey::from_public_key_pem(&pem)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(&pem))
            .map_err(|_| VerifyError::InvalidKey("it is not a PEM RSA public key"))?;
        PublicKey::checked(None, None, rsa)
    }

    /// An RSA key of a JSON Web Key Set entry; `None` for an entry of another type or use,
    /// which the verifier skips.
    pub(crate) fn from_jwk(jwk: &Jwk<'_>) -> Option<Result<PublicKey, VerifyError>> {
        if jwk.kty != "RSA" || jwk.use_.is_some_and(|u| u != "sig") {
            return None;
        }
        let alg = match jwk.alg {
            None => None,
            Some(name) => Some(Algorithm::from_name(name)?),
        };
        let number = |text: &str| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(text.trim_end_matches('='))
                .map(|bytes| BigUint::from_bytes_be(&bytes))
                .map_err(|_| VerifyError::InvalidKey("a JWK's n or e is not base64url"))
        };
        let key = (|| {
            let rsa = RsaPublicKey::new(number(jwk.n)?, number(jwk.e)?)
                .map_err(|_| VerifyError::InvalidKey("a JWK is not a valid RSA public key"))?;
            PublicKey::checked(jwk.kid.map(str::to_string), alg, rsa)
        })();
        Some(key)
    }

    fn checked(
        kid: Option<String>,
        alg: Option<Algorithm>,
        rsa: RsaPublicKey,
    ) -> Result<PublicKey, VerifyError> {
        if rsa.n().bits() < MIN_BITS {
            return Err(VerifyError::InvalidKey(
                "an RSA key is shorter than 2048 bits",
            ));
        }
        Ok(PublicKey { kid, alg, rsa })
    }

    /// The key id its JWK gives.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Whether a token signed with `algorithm` may be checked with this key: any RSA
    /// algorithm, unless the key's JWK names one.
    pub(crate) fn allows(&self, algorithm: Algorithm) -> bool {
        self.alg.is_none_or(|alg| alg == algorithm)
    }

    pub(crate) fn rsa(&self) -> &RsaPublicKey {
        &self.rsa
    }
}

/// The fields of a JSON Web Key the verifier reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Jwk<'a> {
    pub kty: &'a str,
    pub kid: Option<&'a str>,
    pub alg: Option<&'a str>,
    pub use_: Option<&'a str>,
    pub n: &'a str,
    pub e: &'a str,
}

/// The usable keys of a JSON Web Key Set as JSON (`{"keys": [...]}`); entries of another
/// type are skipped. A set without one usable key is an error.
pub(crate) fn keys_of_json(set: &serde_json::Value) -> Result<Vec<PublicKey>, VerifyError> {
    let entries = set
        .get("keys")
        .and_then(serde_json::Value::as_array)
        .ok_or(VerifyError::InvalidKey("the key set has no `keys` list"))?;
    let jwks = entries.iter().filter_map(|entry| {
        let field = |name: &str| entry.get(name).and_then(serde_json::Value::as_str);
        Some(Jwk {
            kty: field("kty")?,
            kid: field("kid"),
            alg: field("alg"),
            use_: field("use"),
            n: field("n").unwrap_or(""),
            e: field("e").unwrap_or(""),
        })
    });
    usable(jwks)
}

/// The usable keys of JWKs: those that are RSA signing keys; an invalid one is skipped
/// when another is usable, and is the error when none is.
pub(crate) fn usable<'a>(
    jwks: impl Iterator<Item = Jwk<'a>>,
) -> Result<Vec<PublicKey>, VerifyError> {
    let mut keys = Vec::new();
    let mut problem = None;
    for result in jwks.filter_map(|jwk| PublicKey::from_jwk(&jwk)) {
        match result {
            Ok(key) => keys.push(key),
            Err(e) => problem = Some(e),
        }
    }
    match (keys.is_empty(), problem) {
        (false, _) => Ok(keys),
        (true, Some(problem)) => Err(problem),
        (true, None) => Err(VerifyError::InvalidKey(
            "the key set has no RSA signing key",
        )),
    }
}
