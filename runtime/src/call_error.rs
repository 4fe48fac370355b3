//! Errors: what went wrong with a call ([`Error`]), and what the API said about it
//! ([`ApiError`]). Both are generic over the body the API's error responses share, which
//! a generated crate names (`ErrorBody`) and fixes with type aliases (`clerk::Error` is
//! `Error<clerk::ErrorBody>`).

use std::fmt;

use crate::retry::status_matches;
use crate::transport::{retry_after, summary, Preview, Received, RedactedHeaders, TransportError};

/// Why a call failed. Its `Display` is one line that does not repeat its
/// [`source`](std::error::Error::source); bodies show as text cut to a few KB.
#[non_exhaustive]
pub enum Error<B> {
    /// The API answered with an error status.
    Api(Box<ApiError<B>>),
    /// No whole response arrived: the connection failed, was reset or closed, a timeout
    /// ran out, redirects did not end, or the body was cut short.
    Transport(Box<TransportError>),
    /// The response body is longer than the client reads (the client builder's
    /// `max_body_size`).
    BodyTooLarge {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The response's status.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A success response whose body does not match the operation's type.
    Decode {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The response's status.
        status: u16,
        /// Where in the body the value that does not match is, as a path of keys and
        /// indices (`[0].saml_accounts[0].saml_connection.id`); empty when the body is
        /// not JSON at all or the top-level value is the one that does not match.
        path: String,
        /// Why it does not decode.
        source: serde_json::Error,
        /// The body as received.
        body: Vec<u8>,
    },
    /// An input of the call cannot be sent as given, so nothing was sent: a path
    /// parameter that is empty, `.` or `..` (which would name another endpoint), or a
    /// header or cookie parameter with a line break or another control character.
    InvalidInput {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The parameter's name, as the API spells it.
        parameter: &'static str,
        /// What is wrong with it (never the value itself).
        problem: &'static str,
    },
    /// A client setting cannot be sent (the API version with a control character in it,
    /// say): the builder fails with it, and every call of a client that cannot fail to be
    /// built.
    InvalidSetting {
        /// The builder's setter.
        setting: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A walk over pages stopped because it would not end: the server sent a page it had
    /// sent before, the cursor did not move, or the walk reached its limit of pages
    /// (`Pages::max_pages`).
    Pages {
        /// The `operationId` of the call.
        operation: &'static str,
        /// How many pages the walk had received.
        pages: u64,
        /// Why it stopped.
        problem: &'static str,
    },
    /// A request body or parameter could not be encoded.
    Encode(serde_json::Error),
    /// The HTTP client could not be set up, or could not build a request from the inputs
    /// given.
    Http(reqwest::Error),
    /// An environment variable the client reads a credential or setting from
    /// (`Client::from_env`) is unset or empty.
    MissingCredentials {
        /// The environment variable that is unset or empty.
        variable: &'static str,
    },
    /// A credential cannot be used: it is empty, or has a line break or another control
    /// character inside it (or, read by an extension, is not in the form the API gives
    /// it).
    InvalidCredentials {
        /// What is wrong with it (never the key itself).
        problem: &'static str,
    },
}

impl<B> fmt::Display for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::BodyTooLarge { operation, status, limit } => write!(
                f,
                "{operation}: the {status} response's body is longer than the client's limit of {limit} bytes (ClientBuilder::max_body_size)"
            ),
            Error::Decode { operation, status, body, path, .. } => {
                write!(
                    f,
                    "{operation}: the {status} response's body ({} bytes) does not match the operation's type",
                    body.len()
                )?;
                if !path.is_empty() {
                    write!(f, " at `{path}`")?;
                }
                Ok(())
            }
            Error::InvalidInput { operation, parameter, problem } => write!(
                f,
                "{operation}: nothing was sent: the parameter `{parameter}` {problem}"
            ),
            Error::InvalidSetting { setting, problem } => {
                write!(f, "the client's `{setting}` {problem}")
            }
            Error::Pages { operation, pages, problem } => {
                write!(f, "{operation}: the walk over pages stopped after {pages} pages: {problem}")
            }
            Error::Encode(_) => f.write_str("cannot encode the request"),
            Error::Http(_) => {
                f.write_str("the HTTP client could not be set up or could not build the request")
            }
            Error::MissingCredentials { variable } => {
                write!(f, "the environment variable {variable} is not set")
            }
            Error::InvalidCredentials { problem } => write!(f, "the credential {problem}"),
        }
    }
}

