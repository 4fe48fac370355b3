//! The wire under a call: reading a response body within the size limit, naming what
//! went wrong when no whole response arrived, and showing bodies in errors (as text, cut
//! short) without copying them.

use std::fmt;

/// How many bytes of a body an error's `Debug` and `Display` show.
const PREVIEW_BYTES: usize = 4096;

/// A response as the client received it: its status, headers and whole body.
#[doc(hidden)]
pub struct Received {
    /// The `operationId` of the call.
    pub operation: &'static str,
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl fmt::Debug for Received {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &Preview(&self.body))
            .finish()
    }
}

/// Parts of a header name that mark its value as a secret: credentials, cookies, session
/// and signing material. Names are lowercase in a `HeaderMap`.
const SENSITIVE_HEADER_WORDS: [&str; 9] = [
    "auth",
    "cookie",
    "token",
    "secret",
    "key",
    "session",
    "password",
    "credential",
    "signature",
];

/// Whether a header's value is kept out of `Debug`: `Authorization`, `Cookie`,
/// `Set-Cookie`, `X-Api-Key`, `X-Session-Token`, ...
#[doc(hidden)]
pub fn is_sensitive_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SENSITIVE_HEADER_WORDS
        .iter()
        .any(|word| name.contains(word))
}

/// Response headers in a `Debug`: every name, and the values of all but the sensitive
/// ones ([`is_sensitive_header`]), which show as `<redacted>`.
#[doc(hidden)]
pub struct RedactedHeaders<'a>(pub &'a reqwest::header::HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if is_sensitive_header(name.as_str()) {
                map.entry(&name.as_str(), &format_args!("<redacted>"));
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

/// What stopped a call before a whole response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be opened (refused, unreachable, name lookup, TLS, or the
    /// connect timeout): nothing reached the server.
    Connect,
    /// The connection was reset.
    Reset,
    /// The server closed the connection before its answer was complete.
    Closed,
    /// A timeout ran out, waiting for the response or reading its body.
    Timeout,
    /// The body ended before the length the response announced.
    Truncated,
    /// The server's answer is not valid HTTP.
    Protocol,
    /// The server's redirects did not end.
    Redirects,
    /// Another failure of the HTTP stack.
    Other,
}

impl TransportErrorKind {
    /// Whether a request with this failure may be sent again. Only a failed connection
    /// guarantees that nothing reached the server; after any other failure the server may
    /// have acted on the request, so only idempotent requests are resent.
    #[doc(hidden)]
    pub fn resendable(self, idempotent: bool) -> bool {
        match self {
            TransportErrorKind::Connect => true,
            TransportErrorKind::Redirects => false,
            _ => idempotent,
        }
    }

    fn classify(error: &reqwest::Error, in_body: bool) -> TransportErrorKind {
        if error.is_redirect() {
            return TransportErrorKind::Redirects;
        }
        if error.is_connect() {
            return TransportErrorKind::Connect;
        }
        if error.is_timeout() {
            return TransportErrorKind::Timeout;
        }
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(e) = cause {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                use std::io::ErrorKind::*;
                match io.kind() {
                    ConnectionReset | ConnectionAborted | BrokenPipe => {
                        return TransportErrorKind::Reset
                    }
                    TimedOut => return TransportErrorKind::Timeout,
                    UnexpectedEof if in_body => return TransportErrorKind::Truncated,
                    UnexpectedEof => return TransportErrorKind::Closed,
                    _ => {}
                }
            }
            if let Some(h) = e.downcast_ref::<hyper::Error>() {
                if h.is_incomplete_message() || h.is_closed() || h.is_canceled() {
                    return TransportErrorKind::Closed;
                }
                if h.is_parse() || h.is_parse_status() {
                    return TransportErrorKind::Protocol;
                }
            }
            cause = e.source();
        }
        if in_body {
            TransportErrorKind::Truncated
        } else {
            TransportErrorKind::Other
        }
    }
}

