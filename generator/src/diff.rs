//! What changed in the generated API between two surfaces ([`ApiSurface`], the public
//! shape of a generated crate), for the people who use the crate. [`diff`] compares two
//! surfaces; each [`Change`] says whether it breaks code written against the old crate,
//! and [`Report`] suggests the semver bump and renders a CHANGELOG entry.

use std::fmt::Write as _;

use serde::Serialize;

use crate::surface::{ApiSurface, OperationSurface, TypeSurface};

/// One change, as a user of the crate sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Breaking changes sort first.
    pub breaking: bool,
    /// What happened (`type removed`, `parameter added`, ...).
    pub kind: &'static str,
    /// What it happened to, as the user writes it (`users::get_user`).
    pub subject: String,
    /// How, where the kind does not say it all.
    pub detail: String,
}

/// The changes between two surfaces, and what they mean for the crate's version.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The old document's API version.
    pub from: String,
    /// The new one's.
    pub to: String,
    /// The changes, breaking ones first.
    pub changes: Vec<Change>,
}

/// Compares two surfaces.
pub fn diff(old: &ApiSurface, new: &ApiSurface) -> Report {
    let same = |o: &str, n: &str| resolved(o, old) == resolved(n, new);
    let mut changes = Vec::new();
    let mut push = |breaking: bool, kind: &'static str, subject: &str, detail: String| {
        changes.push(Change {
            breaking,
            kind,
            subject: subject.to_string(),
            detail,
        });
    };
    for (id, o) in &old.operations {
        match new.operations.get(id) {
            None => push(
                true,
                "operation removed",
                id,
                format!("`{}` ({} {})", o.rust, o.method, o.path),
            ),
            Some(n) => operation_changes(id, o, n, &same, &mut push),
        }
    }
    for (id, n) in &new.operations {
        if !old.operations.contains_key(id) {
            push(
                false,
                "operation added",
                id,
                format!("`{}` ({} {})", n.rust, n.method, n.path),
            );
        }
    }
    for (name, o) in &old.types {
        match new.types.get(name) {
            None => push(true, "type removed", name, format!("`models::{name}`")),
            Some(n) => match unfolded(o, n, old) {
                // The fields are the same, but it is no longer the type it named: a value
                // of that type no longer passes for it.
                Some(target) if target == n => push(
                    true,
                    "alias became a type",
                    name,
                    format!(
                        "`models::{name}` has the fields of `{}`, but is a type of its own",
                        alias_target(format!("models::{name}"), old)
                    ),
                ),
                Some(target) => type_changes(name, target, n, &same, &mut push),
                None => type_changes(name, o, n, &same, &mut push),
            },
        }
    }
    for name in new.types.keys() {
        if !old.types.contains_key(name) {
            push(false, "type added", name, format!("`models::{name}`"));
        }
    }
    changes.sort_by(|a, b| {
        b.breaking
            .cmp(&a.breaking)
            .then(a.kind.cmp(b.kind))
            .then(a.subject.cmp(&b.subject))
            .then(a.detail.cmp(&b.detail))
    });
    Report {
        from: old.api_version.clone(),
        to: new.api_version.clone(),
        changes,
    }
}

