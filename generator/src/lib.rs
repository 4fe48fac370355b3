//! clerkgen: generates a typed, documented async Rust client crate from an OpenAPI
//! document and Naftiko capability files.
//!
//! The pipeline has four stages, each in its own private module with a small typed
//! interface: `load` (documents -> [`Inputs`]), [`ir`] (inputs -> [`ir::Api`]), `emit`
//! (API -> token streams per file part) and `write` (formatting, files, drift check).
//!
//! This facade is the library's surface: a [`manifest::Manifest`] (read from
//! `clerkgen.toml`, or built for one document) goes into [`generate`], [`write()`],
//! [`check`], [`build_ir`], [`diff_specs`] or [`append_changelog`]; the IR ([`ir`]) is
//! plain data to read and dump. The stages themselves are private, so that they can
//! change without breaking a caller.

#![warn(missing_docs)]

mod changelog;
pub mod cli;
pub mod diag;
pub mod diff;
mod emit;
pub mod ir;
mod load;
pub mod manifest;
pub mod surface;
mod write;

pub use load::Inputs;
pub use write::{Drift, DriftKind, FileSet, HEADER_MARK};

use diag::{Result, Warning, Warnings};
use manifest::Manifest;

/// The result of running the pipeline in memory.
#[derive(Debug)]
pub struct Generated {
    /// The IR the crate was emitted from.
    pub api: ir::Api,
    /// The crate's files, formatted.
    pub files: write::FileSet,
    /// The constructs that degraded to a fallback, sorted.
    pub warnings: Vec<Warning>,
}

/// Loads the manifest's document, overlays and capability files (the first stage alone,
/// for measuring it).
pub fn load_inputs(manifest: &Manifest) -> Result<Inputs> {
    load::load(manifest, &mut Warnings::default())
}

/// Loads the inputs and builds the IR.
pub fn build_ir(manifest: &Manifest) -> Result<(ir::Api, Vec<Warning>)> {
    let mut warnings = Warnings::default();
    let inputs = load::load(manifest, &mut warnings)?;
    let mut api = ir::build(&inputs, manifest, &mut warnings)?;
    api.map_pointers(|p| match warnings.original(p) {
        std::borrow::Cow::Owned(original) => Some(original),
        std::borrow::Cow::Borrowed(_) => None,
    });
    Ok((api, warnings.into_sorted()))
}

/// Runs the whole pipeline in memory: nothing is written.
pub fn generate(manifest: &Manifest) -> Result<Generated> {
    let (api, warnings) = build_ir(manifest)?;
    let plan = emit::plan(&api);
    let files = write::render(
        &plan.parts,
        &plan.text,
        &api.package.source_file,
        |part| part.weight(&api),
        |part| emit::emit_part(&api, &plan.shape, part),
    )?;
    Ok(Generated {
        api,
        files,
        warnings,
    })
}

/// The changes in the generated API between two versions of the manifest's spec. The
/// manifest's capability files are used when they match both documents; otherwise both
/// sides group operations by tag, so the report is still about the same kind of crate.
pub fn diff_specs(
    manifest: &Manifest,
    old: &std::path::Path,
    new: &std::path::Path,
) -> Result<diff::Report> {
    let side = |spec: &std::path::Path, caps: bool| {
        let mut m = manifest.clone();
        m.openapi = spec.to_path_buf();
        if !caps {
            m.capabilities.clear();
        }
        build_ir(&m).map(|(api, _)| surface::ApiSurface::of(&api))
    };
    let pair = |caps: bool| -> Result<(surface::ApiSurface, surface::ApiSurface)> {
        Ok((side(old, caps)?, side(new, caps)?))
    };
    let (a, b) = match pair(true) {
        Ok(pair) => pair,
        Err(diag::Error::UnknownCapabilityOperation { .. }) => pair(false)?,
        Err(e) => return Err(e),
    };
    Ok(diff::diff(&a, &b))
}

/// Appends a change report to the manifest's crate's `CHANGELOG.md` (as `diff
/// --changelog` does), creating the file if there is none.
pub fn append_changelog(manifest: &Manifest, report: &diff::Report) -> Result<()> {
    changelog::append(&manifest.out_dir, report, &manifest.crate_version)
}

/// What writing a generated crate did.
#[derive(Debug)]
pub struct Written {
    /// Files written or removed, relative to the crate.
    pub changed: Vec<std::path::PathBuf>,
    /// What changed in the API since the crate was last generated (also appended to its
    /// CHANGELOG.md); `None` when the API is unchanged or generated for the first time.
    pub report: Option<diff::Report>,
}

/// Writes a generated crate. When its public API differs from the one recorded by the
/// previous generation, the change report is appended to the crate's CHANGELOG.md.
pub fn write(manifest: &Manifest, generated: &Generated) -> Result<Written> {
    let previous = surface::ApiSurface::read(&manifest.out_dir);
    let changed = generated.files.write(&manifest.out_dir)?;
    let current = surface::ApiSurface::of(&generated.api);
    let report = match previous {
        Some(old) if old != current => {
            let report = diff::diff(&old, &current);
            changelog::append(&manifest.out_dir, &report, &manifest.crate_version)?;
            Some(report)
        }
        Some(_) => None,
        None => {
            changelog::start(&manifest.out_dir, &current, &manifest.crate_version)?;
            None
        }
    };
    Ok(Written { changed, report })
}

/// Compares what would be generated with what is on disk; returns the differing files.
pub fn check(manifest: &Manifest) -> Result<Vec<write::Drift>> {
    let generated = generate(manifest)?;
    Ok(generated.files.drift(&manifest.out_dir))
}
