//! Unions: `oneOf` with a discriminator (tagged) and `oneOf`/`anyOf` without one
//! (untagged, tried from the most specific member), their variants' names and tags.

use openapiv3::{ReferenceOr, Schema};

use super::view::{is_null_schema, view};
use super::{SchemaRef, TypeSpace};
use crate::ir::model::{TaggedVariant, TypeKind, TypeRef, TypeTable, UnionVariant};
use crate::ir::naming::{pascal, Namespace};

impl TypeSpace<'_> {
    pub(super) fn untagged(
        &mut self,
        owner: &str,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> TypeKind {
        let mut names = Namespace::default();
        let mut variants = Vec::new();
        for (i, m) in members.iter().enumerate() {
            if is_null_schema(m) {
                continue;
            }
            let member_ptr = format!("{pointer}/{i}");
            let hint = self.member_hint(owner, m, i);
            let ty = self.type_of_nullable(m.into(), &hint, &member_ptr);
            let name = names.claim(&variant_name(owner, &ty, i));
            variants.push(UnionVariant { name, ty });
        }
        order_by_specificity(&mut variants, |t| self.specificity(t));
        TypeKind::Untagged { variants }
    }

    /// How much a value must have to match a type: structs with more required fields
    /// first, free-form JSON last. Untagged decoding tries variants in this order.
    pub(super) fn specificity(&self, t: &TypeRef) -> (u8, usize, usize) {
        let t = self.unalias(t);
        match t {
            TypeRef::Json => (0, 0, 0),
            TypeRef::Option(inner) => self.specificity(inner),
            TypeRef::Named(_) => match self.kind_of(t) {
                Some(TypeKind::Struct { fields, .. }) => (
                    3,
                    fields.iter().filter(|f| f.required()).count(),
                    fields.len(),
                ),
                Some(TypeKind::Enum { .. }) => (2, 0, 0),
                _ => (1, 0, 0),
            },
            TypeRef::Map(_) => (1, 0, 0),
            _ => (2, 0, 0),
        }
    }

    pub(super) fn tagged(
        &mut self,
        owner: &str,
        members: &[ReferenceOr<Schema>],
        d: &openapiv3::Discriminator,
        tags: Vec<String>,
        pointer: &str,
    ) -> TypeKind {
        let mut names = Namespace::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        for ((i, m), tag_value) in members.iter().enumerate().zip(tags) {
            let member_ptr = format!("{pointer}/oneOf/{i}");
            let hint = self.member_hint(owner, m, i);
            let ty = self.type_of_nullable(m.into(), &hint, &member_ptr);
            let name = names.claim(&variant_name(owner, &ty, i));
            variants.push(TaggedVariant {
                name,
                tag_value,
                ty,
            });
        }
        TypeKind::Tagged {
            tag: d.property_name.clone(),
            variants,
            fallback: "Unknown".into(),
        }
    }

    /// The name hint for an inline union member: its single-valued property (the value of
    /// `object: "clerk_idp_oauth_access_token"`), else its position.
    pub(super) fn member_hint(&self, owner: &str, m: &ReferenceOr<Schema>, i: usize) -> String {
        let constant = match m {
            ReferenceOr::Item(s) => self.constant_property(s, None),
            ReferenceOr::Reference { .. } => None,
        };
        match constant {
            Some(value) => format!("{owner}{}", pascal(&value)),
            None => format!("{owner}Variant{}", i + 1),
        }
    }

    /// The value of a property (the named one, else the first such) whose schema is a
    /// single-valued string enum, across the schema's merged `allOf` members.
    pub(super) fn constant_property(&self, s: &Schema, name: Option<&str>) -> Option<String> {
        let mut props = Vec::new();
        let mut required = Vec::new();
        self.collect(SchemaRef::Item(s), "", &mut props, &mut required, 0);
        props
            .iter()
            .filter(|p| name.is_none_or(|n| p.name == n))
            .find_map(|p| match self.resolve(p.schema).map(view) {
                Some(v) if v.enum_strings.len() == 1 => Some(v.enum_strings[0].clone()),
                _ => None,
            })
    }

    /// The tag of one variant on the wire: from the mapping, else from the variant's
    /// single-valued enum on the tag property, else the component name (the spec's
    /// implicit mapping). An inline variant with neither has none.
    pub(super) fn tag_value(
        &self,
        m: &ReferenceOr<Schema>,
        d: &openapiv3::Discriminator,
    ) -> Option<String> {
        if let ReferenceOr::Reference { reference } = m {
            if let Some((tag, _)) = d.mapping.iter().find(|(_, target)| *target == reference) {
                return Some(tag.clone());
            }
        }
        if let Some(value) = self
            .resolve(m.into())
            .and_then(|s| self.constant_property(s, Some(&d.property_name)))
        {
            return Some(value);
        }
        match m {
            ReferenceOr::Reference { reference } => Some(crate::diag::unescape_token(
                reference.rsplit('/').next().unwrap_or_default(),
            )),
            ReferenceOr::Item(_) => None,
        }
    }
}

/// A variant's name: its type's name without the union's own name in front
/// (`Response::ClerkIdpOauthAccessToken`, not `Response::ResponseClerkIdpOauthAccessToken`).
fn variant_name(owner: &str, ty: &TypeRef, i: usize) -> String {
    match ty {
        TypeRef::Named(n) => match n.strip_prefix(owner) {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_string(),
            _ => n.clone(),
        },
        TypeRef::Option(inner) => variant_name(owner, inner, i),
        TypeRef::String => "String".into(),
        TypeRef::File => "File".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Vec(_) => "Array".into(),
        TypeRef::Map(_) | TypeRef::Json => "Object".into(),
        _ => format!("Variant{}", i + 1),
    }
}

/// Stable sort, most specific first; ties keep the spec's order.
fn order_by_specificity<K: Ord>(variants: &mut [UnionVariant], key: impl Fn(&TypeRef) -> K) {
    variants.sort_by_cached_key(|v| std::cmp::Reverse(key(&v.ty)));
}