fn operation_changes(
    id: &str,
    o: &OperationSurface,
    n: &OperationSurface,
    same: &impl Fn(&str, &str) -> bool,
    push: &mut impl FnMut(bool, &'static str, &str, String),
) {
    if o.rust != n.rust {
        push(
            true,
            "operation moved",
            id,
            format!("`{}` is now `{}`", o.rust, n.rust),
        );
    }
    if (&o.method, &o.path) != (&n.method, &n.path) {
        push(
            false,
            "operation route changed",
            id,
            format!("{} {} -> {} {}", o.method, o.path, n.method, n.path),
        );
    }
    if !o.deprecated && n.deprecated {
        push(false, "operation deprecated", id, format!("`{}`", n.rust));
    }
    for (p, (ty, required)) in &o.params {
        match n.params.get(p) {
            None => push(
                true,
                "parameter removed",
                id,
                format!("`{p}` of `{}`", n.rust),
            ),
            Some((nty, _)) if nty != ty => {
                let (breaking, kind) = retyped(
                    same(ty, nty),
                    "parameter type changed",
                    "parameter type renamed",
                );
                push(
                    breaking,
                    kind,
                    id,
                    format!("`{p}` of `{}`: {ty} -> {nty}", n.rust),
                );
            }
            Some((_, nreq)) if nreq != required => {
                let what = if *nreq {
                    "became required (now an argument)"
                } else {
                    "became optional (now a setter)"
                };
                push(
                    true,
                    "parameter requirement changed",
                    id,
                    format!("`{p}` of `{}` {what}", n.rust),
                );
            }
            Some(_) => {}
        }
    }
    for (p, (ty, required)) in &n.params {
        if !o.params.contains_key(p) {
            let (breaking, how) = if *required {
                (true, "required argument")
            } else {
                (false, "optional setter")
            };
            push(
                breaking,
                "parameter added",
                id,
                format!("`{p}` of `{}` ({how}, {ty})", n.rust),
            );
        }
    }
    if o.body != n.body {
        let same_body = match (&o.body, &n.body) {
            (Some(ob), Some(nb)) => same(ob, nb),
            _ => false,
        };
        let (breaking, kind) = retyped(same_body, "body type changed", "body type renamed");
        push(
            breaking,
            kind,
            id,
            format!(
                "`{}`: {} -> {}",
                n.rust,
                o.body.as_deref().unwrap_or("none"),
                n.body.as_deref().unwrap_or("none")
            ),
        );
    }
    if o.response != n.response {
        let (breaking, kind) = retyped(
            same(&o.response, &n.response),
            "response type changed",
            "response type renamed",
        );
        push(
            breaking,
            kind,
            id,
            format!("`{}`: {} -> {}", n.rust, o.response, n.response),
        );
    }
}

/// Whether a change of type breaks code: a new name that is an alias of the same type
/// (an inline schema now named for its own place) breaks none, and is a rename.
fn retyped(same: bool, changed: &'static str, renamed: &'static str) -> (bool, &'static str) {
    if same {
        (false, renamed)
    } else {
        (true, changed)
    }
}

/// A type as a surface writes it (`Option<Vec<models::Item>>`), with each alias of the
/// surface replaced by what it names, so that two spellings of one type compare equal.
fn resolved(ty: &str, surface: &ApiSurface) -> String {
    const MODELS: &str = "models::";
    let mut out = String::new();
    let mut rest = ty;
    while let Some(at) = rest.find(MODELS) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MODELS.len()..];
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..end];
        out.push_str(&alias_target(format!("{MODELS}{name}"), surface));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// What a model name stands for through its aliases. A cycle of aliases (which a
/// surface read from disk could hold) ends at the least name in it, so every name of the
/// cycle stands for the same thing.
fn alias_target(start: String, surface: &ApiSurface) -> String {
    let mut chain = vec![start];
    loop {
        let last = chain.last().expect("the chain starts with a name");
        let Some(TypeSurface::Alias { target }) = last
            .strip_prefix("models::")
            .and_then(|n| surface.types.get(n))
        else {
            return chain.pop().expect("the chain starts with a name");
        };
        if let Some(at) = chain.iter().position(|seen| seen == target) {
            return chain.drain(at..).min().expect("a cycle has a name");
        }
        chain.push(target.clone());
    }
}

