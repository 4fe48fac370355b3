//! Who is calling, from a verified session token: [`Auth`], read alike from both claims
//! formats Clerk issues (v2's compact `o`, `fea`, `pla` and `fpm`; v1's `org_id`,
//! `org_role`, `org_slug`, `org_permissions`).

use serde_json::{Map, Value};

use crate::authorization::{with_org_prefix, Requirement};
use crate::scopes::{organization_permissions, Scoped};

/// A session's status (`sts`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionStatus {
    /// Signed in.
    Active,
    /// Signed in but with a task left to do (choosing an organization, say): treated as
    /// signed out unless the verifier accepts pending sessions.
    Pending,
    /// A status this crate does not know, as the token says it.
    Other(String),
}

/// Someone acting as the user (`act`): an administrator impersonating them, or an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Who acts (`act.sub`).
    pub subject: String,
    /// What kind of actor (`act.type`, `agent` for an agent), when the token says.
    pub kind: Option<String>,
}

/// The active organization of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// Its id (`org_...`).
    pub id: String,
    /// Its slug, when the token carries it.
    pub slug: Option<String>,
    /// The user's role in it, with Clerk's `org:` prefix (`org:admin`).
    pub role: Option<String>,
    /// The user's permissions in it (`org:invoices:read`).
    pub permissions: Vec<String>,
}

/// A verified session: who the user is, in which session and organization, with what
/// features and plans, as the session token says. Build requirements with
/// [`Requirement`] and check them with [`has`](Self::has).
#[derive(Debug, Clone, PartialEq)]
pub struct Auth {
    pub(crate) user_id: String,
    pub(crate) session_id: Option<String>,
    pub(crate) status: Option<SessionStatus>,
    pub(crate) actor: Option<Actor>,
    pub(crate) organization: Option<Organization>,
    pub(crate) features: Option<Scoped>,
    pub(crate) plans: Option<Scoped>,
    pub(crate) factor_ages: Option<[i64; 2]>,
    pub(crate) expires_at: i64,
    pub(crate) claims: Map<String, Value>,
}

