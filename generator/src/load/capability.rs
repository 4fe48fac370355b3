//! Naftiko capability files (`naftiko: 1.0.0-alpha2`): what they declare, read as typed data.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use super::{parse_document, read, to_typed};
use crate::diag::Result;

/// One capability file, parsed.
#[derive(Debug, Clone)]
pub struct Capability {
    pub file: PathBuf,
    pub doc: CapabilityDoc,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CapabilityDoc {
    /// The format's version: required, so that a file that is no capability is rejected.
    #[allow(dead_code, reason = "read to require it")]
    pub naftiko: String,
    pub info: Info,
    #[serde(default)]
    pub binds: Vec<Bind>,
    #[serde(default)]
    pub imports: Vec<String>,
    pub capability: CapabilityBody,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Info {
    pub label: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Bind {
    pub namespace: String,
    #[serde(default)]
    pub keys: IndexMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CapabilityBody {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub consumes: Vec<Consumes>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Consumes {
    /// The kind of API consumed (`http`): required by the format.
    #[serde(rename = "type")]
    #[allow(dead_code, reason = "read to require it")]
    pub kind: String,
    pub namespace: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Resource {
    /// The resource's name: required by the format.
    #[allow(dead_code, reason = "read to require it")]
    pub name: String,
    pub path: String,
    #[serde(default)]
    pub operations: Vec<CapabilityOperation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityOperation {
    pub name: String,
    pub method: String,
    #[serde(default)]
    pub input_parameters: Vec<InputParameter>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InputParameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: Option<String>,
}

pub(super) fn load_capability(path: &Path) -> Result<Capability> {
    let text = read(path)?;
    let raw = parse_document(path, &text)?;
    let doc = to_typed(path, raw)?;
    Ok(Capability {
        file: path.to_path_buf(),
        doc,
    })
}

impl CapabilityDoc {
    /// The environment variables the capability binds (values of `env` binds).
    pub fn env_vars(&self) -> impl Iterator<Item = &str> {
        self.binds
            .iter()
            .filter(|b| b.namespace == "env")
            .flat_map(|b| b.keys.values().map(String::as_str))
    }
}
