//! Load stage: read the OpenAPI document and the capability files named by the manifest.
//!
//! Owns file formats (YAML, JSON), OpenAPI versions (3.1 is rewritten into the one model
//! the typed stage reads: `normalize`), JSON-pointer diagnostics for malformed input, and
//! the check that every local `$ref` resolves. Its output, [`Inputs`], is typed documents
//! only.

mod capability;
mod document;
mod localize;
mod normalize;
mod overlay;
mod refs;
mod walk;

pub use capability::{Capability, CapabilityOperation};
pub use document::{parse_document, to_typed};
pub use refs::{check_refs, ref_name, resolve, RefKind};

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diag::{Error, Result, Warnings};
use crate::manifest::Manifest;

/// An OpenAPI document, parsed and checked.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file as named by the user (used in diagnostics).
    pub file: PathBuf,
    pub doc: openapiv3::OpenAPI,
}

/// Everything the IR stage reads.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub(crate) spec: LoadedSpec,
    pub(crate) capabilities: Vec<Capability>,
    /// Hand-written modules the crate carries as they are.
    pub(crate) extensions: Vec<Extension>,
}

/// A hand-written Rust module named by the manifest.
#[derive(Debug, Clone)]
pub struct Extension {
    pub file: PathBuf,
    pub source: String,
}

/// Loads the manifest's OpenAPI document and capability files.
pub fn load(manifest: &Manifest, warnings: &mut Warnings) -> Result<Inputs> {
    // The capability files load on a second thread while the document parses; an error
    // in the document is reported first either way.
    let (spec, capabilities) = std::thread::scope(|scope| {
        let capabilities = scope.spawn(|| {
            manifest
                .capabilities
                .iter()
                .map(|path| capability::load_capability(path))
                .collect::<Result<Vec<_>>>()
        });
        let spec = load_spec(&manifest.openapi, &manifest.overlays, warnings);
        let capabilities = capabilities
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (spec, capabilities)
    });
    let extensions = manifest
        .extensions
        .iter()
        .map(|file| {
            Ok(Extension {
                file: file.clone(),
                source: read(file)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Inputs {
        spec: spec?,
        capabilities: capabilities?,
        extensions,
    })
}

/// Reads one OpenAPI document, applies overlays in order, then checks and types it.
///
/// Typing consumes the prepared document, so no node exists twice (the typed form beside
/// its JSON). Only a document that does not type re-reads the file, to find and leave out
/// the nodes that do not fit (`document::to_typed_leaving_out`); the warnings of that
/// second preparation are the first one's again, and are not kept twice.
pub fn load_spec(path: &Path, overlays: &[PathBuf], warnings: &mut Warnings) -> Result<LoadedSpec> {
    let raw = prepare(path, overlays, warnings)?;
    let doc = match document::into_typed(raw) {
        Some(doc) => doc,
        None => {
            let raw = prepare(path, overlays, &mut Warnings::default())?;
            document::to_typed_leaving_out(path, raw, warnings)
                .map_err(|e| e.relocated(warnings))?
        }
    };
    Ok(LoadedSpec {
        file: path.to_path_buf(),
        doc,
    })
}

/// The document as JSON, overlays applied, normalized to one model, its references
/// checked and localized; the text is dropped once parsed.
fn prepare(path: &Path, overlays: &[PathBuf], warnings: &mut Warnings) -> Result<Value> {
    let mut raw = parse_document(path, &read(path)?)?;
    for overlay in overlays {
        overlay::apply_file(overlay, &mut raw, warnings)?;
    }
    normalize::normalize(path, &mut raw, warnings)?;
    check_refs(path, &mut raw, warnings)?;
    localize::localize(path, &mut raw, warnings)?;
    Ok(raw)
}

pub(crate) fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}
