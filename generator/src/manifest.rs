//! The project manifest (`specs/clerkgen.toml`): which inputs to read, what crate to write.
//!
//! Paths in the manifest are relative to the manifest's own directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Error, Result};

/// The manifest as written in TOML: one `[crate]` table, or several `[[crate]]` tables,
/// each with its `inputs` and `options`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(rename = "crate")]
    crates: OneOrMany,
}

/// A single `[crate]` table or an array of `[[crate]]` tables.
#[derive(Debug, Clone)]
enum OneOrMany {
    One(Box<CrateSection>),
    Many(Vec<CrateSection>),
}

/// Reads a table as one crate and an array as several, so that a mistake inside a crate
/// is reported as itself (a missing field, an unknown key), not as "matches no variant".
impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Shape;
        impl<'de> serde::de::Visitor<'de> for Shape {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a [crate] table or [[crate]] tables")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<OneOrMany, A::Error> {
                let one =
                    CrateSection::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(OneOrMany::One(Box::new(one)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<OneOrMany, A::Error> {
                Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(OneOrMany::Many)
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

/// One crate the manifest describes: its package, its inputs and its options.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrateSection {
    name: String,
    /// The library's name in Rust paths, when it is not the package name's (`clerk` for
    /// the package `clerk-backend`).
    #[serde(default)]
    lib_name: Option<String>,
    version: String,
    /// Where the crate is written.
    path: PathBuf,
    #[serde(default)]
    description: Option<String>,
    /// Cargo metadata for the generated crate's `[package]`, all optional.
    #[serde(default)]
    license: Option<String>,
    #[serde(default)]
    repository: Option<String>,
    #[serde(default)]
    homepage: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    /// The line the crate's README tells users to put under `[dependencies]`, when it is
    /// not `name = "version"` (a crate not yet on crates.io, depended on by path or git).
    #[serde(default)]
    dependency_line: Option<String>,
    /// Dependencies of the crate's extensions (`[crate.dependencies]`: name = version).
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
    inputs: InputsSection,
    #[serde(default)]
    options: Options,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputsSection {
    /// The OpenAPI document (YAML, or JSON when the name ends in `.json`).
    openapi: PathBuf,
    /// Capability files or glob patterns, expanded and sorted.
    #[serde(default)]
    capabilities: Vec<String>,
    /// OpenAPI Overlay 1.0 files, applied in this order before anything else.
    #[serde(default)]
    overlays: Vec<PathBuf>,
    /// Hand-written Rust modules the crate carries as they are (`src/<file name>`, a
    /// public module named after the file): what no document describes, such as reading
    /// a key format of the API's own.
    #[serde(default)]
    extensions: Vec<PathBuf>,
}

/// Generation options. Every field has a default, so an empty `[options]` is valid.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The prefix stripped from capability namespaces to name modules. When absent, the
    /// longest `-`-separated prefix shared by all capability namespaces is stripped.
    #[serde(default)]
    pub capability_prefix: Option<String>,
    /// The environment variable `Client::from_env` reads when no capability binds one.
    #[serde(default)]
    pub credentials_env: Option<String>,
    /// An environment variable `Client::from_env` also reads, when set, for another base
    /// URL (`CLERK_API_URL`): a URL without a path takes the document's server path.
    #[serde(default)]
    pub base_url_env: Option<String>,
    /// Whether the client has `Client::from_env` (default: yes). Off for an API whose
    /// credentials belong to a user's session rather than to the process, or whose
    /// environment variable is no credential (an extension may read it instead).
    #[serde(default = "yes")]
    pub from_env: bool,
    /// Reject unknown fields when decoding objects whose schema says
    /// `additionalProperties: false`. Off by default: the API may add fields at any time.
    #[serde(default)]
    pub strict: bool,
    /// The request header that names the API version a request is written against
    /// (`Clerk-API-Version`, `Stripe-Version`, ...). When set, every request sends the
    /// document's `info.version` in it, overridable per client; when absent, none is sent.
    #[serde(default)]
    pub api_version_header: Option<String>,
    /// The payload property that tells webhook events apart when no property of theirs is
    /// pinned to one value: each event's tag value is then its webhook's name.
    #[serde(default)]
    pub webhook_tag: Option<String>,
    /// How the API signs its webhook deliveries (`standard-webhooks`): the crate then gets
    /// a `Webhook` verifier whose `verify` checks a delivery and decodes its event.
    #[serde(default)]
    pub webhook_signature: Option<WebhookSignature>,
    /// The environment variable `Webhook::from_env` reads the signing secret from.
    #[serde(default)]
    pub webhook_secret_env: Option<String>,
    /// Warning kinds the maintainers have reviewed and accept for this crate (the
    /// capability files' known drift from the document, say): `generate` counts them on a
    /// line of their own, so that a new kind of warning stands out.
    #[serde(default)]
    pub accepted_warnings: Vec<String>,
    /// The names pagination is inferred from (`[crate.options.pagination]`).
    #[serde(default)]
    pub pagination: PaginationNames,
    /// The directory of the `clerkgen-runtime` crate, relative to the manifest: the crate
    /// then depends on it by path instead of carrying its own copy of the runtime's modules.
    #[serde(default)]
    pub runtime: Option<PathBuf>,
}

/// The wire names a pager keys on; each defaults to the common convention.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaginationNames {
    /// The numeric query parameter that skips items (`offset`).
    pub offset: String,
    /// The numeric query parameter that caps a page (`limit`).
    pub limit: String,
    /// The string query parameter that takes the last item's id (`starting_after`).
    pub cursor: String,
    /// The item field the cursor is read from (`id`).
    pub item_id: String,
    /// What the name of a response's total count contains (`total`, as in `total_count`).
    pub total: String,
}

impl Default for PaginationNames {
    fn default() -> Self {
        PaginationNames {
            offset: "offset".into(),
            limit: "limit".into(),
            cursor: "starting_after".into(),
            item_id: "id".into(),
            total: "total".into(),
        }
    }
}

/// Cargo metadata the manifest gives a crate (see `CrateSection`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct CrateMetadata {
    /// The SPDX license expression.
    pub license: Option<String>,
    /// The source repository's address.
    pub repository: Option<String>,
    /// The home page's address.
    pub homepage: Option<String>,
    /// crates.io keywords.
    pub keywords: Vec<String>,
    /// crates.io categories.
    pub categories: Vec<String>,
    /// The line the README gives for `[dependencies]`, when not `name = "version"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependency_line: Option<String>,
    /// Dependencies the crate's extensions use, by name and version requirement.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub dependencies: BTreeMap<String, String>,
}

/// A manifest with every path resolved against its directory.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The manifest file (where diagnostics about it point).
    pub path: PathBuf,
    /// The generated crate's package name.
    pub crate_name: String,
    /// Its library's name in Rust paths, when it is not the package name's.
    pub lib_name: Option<String>,
    /// Its version.
    pub crate_version: String,
    /// Its description (else one is made from the document's title).
    pub crate_description: Option<String>,
    /// The rest of the crate's Cargo metadata.
    pub metadata: CrateMetadata,
    /// The crate's directory.
    pub out_dir: PathBuf,
    /// The OpenAPI document.
    pub openapi: PathBuf,
    /// The capability files, their globs expanded and sorted.
    pub capabilities: Vec<PathBuf>,
    /// The overlays, in the order they apply.
    pub overlays: Vec<PathBuf>,
    /// Hand-written modules copied into the crate (see `InputsSection::extensions`).
    pub extensions: Vec<PathBuf>,
    /// How to generate.
    pub options: Options,
}

