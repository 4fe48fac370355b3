//! `lib.rs` of the generated crate: its docs, its module tree, and its exports, with the
//! runtime's modules imported from the runtime crate or carried as copies.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Shape};
use crate::ir::Api;

/// `lib.rs`: the crate docs, the lints the generated code answers for, its modules and
/// exports.
pub fn lib_rs(api: &Api, shape: &Shape) -> TokenStream {
    let text = super::crate_docs::crate_docs(api, shape);
    let docs = {
        let lines: Vec<&str> = text.lines().collect();
        let attrs = lines.iter().map(|l| {
            let l = format!(" {l}");
            let l = l.trim_end().to_string();
            quote!(#![doc = #l])
        });
        quote!(#(#attrs)*)
    };
    let modules = api.modules.iter().map(|m| {
        let (name, feature) = (ident(&m.name), &m.name);
        quote!(
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            pub mod #name;
        )
    });
    let codec = shape.codec.then(|| {
        quote!(
            #[macro_use]
            mod codec;
        )
    });
    let patch = shape.patch.then(|| {
        let module = super::runtime_module(api, "patch");
        quote!(
            #module
            pub use patch::Patch;
        )
    });
    let file = shape.files.then(|| {
        quote!(
            mod file;
            pub use file::FilePart;
        )
    });
    let redirect = shape.redirect_answers.then(|| {
        let module = super::runtime_module(api, "redirect_answer");
        quote!(
            #module
            pub use redirect_answer::Redirect;
        )
    });
    let stream = shape.stream.then(|| {
        quote!(
            mod stream;
            pub use stream::ByteStream;
        )
    });
    let webhook = api.webhook_signing.as_ref().map(|signing| {
        let env = signing.secret_env.is_some().then(|| {
            quote!(
                pub use webhook::WEBHOOK_SECRET_ENV;
            )
        });
        quote!(
            mod webhook;
            pub use webhook::{Delivery, Headers, RecentDeliveries, Webhook, WebhookError};
            #env
        )
    });
    let pages = super::pages::pages_items(api, shape);
    let sends = shape.client.then(|| {
        quote!(
            #[macro_use]
            mod sends;
        )
    });
    let client = client_items(api, shape);
    let extensions = api.extensions.iter().map(|e| {
        let name = ident(&e.name);
        quote!(pub mod #name;)
    });
    quote! {
        #docs
        #![forbid(unsafe_code)]
        // docs.rs (`--cfg docsrs`) labels each feature-gated item with its feature.
        #![cfg_attr(docsrs, feature(doc_cfg))]
        // Spec text is Markdown written for other renderers; these lints judge its style.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_long_first_doc_paragraph)]
        // Operations take their required inputs as arguments, and unions hold whole types.
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant)]
        // Deprecated types and operations warn where users name them; the crate's own uses
        // of them (a field of a deprecated type, a deprecated operation's builder) do not.
        #![allow(deprecated)]

        #codec
        #sends
        pub mod models;
        #patch
        #file
        #stream
        #redirect
        #webhook
        #(#extensions)*
        #pages
        #(#modules)*
        #client
    }
}

/// The client's modules (the runtime's imported or copied) and its exports: the client,
/// its builder, the errors, and the document's constants.
fn client_items(api: &Api, shape: &Shape) -> Option<TokenStream> {
    let raw_export = shape.raw_body.then(|| quote!(RawBody,));
    let server_export = api
        .server_template
        .is_some()
        .then(|| quote!(SERVER_URL_TEMPLATE,));
    let env_export = match (&api.credentials_env, &api.base_url_env) {
        (Some(_), Some(_)) => Some(quote!(BASE_URL_ENV, CREDENTIALS_ENV,)),
        (Some(_), None) => Some(quote!(CREDENTIALS_ENV,)),
        (None, _) => None,
    };
    let version_export = api
        .api_version_header
        .is_some()
        .then(|| quote!(API_VERSION,));
    shape.client.then(|| {
        let mut modules = vec!["call_error", "engine", "response", "retry", "transport"];
        // A copy of the engine names the redirect answer even when no operation gives one.
        if shape.copied_runtime && !shape.redirect_answers {
            modules.push("redirect_answer");
        }
        let runtime = modules.into_iter().map(|m| super::runtime_module(api, m));
        quote! {
            mod client_core;
            mod error;
            #(#runtime)*
            pub use client_core::{Client, ClientBuilder, Exchange, Jitter, #raw_export ResponseFuture, RetryPolicy, MIN_RETRY_WAIT, #server_export #version_export #env_export DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT};
            pub use error::{ApiError, Error, ErrorBody, Result, TransportError, TransportErrorKind};
            pub use response::Response;
            /// The HTTP client crate this one sends with, at the version it uses: for a
            /// `reqwest::Client` of your own (`ClientBuilder::http_client`) or a header's types.
            pub use reqwest;
        }
    })
}
