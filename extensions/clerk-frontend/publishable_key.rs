//! Publishable keys: which Frontend API an instance's key names, and a client for it.
//!
//! A publishable key (`pk_test_…` for a development instance, `pk_live_…` for a
//! production one) is neither a secret nor a credential: it is public, shipped in every
//! browser bundle, and it names the instance's Frontend API host (base64 of the host and a
//! trailing `$`). Requests are authenticated by a session's own tokens, set on the builder
//! (`dev_browser`, `production_browser`, or `production_native_app` with
//! `production_native_flag`).
//!
//! ```no_run
//! # async fn run() -> clerk_frontend::Result<()> {
//! // Reads `CLERK_PUBLISHABLE_KEY` and calls the Frontend API it names.
//! let client = clerk_frontend::Client::from_env()?;
//! let environment = client.environment().get_environment().send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Hand-written (`extensions/clerk-frontend/publishable_key.rs` in the clerkgen repository)
//! and copied into the generated crate by the manifest's `extensions`.

use std::fmt;

use base64::Engine as _;

use crate::{Client, ClientBuilder, Error, Result};

/// The environment variable [`Client::from_env`] reads the publishable key from.
pub const PUBLISHABLE_KEY_ENV: &str = "CLERK_PUBLISHABLE_KEY";

/// A Clerk publishable key, read: the Frontend API host it names, and whether the
/// instance is a production one.
#[derive(Clone, PartialEq, Eq)]
pub struct PublishableKey {
    host: String,
    live: bool,
}

/// Why a text is not a publishable key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidPublishableKey {
    /// It starts with neither `pk_test_` nor `pk_live_`.
    Prefix,
    /// What follows the prefix is not base64 of a host name ending in `$`.
    Payload,
}

impl fmt::Display for InvalidPublishableKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.problem())
    }
}

impl std::error::Error for InvalidPublishableKey {}

impl InvalidPublishableKey {
    fn problem(self) -> &'static str {
        match self {
            InvalidPublishableKey::Prefix => {
                "is not a publishable key: it starts with neither pk_test_ nor pk_live_"
            }
            InvalidPublishableKey::Payload => {
                "is not a publishable key: it does not encode a Frontend API host"
            }
        }
    }
}

impl PublishableKey {
    /// Reads a publishable key (whitespace around it is dropped).
    pub fn parse(key: &str) -> std::result::Result<Self, InvalidPublishableKey> {
        let key = key.trim();
        let (payload, live) = match (key.strip_prefix("pk_live_"), key.strip_prefix("pk_test_")) {
            (Some(payload), _) => (payload, true),
            (_, Some(payload)) => (payload, false),
            _ => return Err(InvalidPublishableKey::Prefix),
        };
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        let decoded = engine
            .decode(payload)
            .map_err(|_| InvalidPublishableKey::Payload)?;
        let text = String::from_utf8(decoded).map_err(|_| InvalidPublishableKey::Payload)?;
        let host = text
            .strip_suffix('$')
            .filter(|h| is_host(h))
            .ok_or(InvalidPublishableKey::Payload)?;
        Ok(PublishableKey {
            host: host.to_string(),
            live,
        })
    }

    /// The Frontend API host (`clerk.example.com`, `happy-hippo-1.clerk.accounts.dev`).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The Frontend API's base URL, `https://` and the host.
    pub fn frontend_api_url(&self) -> String {
        format!("https://{}", self.host)
    }

    /// Whether the key is a production instance's (`pk_live_`).
    pub fn is_live(&self) -> bool {
        self.live
    }
}

impl fmt::Debug for PublishableKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublishableKey")
            .field("host", &self.host)
            .field("live", &self.live)
            .finish()
    }
}

impl std::str::FromStr for PublishableKey {
    type Err = InvalidPublishableKey;

    fn from_str(key: &str) -> std::result::Result<Self, InvalidPublishableKey> {
        PublishableKey::parse(key)
    }
}

