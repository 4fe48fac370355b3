//! The `cargo clerkgen` command line: argument parsing, reporting and exit codes.
//!
//! Exit codes: 0 success; 1 `generate --check` found drift; 2 an error (bad input,
//! unreadable file), reported with the file and JSON pointer it concerns; 3 an internal
//! error (a defect of the generator).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::{Error, Warning};
use crate::manifest::Manifest;

/// The manifest looked for when none is named, relative to the current directory or
/// any of its parents.
pub const DEFAULT_MANIFEST: &str = "specs/clerkgen.toml";

/// The parsed command line.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-clerkgen",
    bin_name = "cargo clerkgen",
    version,
    about = "Generate a typed async Rust client from OpenAPI and capability files"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// A subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the manifest's crates (or, with --check, verify they are up to date).
    Generate {
        /// Which crates, from which inputs.
        #[command(flatten)]
        input: InputArgs,
        /// Write nothing; exit 1 and list the files that differ if a crate is stale.
        #[arg(long)]
        check: bool,
        /// Print every warning, not just their counts.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Report what changed in the generated API between two OpenAPI documents.
    Diff {
        /// The old OpenAPI document.
        old: PathBuf,
        /// The new OpenAPI document.
        new: PathBuf,
        /// The manifest whose capability files and options apply to both.
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// The manifest's crate whose inputs apply (default: its first).
        #[arg(long = "crate", value_name = "NAME")]
        krate: Option<String>,
        /// Also append the report to the crate's CHANGELOG.md.
        #[arg(long)]
        changelog: bool,
    },
    /// Print the intermediate representation: operations, types, modules.
    Ir {
        /// Which crate, from which inputs.
        #[command(flatten)]
        input: InputArgs,
        /// How to print it.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

/// How `ir` prints the IR.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// The IR as pretty-printed JSON (stable; see the README).
    Json,
    /// One line per operation and type.
    Text,
}

/// The inputs of `generate` and `ir`: a manifest, or one document.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The manifest to read (default: specs/clerkgen.toml here or in a parent directory).
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Only this crate of the manifest (`generate` takes all of them, `ir` and `diff` the
    /// first, unless this names one).
    #[arg(long = "crate", value_name = "NAME")]
    pub krate: Option<String>,
    /// An OpenAPI document to use instead of the manifest's (operations group by tag
    /// unless the manifest names capability files).
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Where to write the crate.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The crate's name.
    #[arg(long)]
    pub name: Option<String>,
}

/// Parses arguments, accepting both `cargo clerkgen ...` and `cargo-clerkgen ...`.
pub fn parse() -> Cli {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "clerkgen") {
        args.remove(1);
    }
    Cli::parse_from(args)
}

/// Runs a command, reporting any error on stderr; the exit code is the module docs'.
pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                Error::Internal { .. } => ExitCode::from(3),
                _ => ExitCode::from(2),
            }
        }
    }
}

