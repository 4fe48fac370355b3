//! Verifying webhook deliveries signed per Standard Webhooks
//! (<https://www.standardwebhooks.com>): the delivery's id, timestamp and body, signed
//! with HMAC-SHA256 under the endpoint's secret.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::models::Event;

/// The headers of a delivery, under their Standard Webhooks names and the `svix-` names
/// some senders use instead; the first present is read.
const ID_HEADERS: [&str; 2] = ["webhook-id", "svix-id"];
const TIMESTAMP_HEADERS: [&str; 2] = ["webhook-timestamp", "svix-timestamp"];
const SIGNATURE_HEADERS: [&str; 2] = ["webhook-signature", "svix-signature"];

/// The prefix of a secret as the dashboard shows it (`whsec_` then base64).
const SECRET_PREFIX: &str = "whsec_";

/// A delivery's headers, however the web framework holds them: an `http::HeaderMap`
/// (axum, hyper, reqwest) or name/value pairs (actix's `HeaderMap` iterates as pairs).
pub trait Headers {
    /// The value of the header `name` (lowercase), if present and text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl Headers for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.to_str().ok())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for [(K, V)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

/// Why a delivery was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is not `whsec_` followed by base64 (or bare base64).
    InvalidSecret,
    /// The environment variable holding the secret is not set.
    MissingSecret {
        /// The variable's name.
        var: String,
    },
    /// A header the scheme needs is absent (its Standard Webhooks name).
    MissingHeader(&'static str),
    /// The timestamp header is not a whole number of seconds.
    InvalidTimestamp,
    /// The delivery was signed longer ago than the tolerance allows (a replay, or a clock
    /// far behind).
    Expired {
        /// How long ago it was signed.
        age: Duration,
    },
    /// The delivery claims to be signed further in the future than the tolerance allows.
    FromTheFuture {
        /// How far ahead of this clock its timestamp is.
        ahead: Duration,
    },
    /// No signature in the header matches the body under this secret: the body was
    /// changed, or the secret is another endpoint's.
    InvalidSignature,
    /// The signature holds, but the body is not one of the events this crate knows the
    /// shape of (an unknown event type still decodes, into the enum's `Unknown`).
    Decode(serde_json::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::InvalidSecret => {
                f.write_str("the webhook secret is not `whsec_` followed by base64")
            }
            WebhookError::MissingSecret { var } => {
                write!(f, "the environment variable {var} holding the webhook secret is not set")
            }
            WebhookError::MissingHeader(name) => write!(f, "the delivery has no `{name}` header"),
            WebhookError::InvalidTimestamp => {
                f.write_str("the delivery's timestamp is not a number of seconds")
            }
            WebhookError::Expired { age } => write!(
                f,
                "the delivery was signed {}s ago, longer than the tolerance allows",
                age.as_secs()
            ),
            WebhookError::FromTheFuture { ahead } => write!(
                f,
                "the delivery's timestamp is {}s ahead of this clock, more than the tolerance allows",
                ahead.as_secs()
            ),
            WebhookError::InvalidSignature => {
                f.write_str("no signature of the delivery matches its body under this secret")
            }
            WebhookError::Decode(e) => write!(f, "the verified body does not decode: {e}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Decode(e) => Some(e),
            _ => None,
        }
    }
}

/// Verifies deliveries to one webhook endpoint, with that endpoint's signing secret (the
/// crate docs show it in a handler).
#[derive(Clone)]
pub struct Webhook {
    key: Vec<u8>,
    tolerance: Duration,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("key", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Webhook {
    /// How far a delivery's timestamp may be from this clock, either way, unless
    /// [`tolerance`](Self::tolerance) says otherwise: five minutes, as the scheme says.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

    /// A verifier for the endpoint whose signing secret is `secret` (`whsec_...`, as the
    /// dashboard shows it; the bare base64 is accepted too).
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.trim();
        let encoded = encoded.strip_prefix(SECRET_PREFIX).unwrap_or(encoded);
        let key = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| WebhookError::InvalidSecret)?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        Ok(Webhook {
            key,
            tolerance: Self::DEFAULT_TOLERANCE,
        })
    }

    /// A verifier whose secret is in the environment variable `var`.
    pub fn from_env_var(var: &str) -> Result<Self, WebhookError> {
        let secret = std::env::var(var).map_err(|_| WebhookError::MissingSecret {
            var: var.to_string(),
        })?;
        Webhook::new(&secret)
    }

    /// This verifier with another tolerance for the delivery's timestamp.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks a delivery's signature and timestamp, then decodes its body into the event
    /// enum. Give it the body exactly as received: re-encoded JSON no longer matches.
    pub fn verify<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Event, WebhookError> {
        self.verify_signature(headers, body)?;
        serde_json::from_slice(body).map_err(WebhookError::Decode)
    }

    /// Checks a delivery's signature and timestamp against this clock, without decoding it.
    pub fn verify_signature<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        self.verify_signature_at(headers, body, SystemTime::now())
    }

    /// Checks a delivery's signature, and its timestamp against `now`.
    pub fn verify_signature_at<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let id = header(headers, ID_HEADERS)?;
        let timestamp = header(headers, TIMESTAMP_HEADERS)?;
        let signatures = header(headers, SIGNATURE_HEADERS)?;
        let seconds: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::InvalidTimestamp)?;
        self.check_time(seconds, now)?;
        let mac = self.mac(id, seconds, body);
        // Each entry is `version,base64`; only `v1` (HMAC-SHA256) is this scheme's.
        let matches = signatures
            .split(' ')
            .filter_map(|entry| entry.split_once(','))
            .filter(|(version, _)| *version == "v1")
            .filter_map(|(_, encoded)| {
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .ok()
            })
            // `verify_slice` compares in constant time.
            .any(|signature| mac.clone().verify_slice(&signature).is_ok());
        if matches {
            Ok(())
        } else {
            Err(WebhookError::InvalidSignature)
        }
    }

    /// The signature header value (`v1,base64`) of a delivery with this id, timestamp
    /// (seconds since the Unix epoch) and body: for testing one's own handler.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let signature = self.mac(id, timestamp, body).finalize().into_bytes();
        format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(signature)
        )
    }

    /// The MAC over `id.timestamp.body`, the content the scheme signs.
    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    fn check_time(&self, seconds: i64, now: SystemTime) -> Result<(), WebhookError> {
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(_) => 0,
        };
        let skew = now.saturating_sub(seconds);
        let tolerance = self.tolerance.as_secs() as i64;
        if skew > tolerance {
            Err(WebhookError::Expired {
                age: Duration::from_secs(skew.unsigned_abs()),
            })
        } else if -skew > tolerance {
            Err(WebhookError::FromTheFuture {
                ahead: Duration::from_secs(skew.unsigned_abs()),
            })
        } else {
            Ok(())
        }
    }
}

/// The first of a header's names that the delivery carries.
fn header<'h, H: Headers + ?Sized>(
    headers: &'h H,
    names: [&'static str; 2],
) -> Result<&'h str, WebhookError> {
    names
        .iter()
        .find_map(|name| headers.header(name))
        .ok_or(WebhookError::MissingHeader(names[0]))
}
