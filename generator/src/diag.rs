//! Diagnostics: every error and warning names the file and the JSON pointer it is about.
//!
//! Errors stop generation ([`Error`]); warnings ([`Warning`]) are collected while the
//! pipeline runs and describe constructs that were degraded to a documented fallback.

use std::fmt;
use std::path::{Path, PathBuf};

/// A location in an input file: the file and a JSON pointer (`#/paths/~1users/get`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    /// The file as the user named it.
    pub file: PathBuf,
    /// The JSON pointer into it, with its `#` (empty for the file as a whole).
    pub pointer: String,
}

impl Location {
    /// The location `pointer` in `file`.
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
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reads one escaped reference token of a JSON pointer: `~1` -> `/`, `~0` -> `~`.
pub(crate) fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Why generation stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: cannot read file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A document is not valid YAML or JSON, or not of the shape its format requires.
    #[error("{at}: {message}")]
    Parse {
        /// Where.
        at: Location,
        /// What the parser said.
        message: String,
    },
    /// A `$ref` names nothing in the document.
    #[error("{at}: $ref `{target}` does not resolve to anything in the document")]
    DanglingRef {
        /// The `$ref`.
        at: Location,
        /// What it names.
        target: String,
    },
    /// A document says something no generated code can mean (a `$ref` cycle with no
    /// type in it, an overlay that matches nothing it must, ...).
    #[error("{at}: {message}")]
    Invalid {
        /// Where.
        at: Location,
        /// Why.
        message: String,
    },
    /// A capability file names an operation the OpenAPI document does not have.
    #[error("{at}: capability operation `{name}` is not an operationId of {spec}{}", suggest(.suggestions))]
    UnknownCapabilityOperation {
        /// The capability's operation.
        at: Location,
        /// The name it gives.
        name: String,
        /// The OpenAPI document.
        spec: PathBuf,
        /// The document's operationIds closest to the name.
        suggestions: Vec<String>,
    },
    /// The manifest is malformed or names something that does not exist.
    #[error("{path}: manifest: {message}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The command line asks for something that cannot be done.
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
    },
    /// A defect of the generator, not of its input.
    #[error("internal error (a clerkgen defect, not a problem with the input; please report it): {message}")]
    Internal {
        /// What went wrong.
        message: String,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (closest: {})", s.join(", "))
    }
}

impl Error {
    /// An [`Error::Invalid`] at `at`.
    pub fn invalid(at: Location, message: impl Into<String>) -> Self {
        Error::Invalid {
            at,
            message: message.into(),
        }
    }

    /// The error with its pointer put back where the user wrote the node (see
    /// `Warnings::moved`).
    pub(crate) fn relocated(mut self, warnings: &Warnings) -> Self {
        if let Error::Parse { at, .. } | Error::Invalid { at, .. } = &mut self {
            at.pointer = warnings.original(&at.pointer).into_owned();
        }
        self
    }

    /// The error of a part of the document decoded on its own, its pointer made relative
    /// to the document (`#/items/0` under `#/x-webhooks` is `#/x-webhooks/items/0`).
    pub(crate) fn under(mut self, base: &str) -> Self {
        if let Error::Parse { at, .. } | Error::Invalid { at, .. } = &mut self {
            at.pointer = format!("{base}{}", at.pointer.trim_start_matches('#'));
        }
        self
    }
}

/// The result of a stage of the pipeline.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A construct the generator handled with a fallback, or an input that disagrees with itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Warning {
    /// A short, stable category, e.g. `fallback-type` or `capability-parameter`.
    pub kind: &'static str,
    /// What it is about.
    pub at: Location,
    /// What was done, and why.
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
pub(crate) struct Warnings(Vec<Warning>, Vec<(String, String)>);

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
    /// Records a warning.
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

    /// The warnings, each pointing into the user's file, sorted and de-duplicated.
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
