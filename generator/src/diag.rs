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
#[derive(Debug, Default)]
pub struct Warnings(Vec<Warning>);

impl Warnings {
    pub fn push(&mut self, kind: &'static str, at: Location, message: impl Into<String>) {
        self.0.push(Warning {
            kind,
            at,
            message: message.into(),
        });
    }

    pub fn into_sorted(mut self) -> Vec<Warning> {
        self.0.sort();
        self.0.dedup();
        self.0
    }
}
