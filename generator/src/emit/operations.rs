//! Operation modules: the module's API struct, one method per operation and one request
//! builder per operation.

mod pager;
mod request;

use super::paths::{
    API_ERROR, BYTE_STREAM, CLIENT, CLIENT_CORE, ENCODING, ENGINE, MODELS, PATCH, RAW_BODY,
    RESPONSE_FUTURE, ROOT, TRANSPORT,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use pager::pages_fn;
use request::{body_expr, params_vec, path_expr};

use super::doc::{doc_attrs, inner_doc_attrs, own_doc_attrs};
use super::{ident, rust_type};
use crate::ir::naming::spelled;
use crate::ir::{
    Api, BodyEncoding, Input, InputOf, Module, ModuleSource, Operation, ParamLocation, Presence,
    ResponseDecode, Slot, Start, TypeKind, TypeRef, TypeTable,
};

pub fn module_rs(api: &Api, module: &Module) -> TokenStream {
    let mut text = format!("# {}", module.title);
    if let Some(d) = &module.doc {
        text.push_str("\n\n");
        text.push_str(d.trim());
    }
    let source = match &module.source {
        ModuleSource::Capability { file } if module.operations.is_empty() => {
            format!("From the workflow capability file `{}`.", file_name(file))
        }
        ModuleSource::Capability { file } => {
            format!("Operations of the capability file `{}`.", file_name(file))
        }
        ModuleSource::Tag { tag } if has_capabilities(api) => {
            format!("Operations tagged `{tag}` that no capability file names.")
        }
        ModuleSource::Tag { tag } => format!("Operations tagged `{tag}`."),
    };
    text.push_str(&format!("\n\n{source}"));
    if module.operations.is_empty() {
        return workflow_rs(api, module, &text);
    }
    let header = inner_doc_attrs(&text);
    let api_struct = ident(&module.api_struct);
    let accessor = ident(&module.accessor);
    let accessor_doc = format!(" {}: see [`{}`].", module.title, module.api_struct);
    let ops: Vec<&Operation> = module
        .operations
        .iter()
        .filter_map(|id| api.operation(id))
        .collect();
    let models_use = names_models(&ops).then(|| {
        quote!(
            use #MODELS;
        )
    });
    let methods = ops.iter().map(|op| method(api, op));
    let builders = ops.iter().map(|op| builder(api, op));
    let struct_doc = format!(
        " The operations of this module. Get one with [`Client::{0}`]({CLIENT}::{0}).",
        spelled(&module.accessor)
    );
    quote! {
        #header
        #![allow(deprecated)]

        use #CLIENT_CORE::RequestSpec;
        use crate::{Client, Result};
        #models_use

        impl Client {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #api_struct<'_> {
                #api_struct { client: self }
            }
        }

        #[doc = #struct_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #api_struct<'a> {
            client: &'a Client,
        }

        impl<'a> #api_struct<'a> {
            #(#methods)*
        }

        #(#builders)*
    }
}