fn type_changes(
    name: &str,
    o: &TypeSurface,
    n: &TypeSurface,
    same: &impl Fn(&str, &str) -> bool,
    push: &mut impl FnMut(bool, &'static str, &str, String),
) {
    match (o, n) {
        (
            TypeSurface::Struct {
                fields: of,
                non_exhaustive: was_open,
            },
            TypeSurface::Struct {
                fields: nf,
                non_exhaustive: open,
            },
        ) => {
            exhaustiveness(name, *was_open, *open, push);
            field_changes(name, of, nf, *open, same, push);
        }
        (
            TypeSurface::Enum {
                values: ov,
                non_exhaustive: was_open,
            },
            TypeSurface::Enum {
                values: nv,
                non_exhaustive: open,
            },
        ) => {
            exhaustiveness(name, *was_open, *open, push);
            for v in ov.iter().filter(|v| !nv.contains(v)) {
                push(
                    true,
                    "enum value removed",
                    name,
                    format!("`{name}`: \"{v}\""),
                );
            }
            // Values the crate does not know decode into the fallback variant either way;
            // a new variant breaks only an exhaustive `match`, which a non-exhaustive enum
            // rules out.
            for v in nv.iter().filter(|v| !ov.contains(v)) {
                push(
                    !open,
                    "enum value added",
                    name,
                    format!("`{name}`: \"{v}\""),
                );
            }
        }
        // Renamed variant types or alias targets that are the same types break nothing.
        (TypeSurface::Union { variants: ov }, TypeSurface::Union { variants: nv })
            if ov != nv && ov.len() == nv.len() && ov.iter().zip(nv).all(|(o, n)| same(o, n)) =>
        {
            let detail = format!("`{name}`: {} -> {}", ov.join(", "), nv.join(", "));
            push(false, "variant type renamed", name, detail);
        }
        (TypeSurface::Alias { target: ot }, TypeSurface::Alias { target: nt })
            if ot != nt && same(ot, nt) =>
        {
            push(
                false,
                "alias target renamed",
                name,
                format!("`{name}`: {ot} -> {nt}"),
            );
        }
        (o, n) if o != n => push(
            true,
            "type changed",
            name,
            format!("`models::{name}` changed shape"),
        ),
        _ => {}
    }
}

/// When an alias of the old surface is a type of its own in the new one (a schema once
/// folded into another of the same shape, now apart), the old type it stood for: code
/// that used the alias used that type, so its fields compare against the new type's.
fn unfolded<'a>(
    old: &'a TypeSurface,
    new: &TypeSurface,
    surface: &'a ApiSurface,
) -> Option<&'a TypeSurface> {
    let TypeSurface::Alias { target } = old else {
        return None;
    };
    if matches!(new, TypeSurface::Alias { .. }) {
        return None;
    }
    let resolved = alias_target(target.clone(), surface);
    surface.types.get(resolved.strip_prefix("models::")?)
}

