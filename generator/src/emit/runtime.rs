//! `lib.rs` of the generated crate (its module tree and exports, with the runtime's
//! modules imported from the runtime crate or carried as copies) and the webhook
//! verifier. The client, errors, files, auth, servers and `Cargo.toml` have modules of
//! their own; the fixed parts are the runtime crate's sources and templates.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Api;

/// Whether the crate has a client: a document with no operations (only types, or only
/// webhook events) gives a types-only crate.
pub fn has_client(api: &Api) -> bool {
    !api.operations.is_empty()
}

pub fn lib_rs(api: &Api) -> TokenStream {
    let text = super::crate_docs::crate_docs(api);
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
    let codec = super::codec::uses_codec(api).then(|| {
        quote!(
            #[macro_use]
            mod codec;
        )
    });
    let patch = super::patch::uses_patch(api).then(|| {
        let module = runtime_module(api, "patch");
        quote!(
            #module
            pub use patch::Patch;
        )
    });
    let file = super::uses_files(api).then(|| {
        quote!(
            mod file;
            pub use file::FilePart;
        )
    });
    let redirect = super::uses_redirects(api).then(|| {
        let module = runtime_module(api, "redirect_answer");
        quote!(
            #module
            pub use redirect_answer::Redirect;
        )
    });
    let stream = super::uses_stream(api).then(|| {
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
    let raw_export = super::uses_raw_body(api).then(|| quote!(RawBody,));
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
    let pages = super::pages::pages_items(api);
    let sends = has_client(api).then(|| {
        quote!(
            #[macro_use]
            mod sends;
        )
    });
    let client = has_client(api).then(|| {
        let mut modules = vec!["call_error", "engine", "response", "retry", "transport"];
        // A copy of the engine names the redirect answer even when no operation gives one.
        if api.runtime.is_none() && !super::uses_redirects(api) {
            modules.push("redirect_answer");
        }
        let runtime = modules.into_iter().map(|m| runtime_module(api, m));
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
    });
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

/// A module of the runtime: the shared crate's, imported under the same name, or the copy
/// the crate carries.
pub(crate) fn runtime_module(api: &Api, name: &str) -> TokenStream {
    let name = ident(name);
    match api.runtime {
        Some(_) => quote!(use clerkgen_runtime::#name;),
        // A copy of the whole module, public as the runtime crate's is: the crate's aliases
        // (`Error`, `Pages`) and re-exports point into it, and their docs link to its items.
        None => quote!(pub mod #name;),
    }
}

/// The webhook verifier: the scheme's template, decoding into the crate's event enum, with
/// `from_env` when the manifest names the secret's variable.
pub fn webhook_rs(api: &Api) -> String {
    let Some(signing) = &api.webhook_signing else {
        return String::new();
    };
    let template = match signing.scheme {
        crate::ir::WebhookSignature::StandardWebhooks => {
            include_str!("../../templates/standard_webhooks.rs")
        }
    };
    let mut text = match api.event_type.as_deref() {
        Some(event) if event != "Event" => template.replace(
            "use crate::models::Event;",
            &format!("use crate::models::{event} as Event;"),
        ),
        _ => template.to_string(),
    };
    if let Some(var) = &signing.secret_env {
        text.push_str(&format!(
            "\n/// The environment variable [`Webhook::from_env`] reads the signing secret from.\n\
             pub const WEBHOOK_SECRET_ENV: &str = {var:?};\n\n\
             impl Webhook {{\n    \
             /// A verifier whose secret is in the `{var}` environment variable.\n    \
             pub fn from_env() -> Result<Self, WebhookError> {{\n        \
             Webhook::from_env_var(WEBHOOK_SECRET_ENV)\n    }}\n}}\n"
        ));
    }
    text
}
