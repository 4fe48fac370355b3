//! clerkgen: generates a typed, documented async Rust client crate from an OpenAPI
//! document and Naftiko capability files.
//!
//! The pipeline has four stages, each in its own module with a small typed interface:
//! [`load`] (documents -> [`load::Inputs`]), [`ir`] (inputs -> [`ir::Api`]),
//! [`emit`] (API -> token streams per file part) and [`write`] (formatting, files, drift check).
//! [`generate`] and [`check`] run them all for a [`manifest::Manifest`].

pub mod cli;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod manifest;
pub mod write;

use diag::{Result, Warning, Warnings};
use manifest::Manifest;

/// The result of running the pipeline in memory.
#[derive(Debug)]
pub struct Generated {
    pub api: ir::Api,
    pub files: write::FileSet,
    pub warnings: Vec<Warning>,
}

/// Loads the inputs and builds the IR.
pub fn build_ir(manifest: &Manifest) -> Result<(ir::Api, Vec<Warning>)> {
    let mut warnings = Warnings::default();
    let inputs = load::load(manifest, &mut warnings)?;
    let api = ir::build(&inputs, manifest, &mut warnings)?;
    Ok((api, warnings.into_sorted()))
}

/// Runs the whole pipeline in memory: nothing is written.
pub fn generate(manifest: &Manifest) -> Result<Generated> {
    let (api, warnings) = build_ir(manifest)?;
    let plan = emit::plan(&api, manifest);
    let files = write::render(&plan.parts, &plan.text, manifest, |part| emit::emit_part(&api, part))?;
    Ok(Generated { api, files, warnings })
}

/// Compares what would be generated with what is on disk; returns the differing files.
pub fn check(manifest: &Manifest) -> Result<Vec<write::Drift>> {
    let generated = generate(manifest)?;
    Ok(generated.files.drift(&manifest.out_dir))
}
