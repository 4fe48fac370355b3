//! The models module: one item per [`TypeDef`].

use super::paths::PATCH;
use proc_macro2::TokenStream;
use quote::quote;

use super::doc::{doc_attrs, inner_doc_attrs};
use super::Shape;
use super::{ident, model_type as rust_type};
use crate::ir::{
    Api, EnumVariant, Field, MappingRule, Presence, SerdeDirections, StatusVariant, TaggedVariant,
    TypeDef, TypeKind, TypeRef, TypeTable, UnionVariant,
};

/// The models with indices in `range`; the first range also gets the module header.
pub fn models_rs(api: &Api, shape: &Shape, range: std::ops::Range<usize>) -> TokenStream {
    let first = range.start == 0;
    let items = api.types[range].iter().map(|t| type_def(api, t));
    if !first {
        return quote!(#(#items)*);
    }
    let header = inner_doc_attrs(
        "Types for the API's schemas: one per component schema, plus one for each inline \
         schema that needs a name (named after where it appears).\n\n\
         Decoding ignores fields the spec does not declare. String enums are open: a value \
         the spec does not list decodes into the enum's fallback variant and encodes back \
         unchanged.",
    );
    let patch = shape.patch;
    // Types using `Patch` may all be behind features that are off.
    let lenient = super::unless_all_features(quote!(unused_imports));
    let patch = patch.then(|| {
        quote!(
            #lenient
            use #PATCH;
        )
    });
    quote! {
        #header
        #patch
        #(#items)*
    }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let strict = api.strict;
    let name = ident(&def.name);
    let features = def.features.as_deref();
    let cfg = super::gate(features, true);
    let mut doc = doc_attrs(&[def.doc.as_deref()]);
    let origin = super::doc::readable_origin;
    let mut source = format!(" Schema: `{}`.", origin(&def.pointer));
    match def.also_at.as_slice() {
        [] => {}
        [one] => source.push_str(&format!(
            " Also the schema at `{}`, of the same shape.",
            origin(one)
        )),
        [first, rest @ ..] => source.push_str(&format!(
            " Also the schema at `{}` and {} more of the same shape.",
            origin(first),
            rest.len()
        )),
    }
    if let (
        MappingRule::SameShape,
        TypeKind::Alias {
            target: TypeRef::Named(target),
        },
    ) = (def.rule, &def.kind)
    {
        source.push_str(&format!(
            " The same type as [`{target}`], whose shape it has, named for this place."
        ));
    }
    if def.non_exhaustive() && matches!(def.kind, TypeKind::Struct { .. }) {
        source.push_str(
            " Non-exhaustive, as the API may add fields: outside this crate, build one by \
             decoding JSON.",
        );
    }
    if doc.is_empty() {
        doc = quote!(#[doc = #source]);
    } else {
        doc = quote!(#doc #[doc = ""] #[doc = #source]);
    }
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let non_exhaustive = def.non_exhaustive().then(|| quote!(#[non_exhaustive]));
    let body = match &def.kind {
        TypeKind::Struct { fields, closed } => {
            struct_item(&name, fields, *closed && strict, features, def.serde)
        }
        TypeKind::Enum { variants, fallback } => enum_item(&name, variants, fallback, &cfg),
        TypeKind::Untagged { variants } => untagged_item(api, &name, variants, &cfg, def.serde),
        TypeKind::Tagged {
            tag,
            variants,
            fallback,
        } => tagged_item(api, &name, tag, variants, fallback, features, def.serde),
        TypeKind::Alias { target } => {
            let target = rust_type(target);
            quote!(pub type #name = #target;)
        }
        TypeKind::Statuses { variants } => statuses_item(&name, variants),
    };
    quote! { #doc #cfg #deprecated #non_exhaustive #body }
}

/// The derives of a struct or untagged union: the common ones and the serde directions
/// the API uses, plus the other direction only with the `roundtrip` feature (it costs
/// compile time every user would pay). Structs pass `decode: None`: their `Deserialize`
/// comes from the `struct_deserialize!` macro.
fn derives(encode: bool, decode: Option<bool>, default: bool) -> TokenStream {
    let mut always = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    if default {
        always.push(quote!(Default));
    }
    let mut optional = Vec::new();
    let wanted = [
        Some((encode, quote!(serde::Serialize))),
        decode.map(|d| (d, quote!(serde::Deserialize))),
    ];
    for (needed, derive) in wanted.into_iter().flatten() {
        if needed {
            always.push(derive);
        } else {
            optional.push(derive);
        }
    }
    let optional = (!optional.is_empty())
        .then(|| quote!(#[cfg_attr(feature = "roundtrip", derive(#(#optional),*))]));
    quote!(#[derive(#(#always),*)] #optional)
}

/// Whether a struct derives `Default`: a type requests send (a body, a part of one) whose
/// fields may all be left out (each an `Option` or a `Patch`), so that a caller writes
/// only what it sets (`..Default::default()`).
pub(crate) fn derives_default(fields: &[Field], directions: SerdeDirections) -> bool {
    directions.encode && fields.iter().all(|f| f.presence != Presence::Required)
}

/// A struct, its `Serialize` derive, and its `Deserialize` through `struct_deserialize!`
/// (the impl carries the type's feature gate; the struct gets it from the caller).
fn struct_item(
    name: &proc_macro2::Ident,
    fields: &[Field],
    deny_unknown: bool,
    features: Option<&[String]>,
    directions: SerdeDirections,
) -> TokenStream {
    let serde_gate = (!directions.encode).then(|| quote!(feature = "roundtrip"));
    let defs = fields.iter().map(|f| field(f, serde_gate.as_ref()));
    let derives = derives(directions.encode, None, derives_default(fields, directions));
    let de_cfg = super::gate(features, directions.decode);
    let strict = deny_unknown.then(|| quote!(strict));
    let wire = fields.iter().map(|f| {
        let name = ident(&f.name);
        let kind = match f.presence {
            Presence::Required | Presence::RequiredNullable => quote!(required),
            Presence::Optional | Presence::OptionalNullable | Presence::TriState => {
                quote!(optional)
            }
        };
        // `stringify!` gives the field's own name; a raw or renamed one needs its wire name.
        let wire = &f.wire_name;
        let wire = (name != wire).then(|| quote!(= #wire));
        quote!(#kind(#name #wire))
    });
    quote! {
        #derives
        pub struct #name { #(#defs,)* }
        #de_cfg
        struct_deserialize!(#strict #name { #(#wire),* });
    }
}

/// A struct field. Its `serde` attributes only serve `Serialize`, so a struct that
/// encodes only with `roundtrip` gets them only then (`gate`).
fn field(f: &Field, gate: Option<&TokenStream>) -> TokenStream {
    let name = ident(&f.name);
    let ty = rust_type(&f.ty);
    let ty = match f.presence.wrapper() {
        None => ty,
        Some(wrapper) => {
            let wrapper = ident(wrapper);
            quote!(#wrapper<#ty>)
        }
    };
    let doc = doc_attrs(&[f.doc.as_deref()]);
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    let mut serde = Vec::new();
    if f.name != f.wire_name {
        let wire = &f.wire_name;
        serde.push(quote!(rename = #wire));
    }
    match f.presence {
        // Required fields are always written; a nullable one writes `None` as `null`, which
        // is also what the API sends when the schema allows null.
        Presence::Required | Presence::RequiredNullable | Presence::OptionalNullable => {}
        Presence::Optional => serde.push(quote!(skip_serializing_if = "Option::is_none")),
        Presence::TriState => serde.push(quote!(skip_serializing_if = "Patch::is_absent")),
    }
    let serde = (!serde.is_empty()).then(|| match gate {
        Some(gate) => quote!(#[cfg_attr(#gate, serde(#(#serde),*))]),
        None => quote!(#[serde(#(#serde),*)]),
    });
    quote! { #doc #deprecated #serde pub #name: #ty }
}

/// An open enum: the type, `as_str`, `From<String>` and the serde impls (each item carries
/// `cfg`, the type's feature gate; the first item gets it from the caller).
fn enum_item(
    name: &proc_macro2::Ident,
    variants: &[EnumVariant],
    fallback: &str,
    cfg: &TokenStream,
) -> TokenStream {
    let fallback = ident(fallback);
    // A single-valued enum (`object: "user"`) defaults to its value, so builders fill it in.
    let single = variants.len() == 1;
    let derive_default = single.then(|| quote!(Default,));
    let defs = variants.iter().map(|v| {
        let n = ident(&v.name);
        let doc = format!(" `{}`", v.value.replace('`', "'"));
        let default = single.then(|| quote!(#[default]));
        quote!(#[doc = #doc] #default #n)
    });
    let values = variants.iter().map(|v| {
        let (n, value) = (ident(&v.name), &v.value);
        quote!(#n => #value)
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #derive_default)]
        pub enum #name {
            #(#defs,)*
            /// A value this version of the crate does not know; kept as sent.
            #fallback(String),
        }
        #cfg
        open_enum!(#name, #fallback, { #(#values),* });
    }
}

/// The success responses of an operation, by status: not serde types (the status picks
/// the variant), decoded by the operation's `send`.
fn statuses_item(name: &proc_macro2::Ident, variants: &[StatusVariant]) -> TokenStream {
    let defs = variants.iter().map(|v| {
        let n = ident(&v.name);
        let status = format!("`{}`", v.status);
        let doc = doc_attrs(&[Some(status.as_str()), v.doc.as_deref()]);
        match &v.ty {
            TypeRef::Unit => quote!(#doc #n,),
            ty => {
                let ty = rust_type(ty);
                quote!(#doc #n(#ty),)
            }
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#defs)*
            /// A success status the document does not list, with the body as it came.
            Other { status: u16, body: Vec<u8> },
        }
    }
}

fn untagged_item(
    api: &Api,
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    cfg: &TokenStream,
    directions: SerdeDirections,
) -> TokenStream {
    let defs = variants.iter().map(|v| {
        let (n, ty) = (ident(&v.name), rust_type(&v.ty));
        quote!(#n(#ty))
    });
    let derives = derives(directions.encode, Some(directions.decode), false);
    let members = variants.iter().map(|v| (v.name.as_str(), &v.ty));
    let from = from_impls(api, name, cfg, members);
    quote! {
        #derives
        #[serde(untagged)]
        pub enum #name { #(#defs,)* }
        #from
    }
}

/// `From<Variant>` for each variant whose type no other variant has (a boxed variant
/// takes the type it boxes), so a union is built from what it holds: `Shape::from(circle)`.
fn from_impls<'v>(
    api: &Api,
    name: &proc_macro2::Ident,
    cfg: &TokenStream,
    variants: impl Iterator<Item = (&'v str, &'v TypeRef)> + Clone,
) -> TokenStream {
    let unboxed = |t: &'v TypeRef| match t {
        TypeRef::Boxed(inner) => (&**inner, true),
        other => (other, false),
    };
    let impls = variants.clone().filter_map(|(variant, ty)| {
        let (inner, boxed) = unboxed(ty);
        // Two variants of one type (under one name or two aliases of it) would need two
        // impls of the same `From`: neither gets one.
        let shared = variants
            .clone()
            .filter(|(_, t)| api.unalias(unboxed(t).0) == api.unalias(inner))
            .count()
            > 1;
        if shared {
            return None;
        }
        let (v, t) = (ident(variant), rust_type(inner));
        let value = if boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        Some(quote! {
            #cfg
            impl From<#t> for #name {
                fn from(value: #t) -> Self {
                    Self::#v(#value)
                }
            }
        })
    });
    quote!(#(#impls)*)
}

fn tagged_item(
    api: &Api,
    name: &proc_macro2::Ident,
    tag: &str,
    variants: &[TaggedVariant],
    fallback: &str,
    features: Option<&[String]>,
    directions: SerdeDirections,
) -> TokenStream {
    let cfg = &super::gate(features, true);
    let fallback = ident(fallback);
    let defs = variants.iter().map(|v| {
        let (n, ty) = (ident(&v.name), rust_type(&v.ty));
        let doc = format!(" `{tag}: {}`", v.tag_value);
        quote!(#[doc = #doc] #n(#ty))
    });
    let names = variants.iter().map(|v| ident(&v.name));
    let ser_cfg = super::gate(features, directions.encode);
    let de_cfg = super::gate(features, directions.decode);
    // A tag value two variants share selects the first of them.
    let mut seen = std::collections::BTreeSet::new();
    let arms = variants
        .iter()
        .filter(|v| seen.insert(v.tag_value.as_str()))
        .map(|v| {
            let (n, value) = (ident(&v.name), &v.tag_value);
            quote!(#value => #n)
        });
    let values = variants.iter().map(|v| &v.tag_value);
    let members = variants.iter().map(|v| (v.name.as_str(), &v.ty));
    let from = from_impls(api, name, cfg, members);
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#defs,)*
            /// A variant this version of the crate does not know; kept as raw JSON.
            #fallback(serde_json::Value),
        }
        #from
        #ser_cfg
        tagged_serialize!(#name, #tag, #fallback, { #(#values => #names),* });
        #de_cfg
        tagged_deserialize!(#name, #tag, #fallback, { #(#arms),* });
    }
}

/// Whether a type renders with `Display` (so query and path values can use `to_string`).
pub(crate) fn is_display(api: &Api, t: &TypeRef) -> bool {
    match api.unalias(t) {
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64 => true,
        TypeRef::Named(_) => matches!(api.kind_of(t), Some(TypeKind::Enum { .. })),
        _ => false,
    }
}
