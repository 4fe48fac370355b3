//! The answer of an operation that answers with a redirect.

use std::fmt;

/// A redirect the API answered with (a 3XX status), returned as it came rather than
/// followed: where it points (`Location`) is for the caller to use, typically a browser.
#[derive(Clone)]
pub struct Redirect {
    status: u16,
    headers: reqwest::header::HeaderMap,
}

impl Redirect {
    #[doc(hidden)]
    pub fn new(status: u16, headers: reqwest::header::HeaderMap) -> Self {
        Redirect { status, headers }
    }

    /// The status (`302`, `303`, `307`, ...; a 2XX when the server answered without
    /// redirecting).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Where the redirect points: the `Location` header, when it is present and readable.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// Every header of the response (`Set-Cookie`, ...).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
}

impl fmt::Debug for Redirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redirect")
            .field("status", &self.status)
            .field("location", &self.location())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_is_read_from_the_header() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::LOCATION,
            "https://example.com/next".parse().unwrap(),
        );
        let redirect = Redirect::new(307, headers);
        assert_eq!(redirect.status(), 307);
        assert_eq!(redirect.location(), Some("https://example.com/next"));
        assert!(format!("{redirect:?}").contains("example.com/next"));
    }

    #[test]
    fn a_redirect_without_location_has_none() {
        let redirect = Redirect::new(303, reqwest::header::HeaderMap::new());
        assert_eq!(redirect.location(), None);
    }
}