impl Manifest {
    /// Reads and resolves a manifest file: one [`Manifest`] per crate it describes, in
    /// the file's order.
    pub fn load_all(path: &Path) -> Result<Vec<Manifest>> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file: ManifestFile = toml::from_str(&text).map_err(|e| Error::Manifest {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let crates = match file.crates {
            OneOrMany::One(one) => vec![*one],
            OneOrMany::Many(many) => many,
        };
        if crates.is_empty() {
            return Err(Error::Manifest {
                path: path.to_path_buf(),
                message: "the manifest describes no crate".into(),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &crates {
            if !seen.insert(c.name.as_str()) {
                return Err(Error::Manifest {
                    path: path.to_path_buf(),
                    message: format!("crate `{}` is described twice", c.name),
                });
            }
        }
        crates
            .into_iter()
            .map(|c| Manifest::resolve(path, c))
            .collect()
    }

    /// Reads a manifest file and picks one crate: the one named, else the first.
    pub fn load(path: &Path, name: Option<&str>) -> Result<Manifest> {
        let all = Manifest::load_all(path)?;
        let names: Vec<String> = all.iter().map(|m| m.crate_name.clone()).collect();
        match name {
            None => Ok(all
                .into_iter()
                .next()
                .expect("load_all returns at least one")),
            Some(name) => all
                .into_iter()
                .find(|m| m.crate_name == name)
                .ok_or_else(|| Error::Manifest {
                    path: path.to_path_buf(),
                    message: format!(
                        "no crate `{name}` in the manifest (it describes {})",
                        names.join(", ")
                    ),
                }),
        }
    }

    fn resolve(path: &Path, mut section: CrateSection) -> Result<Manifest> {
        let dir = path.parent().unwrap_or(Path::new("."));
        section.options.runtime = section.options.runtime.map(|r| dir.join(r));
        let mut capabilities = Vec::new();
        for pattern in &section.inputs.capabilities {
            capabilities.extend(expand(dir, pattern, path)?);
        }
        capabilities.sort();
        capabilities.dedup();
        Ok(Manifest {
            path: path.to_path_buf(),
            crate_name: section.name,
            lib_name: section.lib_name,
            crate_version: section.version,
            crate_description: section.description,
            metadata: CrateMetadata {
                license: section.license,
                repository: section.repository,
                homepage: section.homepage,
                keywords: section.keywords,
                categories: section.categories,
                dependency_line: section.dependency_line,
                dependencies: section.dependencies,
            },
            out_dir: dir.join(&section.path),
            openapi: dir.join(&section.inputs.openapi),
            overlays: section
                .inputs
                .overlays
                .iter()
                .map(|o| dir.join(o))
                .collect(),
            capabilities,
            extensions: section
                .inputs
                .extensions
                .iter()
                .map(|e| dir.join(e))
                .collect(),
            options: section.options,
        })
    }

    /// A manifest for a bare OpenAPI document: no capability files, modules by tag.
    pub fn for_spec(spec: PathBuf, out_dir: PathBuf, crate_name: String) -> Manifest {
        Manifest {
            path: PathBuf::new(),
            crate_name,
            lib_name: None,
            crate_version: "0.1.0".into(),
            crate_description: None,
            metadata: CrateMetadata::default(),
            out_dir,
            openapi: spec,
            overlays: Vec::new(),
            capabilities: Vec::new(),
            extensions: Vec::new(),
            options: Options::default(),
        }
    }

    /// Every file whose content decides the output (used by the drift guard).
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut v = vec![self.openapi.clone()];
        v.extend(self.overlays.iter().cloned());
        v.extend(self.capabilities.iter().cloned());
        v.extend(self.extensions.iter().cloned());
        if !self.path.as_os_str().is_empty() {
            v.push(self.path.clone());
        }
        v
    }
}

fn expand(dir: &Path, pattern: &str, manifest: &Path) -> Result<Vec<PathBuf>> {
    let full = dir.join(pattern);
    let text = full.to_string_lossy();
    if !text.contains(['*', '?', '[']) {
        return Ok(vec![full]);
    }
    let bad = |m: String| Error::Manifest {
        path: manifest.to_path_buf(),
        message: m,
    };
    let paths =
        glob::glob(&text).map_err(|e| bad(format!("capability pattern `{pattern}`: {e}")))?;
    let mut out = Vec::new();
    for p in paths {
        out.push(p.map_err(|e| bad(format!("capability pattern `{pattern}`: {e}")))?);
    }
    if out.is_empty() {
        return Err(bad(format!(
            "capability pattern `{pattern}` matches no file"
        )));
    }
    Ok(out)
}

fn yes() -> bool {
    true
}

impl Default for Options {
    fn default() -> Self {
        Options {
            capability_prefix: None,
            credentials_env: None,
            base_url_env: None,
            from_env: true,
            strict: false,
            api_version_header: None,
            webhook_tag: None,
            webhook_signature: None,
            webhook_secret_env: None,
            accepted_warnings: Vec::new(),
            pagination: PaginationNames::default(),
            runtime: None,
        }
    }
}

/// A scheme for signing webhook deliveries (`webhook_signature` in the manifest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WebhookSignature {
    /// Standard Webhooks (<https://www.standardwebhooks.com>): HMAC-SHA256 over
    /// `id.timestamp.body`, in the `webhook-*` (or `svix-*`) headers.
    StandardWebhooks,
}
