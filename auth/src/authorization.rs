//! May the caller do this? [`Requirement`]s over a session's organization role and
//! permissions, features, plans and how recently it verified its factors, checked by
//! [`Auth::has`](crate::Auth::has) the way Clerk's `has()` checks them, failing closed: a
//! requirement that asks nothing, or anything malformed, is not met.

use serde_json::{json, Value};

/// What a route requires of the caller; every part asked for must hold.
///
/// ```
/// use clerk_auth::{Requirement, Reverification};
/// let invoices = Requirement::permission("org:invoices:read");
/// let admin_with_fresh_mfa = Requirement::role("admin").and_reverification(Reverification::StrictMfa);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct Requirement {
    pub(crate) role: Option<String>,
    pub(crate) permission: Option<String>,
    pub(crate) feature: Option<String>,
    pub(crate) plan: Option<String>,
    pub(crate) reverification: Option<Reverification>,
}

impl Requirement {
    /// The active organization's role (`admin` or `org:admin`).
    pub fn role(role: impl Into<String>) -> Self {
        Requirement::default().and_role(role)
    }

    /// A permission in the active organization (`org:invoices:read`).
    pub fn permission(permission: impl Into<String>) -> Self {
        Requirement::default().and_permission(permission)
    }

    /// A feature (`reports`, or scoped: `o:reports`, `u:reports`).
    pub fn feature(feature: impl Into<String>) -> Self {
        Requirement::default().and_feature(feature)
    }

    /// A plan (`pro`, or scoped: `o:pro`, `u:pro`).
    pub fn plan(plan: impl Into<String>) -> Self {
        Requirement::default().and_plan(plan)
    }

    /// Factors verified recently enough.
    pub fn reverification(level: Reverification) -> Self {
        Requirement::default().and_reverification(level)
    }

    /// This requirement and a role.
    pub fn and_role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// This requirement and a permission.
    pub fn and_permission(mut self, permission: impl Into<String>) -> Self {
        self.permission = Some(permission.into());
        self
    }

    /// This requirement and a feature.
    pub fn and_feature(mut self, feature: impl Into<String>) -> Self {
        self.feature = Some(feature.into());
        self
    }

    /// This requirement and a plan.
    pub fn and_plan(mut self, plan: impl Into<String>) -> Self {
        self.plan = Some(plan.into());
        self
    }

    /// This requirement and a reverification.
    pub fn and_reverification(mut self, level: Reverification) -> Self {
        self.reverification = Some(level);
        self
    }

    /// Whether it asks for nothing (and so is never met).
    pub fn is_empty(&self) -> bool {
        *self == Requirement::default()
    }
}

/// Which factors must have been verified recently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Level {
    /// The first factor (a password, a code).
    FirstFactor,
    /// The second factor, or the first where the user has no second.
    SecondFactor,
    /// Both factors, or the first where the user has no second.
    MultiFactor,
}

/// How recently a session must have verified its factors: Clerk's presets, or a level and
/// a number of minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reverification {
    /// Both factors within 10 minutes.
    StrictMfa,
    /// The second factor within 10 minutes.
    Strict,
    /// The second factor within an hour.
    Moderate,
    /// The second factor within a day.
    Lax,
    /// A level within this many minutes (more than 0).
    Within {
        /// Which factors.
        level: Level,
        /// How many minutes ago at most.
        minutes: u32,
    },
}

impl Reverification {
    fn level_and_minutes(self) -> (Level, u32) {
        match self {
            Reverification::StrictMfa => (Level::MultiFactor, 10),
            Reverification::Strict => (Level::SecondFactor, 10),
            Reverification::Moderate => (Level::SecondFactor, 60),
            Reverification::Lax => (Level::SecondFactor, 1440),
            Reverification::Within { level, minutes } => (level, minutes),
        }
    }

