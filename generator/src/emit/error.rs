//! `error.rs` of the generated crate: the call error, the API error with its status,
//! headers and body, and the common error body the document's error responses share.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type;
use crate::ir::Api;

/// The error module: shaped by the document's common error body.
pub fn error_rs(api: &Api) -> TokenStream {
    let body_ty = match &api.error_body {
        Some(t) => rust_type(t),
        None => quote!(serde_json::Value),
    };
    let missing_doc = match api.credentials_env {
        Some(_) => " [`Client::from_env`](crate::Client::from_env) found no secret in the environment.",
        None => " An environment variable the client reads a credential or setting from is unset or empty.",
    };
    let body_doc = match &api.error_body {
        Some(t) => format!(
            " The body every error response of this API shares: `{}`.",
            t.rust("crate::models")
        ),
        None => " Error responses of this API have no single schema, so bodies decode as JSON."
            .to_string(),
    };
    let api_error = api_error();
    quote! {
        //! Errors: what went wrong with a call, and what the API said about it.

        use std::fmt;

        pub use crate::transport::{TransportError, TransportErrorKind};
        use crate::transport::{retry_after, summary, Preview, Received};

        #[doc = #body_doc]
        pub type ErrorBody = #body_ty;

        /// The result of every call.
        pub type Result<T, E = Error> = std::result::Result<T, E>;

        /// Why a call failed. Its `Display` is one line that does not repeat its
        /// [`source`](std::error::Error::source); bodies show as text cut to a few KB.
        #[non_exhaustive]
        pub enum Error {
            /// The API answered with an error status.
            Api(Box<ApiError>),
            /// No whole response arrived: the connection failed, was reset or closed, a
            /// timeout ran out, redirects did not end, or the body was cut short.
            Transport(Box<TransportError>),
            /// The response body is longer than the client reads
            /// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)).
            BodyTooLarge {
                /// The `operationId` of the call.
                operation: &'static str,
                status: u16,
                /// The limit, in bytes.
                limit: usize,
            },
            /// A success response whose body does not match the operation's type.
            Decode {
                /// The `operationId` of the call.
                operation: &'static str,
                status: u16,
                source: serde_json::Error,
                /// The body as received.
                body: Vec<u8>,
            },
            /// A request body or parameter could not be encoded.
            Encode(serde_json::Error),
            /// The HTTP client could not be set up, or could not build a request from the
            /// inputs given.
            Http(reqwest::Error),
            #[doc = #missing_doc]
            MissingCredentials {
                /// The environment variable that is unset or empty.
                variable: &'static str,
            },
            /// A credential cannot be used: it is empty, or has a line break or another
            /// control character inside it (or, read by an extension, is not in the form
            /// the API gives it).
            InvalidCredentials {
                /// What is wrong with it (never the key itself).
                problem: &'static str,
            },
        }

        impl fmt::Display for Error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Error::Api(e) => e.fmt(f),
                    Error::Transport(e) => e.fmt(f),
                    Error::BodyTooLarge { operation, status, limit } => write!(f, "{operation}: the {status} response's body is longer than the client's limit of {limit} bytes (ClientBuilder::max_body_size)"),
                    Error::Decode { operation, status, body, .. } => write!(f, "{operation}: the {status} response's body ({} bytes) does not match the operation's type", body.len()),
                    Error::Encode(_) => f.write_str("cannot encode the request"),
                    Error::Http(_) => f.write_str("the HTTP client could not be set up or could not build the request"),
                    Error::MissingCredentials { variable } => write!(f, "the environment variable {variable} is not set"),
                    Error::InvalidCredentials { problem } => write!(f, "the credential {problem}"),
                }
            }
        }

        impl fmt::Debug for Error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
                    Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
                    Error::BodyTooLarge { operation, status, limit } => f.debug_struct("BodyTooLarge").field("operation", operation).field("status", status).field("limit", limit).finish(),
                    Error::Decode { operation, status, source, body } => f.debug_struct("Decode").field("operation", operation).field("status", status).field("source", source).field("body", &Preview(body)).finish(),
                    Error::Encode(e) => f.debug_tuple("Encode").field(e).finish(),
                    Error::Http(e) => f.debug_tuple("Http").field(e).finish(),
                    Error::MissingCredentials { variable } => f.debug_struct("MissingCredentials").field("variable", variable).finish(),
                    Error::InvalidCredentials { problem } => f.debug_struct("InvalidCredentials").field("problem", problem).finish(),
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    // `Api` and `Transport` show their inner error as their own text.
                    Error::Transport(e) => e.source(),
                    Error::Http(e) => Some(e),
                    Error::Decode { source, .. } | Error::Encode(source) => Some(source),
                    Error::Api(_) | Error::BodyTooLarge { .. } | Error::MissingCredentials { .. } | Error::InvalidCredentials { .. } => None,
                }
            }
        }

        impl Error {
            /// The HTTP status of the response, when one arrived.
            pub fn status(&self) -> Option<u16> {
                match self {
                    Error::Api(e) => Some(e.status()),
                    Error::Transport(e) => e.status(),
                    Error::BodyTooLarge { status, .. } | Error::Decode { status, .. } => Some(*status),
                    _ => None,
                }
            }
        }

        #api_error
    }
}

