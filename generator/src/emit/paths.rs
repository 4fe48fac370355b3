//! Every path of the generated crate that emitted code and its docs name: the modules
//! `lib.rs` declares (or the runtime provides, as a dependency or a copy) and the items
//! the crate root re-exports. A module that moves changes here, once.
//!
//! A path interpolates into `quote!` (`#ENCODING::json_body(..)`) and prints into
//! rustdoc links (`[`Pages`]({PAGES})`). Where the path is defined (the `mod` and `pub
//! use` lines of `lib.rs`, the runtime files' places) is `lib_rs.rs` and `RuntimeFile`.

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// An absolute path into the generated crate, `crate::` then segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CratePath(&'static str);

impl CratePath {
    /// The path as written in code and docs (`crate::engine::encoding`).
    pub(crate) const fn as_str(self) -> &'static str {
        self.0
    }
}

impl ToTokens for CratePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for (i, segment) in self.0.split("::").enumerate() {
            if i > 0 {
                tokens.append(Punct::new(':', Spacing::Joint));
                tokens.append(Punct::new(':', Spacing::Alone));
            }
            tokens.append(Ident::new(segment, Span::call_site()));
        }
    }
}

impl std::fmt::Display for CratePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

// Modules.
/// The schemas' types.
pub(crate) const MODELS: CratePath = CratePath("crate::models");
/// The request engine (runtime): `Engine`, `RequestSpec`, `Body`, `Take`, ...
pub(crate) const ENGINE: CratePath = CratePath("crate::engine");
/// Encoding of paths, queries and bodies, and decoding of responses (runtime).
pub(crate) const ENCODING: CratePath = CratePath("crate::engine::encoding");
/// The retry policy (runtime).
pub(crate) const RETRY: CratePath = CratePath("crate::retry");
/// What a sent request received, and transport errors (runtime).
pub(crate) const TRANSPORT: CratePath = CratePath("crate::transport");
/// The error types over any error body (runtime).
pub(crate) const CALL_ERROR: CratePath = CratePath("crate::call_error");
/// The crate's error types, over its error body (`error.rs`).
pub(crate) const ERROR_MODULE: CratePath = CratePath("crate::error");
/// The client and its builder (`client_core.rs`).
pub(crate) const CLIENT_CORE: CratePath = CratePath("crate::client_core");
/// The streamed response body (`stream.rs`).
pub(crate) const STREAM: CratePath = CratePath("crate::stream");

// The crate root and its items.
/// The crate root, where the runtime's items a model names (`Patch`) are re-exported.
pub(crate) const ROOT: CratePath = CratePath("crate");
/// The API client.
pub(crate) const CLIENT: CratePath = CratePath("crate::Client");
/// The crate's `Result`.
pub(crate) const RESULT: CratePath = CratePath("crate::Result");
/// The crate's `Error`.
pub(crate) const ERROR: CratePath = CratePath("crate::Error");
/// An error status with its body.
pub(crate) const API_ERROR: CratePath = CratePath("crate::ApiError");
/// A three-state field of an update body.
pub(crate) const PATCH: CratePath = CratePath("crate::Patch");
/// A body the client does not encode, with its content type.
pub(crate) const RAW_BODY: CratePath = CratePath("crate::RawBody");
/// The pager.
pub(crate) const PAGES: CratePath = CratePath("crate::Pages");
/// The answer of an operation that redirects.
pub(crate) const REDIRECT: CratePath = CratePath("crate::Redirect");
/// A value with the response's status and headers.
pub(crate) const RESPONSE: CratePath = CratePath("crate::Response");
/// The boxed future every sender returns.
pub(crate) const RESPONSE_FUTURE: CratePath = CratePath("crate::ResponseFuture");
/// A streamed response body.
pub(crate) const BYTE_STREAM: CratePath = CratePath("crate::ByteStream");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_the_same_in_code_and_in_docs() {
        let code = quote::quote!(#ENCODING::json_body(x)).to_string();
        assert_eq!(code, "crate :: engine :: encoding :: json_body (x)");
        assert_eq!(format!("[`Pages`]({PAGES})"), "[`Pages`](crate::Pages)");
        let all = [
            MODELS,
            ENGINE,
            ENCODING,
            RETRY,
            TRANSPORT,
            CALL_ERROR,
            ERROR_MODULE,
            CLIENT_CORE,
            STREAM,
            ROOT,
            CLIENT,
            RESULT,
            ERROR,
            API_ERROR,
            PATCH,
            RAW_BODY,
            PAGES,
            REDIRECT,
            RESPONSE,
            RESPONSE_FUTURE,
            BYTE_STREAM,
        ];
        for path in all {
            let parsed: syn::Path = syn::parse2(path.to_token_stream()).unwrap();
            assert_eq!(parsed.segments[0].ident, "crate", "{path}");
            let written = quote::quote!(#parsed).to_string().replace(' ', "");
            assert_eq!(written, path.as_str());
        }
    }
}
