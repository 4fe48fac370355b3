//! The fixed part of the API clients [clerkgen](https://crates.io/crates/clerkgen)
//! generates, shared by every generated crate instead of copied into each: the engine that
//! sends a request with credentials, timeouts and retries ([`engine`]), the retry policy
//! ([`retry::RetryPolicy`]), the errors a call ends in ([`call_error::Error`], [`call_error::ApiError`],
//! generic over the API's error body), reading a response body within a size limit and naming what
//! went wrong when no whole response arrived ([`transport::TransportError`]), redirects
//! returned as answers ([`redirect_answer::Redirect`]), and request fields that can be
//! left out, sent as `null` or set ([`patch::Patch`]), and a body with its status and headers
//! ([`response::Response`]).
//!
//! A generated crate re-exports what its users meet (`RetryPolicy`, `Exchange`,
//! `TransportError`, `TransportErrorKind`, `Redirect`, `Patch`, `RawBody`) and names
//! `Error` and `ApiError` with its error body; items marked
//! hidden here are for the generated code and are not a stable API. A crate generated
//! outside a workspace that has this crate (`cargo clerkgen generate --spec ... --out ...`)
//! carries a copy of these modules instead, from the same sources.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod call_error;
pub mod engine;
pub mod pages;
pub mod patch;
pub mod redirect_answer;
pub mod response;
pub mod retry;
pub mod transport;
