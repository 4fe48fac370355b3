//! Credentials in the emitted client: one slot per security scheme of the document, the
//! builder's setters for them, and the code that sends what an operation's security
//! requirements ask for.
//!
//! The client keeps `secrets: [Option<String>; N]`, slot `i` for the document's `i`-th
//! scheme; `secret_key` (and `from_env`) fill slot 0. Each request carries its
//! operation's requirements as lists of slots; the client sends the first non-empty
//! requirement all of whose credentials it has, and nothing when it has none of them
//! (an operation that also accepts anonymous calls then goes out anonymous; one that
//! does not gets the server's 401).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Api, AuthScheme, Operation, ParamLocation};

/// How many credential slots the client has (one even when the document declares no
/// scheme, so that `secret_key` always has somewhere to go).
pub(crate) fn slots(api: &Api) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(api.auth.len().max(1))
}

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
                    self.secrets.0[#slot] = Some(format!("{}:{}", user.into(), password.into()));
                    self
                }
            },
            _ => quote! {
                #[doc = #doc]
                pub fn #setter(mut self, credential: impl Into<String>) -> Self {
                    self.secrets.0[#slot] = Some(credential.into());
                    self
                }
            },
        });
    }
    out
}

/// Every method name of the client builder that is not a server variable's: its fixed
/// methods, then each scheme's setter.
pub(crate) fn setter_names(api: &Api) -> Vec<String> {
    let fixed = crate::ir::BUILDER_METHODS.iter().map(|m| m.to_string());
    fixed
        .chain(api.auth.iter().map(|a| a.setter().to_string()))
        .collect()
}

/// Whether some scheme is sent in the query (the request's query list is then mutable).
pub(crate) fn uses_query(api: &Api) -> bool {
    api.auth.iter().any(|a| {
        matches!(
            a,
            AuthScheme::ApiKey {
                location: ParamLocation::Query,
                ..
            }
        )
    })
}

/// The statements in `request()` that send the chosen requirement's credentials.
pub(crate) fn apply(api: &Api) -> TokenStream {
    if api.auth.is_empty() {
        return TokenStream::new();
    }
    let arms = api.auth.iter().enumerate().map(|(slot, scheme)| {
        let send = match scheme {
            AuthScheme::Bearer { .. } => quote!(request.bearer_auth(secret)),
            AuthScheme::Basic { .. } => quote! {{
                let (user, password) = secret.split_once(':').unwrap_or((secret, ""));
                request.basic_auth(user, Some(password))
            }},
            AuthScheme::ApiKey {
                location: ParamLocation::Query,
                param,
                ..
            } => quote! {{
                query.push((#param.into(), secret.to_string()));
                request
            }},
            AuthScheme::ApiKey {
                location: ParamLocation::Cookie,
                param,
                ..
            } => {
                let prefix = format!("{param}=");
                quote!(request.header(reqwest::header::COOKIE, format!("{}{}", #prefix, secret)))
            }
            AuthScheme::ApiKey { param, .. } => quote!(request.header(#param, secret)),
        };
        let slot = proc_macro2::Literal::usize_unsuffixed(slot);
        quote!(#slot => #send,)
    });
    quote! {
        let chosen = spec.security.iter().find(|requirement| {
            !requirement.is_empty() && requirement.iter().all(|&slot| self.inner.secrets.0[slot].is_some())
        });
        for &slot in chosen.copied().unwrap_or_default() {
            let secret = self.inner.secrets.0[slot].as_deref().unwrap_or_default();
            request = match slot {
                #(#arms)*
                _ => request,
            };
        }
    }
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
