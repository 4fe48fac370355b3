//! The server URL's variables (`https://{domain}.example.com`) as client builder options:
//! one setter per variable, documented with its default and allowed values, and the URL
//! built from the values set (else the defaults) unless a `base_url` replaces it.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Api;

/// The pieces `client_core.rs` splices in; all empty when the URL has no variables.
pub(crate) struct ServerTokens {
    /// Constants: the template and each variable's placeholder and default.
    pub items: TokenStream,
    /// The builder's field holding the values set.
    pub field: TokenStream,
    /// The builder's setters.
    pub setters: TokenStream,
    /// The builder's fields, named: `settings`, then the values set.
    pub destructure: TokenStream,
    /// A closure giving the URL used when no `base_url` is set (after `destructure`).
    pub default_url: TokenStream,
}

pub(crate) fn tokens(api: &Api) -> ServerTokens {
    let Some(template) = &api.server_template else {
        return ServerTokens {
            items: TokenStream::new(),
            field: TokenStream::new(),
            setters: TokenStream::new(),
            destructure: quote!(settings),
            default_url: quote!(|| DEFAULT_BASE_URL.to_string()),
        };
    };
    let vars = &api.server_variables;
    let count = proc_macro2::Literal::usize_unsuffixed(vars.len());
    let placeholders = vars.iter().map(|v| format!("{{{}}}", v.name));
    let defaults = vars.iter().map(|v| &v.default);
    let template_doc = format!(
        " The server URL with its variables, which [`ClientBuilder`] fills in (`{template}`)."
    );
    let items = quote! {
        #[doc = #template_doc]
        pub const SERVER_URL_TEMPLATE: &str = #template;

        /// Each server variable's placeholder and default value.
        const SERVER_VARIABLES: [(&str, &str); #count] = [#((#placeholders, #defaults)),*];

        /// The server URL with each variable's value: the one set, else its default.
        fn server_url(values: &[Option<String>; #count]) -> String {
            let mut url = SERVER_URL_TEMPLATE.to_string();
            for ((placeholder, default), value) in SERVER_VARIABLES.iter().zip(values) {
                url = url.replace(placeholder, value.as_deref().unwrap_or(default));
            }
            url
        }
    };
    let setters = vars.iter().enumerate().map(|(i, v)| {
        let setter = ident(&v.setter);
        let slot = proc_macro2::Literal::usize_unsuffixed(i);
        let mut doc = match &v.description {
            Some(d) => crate::emit::sanitize_doc(d.trim()),
            None => format!("The `{}` of the server URL.", v.name),
        };
        doc.push_str(&format!(
            "\n\nFills `{{{}}}` in [`SERVER_URL_TEMPLATE`] (default: `{}`",
            v.name, v.default
        ));
        if !v.allowed.is_empty() {
            let allowed: Vec<String> = v.allowed.iter().map(|a| format!("`{a}`")).collect();
            doc.push_str(&format!("; the API names {}", allowed.join(", ")));
        }
        doc.push_str("). Ignored when [`base_url`](Self::base_url) is set.");
        let doc = super::doc::own_doc_attrs(&doc);
        quote! {
            #doc
            pub fn #setter(mut self, value: impl Into<String>) -> Self {
                self.server_variables[#slot] = Some(value.into());
                self
            }
        }
    });
    ServerTokens {
        items,
        field: quote!(server_variables: [Option<String>; #count],),
        setters: quote!(#(#setters)*),
        destructure: quote!(settings, server_variables),
        default_url: quote!(move || server_url(&server_variables)),
    }
}