/// A workflow capability: its description as module docs, and the API structs of the
/// capabilities it composes, re-exported.
fn workflow_rs(api: &Api, module: &Module, text: &str) -> TokenStream {
    let imported: Vec<&Module> = module
        .imports
        .iter()
        .filter_map(|m| api.modules.iter().find(|x| &x.name == m))
        .collect();
    let mut text = text.to_string();
    text.push_str(
        "\n\nIt composes these modules (each reachable from `Client` by its accessor):\n",
    );
    for m in &imported {
        text.push_str(&format!(
            "\n- [`{}`](crate::{}) — `client.{}()`",
            m.api_struct,
            spelled(&m.name),
            spelled(&m.accessor)
        ));
    }
    let header = inner_doc_attrs(&text);
    let reexports = imported.iter().map(|m| {
        let (module, api_struct) = (ident(&m.name), ident(&m.api_struct));
        quote!(pub use crate::#module::#api_struct;)
    });
    quote! {
        #header
        #(#reexports)*
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// How a setter or argument's value becomes the stored value.
#[derive(Clone, Copy, PartialEq)]
enum Conversion {
    Identity,
    Into,
    /// Each item converted with `Into`, collected.
    CollectInto,
    Collect,
}

impl Conversion {
    fn apply(self, value: TokenStream) -> TokenStream {
        match self {
            Conversion::Identity => value,
            Conversion::Into => quote!(#value.into()),
            Conversion::CollectInto => quote!(#value.into_iter().map(Into::into).collect()),
            Conversion::Collect => quote!(#value.into_iter().collect()),
        }
    }
}

/// How a value of a type is taken by a setter or argument: the parameter type and the
/// conversion into the stored type.
fn input(t: &TypeRef) -> (TokenStream, Conversion) {
    let stored = rust_type(t);
    match t {
        TypeRef::String | TypeRef::Named(_) | TypeRef::Json | TypeRef::File => {
            (quote!(impl Into<#stored>), Conversion::Into)
        }
        TypeRef::Vec(item) if matches!(**item, TypeRef::String | TypeRef::Named(_)) => {
            let item = rust_type(item);
            (
                quote!(impl IntoIterator<Item = impl Into<#item>>),
                Conversion::CollectInto,
            )
        }
        TypeRef::Vec(item) => {
            let item = rust_type(item);
            (quote!(impl IntoIterator<Item = #item>), Conversion::Collect)
        }
        _ => (stored, Conversion::Identity),
    }
}

/// A tri-state setter takes anything that converts into `Patch<T>`: a value, `Patch::Null`,
/// `None` (null), or for strings a `&str`.
fn patch_input(t: &TypeRef) -> TokenStream {
    let ty = rust_type(t);
    quote!(impl Into<#PATCH<#ty>>)
}

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// What an input sets, for a setter's docs: "the query parameter `limit`".
fn what(input: &Input) -> String {
    match &input.of {
        InputOf::Param { location, name } => {
            format!("the {} parameter `{name}`", location_word(*location))
        }
        InputOf::BodyField { wire_name } => format!("the body field `{wire_name}`"),
        InputOf::Body { .. } => "the request body".into(),
    }
}

/// An input's description; the whole body's says its media type when the document says
/// nothing.
fn input_doc(input: &Input) -> Option<String> {
    match (&input.doc, &input.of) {
        (None, InputOf::Body { media_type }) => Some(format!("The request body (`{media_type}`).")),
        (doc, _) => doc.clone(),
    }
}

/// The parameter type, stored type and conversion for an input (raw bodies take a `RawBody`).
fn input_tokens(i: &Input) -> (TokenStream, TokenStream, Conversion) {
    if i.raw_body {
        return (quote!(#RAW_BODY), quote!(#RAW_BODY), Conversion::Identity);
    }
    let (param, conversion) = input(&i.ty);
    (param, rust_type(&i.ty), conversion)
}

fn method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let builder = ident(&op.builder);
    let inputs = op.inputs();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    // Each body field's initial value, and whether it is its `Default` (`None`,
    // `Patch::Absent`).
    let mut body_inits: Vec<(TokenStream, bool)> = Vec::new();
    let mut arg_docs = Vec::new();
    for i in &inputs {
        let arg = ident(&i.name);
        let (param_ty, _, conversion) = input_tokens(i);
        let argument = i.start == Start::Argument;
        if argument {
            args.push(quote!(#arg: #param_ty));
            let line = first_line(input_doc(i).as_deref());
            let name = &i.name;
            arg_docs.push(if line.is_empty() {
                format!("- `{name}`")
            } else {
                format!("- `{name}`: {line}")
            });
        }
        let value = conversion.apply(quote!(#arg));
        let field = match &i.slot {
            Slot::Builder { .. } => arg.clone(),
            Slot::Body { field, .. } => ident(field),
        };
        let init = match (i.start, &i.slot) {
            (Start::Argument, slot) if !slot.optional() => {
                match conversion == Conversion::Identity && field == arg {
                    true => quote!(#field),
                    false => quote!(#field: #value),
                }
            }
            (Start::Argument, _) => quote!(#field: Some(#value)),
            (Start::Constant, slot) if !slot.optional() => quote!(#field: Default::default()),
            (Start::Constant, _) => quote!(#field: Some(Default::default())),
            (Start::Absent, _) => quote!(#field: #PATCH::Absent),
            (Start::Unset, _) => quote!(#field: None),
        };
        match i.slot {
            Slot::Body { .. } => body_inits.push((init, i.start.is_default())),
            Slot::Builder { .. } => inits.push(init),
        }
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.is_flattened()) {
        let ty = rust_type(&body.ty);
        let defaulted = match api.type_def_of(&body.ty).map(|d| (&d.kind, d.serde)) {
            Some((TypeKind::Struct { fields, .. }, serde)) => {
                super::types::derives_default(fields, serde)
            }
            _ => false,
        };
        let set: Vec<&TokenStream> = body_inits
            .iter()
            .filter(|(_, default)| !default)
            .map(|(init, _)| init)
            .collect();
        let all = body_inits.iter().map(|(init, _)| init);
        inits.push(match (defaulted, set.is_empty()) {
            (true, true) => quote!(body: #ty::default()),
            (true, false) => quote!(body: #ty { #(#set,)* ..Default::default() }),
            (false, _) => quote!(body: #ty { #(#all,)* }),
        });
    }
    if has_alternatives(op) {
        inits.push(quote!(raw_body: None));
    }
    let same = |a: &str, b: &str| {
        a.trim()
            .trim_end_matches('.')
            .eq_ignore_ascii_case(b.trim().trim_end_matches('.'))
    };
    let description = op
        .description
        .as_deref()
        .filter(|d| !op.summary.as_deref().is_some_and(|s| same(s, d)));
    let mut doc = vec![op.summary.as_deref(), description];
    let route = format!(
        "`{} {}` (operation `{}`).",
        op.method, op.path, op.operation_id
    );
    doc.push(Some(&route));
    let args_text =
        (!arg_docs.is_empty()).then(|| format!("# Arguments\n\n{}", arg_docs.join("\n")));
    doc.push(args_text.as_deref());
    let raw_note = op.body.as_ref().filter(|b| b.encoding == BodyEncoding::Raw).map(|b| {
        format!("The body is `{}`, which this client does not encode yet: build it yourself and pass it as a [`RawBody`]({RAW_BODY}) with its content type.", b.media_type)
    });
    doc.push(raw_note.as_deref());
    let mut doc = doc_attrs(&doc);
    doc.extend(errors_doc(api, op).map(|text| own_doc_attrs(&text)));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> #builder<'a> {
            #builder { client: self.client, #(#inits,)* }
        }
    }
}

/// "# Errors": the statuses whose bodies [`ApiError::decode`] reads as the operation's own
/// types (the others decode into the common `ErrorBody`).
fn errors_doc(api: &Api, op: &Operation) -> Option<String> {
    let own = own_errors(api, op);
    if own.is_empty() {
        return None;
    }
    let lines: Vec<String> = own
        .iter()
        .map(|(status, ty)| {
            let short = ty.rust("models");
            let short = short.trim_start_matches("models::");
            format!("- `{status}`: [`{short}`]({})", ty.rust(MODELS.as_str()))
        })
        .collect();
    Some(format!(
        "\n# Errors\n\nThese error statuses have bodies of their own; read them with [`ApiError::decode`]({API_ERROR}::decode):\n\n{}",
        lines.join("\n")
    ))
}

fn first_line(doc: Option<&str>) -> String {
    let line = doc
        .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("")
        .trim();
    super::sanitize_doc(line)
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let inputs = op.inputs();
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for i in &inputs {
        let name = ident(&i.name);
        let (param_ty, stored, conversion) = input_tokens(i);
        let convert = conversion.apply(quote!(value));
        let fallback = format!("Sets {}.", what(i));
        let doc = input_doc(i);
        let doc = doc_attrs(&[doc.as_deref().or(Some(&fallback))]);
        let deprecated = i.deprecated.then(|| quote!(#[deprecated]));
        if let Slot::Builder { optional } = i.slot {
            fields.push(match optional {
                true => quote!(#name: Option<#stored>),
                false => quote!(#name: #stored),
            });
        }
        if i.start == Start::Argument {
            continue;
        }
        let (param_ty, target, assign) = match &i.slot {
            Slot::Builder { optional: true } => {
                (param_ty, quote!(self.#name), quote!(Some(#convert)))
            }
            Slot::Builder { optional: false } => (param_ty, quote!(self.#name), convert),
            Slot::Body { field, presence } => {
                let f = ident(field);
                match presence {
                    Presence::Required => (param_ty, quote!(self.body.#f), convert),
                    Presence::TriState => (
                        patch_input(&i.ty),
                        quote!(self.body.#f),
                        quote!(value.into()),
                    ),
                    _ => (param_ty, quote!(self.body.#f), quote!(Some(#convert))),
                }
            }
        };
        setters.push(quote! {
            #doc
            #deprecated
            pub fn #name(mut self, value: #param_ty) -> Self {
                #target = #assign;
                self
            }
        });
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.is_flattened()) {
        let ty = rust_type(&body.ty);
        fields.push(quote!(body: #ty));
        let paths = |models| crate::ir::TypePaths {
            models,
            runtime: ROOT.as_str(),
            map: "std::collections::BTreeMap",
        };
        let doc = own_doc_attrs(&format!(
            "The whole body at once, as a [`{}`]({}): it replaces what the setters (and the\narguments that set its required fields) put in.",
            body.ty.render(paths("")),
            body.ty.render(paths(MODELS.as_str())),
        ));
        setters.push(quote! {
            #doc
            pub fn body(mut self, body: #ty) -> Self {
                self.body = body;
                self
            }
        });
    }
    if let Some(body) = op.body.as_ref().filter(|_| has_alternatives(op)) {
        fields.push(quote!(raw_body: Option<#RAW_BODY>));
        let listed: Vec<String> = body.alternatives.iter().map(|m| format!("`{m}`")).collect();
        let doc = own_doc_attrs(&format!(
            "Sends this body instead of the `{}` one the builder encodes: the operation also\naccepts {}. Encode it yourself and give its content type.",
            body.media_type,
            listed.join(", ")
        ));
        setters.push(quote! {
            #doc
            pub fn raw_body(mut self, body: #RAW_BODY) -> Self {
                self.raw_body = Some(body);
                self
            }
        });
    }
    let response_ty = rust_type(&op.response.ty);
    let send = send_fn(api, op);
    let decoder = status_decoder_fn(api, op);
    let pages = pages_fn(op, &response_ty);
    let doc = format!(
        " A request to [`{}`]: set optional inputs, then `.send().await` it (or `.await` it).",
        format_args!("{}::{}", module_struct(api, op), spelled(&op.rust_name))
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields,)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #send
            #pages
        }

        #decoder
    }
}

/// The module's `sends!` invocations, as text: `send()`, `send_with_headers()` and
/// `.await` for each request builder, from its output type (models as `models::`, which
/// the module imports) and its decoder. Text rather than tokens because a macro's
/// arguments are laid out as tokens (`Vec < models::User >`).
pub fn module_sends(api: &Api, module: &Module) -> String {
    let mut out =
        String::from("// `send()`, `send_with_headers()` and `.await` of each request above.\n");
    for op in module.operations.iter().filter_map(|id| api.operation(id)) {
        let builder = spelled(&op.builder);
        let decode = match op.response.decode {
            ResponseDecode::Redirect => {
                out.push_str(&format!("sends!({builder} => redirect);\n"));
                continue;
            }
            ResponseDecode::Json => "decode_json".to_string(),
            ResponseDecode::JsonOrEmpty => "decode_json_or_empty".to_string(),
            ResponseDecode::Text => "decode_text".to_string(),
            ResponseDecode::Bytes => "decode_bytes".to_string(),
            ResponseDecode::Empty => "decode_empty".to_string(),
            ResponseDecode::ByStatus => format!("local {}", status_decoder(op)),
        };
        let output = op.response.ty.render(MACRO_PATHS);
        out.push_str(&format!("sends!({builder} => {output}, {decode});\n"));
    }
    out
}

/// How `sends!` arguments name types: models by `models::`, which the module imports.
const MACRO_PATHS: crate::ir::TypePaths<'static> = crate::ir::TypePaths {
    models: "models",
    runtime: ROOT.as_str(),
    map: "std::collections::BTreeMap",
};

/// The name of the decoder a response whose statuses have bodies of their own gets.
fn status_decoder(op: &Operation) -> String {
    format!("decode_{}", op.rust_name)
}

/// The decoder of a response whose statuses have bodies of their own, next to its builder.
fn status_decoder_fn(api: &Api, op: &Operation) -> Option<TokenStream> {
    if op.response.decode != ResponseDecode::ByStatus {
        return None;
    }
    let name = format_ident!("{}", status_decoder(op));
    let decode = by_status(api, &op.response.ty);
    let response_ty = rust_type(&op.response.ty);
    let doc = format!(" Decodes the answer of [`{}`] by its status.", op.builder);
    Some(quote! {
        #[doc = #doc]
        fn #name(received: #TRANSPORT::Received) -> Result<#response_ty> {
            #decode
        }
    })
}

/// Whether the module names a model in a `sends!` invocation (and so imports `models`).
fn names_models(ops: &[&Operation]) -> bool {
    ops.iter().any(|op| {
        op.response.decode != ResponseDecode::Redirect
            && op.response.ty.render(MACRO_PATHS).contains("models::")
    })
}

/// Whether the crate's modules come from capability files (else all from tags).
pub(crate) fn has_capabilities(api: &Api) -> bool {
    api.modules
        .iter()
        .any(|m| matches!(m.source, ModuleSource::Capability { .. }))
}

/// The struct of the operation's module (`UsersApi`), which its builder's docs link to.
fn module_struct<'a>(api: &'a Api, op: &Operation) -> &'a str {
    api.modules
        .iter()
        .find(|m| m.name == op.module)
        .map_or("", |m| m.api_struct.as_str())
}

fn send_fn(api: &Api, op: &Operation) -> TokenStream {
    let path = path_expr(api, op);
    let query = params_vec(api, op, &[ParamLocation::Query]);
    let headers = params_vec(api, op, &[ParamLocation::Header, ParamLocation::Cookie]);
    let mut body = body_expr(api, op.body.as_ref());
    if has_alternatives(op) {
        body = quote! {
            match self.raw_body {
                Some(raw) => Some(#ENGINE::Body::Raw(raw)),
                None => #body,
            }
        };
    }
    let method = format_ident!("{}", op.method.as_str());
    let security = super::auth::requirements(api, op);
    let operation = &op.operation_id;
    let route = &op.path;
    let own_errors = own_errors(api, op).into_iter().map(|(status, _)| status);
    let accept = match accept(op) {
        Some(mt) => quote!(Some(#mt)),
        None => quote!(None),
    };
    let stream = (op.response.decode == ResponseDecode::Bytes).then(|| {
        quote! {
            /// Sends the request and hands the body over as it arrives, for a download too
            /// large to hold in memory: see [`ByteStream`](crate::ByteStream).
            #[inline]
            pub fn send_stream(self) -> #RESPONSE_FUTURE<'a, #BYTE_STREAM> {
                let client = self.client;
                client.send_stream(self.request())
            }
        }
    });
    quote! {
        #stream

        #[inline]
        fn request(self) -> Result<RequestSpec> {
            Ok(RequestSpec {
                operation: #operation,
                route: #route,
                own_errors: &[#(#own_errors),*],
                method: reqwest::Method::#method,
                path: #path,
                query: #query,
                headers: #headers,
                body: #body,
                accept: #accept,
                security: #security,
            })
        }
    }
}

/// The `Accept` header: the success's media type, then (at a lower preference) those of
/// the error responses, whose bodies the client also reads.
fn accept(op: &Operation) -> Option<String> {
    let success = op.response.media_type.as_deref();
    let mut others: Vec<&str> = op
        .errors
        .iter()
        .filter_map(|e| e.media_type.as_deref())
        .filter(|m| Some(*m) != success)
        .collect();
    others.sort_unstable();
    others.dedup();
    let mut out = success.map(str::to_string);
    for m in others {
        let entry = match success {
            Some(_) => format!("{m};q=0.9"),
            None => m.to_string(),
        };
        out = Some(match out {
            Some(list) => format!("{list}, {entry}"),
            None => entry,
        });
    }
    out
}

/// The body of the decoder of a `Statuses` response (of `received`): the status picks the
/// variant, then its body is decoded as that variant's.
fn by_status(api: &Api, ty: &TypeRef) -> TokenStream {
    let Some(crate::ir::TypeKind::Statuses { variants }) = api.kind_of(ty) else {
        return quote!(Ok(received.body));
    };
    let enum_ty = rust_type(ty);
    // Exact statuses first, then a `2XX` range.
    let mut ordered: Vec<&crate::ir::StatusVariant> = variants.iter().collect();
    ordered.sort_by_key(|v| v.status.code().is_none());
    let arms = ordered.iter().map(|v| {
        let name = ident(&v.name);
        let pattern = match v.status.code() {
            Some(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            None => quote!(200..=299),
        };
        let value = match v.decode {
            ResponseDecode::Json | ResponseDecode::JsonOrEmpty => {
                quote!(#enum_ty::#name(#ENCODING::decode_json(received)?))
            }
            ResponseDecode::Text => {
                quote!(#enum_ty::#name(String::from_utf8_lossy(&received.body).into_owned()))
            }
            ResponseDecode::Bytes => quote!(#enum_ty::#name(received.body)),
            ResponseDecode::Empty | ResponseDecode::ByStatus | ResponseDecode::Redirect => {
                quote!(#enum_ty::#name)
            }
        };
        quote!(#pattern => #value,)
    });
    quote! {
        Ok(match received.status {
            #(#arms)*
            status => #enum_ty::Other { status, body: received.body },
        })
    }
}

/// Whether the operation accepts other request media types than the one it encodes.
fn has_alternatives(op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|b| !b.alternatives.is_empty())
}

/// The error statuses whose body has a schema other than the API's common error body,
/// with that schema's type.
fn own_errors<'o>(api: &Api, op: &'o Operation) -> Vec<(String, &'o TypeRef)> {
    op.errors
        .iter()
        .filter(|e| e.decode == ResponseDecode::Json && !e.status.is_default())
        .filter(|e| api.error_body.as_ref() != Some(&e.ty))
        .map(|e| (e.status.to_string(), &e.ty))
        .collect()
}