/// `ApiError`: an error response's status, headers and body, decoded on demand; the same
/// for every document.
fn api_error() -> TokenStream {
    quote! {
        /// An error response: its status, headers, raw body and, when it decodes, the body.
        #[derive(Clone)]
        pub struct ApiError {
            operation: &'static str,
            status: u16,
            headers: reqwest::header::HeaderMap,
            raw: Vec<u8>,
            body: Option<ErrorBody>,
            attempts: u32,
        }

        impl ApiError {
            /// An error response; `own_errors` are the statuses whose body has a schema of
            /// the operation's own rather than [`ErrorBody`].
            pub(crate) fn new(received: Received, own_errors: &[&str], attempts: u32) -> Self {
                let own = own_errors.iter().any(|s| crate::retry::status_matches(s, received.status));
                ApiError {
                    operation: received.operation,
                    status: received.status,
                    headers: received.headers,
                    body: if own { None } else { serde_json::from_slice(&received.body).ok() },
                    raw: received.body,
                    attempts,
                }
            }

            /// The HTTP status code.
            pub fn status(&self) -> u16 {
                self.status
            }

            /// The response headers.
            pub fn headers(&self) -> &reqwest::header::HeaderMap {
                &self.headers
            }

            /// The `operationId` of the call that failed.
            pub fn operation(&self) -> &'static str {
                self.operation
            }

            /// The decoded body, when the operation declares the API's common error schema
            /// for this status and the body matches it.
            pub fn body(&self) -> Option<&ErrorBody> {
                self.body.as_ref()
            }

            /// The body decoded as another type: for statuses whose schema is the
            /// operation's own (each operation's docs list its error types).
            pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
                serde_json::from_slice(&self.raw).ok()
            }

            /// The body as received.
            pub fn raw_body(&self) -> &[u8] {
                &self.raw
            }

            /// How long the server asked the client to wait before trying again
            /// (`Retry-After`, in seconds): set on a 429 or 503 the client did not wait
            /// for, because the wait would not fit in the call's retry budget.
            pub fn retry_after(&self) -> Option<std::time::Duration> {
                retry_after(&self.headers)
            }

            /// How many attempts the call made.
            pub fn attempts(&self) -> u32 {
                self.attempts
            }
        }

        impl fmt::Display for ApiError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}: the API answered {}", self.operation, self.status)?;
                if let Some(reason) = reqwest::StatusCode::from_u16(self.status).ok().and_then(|s| s.canonical_reason()) {
                    write!(f, " {reason}")?;
                }
                match summary(&self.raw) {
                    Some(said) => write!(f, ": {said}")?,
                    None if !self.raw.is_empty() => write!(f, ": {}", Preview(&self.raw))?,
                    None => {}
                }
                if let Some(wait) = self.retry_after() {
                    write!(f, " (retry after {} s)", wait.as_secs())?;
                }
                if self.attempts > 1 {
                    write!(f, " (after {} attempts)", self.attempts)?;
                }
                Ok(())
            }
        }

        impl fmt::Debug for ApiError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("ApiError")
                    .field("operation", &self.operation)
                    .field("status", &self.status)
                    .field("attempts", &self.attempts)
                    .field("headers", &self.headers)
                    .field("body", &Preview(&self.raw))
                    .finish()
            }
        }

        impl std::error::Error for ApiError {}

        impl From<crate::engine::EngineError> for Error {
            fn from(e: crate::engine::EngineError) -> Self {
                use crate::engine::EngineError as E;
                match e {
                    E::Status { received, own_errors, attempts } => Error::Api(Box::new(ApiError::new(*received, own_errors, attempts))),
                    E::Transport(e) => Error::Transport(e),
                    E::BodyTooLarge { operation, status, limit } => Error::BodyTooLarge { operation, status, limit },
                    E::Decode { operation, status, source, body } => Error::Decode { operation, status, source, body },
                    E::Encode(e) => Error::Encode(e),
                    E::Http(e) => Error::Http(e),
                    E::InvalidCredentials { problem } => Error::InvalidCredentials { problem },
                }
            }
        }
    }
}
