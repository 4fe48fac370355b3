//! Operation modules: the module's API struct, one method per operation and one request
//! builder per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc::{doc_attrs, inner_doc_attrs, own_doc_attrs};
use super::types::is_display;
use super::{ident, rust_type};
use crate::ir::{
    Api, Body, BodyEncoding, Module, ModuleSource, Operation, Param, ParamLocation, ParamStyle,
    Presence, ResponseDecode, TypeKind, TypeRef,
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
        ModuleSource::Tag { tag } => {
            format!("Operations tagged `{tag}` that no capability file names.")
        }
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
    let methods = ops.iter().map(|op| method(api, op));
    let builders = ops.iter().map(|op| builder(api, op));
    let struct_doc = format!(
        " The operations of this module. Get one with [`Client::{}`](crate::Client::{}).",
        module.accessor, module.accessor
    );
    quote! {
        #header
        #![allow(deprecated)]

        use crate::client_core::RequestSpec;
        use crate::{Client, ResponseFuture, Result};

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
            m.api_struct, m.name, m.accessor
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

struct Input {
    /// Builder field / setter / argument name.
    name: String,
    /// What it sets, for docs: "the query parameter `limit`".
    what: String,
    ty: TypeRef,
    /// The request body in a media type the client does not encode: a `RawBody`, not `ty`.
    raw_body: bool,
    doc: Option<String>,
    deprecated: bool,
    argument: bool,
    /// Where the value is stored: a builder field, or a field of the flattened body.
    target: Target,
}

enum Target {
    Field {
        optional: bool,
    },
    BodyField {
        field: String,
        presence: Presence,
        constant: bool,
    },
}

/// A tri-state setter takes anything that converts into `Patch<T>`: a value, `Patch::Null`,
/// `None` (null), or for strings a `&str`.
fn patch_input(t: &TypeRef) -> TokenStream {
    let ty = rust_type(t);
    quote!(impl Into<crate::Patch<#ty>>)
}

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn inputs(op: &Operation) -> Vec<Input> {
    let mut out: Vec<Input> = op
        .params
        .iter()
        .map(|p| Input {
            name: p.rust_name.clone(),
            what: format!("the {} parameter `{}`", location_word(p.location), p.name),
            ty: p.ty.clone(),
            raw_body: false,
            doc: p.doc.clone(),
            deprecated: p.deprecated,
            argument: p.required,
            target: Target::Field {
                optional: !p.required,
            },
        })
        .collect();
    if let Some(body) = &op.body {
        if body.flattened {
            out.extend(body.fields.iter().map(|f| Input {
                name: f.setter.clone(),
                what: format!("the body field `{}`", f.wire_name),
                ty: f.ty.clone(),
                raw_body: false,
                doc: f.doc.clone(),
                deprecated: f.deprecated,
                argument: f.argument,
                target: Target::BodyField {
                    field: f.field.clone(),
                    presence: f.presence,
                    constant: f.constant,
                },
            }));
        } else {
            out.push(Input {
                name: body.setter.clone(),
                what: "the request body".into(),
                ty: body.ty.clone(),
                raw_body: body.encoding == BodyEncoding::Raw,
                doc: body
                    .doc
                    .clone()
                    .or_else(|| Some(format!("The request body (`{}`).", body.media_type))),
                deprecated: false,
                argument: body.required,
                target: Target::Field {
                    optional: !body.required,
                },
            });
        }
    }
    out
}

/// The parameter type, stored type and conversion for an input (raw bodies take a `RawBody`).
fn input_tokens(i: &Input) -> (TokenStream, TokenStream, Conversion) {
    if i.raw_body {
        return (
            quote!(crate::RawBody),
            quote!(crate::RawBody),
            Conversion::Identity,
        );
    }
    let (param, conversion) = input(&i.ty);
    (param, rust_type(&i.ty), conversion)
}

fn method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let builder = ident(&op.builder);
    let inputs = inputs(op);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    // Each body field's initial value, and whether it is its `Default` (`None`,
    // `Patch::Absent`).
    let mut body_inits: Vec<(TokenStream, bool)> = Vec::new();
    let mut arg_docs = Vec::new();
    for i in &inputs {
        let arg = ident(&i.name);
        let (param_ty, _, conversion) = input_tokens(i);
        if i.argument {
            args.push(quote!(#arg: #param_ty));
            let line = first_line(i.doc.as_deref());
            let bare = super::super::ir::naming::bare(&i.name);
            arg_docs.push(if line.is_empty() {
                format!("- `{bare}`")
            } else {
                format!("- `{bare}`: {line}")
            });
        }
        let value = conversion.apply(quote!(#arg));
        let (field, optional, in_body) = match &i.target {
            Target::Field { optional } => (arg.clone(), *optional, false),
            Target::BodyField {
                field,
                presence,
                constant,
            } => {
                let field = ident(field);
                let init = match (i.argument, presence, constant) {
                    (false, Presence::Required, true) => Some(quote!(#field: Default::default())),
                    (false, Presence::RequiredNullable, true) => {
                        Some(quote!(#field: Some(Default::default())))
                    }
                    (false, Presence::TriState, _) => Some(quote!(#field: crate::Patch::Absent)),
                    _ => None,
                };
                if let Some(init) = init {
                    body_inits.push((init, *presence == Presence::TriState));
                    continue;
                }
                (field, *presence != Presence::Required, true)
            }
        };
        let init = match (i.argument, optional) {
            (true, false) if conversion == Conversion::Identity && field == arg => quote!(#field),
            (true, false) => quote!(#field: #value),
            (true, true) => quote!(#field: Some(#value)),
            (false, _) => quote!(#field: None),
        };
        match in_body {
            true => body_inits.push((init, !i.argument)),
            false => inits.push(init),
        }
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.flattened) {
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
        format!("The body is `{}`, which this client does not encode yet: build it yourself and pass it as a [`RawBody`](crate::RawBody) with its content type.", b.media_type)
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
            format!("- `{status}`: [`{short}`]({})", ty.rust("crate::models"))
        })
        .collect();
    Some(format!(
        "\n# Errors\n\nThese error statuses have bodies of their own; read them with [`ApiError::decode`](crate::ApiError::decode):\n\n{}",
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
    let inputs = inputs(op);
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for i in &inputs {
        let name = ident(&i.name);
        let (param_ty, stored, conversion) = input_tokens(i);
        let convert = conversion.apply(quote!(value));
        let fallback = format!("Sets {}.", i.what);
        let doc = doc_attrs(&[i.doc.as_deref().or(Some(&fallback))]);
        let deprecated = i.deprecated.then(|| quote!(#[deprecated]));
        match &i.target {
            Target::Field { optional } => {
                let ty = if *optional {
                    quote!(Option<#stored>)
                } else {
                    stored
                };
                fields.push(quote!(#name: #ty));
                if !i.argument {
                    let assign = if *optional {
                        quote!(Some(#convert))
                    } else {
                        convert.clone()
                    };
                    setters.push(quote! {
                        #doc
                        #deprecated
                        pub fn #name(mut self, value: #param_ty) -> Self {
                            self.#name = #assign;
                            self
                        }
                    });
                }
            }
            Target::BodyField {
                field, presence, ..
            } => {
                if !i.argument {
                    let f = ident(field);
                    let (param_ty, assign) = match presence {
                        Presence::Required => (param_ty, convert.clone()),
                        Presence::TriState => (patch_input(&i.ty), quote!(value.into())),
                        _ => (param_ty, quote!(Some(#convert))),
                    };
                    setters.push(quote! {
                        #doc
                        #deprecated
                        pub fn #name(mut self, value: #param_ty) -> Self {
                            self.body.#f = #assign;
                            self
                        }
                    });
                }
            }
        }
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.flattened) {
        let ty = rust_type(&body.ty);
        fields.push(quote!(body: #ty));
    }
    if let Some(body) = op.body.as_ref().filter(|_| has_alternatives(op)) {
        fields.push(quote!(raw_body: Option<crate::RawBody>));
        let listed: Vec<String> = body.alternatives.iter().map(|m| format!("`{m}`")).collect();
        let doc = own_doc_attrs(&format!(
            "Sends this body instead of the `{}` one the builder encodes: the operation also\naccepts {}. Encode it yourself and give its content type.",
            body.media_type,
            listed.join(", ")
        ));
        setters.push(quote! {
            #doc
            pub fn raw_body(mut self, body: crate::RawBody) -> Self {
                self.raw_body = Some(body);
                self
            }
        });
    }
    let response_ty = rust_type(&op.response.ty);
    let send = send_fn(api, op, &response_ty);
    let pages = pages_fn(op, &response_ty);
    let doc = format!(
        " A request to [`{}`]: set optional inputs, then `.send().await` it (or `.await` it).",
        format_args!("{}::{}", module_struct(api, op), op.rust_name)
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

        impl<'a> std::future::IntoFuture for #builder<'a> {
            type Output = Result<#response_ty>;
            type IntoFuture = ResponseFuture<'a, #response_ty>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}

/// The struct of the operation's module (`UsersApi`), which its builder's docs link to.
fn module_struct<'a>(api: &'a Api, op: &Operation) -> &'a str {
    api.modules
        .iter()
        .find(|m| m.name == op.module)
        .map_or("", |m| m.api_struct.as_str())
}

fn send_fn(api: &Api, op: &Operation, response_ty: &TokenStream) -> TokenStream {
    let path = path_expr(api, op);
    let query = params_vec(api, op, &[ParamLocation::Query]);
    let headers = params_vec(api, op, &[ParamLocation::Header, ParamLocation::Cookie]);
    let mut body = body_expr(api, op.body.as_ref());
    if has_alternatives(op) {
        body = quote! {
            match self.raw_body {
                Some(raw) => Some(crate::engine::Body::Raw(raw)),
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
    let sender = match op.response.decode {
        ResponseDecode::Json => quote!(send_json(self.request())),
        ResponseDecode::JsonOrEmpty => quote!(send_json_or_empty(self.request())),
        ResponseDecode::Text => quote!(send_text(self.request())),
        ResponseDecode::Bytes => quote!(send_bytes(self.request())),
        ResponseDecode::Empty => quote!(send_empty(self.request())),
        ResponseDecode::Redirect => quote!(send_redirect(self.request())),
        ResponseDecode::ByStatus => {
            let decode = by_status(api, &op.response.ty);
            quote!(send_with(self.request(), #decode))
        }
    };
    let stream = (op.response.decode == ResponseDecode::Bytes).then(|| {
        quote! {
            /// Sends the request and hands the body over as it arrives, for a download too
            /// large to hold in memory: see [`ByteStream`](crate::ByteStream).
            #[inline]
            pub fn send_stream(self) -> ResponseFuture<'a, crate::ByteStream> {
                let client = self.client;
                client.send_stream(self.request())
            }
        }
    });
    quote! {
        /// Sends the request.
        #[inline]
        pub fn send(self) -> ResponseFuture<'a, #response_ty> {
            let client = self.client;
            client.#sender
        }

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

/// The decoder of a `Statuses` response: the status picks the variant, then its body is
/// decoded as that variant's.
fn by_status(api: &Api, ty: &TypeRef) -> TokenStream {
    let Some(crate::ir::TypeKind::Statuses { variants }) = crate::emit::kind_of(api, ty) else {
        return quote!(|received| Ok(received.body));
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
                quote!(#enum_ty::#name(crate::engine::encoding::decode_json(received)?))
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
        |received| Ok(match received.status {
            #(#arms)*
            status => #enum_ty::Other { status, body: received.body },
        })
    }
}

/// Whether the operation accepts other request media types than the one it encodes.
fn has_alternatives(op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|b| !b.alternatives.is_empty())
}

/// `pages()`, a [`Pages`] walking every page by offset when the operation takes one,
/// else by cursor; with both, the cursor walk is `pages_after()`.
fn pages_fn(op: &Operation, response_ty: &TokenStream) -> Option<TokenStream> {
    let pg = op.pagination.as_ref()?;
    let item = rust_type(&pg.item);
    let items = match &pg.items_field {
        Some(f) => {
            let f = ident(f);
            quote!(page.#f)
        }
        None => quote!(page),
    };
    let total = match &pg.total {
        Some(t) => {
            let f = ident(&t.field);
            match (t.optional, &t.ty) {
                (false, ty) => {
                    let value = widen(quote!(page.#f), ty);
                    quote!(Some(#value))
                }
                (true, TypeRef::I64) => quote!(page.#f),
                (true, ty) => {
                    let convert = widen_fn(ty);
                    quote!(page.#f.map(#convert))
                }
            }
        }
        None => quote!(None),
    };
    let stop = if pg.total.is_some() {
        "an empty page or the total count"
    } else {
        "an empty page"
    };
    // Reads one page: its total, if any, and its items.
    let split = quote! {
        |bytes| serde_json::from_slice::<#response_ty>(bytes).map(|page| (#total, #items))
    };
    let read = "See [`Pages`](crate::Pages) for how to read the pages: call\n[`Pages::next_page`](crate::Pages::next_page) in a loop, use it as a `futures::Stream` of\npages, or gather every item with [`Pages::collect_all`](crate::Pages::collect_all).";
    let by_offset = pg.offset.as_ref().map(|o| {
        let param = &o.param;
        let field = ident(&o.field);
        let required = op.params.iter().any(|p| p.rust_name == o.field && p.required);
        let start = if required {
            widen(quote!(self.#field), &o.ty)
        } else if o.ty == TypeRef::I64 {
            quote!(self.#field.unwrap_or(0))
        } else {
            let convert = widen_fn(&o.ty);
            quote!(self.#field.map_or(0, #convert))
        };
        let doc = own_doc_attrs(&format!(
            "Walks every page, from this request's `{param}` on: each page is requested with the\noffset advanced by the items so far, until {stop}. Other inputs (such as\n`limit`) apply to every page.\n\n{read}"
        ));
        quote! {
            #doc
            #[inline]
            pub fn pages(self) -> crate::Pages<'a, #item> {
                let client = self.client;
                let start = #start;
                crate::Pages::by_offset(client.engine(), self.request(), #param, start, #split)
            }
        }
    });
    let by_cursor = pg.cursor.as_ref().map(|c| {
        let param = &c.param;
        let id = ident(&c.item_id);
        let doc = own_doc_attrs(&format!(
            "Walks every page by cursor: each page after the first is requested with `{param}` set\nto the `{}` of the last item received, until {stop}. The first page is this request as built\n(set `{param}` to start after an item). Other inputs apply to every page; the spec may\nlimit which ones a cursor combines with.\n\n{read}",
            c.item_id
        ));
        let name = if pg.offset.is_some() {
            quote!(pages_after)
        } else {
            quote!(pages)
        };
        quote! {
            #doc
            #[inline]
            pub fn #name(self) -> crate::Pages<'a, #item> {
                let client = self.client;
                crate::Pages::by_cursor(client.engine(), self.request(), #param, |item: &#item| item.#id.clone(), #split)
            }
        }
    });
    Some(quote!(#by_offset #by_cursor))
}

/// A numeric expression as `i64` (a number spec'd as floating point is truncated).
fn widen(value: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::I64 => value,
        TypeRef::I32 => quote!(i64::from(#value)),
        _ => quote!(#value as i64),
    }
}

/// [`widen`] for a non-`i64` type, as a function value (`i64::from`, or a cast closure).
fn widen_fn(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::I32 => quote!(i64::from),
        _ => quote!(|value| value as i64),
    }
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

/// The request path: literal pieces and percent-encoded parameters, concatenated.
fn path_expr(api: &Api, op: &Operation) -> TokenStream {
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
        pieces.push(quote!(&crate::engine::encoding::path_segment(#text)));
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
/// `Cookie` header), skipping unset parameters.
fn params_vec(api: &Api, op: &Operation, locations: &[ParamLocation]) -> TokenStream {
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
    let pushes = plain.iter().map(|p| push_param(api, p, quote!(out)));
    let cookies = (!cookies.is_empty()).then(|| {
        let pushes = cookies.iter().map(|p| push_param(api, p, quote!(cookies)));
        quote! {
            let mut cookies: Vec<(&str, String)> = Vec::new();
            #(#pushes)*
            if !cookies.is_empty() {
                let pairs: Vec<String> = cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
                out.push(("Cookie", pairs.join("; ")));
            }
        }
    });
    quote! {{
        let mut out = Vec::new();
        #(#pushes)*
        #cookies
        out
    }}
}

/// A `multipart/form-data` body, one part per set field: files with their bytes, name and
/// content type; other values as text (JSON text where they have no plain form).
fn multipart_expr(api: &Api, body: &Body) -> TokenStream {
    let fields = match crate::emit::kind_of(api, &body.ty) {
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
            _ => quote!(form = form.text(#wire, crate::engine::encoding::plain_text(value)?);),
        };
        match f.presence {
            Presence::Required => quote! {{ let value = &self.body.#field; #add }},
            Presence::TriState => {
                quote! { if let crate::Patch::Value(value) = &self.body.#field { #add } }
            }
            _ => quote! { if let Some(value) = &self.body.#field { #add } },
        }
    });
    quote! {{
        let mut form = reqwest::multipart::Form::new();
        #(#parts)*
        Some(crate::engine::Body::Multipart(form))
    }}
}

/// The text form of one parameter value: `Display` where the type has it, else its JSON
/// text without quotes (`plain_text`).
/// `value` is a reference (`item`, `value`); see [`text_of_place`] for a field.
fn text_of(api: &Api, value: TokenStream, ty: &TypeRef) -> TokenStream {
    if is_display(api, ty) {
        quote!(#value.to_string())
    } else {
        quote!(crate::engine::encoding::plain_text(#value)?)
    }
}

/// [`text_of`] for a place (`self.key`), borrowed where `plain_text` needs a reference.
fn text_of_place(api: &Api, place: TokenStream, ty: &TypeRef) -> TokenStream {
    if is_display(api, ty) {
        quote!(#place.to_string())
    } else {
        quote!(crate::engine::encoding::plain_text(&#place)?)
    }
}

/// How a query parameter that holds an object (or a `deepObject` list) is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectQuery {
    /// `name[key]=value`, nested keys and indices in brackets.
    Deep,
    /// An exploded `form` object: one pair per property.
    Exploded,
}

pub(crate) fn object_query(api: &Api, p: &Param) -> Option<ObjectQuery> {
    if p.location != ParamLocation::Query {
        return None;
    }
    let is_object = matches!(api.unalias(&p.ty), TypeRef::Map(_))
        || matches!(
            crate::emit::kind_of(api, &p.ty),
            Some(crate::ir::TypeKind::Struct { .. })
        );
    match p.style {
        ParamStyle::DeepObject => Some(ObjectQuery::Deep),
        ParamStyle::Form if p.explode && is_object => Some(ObjectQuery::Exploded),
        _ => None,
    }
}

fn push_param(api: &Api, p: &Param, out: TokenStream) -> TokenStream {
    let field = ident(&p.rust_name);
    let separator = &p.separator;
    // Query keys are `Cow`s (a `deepObject` makes its own); header keys are static.
    let name = match p.location {
        ParamLocation::Query => {
            let name = &p.name;
            quote!(#name.into())
        }
        _ => {
            let name = &p.name;
            quote!(#name)
        }
    };
    let one = |value: TokenStream, ty: &TypeRef| text_of(api, value, ty);
    let wire = &p.name;
    let push = match (object_query(api, p), api.unalias(&p.ty)) {
        (Some(ObjectQuery::Deep), _) => {
            quote!(#out.extend(crate::engine::encoding::deep_object(#wire, value)?);)
        }
        (Some(ObjectQuery::Exploded), _) => {
            quote!(#out.extend(crate::engine::encoding::form_object(#wire, value)?);)
        }
        (None, ty) => push_value(api, p, ty, &out, &name, separator, one),
    };
    if p.required {
        quote! {{ let value = &self.#field; #push }}
    } else {
        quote! { if let Some(value) = &self.#field { #push } }
    }
}

/// The pushes of one parameter value that is not an object in the query.
fn push_value(
    api: &Api,
    p: &Param,
    ty: &TypeRef,
    out: &TokenStream,
    name: &TokenStream,
    separator: &str,
    one: impl Fn(TokenStream, &TypeRef) -> TokenStream,
) -> TokenStream {
    match ty {
        TypeRef::Vec(item) if p.explode => {
            let v = one(quote!(item), item);
            quote!(for item in value { #out.push((#name, #v)); })
        }
        TypeRef::Vec(item) if is_display(api, item) => quote! {
            let joined: Vec<String> = value.iter().map(ToString::to_string).collect();
            #out.push((#name, joined.join(#separator)));
        },
        TypeRef::Vec(item) => {
            let v = one(quote!(item), item);
            quote! {
                let joined: Vec<String> = value.iter().map(|item| Ok(#v)).collect::<Result<_>>()?;
                #out.push((#name, joined.join(#separator)));
            }
        }
        other => {
            let v = one(quote!(value), other);
            quote!(#out.push((#name, #v));)
        }
    }
}

fn body_expr(api: &Api, body: Option<&Body>) -> TokenStream {
    match body {
        None => quote!(None),
        Some(b) if b.encoding == BodyEncoding::Multipart => multipart_expr(api, b),
        Some(b) if b.encoding == BodyEncoding::Form && (b.flattened || b.required) => {
            quote!(crate::engine::encoding::form_body(&self.body)?)
        }
        Some(b) if b.encoding == BodyEncoding::Form => quote! {
            match &self.body { Some(body) => crate::engine::encoding::form_body(body)?, None => None }
        },
        Some(b) if b.encoding == BodyEncoding::Raw => {
            if b.required {
                quote!(Some(crate::engine::Body::Raw(self.body)))
            } else {
                quote!(self.body.map(crate::engine::Body::Raw))
            }
        }
        Some(b) if b.flattened || b.required => {
            quote!(crate::engine::encoding::json_body(&self.body)?)
        }
        Some(_) => quote! {
            match &self.body { Some(body) => crate::engine::encoding::json_body(body)?, None => None }
        },
    }
}