impl<B> fmt::Debug for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Error::BodyTooLarge {
                operation,
                status,
                limit,
            } => f
                .debug_struct("BodyTooLarge")
                .field("operation", operation)
                .field("status", status)
                .field("limit", limit)
                .finish(),
            Error::Decode {
                operation,
                status,
                path,
                source,
                body,
            } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("status", status)
                .field("path", path)
                .field("source", source)
                .field("body", &Preview(body))
                .finish(),
            Error::InvalidInput {
                operation,
                parameter,
                problem,
            } => f
                .debug_struct("InvalidInput")
                .field("operation", operation)
                .field("parameter", parameter)
                .field("problem", problem)
                .finish(),
            Error::InvalidSetting { setting, problem } => f
                .debug_struct("InvalidSetting")
                .field("setting", setting)
                .field("problem", problem)
                .finish(),
            Error::Pages {
                operation,
                pages,
                problem,
            } => f
                .debug_struct("Pages")
                .field("operation", operation)
                .field("pages", pages)
                .field("problem", problem)
                .finish(),
            Error::Encode(e) => f.debug_tuple("Encode").field(e).finish(),
            Error::Http(e) => f.debug_tuple("Http").field(e).finish(),
            Error::MissingCredentials { variable } => f
                .debug_struct("MissingCredentials")
                .field("variable", variable)
                .finish(),
            Error::InvalidCredentials { problem } => f
                .debug_struct("InvalidCredentials")
                .field("problem", problem)
                .finish(),
        }
    }
}

impl<B> std::error::Error for Error<B> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // `Api` and `Transport` show their inner error as their own text.
            Error::Transport(e) => e.source(),
            Error::Http(e) => Some(e),
            Error::Decode { source, .. } | Error::Encode(source) => Some(source),
            Error::Api(_)
            | Error::BodyTooLarge { .. }
            | Error::MissingCredentials { .. }
            | Error::InvalidCredentials { .. }
            | Error::InvalidInput { .. }
            | Error::InvalidSetting { .. }
            | Error::Pages { .. } => None,
        }
    }
}

impl<B> Error<B> {
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

impl<B> From<ApiError<B>> for Error<B> {
    fn from(e: ApiError<B>) -> Self {
        Error::Api(Box::new(e))
    }
}

/// An error response: its status, headers, raw body and, when it decodes, the body the
/// API's error responses share (`B`).
#[derive(Clone)]
pub struct ApiError<B> {
    operation: &'static str,
    status: u16,
    headers: reqwest::header::HeaderMap,
    raw: Vec<u8>,
    body: Option<B>,
    attempts: u32,
}

impl<B: serde::de::DeserializeOwned> ApiError<B> {
    /// An error response; `own_errors` are the statuses whose body has a schema of the
    /// operation's own rather than `B`.
    #[doc(hidden)]
    pub fn new(received: Received, own_errors: &[&str], attempts: u32) -> Self {
        let own = own_errors
            .iter()
            .any(|s| status_matches(s, received.status));
        ApiError {
            operation: received.operation,
            status: received.status,
            headers: received.headers,
            body: if own {
                None
            } else {
                serde_json::from_slice(&received.body).ok()
            },
            raw: received.body,
            attempts,
        }
    }
}

impl<B> ApiError<B> {
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

    /// The decoded body, when the operation declares the API's common error schema for
    /// this status and the body matches it.
    pub fn body(&self) -> Option<&B> {
        self.body.as_ref()
    }

    /// The body decoded as another type: for statuses whose schema is the operation's own
    /// (each operation's docs list its error types).
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.raw).ok()
    }

    /// The body as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw
    }

    /// How long the server asked the client to wait before trying again (`Retry-After`,
    /// in seconds): set on a 429 or 503 the client did not wait for, because the wait
    /// would not fit in the call's retry budget.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        retry_after(&self.headers)
    }

    /// How many attempts the call made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl<B> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the API answered {}", self.operation, self.status)?;
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason());
        if let Some(reason) = reason {
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

impl<B> fmt::Debug for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &Preview(&self.raw))
            .finish()
    }
}

impl<B> std::error::Error for ApiError<B> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Body {
        message: String,
    }

    fn received(status: u16, body: &str) -> Received {
        Received {
            operation: "GetThing",
            status,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_common_body_decodes_unless_the_status_has_its_own() {
        let e: ApiError<Body> = ApiError::new(received(422, r#"{"message":"bad"}"#), &["404"], 1);
        assert_eq!(e.body().unwrap().message, "bad");
        let own: ApiError<Body> =
            ApiError::new(received(404, r#"{"message":"gone"}"#), &["4XX"], 1);
        assert!(own.body().is_none());
        assert_eq!(own.decode::<Body>().unwrap().message, "gone");
    }

    #[test]
    fn an_error_status_reads_as_one_line_with_its_attempts() {
        let e: Error<Body> = Error::Api(Box::new(ApiError::new(received(503, "down"), &[], 3)));
        assert_eq!(e.status(), Some(503));
        let text = e.to_string();
        assert!(
            text.starts_with("GetThing: the API answered 503 Service Unavailable"),
            "{text}"
        );
        assert!(text.ends_with("(after 3 attempts)"), "{text}");
        let e: Error<Body> = Error::InvalidCredentials {
            problem: "is empty",
        };
        assert_eq!(e.to_string(), "the credential is empty");
        assert_eq!(e.status(), None);
    }
}
