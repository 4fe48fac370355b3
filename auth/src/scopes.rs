//! The compact claims of a v2 session token: features and plans by scope (`fea`, `pla`:
//! `o:reports,u:dashboard,ou:chat`), and an organization's permissions as one bitmask per
//! organization feature (`fpm`: decimal numbers over the permission names of `per`), which
//! can be wider than 2^53 and are read as exact integers.

/// Names by the scope they apply to: the user's own, the active organization's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scoped {
    /// Names scoped to the user (`u:`, `uo:`, `ou:`).
    pub user: Vec<String>,
    /// Names scoped to the active organization (`o:`, `ou:`, `uo:`).
    pub org: Vec<String>,
}

impl Scoped {
    /// Reads `o:a,u:b,ou:c`. An element without a scope makes the whole claim unreadable
    /// (`None`): what depends on it grants nothing. An unknown scope is skipped.
    pub(crate) fn parse(claim: &str) -> Option<Scoped> {
        let mut scoped = Scoped::default();
        for element in claim.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (scope, name) = element.split_once(':')?;
            let name = name.to_string();
            match scope {
                "o" => scoped.org.push(name),
                "u" => scoped.user.push(name),
                "ou" | "uo" => {
                    scoped.org.push(name.clone());
                    scoped.user.push(name);
                }
                _ => {}
            }
        }
        Some(scoped)
    }

    /// Whether `name` is listed: `o:x`/`org:x`/`organization:x` in the organization's,
    /// `u:x`/`user:x` in the user's, a bare `x` in either.
    pub fn contains(&self, name: &str) -> bool {
        match name.split_once(':') {
            Some(("o" | "org" | "organization", bare)) => self.org.iter().any(|n| n == bare),
            Some(("u" | "user", bare)) => self.user.iter().any(|n| n == bare),
            Some(_) => false,
            None => self.org.iter().chain(&self.user).any(|n| n == name),
        }
    }
}

/// The organization permissions of a v2 token: for each organization feature (in the order
/// of `fea`'s organization-scoped names), the permissions of `per` whose bit is set in that
/// feature's mask of `fpm`, as `org:<feature>:<permission>`. A mask that is not a decimal
/// number grants nothing for its feature; bits past the permission names count for nothing.
pub(crate) fn organization_permissions(
    org_features: &[String],
    per: &str,
    fpm: &str,
) -> Vec<String> {
    let names: Vec<&str> = per.split(',').map(str::trim).collect();
    let masks: Vec<&str> = fpm.split(',').map(str::trim).collect();
    let mut granted = Vec::new();
    for (feature, mask) in org_features.iter().zip(&masks) {
        let bits = low_bits(mask, names.len()).unwrap_or_default();
        for (name, set) in names.iter().zip(bits) {
            if set {
                granted.push(format!("org:{feature}:{name}"));
            }
        }
    }
    granted
}