/// A call that got no whole response: the connection failed, was reset or closed, a
/// timeout ran out, redirects did not end, or the body was cut short. Holds what was
/// received of the body, and the HTTP stack's error as its [`source`](std::error::Error::source).
pub struct TransportError {
    operation: &'static str,
    kind: TransportErrorKind,
    /// The status, when the failure came while reading the body.
    status: Option<u16>,
    expected: Option<u64>,
    received: Vec<u8>,
    attempts: u32,
    source: reqwest::Error,
}

impl TransportError {
    /// A failure before a response arrived.
    #[doc(hidden)]
    pub fn before_response(operation: &'static str, source: reqwest::Error) -> Self {
        TransportError {
            operation,
            kind: TransportErrorKind::classify(&source, false),
            status: None,
            expected: None,
            received: Vec::new(),
            attempts: 1,
            source: source.without_url(),
        }
    }

    /// A failure while reading the body of a response with `status`.
    #[doc(hidden)]
    pub fn in_body(
        operation: &'static str,
        status: u16,
        expected: Option<u64>,
        received: Vec<u8>,
        source: reqwest::Error,
    ) -> Self {
        TransportError {
            operation,
            kind: TransportErrorKind::classify(&source, true),
            status: Some(status),
            expected,
            received,
            attempts: 1,
            source: source.without_url(),
        }
    }

    #[doc(hidden)]
    pub fn after_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The `operationId` of the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The response status, when the failure came while reading its body.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// What arrived of the body before the failure (empty before a response).
    pub fn received(&self) -> &[u8] {
        &self.received
    }

    /// The body length the response announced (`Content-Length`), if it did.
    pub fn expected_len(&self) -> Option<u64> {
        self.expected
    }

    /// How many attempts the call made, this failure's included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether a timeout ran out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.operation)?;
        let got = self.received.len();
        match (self.kind, self.status) {
            (TransportErrorKind::Connect, _) => f.write_str("could not connect to the server")?,
            (TransportErrorKind::Redirects, _) => {
                f.write_str("the server's redirects did not end")?
            }
            (TransportErrorKind::Protocol, _) => {
                f.write_str("the server's answer is not valid HTTP")?
            }
            (TransportErrorKind::Reset, None) => {
                f.write_str("the connection was reset before a response arrived")?
            }
            (TransportErrorKind::Closed, None) => {
                f.write_str("the server closed the connection without answering")?
            }
            (TransportErrorKind::Timeout, None) => {
                f.write_str("timed out waiting for the response")?
            }
            (TransportErrorKind::Reset, Some(status)) => write!(
                f,
                "the connection was reset while the {status} response's body arrived"
            )?,
            (TransportErrorKind::Timeout, Some(status)) => {
                write!(f, "timed out reading the {status} response's body")?
            }
            (TransportErrorKind::Truncated | TransportErrorKind::Closed, Some(status)) => {
                write!(f, "the {status} response's body was cut short")?
            }
            _ => f.write_str("the request failed in the HTTP client")?,
        }
        if self.status.is_some() {
            match self.expected {
                Some(expected) => write!(f, " after {got} of {expected} bytes")?,
                None => write!(f, " after {got} bytes")?,
            }
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("operation", &self.operation)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("expected", &self.expected)
            .field("received", &Preview(&self.received))
            .field("attempts", &self.attempts)
            .field("source", &self.source)
            .finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// `Retry-After` in seconds (an HTTP date is not honoured; backoff applies).
#[doc(hidden)]
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<std::time::Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value
        .trim()
        .parse::<u64>()
        .ok()
        .map(std::time::Duration::from_secs)
}

/// Why reading a body stopped.
#[doc(hidden)]
pub enum BodyError {
    /// The body is longer than the limit.
    TooLarge,
    /// The connection failed; what arrived is kept.
    Read {
        source: reqwest::Error,
        received: Vec<u8>,
    },
}

/// Reads a whole body, refusing one over `limit` bytes (by its announced length before
/// reading, else as it arrives).
#[doc(hidden)]
pub async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, BodyError> {
    let announced = response.content_length();
    let announced = match announced.map(usize::try_from) {
        // Over the limit, or more than this machine can address.
        Some(Ok(n)) if n > limit => return Err(BodyError::TooLarge),
        Some(Err(_)) => return Err(BodyError::TooLarge),
        Some(Ok(n)) => n,
        None => 0,
    };
    let mut body = Vec::with_capacity(announced);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if body.len().saturating_add(chunk.len()) > limit => {
                return Err(BodyError::TooLarge)
            }
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok(body),
            Err(source) => {
                return Err(BodyError::Read {
                    source,
                    received: body,
                })
            }
        }
    }
}

