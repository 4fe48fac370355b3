//! Diagnostics: every error and warning names the file and the JSON pointer it is about.
//!
//! Errors stop generation ([`Error`]); warnings ([`Warning`]) are collected while the
//! pipeline runs and describe constructs that were degraded to a documented fallback.

use std::fmt;
use std::path::{Path, PathBuf};

/// A location in an input file: the file and a JSON pointer (`#/paths/~1users/get`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    pub file: PathBuf,
    pub pointer: String,
}

impl Location {
    pub fn new(file: &Path, pointer: impl Into<String>) -> Self {
        Location {
            file: file.to_path_buf(),
            pointer: pointer.into(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}", self.file.display())
        } else {
            write!(f, "{}{}", self.file.display(), self.pointer)
        }
    }
}

/// Escapes one reference token for a JSON pointer (RFC 6901): `~` -> `~0`, `/` -> `~1`.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reads one escaped reference token of a JSON pointer: `~1` -> `/`, `~0` -> `~`.
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends reference tokens to a pointer such as `#/paths`.
pub fn join_pointer(base: &str, tokens: &[&str]) -> String {
    let mut out = base.to_string();
    for t in tokens {
        out.push('/');
        out.push_str(&escape_token(t));
    }
    out
}

/// Why generation stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read file: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{at}: {message}")]
    Parse { at: Location, message: String },
    #[error("{at}: $ref `{target}` does not resolve to anything in the document")]
    DanglingRef { at: Location, target: String },
    #[error("{at}: {message}")]
    Invalid { at: Location, message: String },
    #[error("{at}: capability operation `{name}` is not an operationId of {spec}{}", suggest(.suggestions))]
    UnknownCapabilityOperation {
        at: Location,
        name: String,
        spec: PathBuf,
        suggestions: Vec<String>,
    },
    #[error("{path}: manifest: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("{message}")]
    Usage { message: String },
    /// A defect of the generator, not of its input.
    #[error("internal error (a clerkgen defect, not a problem with the input; please report it): {message}")]
    Internal { message: String },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (closest: {})", s.join(", "))
    }
}

impl Error {
    pub fn invalid(at: Location, message: impl Into<String>) -> Self {
        Error::Invalid {
            at,
            message: message.into(),
        }
    }

    /// The error of a part of the document decoded on its own, its pointer made relative
    /// to the document (`#/items/0` under `#/x-webhooks` is `#/x-webhooks/items/0`).
    /// The error with its pointer put back where the user wrote the node (see
    /// [`Warnings::moved`]).
    pub fn relocated(mut self, warnings: &Warnings) -> Self {
        if let Error::Parse { at, .. } | Error::Invalid { at, .. } = &mut self {
            at.pointer = warnings.original(&at.pointer).into_owned();
        }
        self
    }

    pub fn under(mut self, base: &str) -> Self {
        if let Error::Parse { at, .. } | Error::Invalid { at, .. } = &mut self {
            at.pointer = format!("{base}{}", at.pointer.trim_start_matches('#'));
        }
        self
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A construct the generator handled with a fallback, or an input that disagrees with itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Warning {
    /// A short, stable category, e.g. `fallback-type` or `capability-parameter`.
    pub kind: &'static str,
    pub at: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]: {}", self.at, self.kind, self.message)
    }
}

/// Collects warnings; sorted and de-duplicated when taken so output is deterministic.
/// Also holds where the load stage moved nodes, so that every warning points into the
/// user's file.
#[derive(Debug, Default)]
pub struct Warnings(Vec<Warning>, Vec<(String, String)>);

/// `pointer` with the first moved prefix it starts with (on a token boundary) put back.
fn relocate<'p>(moved: &[(String, String)], pointer: &'p str) -> std::borrow::Cow<'p, str> {
    for (now, original) in moved {
        if let Some(rest) = pointer.strip_prefix(now.as_str()) {
            if rest.is_empty() || rest.starts_with('/') {
                return std::borrow::Cow::Owned(format!("{original}{rest}"));
            }
        }
    }
    std::borrow::Cow::Borrowed(pointer)
}

impl Warnings {
    pub fn push(&mut self, kind: &'static str, at: Location, message: impl Into<String>) {
        self.0.push(Warning {
            kind,
            at,
            message: message.into(),
        });
    }

    /// Records that the load stage moved the node at `original` to `now` (a schema made a
    /// component of its own): warnings about it then point where the user wrote it.
    pub fn moved(&mut self, now: String, original: String) {
        self.1.push((now, original));
    }

    /// The pointer in the user's file of a pointer into the rewritten document.
    pub fn original<'p>(&self, pointer: &'p str) -> std::borrow::Cow<'p, str> {
        relocate(&self.1, pointer)
    }

    pub fn into_sorted(mut self) -> Vec<Warning> {
        for w in &mut self.0 {
            if let std::borrow::Cow::Owned(p) = relocate(&self.1, &w.at.pointer) {
                w.at.pointer = p;
            }
        }
        self.0.sort();
        self.0.dedup();
        self.0
    }
}
