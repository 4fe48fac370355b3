//! The registered claims of a verified token, checked against what the service expects:
//! `sub`, `exp`, `nbf`, `iat` (whole seconds, as `i64`, within the clock skew), `azp`, `iss`
//! and, only when asked for, `aud`. A claim of the wrong JSON type is an error, never a
//! skipped check.

use serde_json::{Map, Value};

use crate::error::{Untrusted, VerifyError};

/// What a service expects of a token's registered claims.
#[derive(Debug, Clone, Default)]
pub(crate) struct Expected {
    /// `azp` must be one of these (none: not checked).
    pub authorized_parties: Vec<String>,
    /// `iss` must be exactly this (none: not checked).
    pub issuer: Option<String>,
    /// `aud` must name one of these (none: `aud` is not looked at).
    pub audiences: Vec<String>,
    /// Seconds of clock skew allowed either way.
    pub skew: i64,
}

/// A time claim: absent, or a whole number of seconds; anything else is an error.
pub(crate) fn time(
    claims: &Map<String, Value>,
    claim: &'static str,
) -> Result<Option<i64>, VerifyError> {
    match claims.get(claim) {
        None => Ok(None),
        Some(value) => value.as_i64().map(Some).ok_or(VerifyError::Claim {
            claim,
            expected: "whole number of seconds",
        }),
    }
}

/// A string claim: absent, or a string; anything else is an error.
pub(crate) fn text<'c>(
    claims: &'c Map<String, Value>,
    claim: &'static str,
) -> Result<Option<&'c str>, VerifyError> {
    match claims.get(claim) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(VerifyError::Claim {
            claim,
            expected: "string",
        }),
    }
}

/// A claim that is a list of strings, its strings (other members are skipped); `None`
/// when absent or not a list.
pub(crate) fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    let list = value?.as_array()?;
    Some(
        list.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

/// Checks the times: `exp` is required and must be after `now - skew`; `nbf` and `iat`,
/// when present, must not be after `now + skew`.
pub(crate) fn check_times(
    claims: &Map<String, Value>,
    now: i64,
    skew: i64,
) -> Result<(), VerifyError> {
    let exp = time(claims, "exp")?.ok_or(VerifyError::Claim {
        claim: "exp",
        expected: "whole number of seconds",
    })?;
    if exp <= now.saturating_sub(skew) {
        return Err(VerifyError::Expired { exp, now, skew });
    }
    if let Some(nbf) = time(claims, "nbf")? {
        if nbf > now.saturating_add(skew) {
            return Err(VerifyError::NotActiveYet { nbf, now, skew });
        }
    }
    if let Some(iat) = time(claims, "iat")? {
        if iat > now.saturating_add(skew) {
            return Err(VerifyError::IssuedInTheFuture { iat, now, skew });
        }
    }
    Ok(())
}

/// Checks `azp` against the authorized parties, when the service names any: a missing,
/// empty or unlisted `azp` fails.
pub(crate) fn check_authorized_party(
    claims: &Map<String, Value>,
    parties: &[String],
) -> Result<(), VerifyError> {
    if parties.is_empty() {
        return Ok(());
    }
    let azp = claims.get("azp");
    match azp.and_then(Value::as_str) {
        Some(azp) if !azp.is_empty() && parties.iter().any(|p| p == azp) => Ok(()),
        _ => Err(VerifyError::AuthorizedParty {
            azp: azp.map(|v| Untrusted::new(v.as_str().unwrap_or("(not a string)"))),
        }),
    }
}

/// Checks `iss` is exactly the issuer, when the service has one.
pub(crate) fn check_issuer(
    claims: &Map<String, Value>,
    issuer: Option<&str>,
) -> Result<(), VerifyError> {
    let Some(issuer) = issuer else {
        return Ok(());
    };
    let iss = claims.get("iss");
    match iss.and_then(Value::as_str) {
        Some(iss) if iss == issuer => Ok(()),
        _ => Err(VerifyError::Issuer {
            iss: iss.map(|v| Untrusted::new(v.as_str().unwrap_or("(not a string)"))),
        }),
    }
}

/// Checks `aud` names one of the audiences, when the service asks: a string, or a list of
/// strings of which one is listed. A token's `aud` is not looked at otherwise.
pub(crate) fn check_audience(
    claims: &Map<String, Value>,
    audiences: &[String],
) -> Result<(), VerifyError> {
    if audiences.is_empty() {
        return Ok(());
    }
    let listed = |aud: &Value| {
        aud.as_str()
            .is_some_and(|a| audiences.iter().any(|x| x == a))
    };
    match claims.get("aud") {
        Some(aud @ Value::String(_)) if listed(aud) => Ok(()),
        Some(Value::Array(auds)) if auds.iter().any(listed) => Ok(()),
        _ => Err(VerifyError::Audience),
    }
}

/// Every check of a session token's registered claims, in Clerk's order (subject, times,
/// authorized party), then the issuer and the audience.
pub(crate) fn check(
    claims: &Map<String, Value>,
    expected: &Expected,
    now: i64,
) -> Result<(), VerifyError> {
    text(claims, "sub")?.ok_or(VerifyError::Claim {
        claim: "sub",
        expected: "string",
    })?;
    check_times(claims, now, expected.skew)?;
    check_authorized_party(claims, &expected.authorized_parties)?;
    check_issuer(claims, expected.issuer.as_deref())?;
    check_audience(claims, &expected.audiences)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    #[test]
    fn times_are_whole_seconds_and_the_skew_applies_both_ways() {
        let c = claims(json!({"exp": 100, "nbf": 90, "iat": 90}));
        assert!(check_times(&c, 99, 0).is_ok());
        assert!(matches!(
            check_times(&c, 100, 0),
            Err(VerifyError::Expired { .. })
        ));
        assert!(check_times(&c, 104, 5).is_ok());
        assert!(matches!(
            check_times(&c, 85, 0),
            Err(VerifyError::NotActiveYet { .. })
        ));
        assert!(check_times(&c, 85, 5).is_ok());
        for bad in [
            json!({"exp": "100"}),
            json!({"exp": 100.5}),
            json!({}),
            json!({"exp": 100, "nbf": "1"}),
            json!({"exp": 100, "iat": null}),
        ] {
            assert!(
                matches!(
                    check_times(&claims(bad.clone()), 0, 0),
                    Err(VerifyError::Claim { .. })
                ),
                "{bad}"
            );
        }
        // The ends of i64 neither wrap nor pass.
        let c = claims(json!({"exp": i64::MAX, "nbf": i64::MIN, "iat": i64::MIN}));
        assert!(check_times(&c, i64::MAX - 1, i64::MAX).is_ok());
        let c = claims(json!({"exp": i64::MIN}));
        assert!(matches!(
            check_times(&c, i64::MIN, i64::MAX),
            Err(VerifyError::Expired { .. })
        ));
    }

    #[test]
    fn audience_is_looked_at_only_when_asked_for() {
        let c = claims(json!({"aud": ["mch_1", "mch_2"]}));
        assert!(check_audience(&c, &[]).is_ok());
        assert!(check_audience(&c, &["mch_2".into()]).is_ok());
        assert!(check_audience(&c, &["mch_3".into()]).is_err());
        assert!(check_audience(&claims(json!({"aud": "a"})), &["a".into()]).is_ok());
        assert!(check_audience(&claims(json!({"aud": 7})), &["7".into()]).is_err());
        assert!(check_audience(&claims(json!({})), &["a".into()]).is_err());
    }
}