    /// Whether factor ages `[first, second]` in minutes (`-1`: not set up) meet this.
    pub(crate) fn met_by(self, ages: Option<[i64; 2]>) -> bool {
        let Some([first, second]) = ages else {
            return false;
        };
        let (level, minutes) = self.level_and_minutes();
        if minutes == 0 || (first == -1 && second == -1) {
            return false;
        }
        let fresh = |age: i64| age != -1 && age < i64::from(minutes);
        match level {
            Level::FirstFactor => fresh(first),
            Level::SecondFactor if second == -1 => fresh(first),
            Level::SecondFactor => fresh(second),
            Level::MultiFactor if second == -1 => fresh(first),
            Level::MultiFactor => fresh(first) && fresh(second),
        }
    }

    /// The body of Clerk's 403 answer asking the user to verify again, which its frontend
    /// SDKs recognise: `{"clerk_error": {"type": "forbidden", "reason":
    /// "reverification-error", "metadata": {"reverification": ...}}}`.
    pub fn forbidden_body(self) -> Value {
        let config = match self {
            Reverification::StrictMfa => json!("strict_mfa"),
            Reverification::Strict => json!("strict"),
            Reverification::Moderate => json!("moderate"),
            Reverification::Lax => json!("lax"),
            Reverification::Within { level, minutes } => json!({
                "level": match level {
                    Level::FirstFactor => "first_factor",
                    Level::SecondFactor => "second_factor",
                    Level::MultiFactor => "multi_factor",
                },
                "afterMinutes": minutes,
            }),
        };
        json!({
            "clerk_error": {
                "type": "forbidden",
                "reason": "reverification-error",
                "metadata": {"reverification": config},
            }
        })
    }
}

/// A role or permission with Clerk's `org:` prefix exactly once (`admin`, `org:admin` and
/// `org:org:admin` are one role).
pub(crate) fn with_org_prefix(name: &str) -> String {
    let mut bare = name;
    while let Some(rest) = bare.strip_prefix("org:") {
        bare = rest;
    }
    format!("org:{bare}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(level: Level) -> Reverification {
        Reverification::Within { level, minutes: 10 }
    }

    #[test]
    fn factor_ages_meet_levels_as_clerks_tests_say() {
        let mfa = within(Level::MultiFactor);
        for (ages, met) in [
            ([0, 0], true),
            ([0, 10], false),
            ([10, 0], false),
            ([0, -1], true),
            ([11, -1], false),
            ([10, 10], false),
            ([-1, -1], false),
            ([-1, 0], false),
        ] {
            assert_eq!(mfa.met_by(Some(ages)), met, "{ages:?}");
        }
        assert!(!Reverification::Strict.met_by(Some([11, -1])));
        assert!(Reverification::StrictMfa.met_by(Some([0, -1])));
        assert!(!Reverification::Strict.met_by(Some([-1, -1])));
        assert!(!Reverification::Lax.met_by(None));
        assert!(!Reverification::Within {
            level: Level::MultiFactor,
            minutes: 0
        }
        .met_by(Some([0, 0])));
        assert!(within(Level::FirstFactor).met_by(Some([9, -1])));
        assert!(within(Level::SecondFactor).met_by(Some([20, 9])));
        assert!(within(Level::SecondFactor).met_by(Some([9, -1])));
    }

    #[test]
    fn the_forbidden_body_is_clerks() {
        assert_eq!(
            Reverification::Strict.forbidden_body(),
            json!({"clerk_error": {"type": "forbidden", "reason": "reverification-error", "metadata": {"reverification": "strict"}}})
        );
        assert_eq!(
            within(Level::MultiFactor).forbidden_body()["clerk_error"]["metadata"]
                ["reverification"],
            json!({"level": "multi_factor", "afterMinutes": 10})
        );
    }

    #[test]
    fn roles_get_the_org_prefix_once() {
        for role in ["admin", "org:admin", "org:org:admin"] {
            assert_eq!(with_org_prefix(role), "org:admin");
        }
    }
}