fn execute(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Generate {
            input,
            check,
            verbose,
        } => generate(&input, check, verbose),
        Command::Diff {
            old,
            new,
            manifest,
            krate,
            changelog,
        } => {
            let input = InputArgs {
                manifest,
                krate,
                spec: None,
                out: None,
                name: None,
            };
            // Without a manifest the documents are compared as bare specs; a manifest that
            // is named or found but does not load is an error, not a silent fallback.
            let found = input.manifest.is_some()
                || find_manifest(&std::env::current_dir().unwrap_or_default()).is_some();
            let manifest = match found {
                true => resolve_manifest(&input)?,
                false => {
                    Manifest::for_spec(new.clone(), PathBuf::from("generated"), "client".into())
                }
            };
            let report = crate::diff_specs(&manifest, &old, &new)?;
            print!("{}", report.render(&manifest.crate_version));
            if changelog {
                crate::append_changelog(&manifest, &report)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Ir { input, format } => {
            let manifest = resolve_manifest(&input)?;
            let (api, _) = crate::build_ir(&manifest)?;
            match format {
                Format::Json => println!("{}", crate::ir::to_json(&api)),
                Format::Text => print!("{}", crate::ir::render_text(&api)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn generate(input: &InputArgs, check: bool, verbose: bool) -> Result<ExitCode, Error> {
    let mut code = ExitCode::SUCCESS;
    for manifest in resolve_manifests(input)? {
        if generate_one(&manifest, check, verbose)? != ExitCode::SUCCESS {
            code = ExitCode::from(1);
        }
    }
    Ok(code)
}

/// Generates (or checks) one crate of the manifest.
fn generate_one(manifest: &Manifest, check: bool, verbose: bool) -> Result<ExitCode, Error> {
    let started = std::time::Instant::now();
    let generated = crate::generate(manifest)?;
    eprintln!("{}:", manifest.crate_name);
    report_warnings(
        &generated.warnings,
        &manifest.options.accepted_warnings,
        verbose,
    );
    let out_dir = shown_path(&manifest.out_dir);
    if check {
        let drift = generated.files.drift(&manifest.out_dir);
        if drift.is_empty() {
            eprintln!(
                "{out_dir} is up to date ({} files)",
                generated.files.files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{out_dir} is out of date; run `cargo clerkgen generate`. Files that differ:");
        for d in drift {
            println!("{}", d);
        }
        return Ok(ExitCode::from(1));
    }
    let written = crate::write(manifest, &generated)?;
    let changed = written.changed;
    if let Some(report) = written.report {
        eprint!("{}", report.render(&manifest.crate_version));
        eprintln!("(appended to {out_dir}/CHANGELOG.md)");
    }
    let api = &generated.api;
    eprintln!(
        "generated {} operations in {} modules and {} types into {out_dir} ({} of {} files changed) in {:.0?}",
        api.operations.len(),
        api.modules.len(),
        api.types.len(),
        changed.len(),
        generated.files.files.len(),
        started.elapsed()
    );
    let untouched: Vec<String> = api
        .modules
        .iter()
        .flat_map(|m| m.unnamed.iter().map(move |o| format!("{o} -> {}", m.name)))
        .collect();
    if !manifest.capabilities.is_empty() && !untouched.is_empty() {
        if verbose {
            eprintln!(
                "{} operations named by no capability file, grouped by tag:",
                untouched.len()
            );
            for line in untouched {
                eprintln!("  {line}");
            }
        } else {
            eprintln!(
                "{} operations named by no capability file are grouped by tag; --verbose lists them",
                untouched.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The warnings of a run: every one with `--verbose`; else a count by kind, the kinds the
/// manifest accepts on a line of their own so that any other kind stands out.
fn report_warnings(warnings: &[Warning], accepted: &[String], verbose: bool) {
    if verbose {
        for w in warnings {
            eprintln!("warning: {w}");
        }
        return;
    }
    let (known, new): (Vec<&Warning>, Vec<&Warning>) = warnings
        .iter()
        .partition(|w| accepted.iter().any(|k| k == w.kind));
    let counted = |list: &[&Warning]| {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for w in list {
            *counts.entry(w.kind).or_default() += 1;
        }
        let summary: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
        summary.join(", ")
    };
    if !known.is_empty() {
        eprintln!(
            "{} accepted warnings ({}; the manifest's `accepted_warnings`)",
            known.len(),
            counted(&known)
        );
    }
    if !new.is_empty() {
        eprintln!(
            "{} warnings ({}); --verbose lists them",
            new.len(),
            counted(&new)
        );
    }
}

/// A path as a person reads it: `..` resolved, and relative to the working directory when
/// it is under it (`generated/clerk`, not `/work/specs/../generated/clerk`).
fn shown_path(path: &std::path::Path) -> String {
    use std::path::Component;
    let mut clean = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir if clean.file_name().is_some() => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other.as_os_str()),
        }
    }
    let relative = std::env::current_dir().ok().and_then(|cwd| {
        clean
            .strip_prefix(cwd)
            .ok()
            .map(std::path::Path::to_path_buf)
    });
    relative.unwrap_or(clean).display().to_string()
}

/// The crates named on the command line: the manifest's (all, or the one `--crate`
/// names), or one built from `--spec`. `--spec`, `--out` and `--name` override the inputs
/// of one crate only.
fn resolve_manifests(input: &InputArgs) -> Result<Vec<Manifest>, Error> {
    let found = match &input.manifest {
        Some(path) => Some(path.clone()),
        None if input.spec.is_some() => None,
        None => find_manifest(&std::env::current_dir().unwrap_or_default()),
    };
    let mut manifests = match (found, &input.spec) {
        (Some(path), _) => match &input.krate {
            Some(name) => vec![Manifest::load(&path, Some(name))?],
            None => Manifest::load_all(&path)?,
        },
        (None, Some(spec)) => {
            let name = input.name.clone().ok_or_else(|| Error::Usage { message: "--spec without a manifest needs --name CRATE".into() })?;
            let out = input.out.clone().ok_or_else(|| Error::Usage { message: "--spec without a manifest needs --out DIR".into() })?;
            vec![Manifest::for_spec(spec.clone(), out, name)]
        }
        (None, None) => {
            return Err(Error::Usage { message: format!("no {DEFAULT_MANIFEST} here or in a parent directory; pass --manifest, or --spec with --out and --name") })
        }
    };
    let overrides = input.spec.is_some() || input.out.is_some() || input.name.is_some();
    if overrides && manifests.len() > 1 {
        return Err(Error::Usage {
            message: format!(
                "the manifest describes {} crates; name the one --spec, --out or --name applies to with --crate",
                manifests.len()
            ),
        });
    }
    for manifest in &mut manifests {
        if let Some(spec) = &input.spec {
            manifest.openapi = spec.clone();
        }
        if let Some(out) = &input.out {
            manifest.out_dir = out.clone();
        }
        if let Some(name) = &input.name {
            manifest.crate_name = name.clone();
        }
    }
    Ok(manifests)
}

/// One crate: the one `--crate` names, else the manifest's first.
fn resolve_manifest(input: &InputArgs) -> Result<Manifest, Error> {
    Ok(resolve_manifests(input)?.remove(0))
}

fn find_manifest(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(DEFAULT_MANIFEST))
        .find(|p| p.is_file())
}
