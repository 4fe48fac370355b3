//! Credentials in the emitted client: one slot per security scheme of the document, the
//! builder's setters for them, and each operation's requirements as slot lists.
//!
//! The runtime's engine keeps a credential per slot, slot `i` for the document's `i`-th
//! scheme; `secret_key` (and `from_env`) fill slot 0. Each request carries its
//! operation's requirements as lists of slots; the engine sends the first non-empty
//! requirement all of whose credentials it has, and nothing when it has none of them.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Api, AuthScheme, Operation, ParamLocation};

/// What the first scheme's credential is, for the docs of `new` and `secret_key`.
pub(crate) fn primary_doc(api: &Api) -> String {
    match api.auth.first() {
        Some(scheme) => sent_as(scheme),
        None => "not sent: the API declares no security scheme".to_string(),
    }
}

fn sent_as(scheme: &AuthScheme) -> String {
    match scheme {
        AuthScheme::Bearer { .. } => "sent as a bearer token".to_string(),
        AuthScheme::Basic { .. } => "sent as HTTP basic credentials (`user:password`)".to_string(),
        AuthScheme::ApiKey {
            location, param, ..
        } => {
            let place = match location {
                ParamLocation::Query => "query parameter",
                ParamLocation::Cookie => "cookie",
                _ => "header",
            };
            format!("sent as the API key in the `{param}` {place}")
        }
    }
}

/// The setter of each scheme, named after it (the first scheme's credential can also be
/// set with `secret_key`).
pub(crate) fn setters(api: &Api) -> TokenStream {
    let mut out = TokenStream::new();
    for (slot, scheme) in api.auth.iter().enumerate() {
        let setter = ident(scheme.setter());
        let slot = proc_macro2::Literal::usize_unsuffixed(slot);
        let mut doc = format!(
            " The credential of the `{}` security scheme, {}.",
            scheme.name(),
            sent_as(scheme)
        );
        if let Some(d) = scheme.description() {
            doc.push_str(&format!(" {}", crate::emit::sanitize_doc(d.trim())));
        }
        out.extend(match scheme {
            AuthScheme::Basic { .. } => quote! {
                #[doc = #doc]
                pub fn #setter(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
                    self.settings.set_secret(#slot, format!("{}:{}", user.into(), password.into()));
                    self
                }
            },
            _ => quote! {
                #[doc = #doc]
                pub fn #setter(mut self, credential: impl Into<String>) -> Self {
                    self.settings.set_secret(#slot, credential.into());
                    self
                }
            },
        });
    }
    out
}

/// An operation's requirements as slot lists, for its `RequestSpec`.
pub(crate) fn requirements(api: &Api, op: &Operation) -> TokenStream {
    let lists = op.security.iter().map(|requirement| {
        let slots = requirement
            .iter()
            .filter_map(|name| api.auth.iter().position(|a| a.name() == name))
            .map(proc_macro2::Literal::usize_unsuffixed);
        quote!(&[#(#slots),*])
    });
    quote!(&[#(#lists),*])
}
