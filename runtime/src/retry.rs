//! When a call is retried and how long it waits: the retry policy, and status patterns.

use std::time::Duration;

use crate::transport::TransportErrorKind;

/// Whether a status matches a spec's status pattern: an exact code (`404`) or a class
/// (`5XX`).
#[doc(hidden)]
pub fn status_matches(pattern: &str, status: u16) -> bool {
    let code = status.to_string();
    pattern == code
        || (pattern.len() == 3
            && pattern[1..].eq_ignore_ascii_case("XX")
            && pattern.as_bytes()[0] == code.as_bytes()[0])
}

/// When and how requests are retried.
///
/// An idempotent request (GET, HEAD, PUT, DELETE, OPTIONS) is retried on the listed
/// statuses, on 429, and on any failure before a whole response arrived: a failed
/// connection, a reset or closed connection, a timeout, a body cut short. A POST or PATCH
/// is retried only when nothing can have reached the server (the connection failed) or
/// when the server asked for it (429 or 503 with `Retry-After`).
///
/// Waits follow `Retry-After` when the server sends it, else exponential backoff. A call
/// makes at most `max_attempts` attempts and takes at most `max_elapsed` in all, attempts
/// and waits included: each attempt's timeout is cut to what is left, and a `Retry-After`
/// longer than what is left returns the error at once (its
/// [`ApiError::retry_after`](crate::call_error::ApiError::retry_after) says how long the server asked
/// for).
///
/// [`Default`] is the policy for an API that recommends none: 429 and connection errors
/// retried, from 500 ms by x2 up to 30 s, at most 4 attempts and 60 s per call. A
/// generated client starts from its document's policy instead: its
/// `Client::default_retry_policy()`.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// The first wait.
    pub initial_interval: Duration,
    /// The longest wait between attempts.
    pub max_interval: Duration,
    /// How much each wait grows on the one before.
    pub exponent: f64,
    /// The longest a call may take, attempts and waits included.
    pub max_elapsed: Duration,
    /// At most this many attempts in all (`None`: as many as `max_elapsed` allows).
    pub max_attempts: Option<u32>,
    /// Retried statuses: exact codes (`"503"`) or classes (`"5XX"`).
    pub status_codes: Vec<String>,
    /// Whether failures before a whole response arrived are retried at all.
    pub connection_errors: bool,
}

/// At most this many attempts per call by default: three retries ride out a brief outage
/// or a deploy's restarts (with the usual backoff, a few seconds of waiting) without
/// multiplying the load on a server that is down.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 4;

/// At most this long per call by default, attempts and waits included (a spec may ask
/// for longer; a service calling the API has its own deadlines).
pub const DEFAULT_MAX_ELAPSED: Duration = Duration::from_secs(60);

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(30),
            exponent: 2.0,
            max_elapsed: DEFAULT_MAX_ELAPSED,
            max_attempts: Some(DEFAULT_MAX_ATTEMPTS),
            status_codes: Vec::new(),
            connection_errors: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: Some(1),
            ..RetryPolicy::default()
        }
    }

    /// The wait before attempt `attempt + 1`, without `Retry-After`.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let factor = self.exponent.powi(attempt.saturating_sub(1) as i32);
        self.initial_interval.mul_f64(factor).min(self.max_interval)
    }

    fn attempts_left(&self, attempt: u32) -> bool {
        self.max_attempts.is_none_or(|max| attempt < max)
    }

    fn lists(&self, status: u16) -> bool {
        self.status_codes.iter().any(|s| status_matches(s, status))
    }

    /// How long to wait before retrying after attempt `attempt` got `status`, if at all.
    pub(crate) fn after_status(
        &self,
        status: u16,
        retry_after: Option<Duration>,
        idempotent: bool,
        attempt: u32,
    ) -> Option<Duration> {
        let asked = retry_after.is_some() && (status == 429 || status == 503);
        let allowed = if idempotent {
            self.lists(status) || status == 429
        } else {
            asked
        };
        (allowed && self.attempts_left(attempt))
            .then(|| retry_after.unwrap_or_else(|| self.backoff(attempt)))
    }

    /// How long to wait before retrying after attempt `attempt` failed with `kind`, if at
    /// all.
    pub(crate) fn after_error(
        &self,
        kind: TransportErrorKind,
        idempotent: bool,
        attempt: u32,
    ) -> Option<Duration> {
        (self.connection_errors && kind.resendable(idempotent) && self.attempts_left(attempt))
            .then(|| self.backoff(attempt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            initial_interval: Duration::from_millis(100),
            max_interval: Duration::from_millis(350),
            exponent: 2.0,
            max_elapsed: Duration::from_secs(60),
            max_attempts: Some(4),
            status_codes: vec!["5XX".into(), "409".into()],
            connection_errors: true,
        }
    }

    #[test]
    fn status_patterns_match_codes_and_classes() {
        assert!(status_matches("404", 404));
        assert!(status_matches("5XX", 503));
        assert!(status_matches("5xx", 500));
        assert!(!status_matches("5XX", 404));
        assert!(!status_matches("40", 404));
    }

    #[test]
    fn backoff_grows_to_its_cap() {
        let p = policy();
        let waits: Vec<u128> = (1..=4).map(|a| p.backoff(a).as_millis()).collect();
        assert_eq!(waits, [100, 200, 350, 350]);
    }

    #[test]
    fn idempotent_calls_retry_listed_statuses_and_429_until_attempts_run_out() {
        let p = policy();
        assert_eq!(
            p.after_status(503, None, true, 1),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            p.after_status(409, None, true, 2),
            Some(Duration::from_millis(200))
        );
        assert_eq!(
            p.after_status(429, None, true, 1),
            Some(Duration::from_millis(100))
        );
        assert_eq!(p.after_status(404, None, true, 1), None);
        assert_eq!(p.after_status(503, None, true, 4), None);
        let asked = Some(Duration::from_secs(7));
        assert_eq!(p.after_status(503, asked, true, 1), asked);
    }

    #[test]
    fn other_calls_retry_only_when_the_server_asks_or_nothing_was_sent() {
        let p = policy();
        assert_eq!(p.after_status(503, None, false, 1), None);
        let asked = Some(Duration::from_secs(2));
        assert_eq!(p.after_status(503, asked, false, 1), asked);
        assert_eq!(p.after_status(429, asked, false, 1), asked);
        assert_eq!(p.after_status(500, asked, false, 1), None);
        assert!(p
            .after_error(TransportErrorKind::Connect, false, 1)
            .is_some());
        assert!(p.after_error(TransportErrorKind::Reset, false, 1).is_none());
        assert!(p.after_error(TransportErrorKind::Reset, true, 1).is_some());
        assert!(p
            .after_error(TransportErrorKind::Redirects, true, 1)
            .is_none());
        let off = RetryPolicy {
            connection_errors: false,
            ..policy()
        };
        assert!(off
            .after_error(TransportErrorKind::Connect, true, 1)
            .is_none());
    }
}
