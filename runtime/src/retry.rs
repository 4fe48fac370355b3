//! When a call is retried and how long it waits: the retry policy, and status patterns.

use std::time::Duration;

use crate::transport::TransportErrorKind;

/// Whether a status matches a spec's status pattern: an exact code (`404`) or a class
/// (`5XX`).
#[doc(hidden)]
pub fn status_matches(pattern: &str, status: u16) -> bool {
    let code = status.to_string();
    let (pattern, code) = (pattern.as_bytes(), code.as_bytes());
    pattern == code
        || (pattern.len() == 3
            && pattern[1..].eq_ignore_ascii_case(b"XX")
            && pattern.first() == code.first())
}

/// When and how requests are retried.
///
/// An idempotent request (GET, HEAD, PUT, DELETE, OPTIONS) is retried on the listed
/// statuses, on 429, and on any failure before a whole response arrived: a failed
/// connection, a reset or closed connection, a timeout, a body cut short. A POST or PATCH
/// is retried only when nothing can have reached the server (the connection failed) or
/// when the server asked for it (429 or 503 with `Retry-After`). A request that could not
/// be built (an input the client refuses) is never sent, so never retried.
///
/// Waits grow exponentially from `initial_interval` by `exponent` up to `max_interval`,
/// and with [`Jitter::Full`] (the default) each is drawn at random between
/// [`MIN_WAIT`] and that bound, so that many clients failing together do not retry in
/// lockstep. A `Retry-After` the server sends (in seconds) is a lower bound on the wait:
/// the client waits at least that long, and longer when its backoff says so, which keeps
/// `Retry-After: 0` from becoming a busy loop. No wait is shorter than [`MIN_WAIT`].
///
/// A call makes at most `max_attempts` attempts and takes at most `max_elapsed` in all,
/// attempts and waits included: each attempt's timeout is cut to what is left, and a wait
/// longer than what is left returns the error at once (for a 429 or 503, its
/// [`ApiError::retry_after`](crate::call_error::ApiError::retry_after) says how long the server asked
/// for). Any values are safe: an `exponent` below 1 (or NaN) counts as 1, waits never
/// exceed `max_interval` (nor fall below [`MIN_WAIT`]), and a `Retry-After` too large for
/// any clock ends the call rather than overflowing.
///
/// [`Default`] is the policy for an API that recommends none: 429 and connection errors
/// retried, from 500 ms by x2 up to 30 s, at most 4 attempts and 60 s per call. A
/// generated client starts from its document's policy instead: its
/// `Client::default_retry_policy()`.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// The first wait (before jitter).
    pub initial_interval: Duration,
    /// The longest wait between attempts, unless `Retry-After` asks for longer.
    pub max_interval: Duration,
    /// How much each wait grows on the one before (below 1, or NaN: 1).
    pub exponent: f64,
    /// The longest a call may take, attempts and waits included.
    pub max_elapsed: Duration,
    /// At most this many attempts in all (`None`: as many as `max_elapsed` allows).
    pub max_attempts: Option<u32>,
    /// Retried statuses: exact codes (`"503"`) or classes (`"5XX"`).
    pub status_codes: Vec<String>,
    /// Whether failures before a whole response arrived are retried at all.
    pub connection_errors: bool,
    /// How waits are spread around the backoff.
    pub jitter: Jitter,
}

/// How a retry's wait is spread around the exponential backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Jitter {
    /// Exactly the backoff: predictable, for tests; clients that fail together retry
    /// together.
    None,
    /// "Full jitter": uniformly at random between [`MIN_WAIT`] and the backoff, which
    /// spreads the retries of many clients over the whole interval.
    #[default]
    Full,
}

