//! What the emitted code names by hand, in one table per namespace: the crate root's
//! modules and `Client`'s methods, the client builder's methods, a request builder's
//! methods. The IR's namer keeps every name from a document out of these (a module, an
//! accessor, a credential or server variable setter, a parameter setter), so emit renames
//! nothing; a test holds the tables to what emit writes.

/// Names the crate root already uses (its modules, private ones included, and `Client`'s
/// methods), so no module or accessor may take them.
pub const CRATE_ROOT: &[&str] = &[
    "models",
    "error",
    "client_core",
    "engine",
    "call_error",
    "transport",
    "retry",
    "patch",
    "codec",
    "file",
    "stream",
    "redirect_answer",
    "webhook",
    "pages",
    "runtime",
    "new",
    "builder",
    "from_env",
    "base_url",
    "clone",
    "with_timeout",
    "with_retry",
    "with_header",
    "default_retry_policy",
    "execute",
    "send_request",
    "send_request_with_headers",
    "send_redirect",
    "send_stream",
    "response",
    "sends",
    "reqwest",
    // Every module is a cargo feature: no module takes the name of another feature of
    // the crate, nor `fmt`, which Cargo reserves.
    "fmt",
    "default",
    "full",
    "roundtrip",
    "unused_types",
];

/// The client builder's own methods, which no credential or server variable setter may
/// take.
pub const CLIENT_BUILDER: &[&str] = &[
    "secret_key",
    "base_url",
    "api_version",
    "timeout",
    "connect_timeout",
    "max_body_size",
    "retry",
    "http_client",
    "on_response",
    "default_header",
    "build",
    "build_or_default",
];

/// A request builder's own methods (and its field `client`), which no parameter setter may
/// take.
pub const REQUEST_BUILDER: &[&str] = &[
    "send",
    "send_with_headers",
    "send_stream",
    "into_future",
    "client",
    "body",
    "new",
    "pages",
    "request",
    "raw_body",
    "pages_after",
];
