//! `error.rs` of the generated crate: the runtime's error types, fixed to the body the
//! document's error responses share (`ErrorBody`).

use super::paths::{CALL_ERROR, MODELS, TRANSPORT};
use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type;
use crate::ir::Api;

/// The error module: type aliases naming the document's common error body.
pub fn error_rs(api: &Api) -> TokenStream {
    let body_ty = match &api.error_body {
        Some(t) => rust_type(t),
        None => quote!(serde_json::Value),
    };
    let body_doc = match &api.error_body {
        Some(t) => format!(
            " The body every error response of this API shares: `{}`.",
            t.rust(MODELS.as_str())
        ),
        None => " Error responses of this API have no single schema, so bodies decode as JSON."
            .to_string(),
    };
    quote! {
        //! Errors: what went wrong with a call, and what the API said about it.

        pub use #TRANSPORT::{TransportError, TransportErrorKind};

        #[doc = #body_doc]
        pub type ErrorBody = #body_ty;

        /// Why a call failed: the runtime's error, with this API's [`ErrorBody`]. Match on
        /// its variants (`Error::Api(e)`, `Error::Transport(e)`, ...) as on any enum.
        pub type Error = #CALL_ERROR::Error<ErrorBody>;

        /// An error response: its status, headers, raw body and, when it decodes, the
        /// [`ErrorBody`].
        pub type ApiError = #CALL_ERROR::ApiError<ErrorBody>;

        /// The result of every call.
        pub type Result<T, E = Error> = std::result::Result<T, E>;
    }
}