/// A type that becomes `#[non_exhaustive]` breaks code that builds it with a literal or
/// matches it exhaustively; one that stops being so breaks nothing.
fn exhaustiveness(
    name: &str,
    was_open: bool,
    open: bool,
    push: &mut impl FnMut(bool, &'static str, &str, String),
) {
    match (was_open, open) {
        (false, true) => push(
            true,
            "type became non-exhaustive",
            name,
            format!("`models::{name}`"),
        ),
        (true, false) => push(
            false,
            "type became exhaustive",
            name,
            format!("`models::{name}`"),
        ),
        _ => {}
    }
}

/// A struct's fields: a removed or retyped field breaks its readers; a new field breaks
/// literals of an exhaustive struct only when it is required (an optional one is left to
/// `..Default::default()`, as the crate's docs ask), and nothing in a non-exhaustive one.
fn field_changes(
    name: &str,
    old: &std::collections::BTreeMap<String, String>,
    new: &std::collections::BTreeMap<String, String>,
    open: bool,
    same: &impl Fn(&str, &str) -> bool,
    push: &mut impl FnMut(bool, &'static str, &str, String),
) {
    for (f, ty) in old {
        match new.get(f) {
            None => push(true, "field removed", name, format!("`{name}.{f}` ({ty})")),
            Some(nty) if nty != ty => {
                let (breaking, kind) =
                    retyped(same(ty, nty), "field type changed", "field type renamed");
                push(breaking, kind, name, format!("`{name}.{f}`: {ty} -> {nty}"));
            }
            Some(_) => {}
        }
    }
    for (f, ty) in new.iter().filter(|(f, _)| !old.contains_key(*f)) {
        let optional = ty.starts_with("Option<") || ty.starts_with("Patch<");
        let (breaking, kind) = match open || optional {
            true => (false, "field added"),
            false => (true, "required field added"),
        };
        push(breaking, kind, name, format!("`{name}.{f}` ({ty})"));
    }
}

impl Report {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes break callers.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// The version after this change, by Cargo's semver rules (before 1.0 a breaking
    /// change bumps the minor version, anything else the patch version).
    pub fn suggest_version(&self, current: &str) -> String {
        let mut parts: Vec<u64> = current.split('.').map(|p| p.parse().unwrap_or(0)).collect();
        parts.resize(3, 0);
        let (major, minor, patch) = (parts[0], parts[1], parts[2]);
        let additive = self.changes.iter().any(|c| !c.breaking);
        match (self.breaking() > 0, major) {
            (true, 0) => format!("0.{}.0", minor + 1),
            (true, m) => format!("{}.0.0", m + 1),
            (false, 0) => format!("0.{minor}.{}", patch + 1),
            (false, m) if additive => format!("{m}.{}.0", minor + 1),
            (false, m) => format!("{m}.{minor}.{}", patch + 1),
        }
    }

    /// The report as Markdown: a summary line, then breaking changes, then the rest.
    pub fn render(&self, current_version: &str) -> String {
        let mut out = String::new();
        let breaking = self.breaking();
        let _ = writeln!(
            out,
            "API version {} -> {}: {} changes, {breaking} breaking; suggested crate version {} (from {current_version}).",
            self.from,
            self.to,
            self.changes.len(),
            self.suggest_version(current_version)
        );
        for (title, want) in [("Breaking", true), ("Other changes", false)] {
            let group: Vec<&Change> = self.changes.iter().filter(|c| c.breaking == want).collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title}\n");
            for c in group {
                let _ = writeln!(out, "- {}: {}", c.kind, c.detail);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn surface(types: &[(&str, TypeSurface)]) -> ApiSurface {
        ApiSurface {
            api_version: "1".into(),
            operations: BTreeMap::new(),
            types: types
                .iter()
                .map(|(n, t)| (n.to_string(), t.clone()))
                .collect(),
        }
    }

    fn holder(ty: &str) -> TypeSurface {
        TypeSurface::Struct {
            fields: [("status".to_string(), ty.to_string())].into(),
            non_exhaustive: false,
        }
    }

    fn alias(target: &str) -> TypeSurface {
        TypeSurface::Alias {
            target: target.to_string(),
        }
    }

    #[test]
    fn aliases_resolve_inside_compound_types() {
        let s = surface(&[("B", alias("models::A")), ("C", alias("models::B"))]);
        assert_eq!(
            resolved("Option<Vec<models::C>>", &s),
            "Option<Vec<models::A>>"
        );
        assert_eq!(resolved("models::Other", &s), "models::Other");
    }

    #[test]
    fn every_name_of_an_alias_cycle_stands_for_the_same_type() {
        let cycle = surface(&[
            ("Entry", alias("models::Y")),
            ("Y", alias("models::Z")),
            ("Z", alias("models::X")),
            ("X", alias("models::Y")),
        ]);
        for name in ["Entry", "X", "Y", "Z"] {
            assert_eq!(resolved(&format!("models::{name}"), &cycle), "models::X");
        }
        let own = surface(&[("S", alias("models::S"))]);
        assert_eq!(resolved("Vec<models::S>", &own), "Vec<models::S>");
    }

    #[test]
    fn a_field_renamed_to_an_alias_of_its_type_breaks_nothing() {
        let old = surface(&[
            ("A", alias("models::Base")),
            ("Holder", holder("models::Base")),
        ]);
        let renamed = surface(&[
            ("A", alias("models::Base")),
            ("HolderStatus", alias("models::Base")),
            ("Holder", holder("models::HolderStatus")),
        ]);
        let report = diff(&old, &renamed);
        let change = report
            .changes
            .iter()
            .find(|c| c.subject == "Holder")
            .unwrap();
        assert_eq!(
            (change.breaking, change.kind),
            (false, "field type renamed")
        );
        assert_eq!(report.breaking(), 0);
        let retyped = surface(&[
            ("A", alias("models::Base")),
            ("Holder", holder("models::Other")),
        ]);
        let change = diff(&old, &retyped)
            .changes
            .into_iter()
            .find(|c| c.subject == "Holder");
        assert_eq!(
            change.map(|c| (c.breaking, c.kind)),
            Some((true, "field type changed"))
        );
    }
    fn record(fields: &[(&str, &str)], non_exhaustive: bool) -> TypeSurface {
        TypeSurface::Struct {
            fields: fields
                .iter()
                .map(|(f, t)| (f.to_string(), t.to_string()))
                .collect(),
            non_exhaustive,
        }
    }

    fn kinds(report: &Report) -> Vec<(bool, &'static str)> {
        report
            .changes
            .iter()
            .map(|c| (c.breaking, c.kind))
            .collect()
    }

    #[test]
    fn a_field_added_breaks_only_literals_of_an_exhaustive_struct_that_must_name_it() {
        let before = |open| surface(&[("User", record(&[("id", "String")], open))]);
        let after = |open, ty| surface(&[("User", record(&[("id", "String"), ("age", ty)], open))]);
        // Non-exhaustive: nobody outside builds one, so any new field is additive.
        assert_eq!(
            kinds(&diff(&before(true), &after(true, "i64"))),
            [(false, "field added")]
        );
        // Exhaustive: an optional field is left to `..Default::default()`.
        assert_eq!(
            kinds(&diff(&before(false), &after(false, "Option<i64>"))),
            [(false, "field added")]
        );
        assert_eq!(
            kinds(&diff(&before(false), &after(false, "Patch<i64>"))),
            [(false, "field added")]
        );
        // A required one must be named in every literal.
        let report = diff(&before(false), &after(false, "i64"));
        assert_eq!(kinds(&report), [(true, "required field added")]);
        assert_eq!(report.suggest_version("1.4.2"), "2.0.0");
    }

    #[test]
    fn becoming_non_exhaustive_breaks_literals_and_matches() {
        let closed = surface(&[("User", record(&[("id", "String")], false))]);
        let open = surface(&[("User", record(&[("id", "String")], true))]);
        assert_eq!(
            kinds(&diff(&closed, &open)),
            [(true, "type became non-exhaustive")]
        );
        assert_eq!(
            kinds(&diff(&open, &closed)),
            [(false, "type became exhaustive")]
        );
    }

    #[test]
    fn an_enum_value_added_breaks_only_an_exhaustive_enum() {
        let status = |values: &[&str], open| {
            surface(&[(
                "Status",
                TypeSurface::Enum {
                    values: values.iter().map(|v| v.to_string()).collect(),
                    non_exhaustive: open,
                },
            )])
        };
        assert_eq!(
            kinds(&diff(&status(&["a"], true), &status(&["a", "b"], true))),
            [(false, "enum value added")]
        );
        assert_eq!(
            kinds(&diff(&status(&["a"], false), &status(&["a", "b"], false))),
            [(true, "enum value added")]
        );
    }

    #[test]
    fn a_surface_recorded_before_exhaustiveness_reads_as_exhaustive() {
        let old: ApiSurface = serde_json::from_str(
            r#"{"api_version":"1","operations":{},"types":{
                "User":{"kind":"struct","fields":{"id":"String"}},
                "Status":{"kind":"enum","values":["a"]}}}"#,
        )
        .unwrap();
        assert_eq!(old.types["User"], record(&[("id", "String")], false));
        // And an exhaustive type is recorded without the flag, as before.
        let text = surface(&[("User", record(&[("id", "String")], false))]).to_file_text();
        assert!(!text.contains("non_exhaustive"), "{text}");
        let text = surface(&[("User", record(&[("id", "String")], true))]).to_file_text();
        assert!(text.contains("\"non_exhaustive\": true"), "{text}");
    }

    #[test]
    fn an_alias_that_becomes_a_type_of_the_same_shape_is_named_as_such() {
        let folded = surface(&[
            ("BanBody", record(&[("user_ids", "Vec<String>")], false)),
            ("UnbanBody", alias("models::BanBody")),
        ]);
        let apart = surface(&[
            ("BanBody", record(&[("user_ids", "Vec<String>")], false)),
            ("UnbanBody", record(&[("user_ids", "Vec<String>")], false)),
        ]);
        // Breaking (a `BanBody` no longer passes for an `UnbanBody`), and said as it is.
        let report = diff(&folded, &apart);
        assert_eq!(kinds(&report), [(true, "alias became a type")]);
        assert!(report.changes[0]
            .detail
            .contains("fields of `models::BanBody`"));
        // Apart and changed: reported against the type the alias named.
        let changed = surface(&[
            ("BanBody", record(&[("user_ids", "Vec<String>")], false)),
            (
                "UnbanBody",
                record(&[("user_ids", "Vec<String>"), ("reason", "String")], false),
            ),
        ]);
        assert_eq!(
            kinds(&diff(&folded, &changed)),
            [(true, "required field added")]
        );
        // An alias to a primitive that becomes a struct is a real change.
        let primitive = surface(&[("UnbanBody", alias("Vec<String>"))]);
        assert_eq!(
            kinds(&diff(&primitive, &apart)),
            [(true, "type changed"), (false, "type added")]
        );
    }
}