/// A body in an error's `Debug` and `Display`: as text, cut to a few KB, with its length.
#[doc(hidden)]
pub struct Preview<'a>(pub &'a [u8]);

impl Preview<'_> {
    fn text(&self) -> (std::borrow::Cow<'_, str>, bool) {
        let cut = self.0.len() > PREVIEW_BYTES;
        let shown = &self.0[..self.0.len().min(PREVIEW_BYTES)];
        (String::from_utf8_lossy(shown), cut)
    }
}

impl fmt::Debug for Preview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (text, cut) = self.text();
        let more = if cut { "…" } else { "" };
        write!(f, "{text:?}{more} ({} bytes)", self.0.len())
    }
}

impl fmt::Display for Preview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (text, cut) = self.text();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if cut {
            write!(f, "{text}… ({} bytes)", self.0.len())
        } else {
            f.write_str(&text)
        }
    }
}

/// What an error body says, in one line: its code and its fullest message, and the trace
/// or request id, when the body is JSON in one of the common shapes (`{"errors": [{"code",
/// "message"}]}`, `{"error": {..}}` or `{"error": ".."}`, `{"code", "message"}`, and RFC
/// 9457 problem details `{"title", "detail"}`).
#[doc(hidden)]
pub fn summary(body: &[u8]) -> Option<String> {
    use serde_json::Value;
    let value: Value = serde_json::from_slice(body).ok()?;
    let top = value.as_object()?;
    fn text(v: Option<&Value>) -> Option<&str> {
        v.and_then(Value::as_str).filter(|s| !s.is_empty())
    }
    let said = |o: &serde_json::Map<String, Value>| -> Option<String> {
        let code = text(o.get("code"))
            .or(text(o.get("type")))
            .or(text(o.get("title")));
        // The fullest of the message-like fields (`message`, `detail`, a longer variant
        // of them, `error_description`), so that no API's own key name is needed.
        let message = o
            .iter()
            .filter(|(k, _)| {
                ["message", "detail", "description"]
                    .iter()
                    .any(|w| k.contains(w))
            })
            .filter_map(|(_, v)| text(Some(v)))
            .max_by_key(|m| m.len());
        match (code, message) {
            (Some(c), Some(m)) => Some(format!("{c}: {m}")),
            (c, m) => c.or(m).map(str::to_string),
        }
    };
    let mut line = match (top.get("errors"), top.get("error")) {
        (Some(Value::Array(errors)), _) => errors.first().and_then(Value::as_object).and_then(said),
        (_, Some(Value::Object(error))) => said(error),
        (_, Some(Value::String(error))) => {
            Some(said(top).map_or(error.clone(), |m| format!("{error}: {m}")))
        }
        _ => said(top),
    }?;
    let trace = top.iter().find_map(|(k, v)| {
        let k = k.to_ascii_lowercase();
        (k.contains("trace_id")
            || k.contains("traceid")
            || k.contains("request_id")
            || k.contains("requestid"))
        .then(|| v.as_str())
        .flatten()
    });
    if let Some(trace) = trace {
        line.push_str(&format!(" (trace id {trace})"));
    }
    Some(line)
}
