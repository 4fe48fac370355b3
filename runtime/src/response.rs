//! A response kept whole: the decoded body with the status and headers it came with, for a
//! caller that needs a header (a rotated token, a rate limit, a pagination link).

/// A success response: its status, its headers and its decoded body. What an operation's
/// `send_with_headers()` returns.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: T,
}

impl<T> Response<T> {
    #[doc(hidden)]
    pub fn new(status: u16, headers: reqwest::header::HeaderMap, body: T) -> Self {
        Response {
            status,
            headers,
            body,
        }
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The value of header `name`, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, taken.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The status, the headers and the body, taken.
    pub fn into_parts(self) -> (u16, reqwest::header::HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}