/// The shortest wait before a retry, whatever the policy and `Retry-After` say: a server
/// answering `Retry-After: 0` (or a policy of zero intervals) gets at most 20 attempts a
/// second from one call, not a busy loop.
pub const MIN_WAIT: Duration = Duration::from_millis(50);

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
            jitter: Jitter::Full,
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

    /// The backoff before attempt `attempt + 1`, before jitter: `initial_interval` grown
    /// `attempt - 1` times by `exponent`, at most `max_interval`. Never panics: the growth
    /// is computed in floating point and anything not below the cap is the cap.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let growth = if self.exponent >= 1.0 {
            self.exponent
        } else {
            1.0
        };
        let steps = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let secs = self.initial_interval.as_secs_f64() * growth.powi(steps);
        let cap = self.max_interval;
        if secs < cap.as_secs_f64() {
            Duration::try_from_secs_f64(secs).unwrap_or(cap)
        } else {
            cap
        }
    }

    /// The wait before attempt `attempt + 1`: the backoff spread by the jitter (`unit`, a
    /// number in `[0, 1)`, picks the point), at least `retry_after` and [`MIN_WAIT`].
    fn wait(&self, attempt: u32, retry_after: Option<Duration>, unit: f64) -> Duration {
        let backoff = self.backoff(attempt);
        let spread = match self.jitter {
            Jitter::None => backoff,
            Jitter::Full => {
                let unit = if unit >= 0.0 { unit.min(1.0) } else { 0.0 };
                let secs = backoff.as_secs_f64() * unit;
                Duration::try_from_secs_f64(secs).unwrap_or(backoff)
            }
        };
        retry_after
            .map_or(spread, |asked| asked.max(spread))
            .max(MIN_WAIT)
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
        self.after_status_at(status, retry_after, idempotent, attempt, random_unit())
    }

    fn after_status_at(
        &self,
        status: u16,
        retry_after: Option<Duration>,
        idempotent: bool,
        attempt: u32,
        unit: f64,
    ) -> Option<Duration> {
        let asked = retry_after.is_some() && (status == 429 || status == 503);
        let allowed = if idempotent {
            self.lists(status) || status == 429
        } else {
            asked
        };
        (allowed && self.attempts_left(attempt)).then(|| self.wait(attempt, retry_after, unit))
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
            .then(|| self.wait(attempt, None, random_unit()))
    }

    /// Whether waiting `wait` when `elapsed` has passed leaves time for another attempt
    /// within `max_elapsed` (a sum past any clock does not).
    pub(crate) fn fits(&self, elapsed: Duration, wait: Duration) -> bool {
        elapsed
            .checked_add(wait)
            .is_some_and(|then| then < self.max_elapsed)
    }
}