impl Auth {
    /// Reads a session from verified claims (`sub` and `exp` are checked already).
    pub(crate) fn from_claims(claims: Map<String, Value>) -> Auth {
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_string);
        let features = claims
            .get("fea")
            .and_then(Value::as_str)
            .and_then(Scoped::parse);
        let organization = if claims.get("v").and_then(Value::as_i64) == Some(2) {
            v2_organization(&claims, features.as_ref())
        } else {
            v1_organization(&claims)
        };
        Auth {
            user_id: text("sub").unwrap_or_default(),
            session_id: text("sid"),
            status: text("sts").map(|s| match s.as_str() {
                "active" => SessionStatus::Active,
                "pending" => SessionStatus::Pending,
                _ => SessionStatus::Other(s),
            }),
            actor: claims.get("act").and_then(|act| {
                Some(Actor {
                    subject: act.get("sub")?.as_str()?.to_string(),
                    kind: act.get("type").and_then(Value::as_str).map(str::to_string),
                })
            }),
            organization,
            features,
            plans: claims
                .get("pla")
                .and_then(Value::as_str)
                .and_then(Scoped::parse),
            factor_ages: factor_ages(claims.get("fva")),
            expires_at: claims
                .get("exp")
                .and_then(Value::as_i64)
                .unwrap_or_default(),
            claims,
        }
    }

    /// The user's id (`sub`, `user_...`).
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The session's id (`sid`, `sess_...`).
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    /// The session's status (`sts`), when the token says.
    pub fn session_status(&self) -> Option<&SessionStatus> {
        self.status.as_ref()
    }

    /// Who acts as the user, in an impersonation or agent session.
    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }

    /// The active organization, if any.
    pub fn organization(&self) -> Option<&Organization> {
        self.organization.as_ref()
    }

    /// The active organization's id.
    pub fn org_id(&self) -> Option<&str> {
        self.organization.as_ref().map(|o| o.id.as_str())
    }

    /// The user's role in the active organization (`org:admin`).
    pub fn org_role(&self) -> Option<&str> {
        self.organization.as_ref()?.role.as_deref()
    }

    /// The active organization's slug.
    pub fn org_slug(&self) -> Option<&str> {
        self.organization.as_ref()?.slug.as_deref()
    }

    /// The user's permissions in the active organization.
    pub fn org_permissions(&self) -> &[String] {
        self.organization
            .as_ref()
            .map_or(&[], |o| o.permissions.as_slice())
    }

    /// The features the session has, by scope (`fea`), when the token lists any.
    pub fn features(&self) -> Option<&Scoped> {
        self.features.as_ref()
    }

    /// The plans the session has, by scope (`pla`), when the token lists any.
    pub fn plans(&self) -> Option<&Scoped> {
        self.plans.as_ref()
    }

    /// Minutes since the first and the second factor were verified (`fva`; `-1`: the
    /// factor is not set up).
    pub fn factor_verification_age(&self) -> Option<[i64; 2]> {
        self.factor_ages
    }

    /// When the token expires, in seconds since the Unix epoch.
    pub fn expires_at(&self) -> i64 {
        self.expires_at
    }

    /// Every claim of the token, as it came.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// The claims as the service's own type (its custom session claims, say).
    pub fn claims_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(Value::Object(self.claims.clone()))
    }

    /// Whether the session meets `requirement`: every part it asks for holds. Fails
    /// closed: a requirement that asks for nothing, a role or permission without an active
    /// organization, a feature or plan the token does not list, or an unreadable claim is
    /// not met.
    pub fn has(&self, requirement: &Requirement) -> bool {
        if requirement.is_empty() || self.user_id.is_empty() {
            return false;
        }
        let org = self.organization.as_ref();
        let role = requirement.role.as_deref().is_none_or(|role| {
            org.and_then(|o| o.role.as_deref())
                .is_some_and(|held| with_org_prefix(held) == with_org_prefix(role))
        });
        let permission = requirement.permission.as_deref().is_none_or(|wanted| {
            let wanted = with_org_prefix(wanted);
            org.is_some_and(|o| o.permissions.contains(&wanted))
        });
        let listed = |scoped: Option<&Scoped>, name: Option<&str>| {
            name.is_none_or(|name| scoped.is_some_and(|s| s.contains(name)))
        };
        let feature = listed(self.features.as_ref(), requirement.feature.as_deref());
        let plan = listed(self.plans.as_ref(), requirement.plan.as_deref());
        let reverified = requirement
            .reverification
            .is_none_or(|level| level.met_by(self.factor_ages));
        role && permission && feature && plan && reverified
    }
}

/// A v2 token's organization: `o.id`, `o.slg`, `o.rol` (given the `org:` prefix), and the
/// permissions its feature masks grant.
fn v2_organization(claims: &Map<String, Value>, features: Option<&Scoped>) -> Option<Organization> {
    let o = claims.get("o")?;
    let text = |name: &str| o.get(name).and_then(Value::as_str);
    let permissions = match (features, text("per"), text("fpm")) {
        (Some(features), Some(per), Some(fpm)) => organization_permissions(&features.org, per, fpm),
        _ => Vec::new(),
    };
    Some(Organization {
        id: text("id")?.to_string(),
        slug: text("slg").map(str::to_string),
        role: text("rol").filter(|r| !r.is_empty()).map(with_org_prefix),
        permissions,
    })
}

/// A v1 token's organization, from its `org_*` claims.
fn v1_organization(claims: &Map<String, Value>) -> Option<Organization> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    Some(Organization {
        id: text("org_id")?.to_string(),
        slug: text("org_slug").map(str::to_string),
        role: text("org_role")
            .filter(|r| !r.is_empty())
            .map(with_org_prefix),
        permissions: crate::claims::strings(claims.get("org_permissions")).unwrap_or_default(),
    })
}

