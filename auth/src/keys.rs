//! The instance's public keys: from a PEM key (`CLERK_JWT_KEY`), or from a JSON Web Key Set
//! (the Backend API's `GET /jwks`, or the Frontend API's `/.well-known/jwks.json`). Only
//! RSA keys of 2048 to 8192 bits meant for signatures are kept.

use base64::Engine as _;
use ring::signature::{self, RsaPublicKeyComponents};

use crate::algorithm::Algorithm;
use crate::error::VerifyError;

/// The algorithm identifier of an RSA public key in a SubjectPublicKeyInfo (RFC 8017).
const RSA_ENCRYPTION: spki::ObjectIdentifier =
    spki::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The smallest RSA modulus accepted, in bytes (2048 bits).
const MIN_MODULUS_BYTES: usize = 256;

/// The largest RSA modulus accepted, in bytes (8192 bits).
const MAX_MODULUS_BYTES: usize = 1024;

/// An RSA public key of the instance, with the key id and algorithm its JWK declares.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    kid: Option<String>,
    /// The one algorithm the key is for, when its JWK says.
    alg: Option<Algorithm>,
    /// The modulus and exponent, big-endian, without leading zeros.
    n: Vec<u8>,
    e: Vec<u8>,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("bits", &(self.n.len() * 8))
            .finish()
    }
}

impl PublicKey {
    /// A PEM public key (`-----BEGIN PUBLIC KEY-----`, or PKCS#1's `BEGIN RSA PUBLIC KEY`),
    /// as the dashboard shows it. A key pasted into an environment file with its line
    /// breaks written as `\n` reads the same.
    pub fn from_pem(pem: &str) -> Result<PublicKey, VerifyError> {
        let not_a_key = VerifyError::InvalidKey("it is not a PEM RSA public key");
        let pem = pem.trim().replace("\\n", "\n");
        let (label, der) =
            pem_rfc7468::decode_vec(pem.as_bytes()).map_err(|_| not_a_key.clone())?;
        let pkcs1 = match label {
            "PUBLIC KEY" => {
                let info = spki::SubjectPublicKeyInfoRef::try_from(der.as_slice())
                    .map_err(|_| not_a_key.clone())?;
                if info.algorithm.oid != RSA_ENCRYPTION {
                    return Err(VerifyError::InvalidKey("the PEM key is not an RSA key"));
                }
                info.subject_public_key.raw_bytes().to_vec()
            }
            "RSA PUBLIC KEY" => der,
            _ => return Err(not_a_key),
        };
        let key = pkcs1::RsaPublicKey::try_from(pkcs1.as_slice()).map_err(|_| not_a_key)?;
        PublicKey::checked(
            None,
            None,
            key.modulus.as_bytes(),
            key.public_exponent.as_bytes(),
        )
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
                .map_err(|_| VerifyError::InvalidKey("a JWK's n or e is not base64url"))
        };
        let key = (|| {
            PublicKey::checked(
                jwk.kid.map(str::to_string),
                alg,
                &number(jwk.n)?,
                &number(jwk.e)?,
            )
        })();
        Some(key)
    }

    /// A key of 2048 to 8192 bits with an odd exponent of at least 3.
    fn checked(
        kid: Option<String>,
        alg: Option<Algorithm>,
        n: &[u8],
        e: &[u8],
    ) -> Result<PublicKey, VerifyError> {
        let strip = |bytes: &[u8]| {
            let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
            bytes[first..].to_vec()
        };
        let (n, e) = (strip(n), strip(e));
        if n.len() < MIN_MODULUS_BYTES {
            return Err(VerifyError::InvalidKey(
                "an RSA key is shorter than 2048 bits",
            ));
        }
        if n.len() > MAX_MODULUS_BYTES {
            return Err(VerifyError::InvalidKey(
                "an RSA key is longer than 8192 bits",
            ));
        }
        let odd = e.last().is_some_and(|b| b & 1 == 1);
        if !odd || e.len() > 4 || e == [1] {
            return Err(VerifyError::InvalidKey(
                "an RSA key's exponent is not usable",
            ));
        }
        Ok(PublicKey { kid, alg, n, e })
    }

    /// Whether `signature` is `algorithm`'s signature of `message` under this key.
    pub(crate) fn verifies(&self, algorithm: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        let params = match algorithm {
            Algorithm::Rs256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Algorithm::Rs384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Algorithm::Rs512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        };
        let key = RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        };
        key.verify(params, message, signature).is_ok()
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