/// The lowest `count` bits of a decimal number of any size, least significant first;
/// `None` when `decimal` is not digits only. Exact for any width: the number is built in
/// 64-bit limbs modulo 2^(64 * limbs), which keeps every bit below `count`.
fn low_bits(decimal: &str, count: usize) -> Option<Vec<bool>> {
    if decimal.is_empty() || !decimal.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut limbs = vec![0u64; count.div_ceil(64).max(1)];
    for digit in decimal.bytes().map(|b| u64::from(b - b'0')) {
        // limbs = limbs * 10 + digit, carrying upward; what overflows the top is dropped.
        let mut carry = u128::from(digit);
        for limb in limbs.iter_mut() {
            let wide = u128::from(*limb) * 10 + carry;
            *limb = u64::try_from(wide & u128::from(u64::MAX)).unwrap_or_default();
            carry = wide >> 64;
        }
    }
    Some(
        (0..count)
            .map(|i| limbs[i / 64] >> (i % 64) & 1 == 1)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(count: usize) -> String {
        (0..count)
            .map(|i| format!("permission_{i}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn granted(fea: &str, per: &str, fpm: &str) -> Vec<String> {
        let org = Scoped::parse(fea).map(|s| s.org).unwrap_or_default();
        organization_permissions(&org, per, fpm)
    }

    #[test]
    fn masks_past_two_to_the_53_are_exact() {
        let per = names(54);
        assert_eq!(
            granted("o:feature", &per, "9007199254740993"),
            ["org:feature:permission_0", "org:feature:permission_53"]
        );
        assert_eq!(
            granted("o:feature", &per, "9007199254740995"),
            [
                "org:feature:permission_0",
                "org:feature:permission_1",
                "org:feature:permission_53"
            ]
        );
        assert!(granted("o:feature", &per, "18014398509481984").is_empty());
        for (mask, bits) in [
            ("1", vec![0]),
            ("3", vec![0, 1]),
            ("7", vec![0, 1, 2]),
            ("21", vec![0, 2, 4]),
            ("007", vec![0, 1, 2]),
        ] {
            let expected: Vec<String> = bits
                .iter()
                .map(|b| format!("org:feature:permission_{b}"))
                .collect();
            assert_eq!(granted("o:feature", &per, mask), expected, "{mask}");
        }
        // A mask hundreds of bits wide.
        let wide = format!("{}", u128::MAX);
        assert_eq!(granted("o:f", &names(130), &wide).len(), 128);
    }

    #[test]
    fn a_malformed_mask_grants_nothing() {
        for mask in ["1invalid", "-1", "1.5", "", " ", "0x1"] {
            assert!(granted("o:feature", &names(2), mask).is_empty(), "{mask:?}");
        }
    }

    #[test]
    fn clerks_vectors() {
        let cases: [(&str, &str, &str, &[&str]); 6] = [
            (
                "o:impersonation",
                "read,manage",
                "3",
                &["org:impersonation:read", "org:impersonation:manage"],
            ),
            (
                "o:impersonation,o:memberships",
                "read,manage",
                "1,3",
                &[
                    "org:impersonation:read",
                    "org:memberships:read",
                    "org:memberships:manage",
                ],
            ),
            (
                "uo:impersonation,o:memberships,uo:feature3",
                "read,manage",
                "1,3,1",
                &[
                    "org:impersonation:read",
                    "org:memberships:read",
                    "org:memberships:manage",
                    "org:feature3:read",
                ],
            ),
            (
                "ou:memberships,u:impersonation",
                "read,manage",
                "3,0",
                &["org:memberships:read", "org:memberships:manage"],
            ),
            (
                "o:repositories,o:projects",
                "read,create,update,delete,revoke",
                "7,21",
                &[
                    "org:repositories:read",
                    "org:repositories:create",
                    "org:repositories:update",
                    "org:projects:read",
                    "org:projects:update",
                    "org:projects:revoke",
                ],
            ),
            (
                "o:repositories,o:impersonation,o:billing",
                "manage,read,update",
                "6,0,3",
                &[
                    "org:repositories:read",
                    "org:repositories:update",
                    "org:billing:manage",
                    "org:billing:read",
                ],
            ),
        ];
        for (fea, per, fpm, expected) in cases {
            assert_eq!(granted(fea, per, fpm), expected, "{fea} {fpm}");
        }
    }

    #[test]
    fn scopes_split_and_match_as_clerk_does() {
        let s = Scoped::parse("o:reservations,u:dashboard,ou:support-chat,uo:billing").unwrap();
        assert_eq!(s.org, ["reservations", "support-chat", "billing"]);
        assert_eq!(s.user, ["dashboard", "support-chat", "billing"]);
        assert!(Scoped::parse("reservations,dashboard").is_none());
        let s = Scoped::parse("o:reservations,u:dashboard").unwrap();
        for yes in [
            "o:reservations",
            "org:reservations",
            "organization:reservations",
            "reservations",
            "u:dashboard",
            "user:dashboard",
            "dashboard",
        ] {
            assert!(s.contains(yes), "{yes}");
        }
        for no in ["lol:dashboard", "u:reservations", "o:dashboard", "billing"] {
            assert!(!s.contains(no), "{no}");
        }
    }
}
