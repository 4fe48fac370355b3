//! Clerk's publishable key (`pk_test_...`, `pk_live_...`): the base64 of the instance's
//! Frontend API host and a `$`. It is public, not a credential; the verifier takes from it
//! the issuer its tokens carry (`https://` and the host), where its public keys are, and
//! the suffix of its cookie names.

use std::fmt;

use base64::Engine as _;

/// A publishable key, read.
#[derive(Clone, PartialEq, Eq)]
pub struct PublishableKey {
    key: String,
    host: String,
    live: bool,
}

impl fmt::Debug for PublishableKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublishableKey")
            .field("host", &self.host)
            .field("live", &self.live)
            .finish()
    }
}

/// Why a text is not a publishable key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidPublishableKey {
    /// It starts with neither `pk_test_` nor `pk_live_`.
    #[error("a publishable key starts with pk_test_ or pk_live_")]
    Prefix,
    /// What follows the prefix is not base64 of a host name and one `$`.
    #[error("the publishable key does not encode a Frontend API host")]
    Payload,
}

impl PublishableKey {
    /// Reads a publishable key (whitespace around it is dropped).
    pub fn parse(key: &str) -> Result<Self, InvalidPublishableKey> {
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
            key: key.to_string(),
            host: host.to_string(),
            live,
        })
    }

    /// The Frontend API host (`clerk.example.com`).
    pub fn frontend_api_host(&self) -> &str {
        &self.host
    }

    /// The Frontend API origin, `https://` and the host: the `iss` of the instance's
    /// session tokens.
    pub fn frontend_api_url(&self) -> String {
        format!("https://{}", self.host)
    }

    /// Whether it is a production instance's key (`pk_live_`).
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// The suffix of the instance's cookie names (`__session_<suffix>`): the first eight
    /// characters of the URL-safe base64 of the key's SHA-1.
    pub fn cookie_suffix(&self) -> String {
        // Clerk's choice of digest: a cookie name, not a security boundary.
        let digest =
            ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, self.key.as_bytes());
        let mut encoded = base64::engine::general_purpose::URL_SAFE.encode(digest);
        encoded.truncate(8);
        encoded
    }
}

/// Whether a text is a plausible host name: labels of letters, digits and hyphens,
/// separated by dots, at least two of them.
fn is_host(text: &str) -> bool {
    text.contains('.')
        && text.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_host_and_instance_type() {
        let key = PublishableKey::parse("pk_test_Y2xlcmsuY2xlcmsuZGV2JA==").unwrap();
        assert_eq!(key.frontend_api_host(), "clerk.clerk.dev");
        assert!(!key.is_live());
        let key =
            PublishableKey::parse("pk_live_Y2xlcmsuaW5zcGlyZWQucHVtYS03NC5sY2wuZGV2JA").unwrap();
        assert_eq!(
            key.frontend_api_url(),
            "https://clerk.inspired.puma-74.lcl.dev"
        );
        assert!(key.is_live());
        for bad in [
            "sk_test_Y2xlcmsuY2xlcmsuZGV2JA",
            "pk_live_aW52YWxpZGtleSQ=",
            "pk_live_ZmFrZS1jbGVyay1tYWxmb3JtZWQuY2xlcmsuYWNjb3VudHMuZGV2JGV4dHJh",
            "pk_test_",
            "pk_test_!!!",
        ] {
            assert!(PublishableKey::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cookie_suffixes_are_clerks() {
        for (key, suffix) in [
            (
                "pk_live_ZmFrZS1jbGVyay10ZXN0LmNsZXJrLmFjY291bnRzLmRldiQ=",
                "qReyu04C",
            ),
            ("pk_test_Y2xlcmsuY2xlcmsuZGV2JA", "QvfNY2dr"),
            (
                "pk_test_ZW5vdWdoLWFscGFjYS04Mi5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k",
                "jtYvyt_H",
            ),
            (
                "pk_test_eHh4eHh4LXhhYWFhYS1hYS5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k",
                "tZJdb-5s",
            ),
            (
                "pk_live_Y2xlcmsuaW5zcGlyZWQucHVtYS03NC5sY2wuZGV2JA",
                "MqCvchyS",
            ),
            (
                "pk_test_Y2xlcmsuaW5zcGlyZWQucHVtYS03NC5sY2wuZGV2JA",
                "vWCgMp3A",
            ),
        ] {
            assert_eq!(
                PublishableKey::parse(key).unwrap().cookie_suffix(),
                suffix,
                "{key}"
            );
        }
    }
}