/// `fva`: two whole numbers, each `-1` or at least 0; anything else is no age at all.
fn factor_ages(fva: Option<&Value>) -> Option<[i64; 2]> {
    let list = fva?.as_array()?;
    let [first, second] = list.as_slice() else {
        return None;
    };
    let age = |v: &Value| v.as_i64().filter(|a| *a >= -1);
    Some([age(first)?, age(second)?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authorization::Reverification;
    use serde_json::json;

    fn auth(value: Value) -> Auth {
        let Value::Object(mut claims) = value else {
            unreachable!()
        };
        claims.insert("sub".into(), json!("user_1"));
        claims.insert("exp".into(), json!(2_000_000_000));
        Auth::from_claims(claims)
    }

    #[test]
    fn v1_and_v2_claims_give_the_same_organization() {
        let v2 = auth(
            json!({"v": 2, "fea": "o:impersonation", "o": {"id": "org_xxxxxxx", "rol": "admin", "slg": "org_test", "per": "read,manage", "fpm": "3"}}),
        );
        let v1 = auth(
            json!({"org_id": "org_xxxxxxx", "org_role": "org:admin", "org_slug": "org_test", "org_permissions": ["org:impersonation:read", "org:impersonation:manage"]}),
        );
        assert_eq!(v2.organization(), v1.organization());
        assert_eq!(v2.org_role(), Some("org:admin"));
        let v2 = auth(json!({"v": 2, "fea": "u:impersonation,u:memberships"}));
        let v1 = auth(json!({}));
        assert_eq!((v2.organization(), v1.organization()), (None, None));
    }

    #[test]
    fn has_fails_closed_across_every_part() {
        let a = auth(
            json!({"v": 2, "fea": "o:reservations,u:dashboard", "pla": "u:free,o:pro", "fva": [3, 5],
            "o": {"id": "org_1", "rol": "admin", "per": "read,manage", "fpm": "1"}}),
        );
        assert!(a.has(&Requirement::role("admin")));
        assert!(a.has(&Requirement::role("org:admin")));
        assert!(!a.has(&Requirement::role("member")));
        assert!(a.has(&Requirement::permission("org:reservations:read")));
        assert!(a.has(&Requirement::permission("reservations:read")));
        assert!(!a.has(&Requirement::permission("org:reservations:manage")));
        assert!(a.has(&Requirement::feature("dashboard")));
        assert!(a.has(&Requirement::plan("o:pro")));
        assert!(!a.has(&Requirement::plan("u:pro")));
        assert!(a.has(&Requirement::reverification(Reverification::StrictMfa)));
        // Every part must hold: a passing role does not carry a failing feature.
        assert!(!a.has(&Requirement::role("admin").and_feature("billing")));
        assert!(!a.has(&Requirement::default()));
        // No organization: no role or permission holds.
        let personal = auth(json!({"v": 2, "fea": "u:dashboard"}));
        assert!(!personal.has(&Requirement::role("admin")));
        assert!(!personal.has(&Requirement::permission("org:x:read")));
        // Unreadable claims grant nothing.
        let broken = auth(
            json!({"v": 2, "fea": "reservations", "fva": ["0", "0"], "o": {"id": "org_1", "per": "read", "fpm": "1"}}),
        );
        assert!(!broken.has(&Requirement::feature("reservations")));
        assert!(broken.org_permissions().is_empty());
        assert!(!broken.has(&Requirement::reverification(Reverification::Lax)));
    }

    #[test]
    fn status_actor_and_custom_claims_are_read() {
        #[derive(serde::Deserialize)]
        struct Custom {
            tenant: String,
        }
        let a = auth(
            json!({"sts": "pending", "act": {"sub": "user_admin", "type": "agent"}, "tenant": "t1", "sid": "sess_1"}),
        );
        assert_eq!(a.session_status(), Some(&SessionStatus::Pending));
        assert_eq!(
            a.actor().map(|x| (x.subject.as_str(), x.kind.as_deref())),
            Some(("user_admin", Some("agent")))
        );
        assert_eq!(a.claims_as::<Custom>().unwrap().tenant, "t1");
        assert_eq!(a.session_id(), Some("sess_1"));
    }
}
