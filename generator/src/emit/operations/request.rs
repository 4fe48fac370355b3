//! The parts of a request an operation's builder fills in: the path with its
//! percent-encoded parameters, the query and header pairs (plain, joined, exploded and
//! `deepObject` objects), and the body (JSON, form, multipart or raw).

use super::super::paths::{ENCODING, ENGINE, PATCH};
use proc_macro2::TokenStream;
use quote::quote;

use super::super::ident;
use super::super::types::is_display;
use crate::ir::{
    Api, Body, BodyEncoding, Operation, Param, ParamLocation, ParamStyle, Presence, TypeRef,
    TypeTable,
};

/// The request path: literal pieces and percent-encoded parameters, concatenated; a
/// parameter that would not stay in its segment (empty, `.`, `..`) fails the request.
pub(super) fn path_expr(api: &Api, op: &Operation) -> TokenStream {
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let literal = &rest[..start];
        if !literal.is_empty() {
            pieces.push(quote!(#literal));
        }
        let name = &rest[start + 1..start + len];
        let param = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.name == name);
        let param = param.expect("the IR declares every path template parameter");
        let field = ident(&param.rust_name);
        let text = match api.unalias(&param.ty) {
            TypeRef::String => quote!(&self.#field),
            // The `simple` style: items joined by commas.
            TypeRef::Vec(item) if is_display(api, item) => {
                quote!(&self.#field.iter().map(ToString::to_string).collect::<Vec<_>>().join(","))
            }
            TypeRef::Vec(item) => {
                let v = text_of(api, quote!(item), item);
                quote!(&self.#field.iter().map(|item| Ok(#v)).collect::<Result<Vec<String>>>()?.join(","))
            }
            other => {
                let v = text_of_place(api, quote!(self.#field), other);
                quote!(&#v)
            }
        };
        let (operation, wire) = (&op.operation_id, &param.name);
        pieces.push(quote!(&#ENCODING::path_segment(#operation, #wire, #text)?));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(quote!(#rest));
    }
    match pieces.as_slice() {
        [only] if op.params.iter().all(|p| p.location != ParamLocation::Path) => {
            quote!(#only.to_string())
        }
        _ => quote!([#(#pieces),*].concat()),
    }
}

/// The `(name, value)` pairs of the query, or of the headers (cookies joined into one
/// `Cookie` header), skipping unset parameters: one line per parameter, which the
/// runtime's `Params` turns into pairs.
pub(super) fn params_vec(api: &Api, op: &Operation, locations: &[ParamLocation]) -> TokenStream {
    let params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| locations.contains(&p.location))
        .collect();
    if params.is_empty() {
        return quote!(Vec::new());
    }
    let (cookies, plain): (Vec<&Param>, Vec<&Param>) = params
        .into_iter()
        .partition(|p| p.location == ParamLocation::Cookie);
    let adds = plain.iter().map(|p| add_param(api, p, quote!(out)));
    let cookies = (!cookies.is_empty()).then(|| {
        let adds = cookies.iter().map(|p| add_param(api, p, quote!(cookies)));
        quote! {
            let mut cookies = #ENCODING::Params::default();
            #(#adds)*
            out.cookies(cookies);
        }
    });
    quote! {{
        let mut out = #ENCODING::Params::default();
        #(#adds)*
        #cookies
        out.into_vec()
    }}
}

/// A `multipart/form-data` body, one part per set field: files with their bytes, name and
/// content type; other values as text (JSON text where they have no plain form).
fn multipart_expr(api: &Api, body: &Body) -> TokenStream {
    let fields = match api.kind_of(&body.ty) {
        Some(crate::ir::TypeKind::Struct { fields, .. }) => fields.clone(),
        _ => Vec::new(),
    };
    let parts = fields.iter().map(|f| {
        let (field, wire) = (ident(&f.name), &f.wire_name);
        let add = match api.unalias(&f.ty) {
            TypeRef::File => quote!(form = form.part(#wire, value.to_part()?);),
            // A list of files: one part per file, under the same name.
            TypeRef::Vec(item) if matches!(api.unalias(item), TypeRef::File) => quote! {
                for file in value {
                    form = form.part(#wire, file.to_part()?);
                }
            },
            t if is_display(api, t) => quote!(form = form.text(#wire, value.to_string());),
            _ => quote!(form = form.text(#wire, #ENCODING::plain_text(value)?);),
        };
        match f.presence {
            Presence::Required => quote! {{ let value = &self.body.#field; #add }},
            Presence::TriState => {
                quote! { if let #PATCH::Value(value) = &self.body.#field { #add } }
            }
            _ => quote! { if let Some(value) = &self.body.#field { #add } },
        }
    });
    quote! {{
        let mut form = reqwest::multipart::Form::new();
        #(#parts)*
        Some(#ENGINE::Body::Multipart(form))
    }}
}

/// The text form of one parameter value: `Display` where the type has it, else its JSON
/// text without quotes (`plain_text`).
/// `value` is a reference (`item`, `value`); see [`text_of_place`] for a field.
fn text_of(api: &Api, value: TokenStream, ty: &TypeRef) -> TokenStream {
    if is_display(api, ty) {
        quote!(#value.to_string())
    } else {
        quote!(#ENCODING::plain_text(#value)?)
    }
}

/// [`text_of`] for a place (`self.key`), borrowed where `plain_text` needs a reference.
fn text_of_place(api: &Api, place: TokenStream, ty: &TypeRef) -> TokenStream {
    if is_display(api, ty) {
        quote!(#place.to_string())
    } else {
        quote!(#ENCODING::plain_text(&#place)?)
    }
}

/// How a query parameter that holds an object (or a `deepObject` list) is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ObjectQuery {
    /// `name[key]=value`, nested keys and indices in brackets.
    Deep,
    /// An exploded `form` object: one pair per property.
    Exploded,
}

fn object_query(api: &Api, p: &Param) -> Option<ObjectQuery> {
    if p.location != ParamLocation::Query {
        return None;
    }
    let is_object = matches!(api.unalias(&p.ty), TypeRef::Map(_))
        || matches!(api.kind_of(&p.ty), Some(crate::ir::TypeKind::Struct { .. }));
    match p.style {
        ParamStyle::DeepObject => Some(ObjectQuery::Deep),
        ParamStyle::Form if p.explode && is_object => Some(ObjectQuery::Exploded),
        _ => None,
    }
}

/// The line that adds one parameter to `out` (a `Params`): the value as an `Option` of a
/// reference, or of a slice for a list, and the `Params` method that writes it.
fn add_param(api: &Api, p: &Param, out: TokenStream) -> TokenStream {
    let field = ident(&p.rust_name);
    let wire = &p.name;
    let object = object_query(api, p);
    let ty = api.unalias(&p.ty);
    let list = matches!(ty, TypeRef::Vec(_)) && object.is_none();
    let value = match (p.required, list) {
        (true, false) => quote!(Some(&self.#field)),
        (true, true) => quote!(Some(self.#field.as_slice())),
        (false, false) => quote!(self.#field.as_ref()),
        (false, true) => quote!(self.#field.as_deref()),
    };
    let separator = p.style.separator().as_str();
    match (object, ty) {
        (Some(ObjectQuery::Deep), _) => quote!(#out.deep(#wire, #value)?;),
        (Some(ObjectQuery::Exploded), _) => quote!(#out.exploded(#wire, #value)?;),
        (None, TypeRef::Vec(item)) => match (p.explode, is_display(api, item)) {
            (true, true) => quote!(#out.each(#wire, #value);),
            (true, false) => quote!(#out.each_text(#wire, #value)?;),
            (false, true) => quote!(#out.joined(#wire, #value, #separator);),
            (false, false) => quote!(#out.joined_text(#wire, #value, #separator)?;),
        },
        (None, other) if is_display(api, other) => quote!(#out.one(#wire, #value);),
        (None, _) => quote!(#out.one_text(#wire, #value)?;),
    }
}

pub(super) fn body_expr(api: &Api, body: Option<&Body>) -> TokenStream {
    match body {
        None => quote!(None),
        Some(b) if b.encoding == BodyEncoding::Multipart => multipart_expr(api, b),
        Some(b) if b.encoding == BodyEncoding::Form && (b.is_flattened() || b.required) => {
            quote!(#ENCODING::form_body(&self.body)?)
        }
        Some(b) if b.encoding == BodyEncoding::Form => quote! {
            match &self.body { Some(body) => #ENCODING::form_body(body)?, None => None }
        },
        Some(b) if b.encoding == BodyEncoding::Raw => {
            if b.required {
                quote!(Some(#ENGINE::Body::Raw(self.body)))
            } else {
                quote!(self.body.map(#ENGINE::Body::Raw))
            }
        }
        Some(b) if b.is_flattened() || b.required => {
            let encode = json_encoder(b, quote!(&self.body));
            quote!(#encode?)
        }
        Some(b) => {
            let encode = json_encoder(b, quote!(body));
            quote! {
                match &self.body { Some(body) => #encode?, None => None }
            }
        }
    }
}

/// Encoding `value` as the body's JSON media type: `application/json`, or the one the
/// operation declares (`application/merge-patch+json`, ...), sent as it is.
fn json_encoder(body: &Body, value: TokenStream) -> TokenStream {
    let essence = body.media_type.split(';').next().unwrap_or("").trim();
    if essence == "application/json" {
        quote!(#ENCODING::json_body(#value))
    } else {
        quote!(#ENCODING::json_body_as(#value, #essence))
    }
}
