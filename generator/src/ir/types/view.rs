//! Reading a schema: one normalised view of it whichever `SchemaKind` the parser chose,
//! and the questions the mapping asks of it (a single member, a null member, a real
//! `anyOf`).

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::SchemaRef;

/// A normalised view of any schema, whichever `SchemaKind` openapiv3 chose for it.
#[derive(Default)]
pub(super) struct View<'s> {
    pub(super) typ: Option<&'s str>,
    pub(super) format: Option<String>,
    pub(super) properties: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    pub(super) required: Vec<&'s String>,
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(super) enum_strings: Vec<String>,
    pub(super) one_of: &'s [ReferenceOr<Schema>],
    pub(super) all_of: &'s [ReferenceOr<Schema>],
    pub(super) any_of: &'s [ReferenceOr<Schema>],
    pub(super) has_not: bool,
}

pub(super) fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.typ = Some("string");
            v.format = format_name(&s.format);
            v.enum_strings = s.enumeration.iter().flatten().cloned().collect();
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.typ = Some("number");
            v.format = format_name(&n.format);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.typ = Some("integer");
            v.format = format_name(&i.format);
        }
        SchemaKind::Type(Type::Boolean(_)) => v.typ = Some("boolean"),
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object");
            v.properties = o.properties.iter().collect();
            v.required = o.required.iter().collect();
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array");
            v.items = a.items.as_ref();
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of,
        SchemaKind::AllOf { all_of } => v.all_of = all_of,
        SchemaKind::AnyOf { any_of } => v.any_of = any_of,
        SchemaKind::Not { .. } => v.has_not = true,
        SchemaKind::Any(a) => {
            v.typ = a.typ.as_deref();
            v.format = a.format.clone();
            v.properties = a.properties.iter().collect();
            v.required = a.required.iter().collect();
            v.additional = a.additional_properties.as_ref();
            v.items = a.items.as_ref();
            v.enum_strings = a
                .enumeration
                .iter()
                .filter_map(|e| e.as_str().map(String::from))
                .collect();
            v.one_of = &a.one_of;
            v.all_of = &a.all_of;
            v.any_of = &a.any_of;
            v.has_not = a.not.is_some();
        }
    }
    v
}

pub(super) fn format_name<T: std::fmt::Debug>(
    f: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(i) => Some(format!("{i:?}").to_lowercase()),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.to_lowercase()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

/// The one member a `oneOf`/`allOf`/`anyOf` wraps, when the wrapper adds nothing else
/// (a `null` member alongside it only makes it nullable).
pub(super) fn single_member<'s>(v: &View<'s>) -> Option<SchemaRef<'s>> {
    // A `required` list of the wrapper's own constrains the member: the two merge.
    if !v.properties.is_empty() || !v.required.is_empty() || v.typ.is_some_and(|t| t != "object") {
        return None;
    }
    let list = if !v.one_of.is_empty() {
        v.one_of
    } else if !v.all_of.is_empty() {
        v.all_of
    } else if real_any_of(v) {
        v.any_of
    } else {
        return None;
    };
    // In an `allOf`, a member that only restates a scalar type (`{type: string,
    // nullable: true}` beside a `$ref` to a string) adds no shape of its own.
    let is_all_of = v.one_of.is_empty() && !v.all_of.is_empty();
    let mut shaping = list.iter().filter(|m| shapes_value(m, is_all_of));
    let first = shaping
        .next()
        .or_else(|| list.iter().find(|m| !is_null_schema(m)))?;
    shaping.next().is_none().then(|| first.into())
}

/// Whether a member of a composition gives the value its shape: not a `null` member, and
/// in an `allOf` not one that only annotates ([`restates_scalar`]).
pub(super) fn shapes_value(m: &ReferenceOr<Schema>, in_all_of: bool) -> bool {
    !(is_null_schema(m) || in_all_of && restates_scalar(m))
}

/// An inline schema with nothing that shapes a value (properties, items, composition, an
/// enum), of a scalar type or of none: constraints and annotations only
/// (`{description, example}` beside a `$ref`).
pub(super) fn restates_scalar(m: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(s) = m else {
        return false;
    };
    let v = view(s);
    matches!(
        v.typ,
        None | Some("string" | "integer" | "number" | "boolean")
    ) && v.enum_strings.is_empty()
        && v.items.is_none()
        && v.additional.is_none()
        && v.required.is_empty()
        && !v.has_not
        && v.properties.is_empty()
        && v.one_of.is_empty()
        && v.all_of.is_empty()
        && v.any_of.is_empty()
}

pub(super) fn has_null_member(v: &View<'_>) -> bool {
    let nullable_restatement = |m: &ReferenceOr<Schema>| {
        restates_scalar(m) && matches!(m, ReferenceOr::Item(s) if s.schema_data.nullable)
    };
    v.one_of.iter().chain(v.any_of).any(is_null_schema)
        || v.all_of
            .iter()
            .any(|m| is_null_schema(m) || nullable_restatement(m))
}

pub(super) fn single_pointer(v: &View<'_>, pointer: &str) -> String {
    let (key, list) = if !v.one_of.is_empty() {
        ("oneOf", v.one_of)
    } else if !v.all_of.is_empty() {
        ("allOf", v.all_of)
    } else {
        ("anyOf", v.any_of)
    };
    // The member `single_member` picks.
    let shaping = |m: &ReferenceOr<Schema>| shapes_value(m, key == "allOf");
    let i = list
        .iter()
        .position(shaping)
        .or_else(|| list.iter().position(|m| !is_null_schema(m)))
        .unwrap_or(0);
    format!("{pointer}/{key}/{i}")
}

/// `anyOf` that describes alternatives, not just alternative `required` lists.
pub(super) fn real_any_of(v: &View<'_>) -> bool {
    v.any_of.iter().any(|m| match m {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(s) => {
            let mv = view(s);
            mv.typ.is_some()
                || !mv.properties.is_empty()
                || !mv.one_of.is_empty()
                || !mv.all_of.is_empty()
        }
    }) && v.properties.is_empty()
}

pub(super) fn is_null_schema(m: &ReferenceOr<Schema>) -> bool {
    match m {
        ReferenceOr::Item(s) => {
            let v = view(s);
            v.typ == Some("null")
                || (v.typ.is_none()
                    && s.schema_data.nullable
                    && v.properties.is_empty()
                    && v.one_of.is_empty()
                    && v.all_of.is_empty())
        }
        ReferenceOr::Reference { .. } => false,
    }
}
