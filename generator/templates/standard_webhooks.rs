//! Verifying webhook deliveries signed per Standard Webhooks
//! (<https://www.standardwebhooks.com>): the delivery's id, timestamp and body, signed
//! with HMAC-SHA256 under the endpoint's secret.
//!
//! A signature and a timestamp within the tolerance prove who sent a delivery and that it
//! is recent, not that it is the first time it arrives: within the tolerance, a captured
//! delivery can be sent again, and senders retry a delivery (same id) until they get a
//! 2XX. Handle each delivery id once: [`Webhook::verify_delivery`] gives the id, and
//! [`RecentDeliveries`] remembers recent ones in memory (a database's unique key on the
//! id does the same across processes).

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::sync::{Mutex, PoisonError};
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
    /// A header the scheme needs is absent under both of its names: its Standard Webhooks
    /// name (`webhook-id`), which the message shows with the `svix-` name (`svix-id`).
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
    /// The signature holds, but the body is not a JSON object, or not one of the events
    /// this crate knows the shape of (an unknown event type still decodes, into the enum's
    /// `Unknown`).
    Decode {
        /// Where in the body the value is that does not match, as a path of keys and
        /// indices (`data.email_addresses[0].id`); empty at the top level.
        path: String,
        /// Why it does not decode.
        source: serde_json::Error,
    },
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
            WebhookError::MissingHeader(name) => match name.strip_prefix("webhook-") {
                Some(rest) => write!(f, "the delivery has no `{name}` (or `svix-{rest}`) header"),
                None => write!(f, "the delivery has no `{name}` header"),
            },
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
            WebhookError::Decode { path, .. } if path.is_empty() => {
                f.write_str("the verified body is not an event of this crate")
            }
            WebhookError::Decode { path, .. } => {
                write!(f, "the verified body is not an event of this crate at `{path}`")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Verifies deliveries to one webhook endpoint, with that endpoint's signing secret (the
/// crate docs show it in a handler).
#[derive(Clone)]
pub struct Webhook {
    /// The MAC keyed with the secret, before any input: cloned for each delivery.
    key: Hmac<Sha256>,
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
            key: Hmac::<Sha256>::new_from_slice(&key).map_err(|_| WebhookError::InvalidSecret)?,
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

    /// This verifier with another tolerance for the delivery's timestamp, either way
    /// (`Duration::MAX`: any time at all).
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
        decode(body)
    }

    /// [`verify`](Self::verify), keeping the delivery's id and timestamp beside the event:
    /// the id is what to deduplicate on ([`RecentDeliveries`], or a unique key of one's
    /// own), since a sender retries a delivery under the same id.
    pub fn verify_delivery<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Delivery, WebhookError> {
        let timestamp = self.verify_signature_at_checked(headers, body, SystemTime::now())?;
        Ok(Delivery {
            id: header(headers, ID_HEADERS)?.to_string(),
            timestamp,
            event: decode(body)?,
        })
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
        self.verify_signature_at_checked(headers, body, now)
            .map(drop)
    }

    /// Checks a delivery's signature and timestamp; returns the timestamp.
    fn verify_signature_at_checked<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<i64, WebhookError> {
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
            Ok(seconds)
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
        let mut mac = self.key.clone();
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// Whether `seconds` is within the tolerance of `now`, either way. In `i128`, so that
    /// no timestamp, clock or tolerance (`Duration::MAX` included) can overflow.
    fn check_time(&self, seconds: i64, now: SystemTime) -> Result<(), WebhookError> {
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(d) => i128::from(d.as_secs()),
            Err(before) => -i128::from(before.duration().as_secs()),
        };
        let skew = now - i128::from(seconds);
        let tolerance = i128::from(self.tolerance.as_secs());
        let apart = || Duration::from_secs(u64::try_from(skew.unsigned_abs()).unwrap_or(u64::MAX));
        if skew > tolerance {
            Err(WebhookError::Expired { age: apart() })
        } else if -skew > tolerance {
            Err(WebhookError::FromTheFuture { ahead: apart() })
        } else {
            Ok(())
        }
    }
}

/// A verified delivery: its id (what a retry of it repeats), its timestamp and its event.
#[derive(Debug)]
#[non_exhaustive]
pub struct Delivery {
    /// The delivery's id (`webhook-id`, or `svix-id`).
    pub id: String,
    /// When it was signed, in seconds since the Unix epoch.
    pub timestamp: i64,
    /// The event it carries.
    pub event: Event,
}

/// The ids of the deliveries handled most recently, in memory, to handle each once: a
/// replay (or a retry of a delivery that was handled) is seen, and can be answered with a
/// 2XX without handling it again. Remembers at most `capacity` ids, forgetting the oldest
/// first; size it to more than the deliveries one tolerance window brings.
///
/// Mark a delivery once it is handled, not before: a delivery whose handling failed is
/// retried by the sender under the same id, and must not be taken for a replay. The crate
/// docs show it in a handler.
#[derive(Debug)]
pub struct RecentDeliveries {
    capacity: usize,
    ids: Mutex<(HashSet<String>, VecDeque<String>)>,
}

impl RecentDeliveries {
    /// A memory of at most `capacity` delivery ids (at least one).
    pub fn new(capacity: usize) -> Self {
        RecentDeliveries {
            capacity: capacity.max(1),
            ids: Mutex::new((HashSet::new(), VecDeque::new())),
        }
    }

    /// Whether the delivery `id` was marked handled (and not forgotten since).
    pub fn contains(&self, id: &str) -> bool {
        let ids = self.ids.lock().unwrap_or_else(PoisonError::into_inner);
        ids.0.contains(id)
    }

    /// Marks the delivery `id` handled; `false` when it was already.
    pub fn insert(&self, id: &str) -> bool {
        let mut ids = self.ids.lock().unwrap_or_else(PoisonError::into_inner);
        let (set, order) = &mut *ids;
        if !set.insert(id.to_string()) {
            return false;
        }
        order.push_back(id.to_string());
        while order.len() > self.capacity {
            if let Some(oldest) = order.pop_front() {
                set.remove(&oldest);
            }
        }
        true
    }
}

/// A verified body as the event enum. Only a JSON object can be an event: `null`, a number
/// or a list is refused, where the enum's `Unknown` would otherwise take it.
fn decode(body: &[u8]) -> Result<Event, WebhookError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(WebhookError::Decode {
            path: String::new(),
            source: serde::de::Error::custom("the body is not a JSON object"),
        });
    }
    // The event enum is a tagged union: its error says where inside the event it is
    // ("at `data.id`: ...").
    serde_json::from_slice(body).map_err(|source| WebhookError::Decode {
        path: source
            .to_string()
            .strip_prefix("at `")
            .and_then(|rest| rest.split_once("`: "))
            .map(|(path, _)| path.to_string())
            .unwrap_or_default(),
        source,
    })
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