/// Letters, digits, `-` and `.`, with an optional `:port`: what a Frontend API host is.
fn is_host(host: &str) -> bool {
    let name = host.split_once(':').map_or(host, |(name, port)| match port.parse::<u16>() {
        Ok(_) => name,
        Err(_) => "",
    });
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

impl ClientBuilder {
    /// Calls the Frontend API the publishable key names (its base URL).
    pub fn publishable_key(self, key: &PublishableKey) -> Self {
        self.base_url(key.frontend_api_url())
    }
}

impl Client {
    /// A client for the Frontend API a publishable key names, with no session token yet
    /// (set one with [`Client::builder`] and [`ClientBuilder::publishable_key`]).
    ///
    /// A text that is not a publishable key is [`Error::InvalidCredentials`].
    pub fn for_publishable_key(key: &str) -> Result<Client> {
        let key = PublishableKey::parse(key).map_err(|e| Error::InvalidCredentials {
            problem: e.problem(),
        })?;
        Client::builder().publishable_key(&key).build()
    }

    /// A client for the Frontend API named by the publishable key in the
    /// `CLERK_PUBLISHABLE_KEY` environment variable ([`PUBLISHABLE_KEY_ENV`]).
    ///
    /// An unset or blank variable is [`Error::MissingCredentials`]; a value that is not a
    /// publishable key is [`Error::InvalidCredentials`].
    pub fn from_env() -> Result<Client> {
        match std::env::var(PUBLISHABLE_KEY_ENV) {
            Ok(key) if !key.trim().is_empty() => Client::for_publishable_key(&key),
            _ => Err(Error::MissingCredentials {
                variable: PUBLISHABLE_KEY_ENV,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Encoded with Python's base64 module, independently of the code under test.
    const DEV: &str = "pk_test_ZXhhbXBsZS1kZXN0aW5lZC1jYW1lbC0xMy5jbGVyay5hY2NvdW50cy5kZXYk";
    const LIVE: &str = "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k";

    #[test]
    fn a_development_key_names_its_accounts_dev_host() {
        let key = PublishableKey::parse(DEV).unwrap();
        assert_eq!(key.host(), "example-destined-camel-13.clerk.accounts.dev");
        assert_eq!(
            key.frontend_api_url(),
            "https://example-destined-camel-13.clerk.accounts.dev"
        );
        assert!(!key.is_live());
    }

    #[test]
    fn a_production_key_names_its_own_domain() {
        let key: PublishableKey = format!(" {LIVE}\n").parse().unwrap();
        assert_eq!(key.host(), "clerk.example.com");
        assert!(key.is_live());
    }

    #[test]
    fn padding_is_optional() {
        // base64("clerk.example.io$") ends in one `=` of padding, which keys may leave out.
        let padded = "pk_test_Y2xlcmsuZXhhbXBsZS5pbyQ=";
        let unpadded = "pk_test_Y2xlcmsuZXhhbXBsZS5pbyQ";
        assert_eq!(PublishableKey::parse(padded).unwrap().host(), "clerk.example.io");
        assert_eq!(PublishableKey::parse(unpadded).unwrap().host(), "clerk.example.io");
    }

    #[test]
    fn other_texts_are_refused_with_the_reason() {
        assert_eq!(
            PublishableKey::parse("sk_test_abc"),
            Err(InvalidPublishableKey::Prefix)
        );
        // base64("clerk.example.com"), without the `$` a key carries.
        assert_eq!(
            PublishableKey::parse("pk_test_Y2xlcmsuZXhhbXBsZS5jb20="),
            Err(InvalidPublishableKey::Payload)
        );
        assert_eq!(
            PublishableKey::parse("pk_test_!!!"),
            Err(InvalidPublishableKey::Payload)
        );
        // base64("a/b$"): not a host.
        assert_eq!(
            PublishableKey::parse("pk_test_YS9iJA=="),
            Err(InvalidPublishableKey::Payload)
        );
    }

    #[test]
    fn the_client_calls_the_host_the_key_names() {
        let client = Client::for_publishable_key(LIVE).unwrap();
        assert_eq!(client.base_url(), "https://clerk.example.com");
        let err = Client::for_publishable_key("pk_test_").unwrap_err();
        assert!(matches!(err, Error::InvalidCredentials { .. }), "{err:?}");
    }
}