/// A number in `[0, 1)` that differs from call to call and from process to process, for
/// jitter: the standard library's per-process random hash keys over a counter, so that no
/// random-number crate is needed for something that need not be unpredictable.
fn random_unit() -> f64 {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static DRAWS: AtomicU64 = AtomicU64::new(0);
    let draw = DRAWS.fetch_add(1, Ordering::Relaxed);
    let bits = std::collections::hash_map::RandomState::new().hash_one(draw);
    // The top 53 bits as a fraction of 2^53: exact in an f64 (a conversion that rounds
    // nothing and cannot wrap), and below 1.
    (bits >> 11) as f64 / (1u64 << 53) as f64
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
            jitter: Jitter::None,
        }
    }

    #[test]
    fn status_patterns_match_codes_and_classes() {
        assert!(status_matches("404", 404));
        assert!(status_matches("5XX", 503));
        assert!(status_matches("5xx", 500));
        assert!(!status_matches("5XX", 404));
        assert!(!status_matches("40", 404));
        // A pattern of three bytes that are not three characters is no class.
        assert!(!status_matches("é4", 404));
        assert!(!status_matches("", 404));
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

    #[test]
    fn backoff_is_safe_for_any_attempt_and_exponent() {
        for exponent in [2.0, 1.0, 0.5, 0.0, -3.0, f64::NAN, f64::INFINITY, f64::MAX] {
            let p = RetryPolicy {
                exponent,
                max_interval: Duration::from_secs(30),
                ..policy()
            };
            for attempt in [0, 1, 2, 66, 67, 1_000, u32::MAX] {
                let wait = p.backoff(attempt);
                assert!(wait <= Duration::from_secs(30), "{exponent} {attempt}");
                // Waits never shrink: a growth below 1 (or NaN) counts as 1.
                assert!(wait >= p.backoff(attempt.saturating_sub(1)), "{exponent}");
            }
        }
        // The documented open budget runs past 66 attempts of the default growth.
        let open = RetryPolicy {
            max_attempts: None,
            ..RetryPolicy::default()
        };
        assert_eq!(open.backoff(200), Duration::from_secs(30));
        assert!(open
            .after_error(TransportErrorKind::Connect, true, 10_000)
            .is_some());
    }

    #[test]
    fn retry_after_is_a_lower_bound_and_no_wait_is_below_the_floor() {
        let p = policy();
        let zero = Some(Duration::ZERO);
        // `Retry-After: 0` waits the backoff (100 ms, then 200 ms), not nothing.
        assert_eq!(
            p.after_status_at(429, zero, true, 1, 0.5),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            p.after_status_at(429, zero, true, 2, 0.5),
            Some(Duration::from_millis(200))
        );
        let instant = RetryPolicy {
            initial_interval: Duration::ZERO,
            max_interval: Duration::ZERO,
            ..policy()
        };
        assert_eq!(
            instant.after_status_at(429, zero, true, 1, 0.0),
            Some(MIN_WAIT)
        );
        // A Retry-After past any clock is a wait that does not fit, never an overflow.
        let huge = Some(Duration::from_secs(u64::MAX));
        let wait = p.after_status_at(429, huge, true, 1, 0.5).unwrap();
        assert!(!p.fits(Duration::from_secs(1), wait));
        assert!(!p.fits(Duration::MAX, MIN_WAIT));
        assert!(p.fits(Duration::ZERO, MIN_WAIT));
    }

    #[test]
    fn full_jitter_spreads_waits_between_the_floor_and_the_backoff() {
        let p = RetryPolicy {
            jitter: Jitter::Full,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(1),
            ..policy()
        };
        assert_eq!(p.wait(1, None, 0.0), MIN_WAIT);
        assert_eq!(p.wait(1, None, 0.5), Duration::from_millis(500));
        assert_eq!(p.wait(1, None, 1.0), Duration::from_secs(1));
        assert_eq!(p.wait(1, None, f64::NAN), MIN_WAIT);
        let waits: Vec<Duration> = (0..64)
            .map(|_| p.after_status(429, None, true, 1).unwrap())
            .collect();
        assert!(waits.iter().all(|w| *w >= MIN_WAIT && *w <= p.max_interval));
        let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
        assert!(
            distinct.len() > 32,
            "{} distinct waits of 64",
            distinct.len()
        );
    }

    proptest::proptest! {
        /// Whatever the policy and whatever `Retry-After` a server sends, deciding waits
        /// never panics, and a call retrying for ever against it makes a bounded number of
        /// attempts, all within `max_elapsed`.
        #[test]
        fn any_policy_and_retry_after_end_within_the_budget(
            initial_ms in proptest::prelude::any::<u32>(),
            max_ms in proptest::prelude::any::<u32>(),
            exponent in proptest::prelude::any::<f64>(),
            budget_ms in 0u64..600_000,
            max_attempts in proptest::prelude::any::<Option<u32>>(),
            retry_after in proptest::prelude::any::<Option<u64>>(),
            status in 100u16..600,
            idempotent in proptest::prelude::any::<bool>(),
            full in proptest::prelude::any::<bool>(),
        ) {
            let policy = RetryPolicy {
                initial_interval: Duration::from_millis(initial_ms.into()),
                max_interval: Duration::from_millis(max_ms.into()),
                exponent,
                max_elapsed: Duration::from_millis(budget_ms),
                max_attempts,
                status_codes: vec!["5XX".into()],
                connection_errors: true,
                jitter: if full { Jitter::Full } else { Jitter::None },
            };
            let retry_after = retry_after.map(Duration::from_secs);
            let bound = budget_ms / 50 + 2;
            let (mut elapsed, mut attempt) = (Duration::ZERO, 1u32);
            while let Some(wait) = policy.after_status(status, retry_after, idempotent, attempt) {
                proptest::prop_assert!(wait >= MIN_WAIT);
                if !policy.fits(elapsed, wait) {
                    break;
                }
                elapsed += wait;
                attempt += 1;
                proptest::prop_assert!(u64::from(attempt) <= bound, "{attempt} attempts");
                proptest::prop_assert!(elapsed < policy.max_elapsed);
            }
            let error = policy.after_error(TransportErrorKind::Reset, idempotent, attempt);
            proptest::prop_assert!(error.is_none_or(|w| w >= MIN_WAIT));
        }
    }
}
