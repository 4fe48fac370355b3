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
use crate::ir::naming::snake;
use crate::ir::{Api, AuthScheme, Operation, ParamLocation};

/// The builder's own methods, which a scheme's setter must not shadow.
const BUILDER_METHODS: [&str; 10] = [
    "secret_key",
    "base_url",
    "api_version",
    "timeout",
    "connect_timeout",
    "max_body_size",
    "retry",
    "http_client",
    "on_response",
    "build",
];

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

/// The setter of each scheme after the first (whose credential `secret_key` sets), named
/// after the scheme.
pub(crate) fn setters(api: &Api) -> TokenStream {
    let mut out = TokenStream::new();
    let names = setter_names(api);
    for ((slot, scheme), name) in api
        .auth
        .iter()
        .enumerate()
        .skip(1)
        .zip(&names[BUILDER_METHODS.len()..])
    {
        let setter = ident(name);
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
/// methods, then one per scheme after the first (`_credential` appended on a collision).
pub(crate) fn setter_names(api: &Api) -> Vec<String> {
    let mut taken: Vec<String> = BUILDER_METHODS.iter().map(|m| m.to_string()).collect();
    for scheme in api.auth.iter().skip(1) {
        let mut name = snake(scheme.name());
        if taken.contains(&name) {
            name.push_str("_credential");
        }
        taken.push(name);
    }
    taken
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
