//! Drift guard: warns when a crate under `generated/` is not what the generator would write from the
//! current specs, capability files, manifest and generator sources.
//!
//! It only reads: the crate is regenerated in memory and compared byte for byte. Locally
//! a stale crate is a cargo warning naming the command to run; under `CI=true` it is an
//! error. Cargo re-runs this script when an input or a generated file changes, and
//! rebuilds it (re-running it) when the generator's sources change.

use std::path::PathBuf;

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let manifest_path = root.join("specs/clerkgen.toml");
    println!("cargo:rerun-if-changed={}", manifest_path.display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("generated").display()
    );
    println!("cargo:rerun-if-env-changed=CI");

    let problem = match clerkgen::manifest::Manifest::load_all(&manifest_path) {
        Err(e) => Some(format!("cannot read the manifest: {e}")),
        Ok(manifests) => {
            let problems: Vec<String> = manifests.iter().filter_map(stale).collect();
            (!problems.is_empty()).then(|| problems.join("; "))
        }
    };
    if let Some(message) = problem {
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            eprintln!("error: {message}");
            std::process::exit(1);
        }
        println!("cargo:warning={message}");
    }
}

/// Why one crate of the manifest is out of step, if it is; registers its inputs with cargo.
fn stale(manifest: &clerkgen::manifest::Manifest) -> Option<String> {
    for input in manifest.inputs() {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    let name = &manifest.crate_name;
    match clerkgen::check(manifest) {
        Ok(drift) if drift.is_empty() => None,
        Ok(drift) => {
            let files: Vec<String> = drift.iter().map(ToString::to_string).collect();
            Some(format!(
                "crate `{name}` is out of step with the specs or the generator ({}); run `cargo clerkgen generate` (or `cargo run -p clerkgen -- generate`)",
                files.join(", ")
            ))
        }
        Err(e) => Some(format!("crate `{name}` cannot be checked: {e}")),
    }
}
