//! The signature algorithms a Clerk token may use.

/// The signature algorithms a Clerk token may use: RSASSA-PKCS1-v1_5 with SHA-2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// With SHA-256: what Clerk signs with.
    Rs256,
    /// With SHA-384.
    Rs384,
    /// With SHA-512.
    Rs512,
}

impl Algorithm {
    /// The algorithm of a JOSE name; any other name (`none`, `HS256`, `PS256`, `ES256`,
    /// ...) is refused.
    pub(crate) fn from_name(name: &str) -> Option<Algorithm> {
        match name {
            "RS256" => Some(Algorithm::Rs256),
            "RS384" => Some(Algorithm::Rs384),
            "RS512" => Some(Algorithm::Rs512),
            _ => None,
        }
    }
}
