//! Modules: which operations go where (the IR's [`Module`]s, before operations are typed). One module per capability file, in file order;
//! operations no capability names go to a module named after their first tag (or their
//! `x-speakeasy-group`), merged into a capability module of the same name if there is one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openapiv3::{OpenAPI, Parameter};

use super::model::{Module, ModuleSource};
use super::naming::{pascal, snake, Namespace};
use super::operations::SpecOperation;
use crate::diag::{Error, Location, Result, Warnings};
use crate::load::{resolve, Capability, CapabilityOperation, RefKind};
use crate::manifest::Options;

pub fn plan(
    spec_file: &Path,
    doc: &OpenAPI,
    ops: &[SpecOperation<'_>],
    caps: &[Capability],
    options: &Options,
    warnings: &mut Warnings,
) -> Result<Vec<Module>> {
    let mut names = Namespace::with_reserved(super::reserved::CRATE_ROOT);
    let mut modules: Vec<Module> = Vec::new();
    let mut owner: BTreeMap<&str, String> = BTreeMap::new();
    let prefix = options
        .capability_prefix
        .clone()
        .unwrap_or_else(|| common_prefix(caps));
    let mut by_file: BTreeMap<PathBuf, String> = BTreeMap::new();

    for cap in caps
        .iter()
        .filter(|c| !c.doc.capability.consumes.is_empty())
    {
        let ns = &cap.doc.capability.consumes[0].namespace;
        let name = names.claim(&snake(ns.strip_prefix(&prefix).unwrap_or(ns)));
        by_file.insert(normalise(&cap.file), name.clone());
        let mut plan = module(
            &name,
            &cap.doc.info.label,
            capability_doc(cap),
            ModuleSource::Capability {
                file: file_name(&cap.file),
            },
        );
        for (i, consumes) in cap.doc.capability.consumes.iter().enumerate() {
            for (j, resource) in consumes.resources.iter().enumerate() {
                for (k, cop) in resource.operations.iter().enumerate() {
                    let pointer = format!("#/capability/consumes/{i}/resources/{j}/operations/{k}");
                    let Some(so) = ops.iter().find(|o| o.operation_id == cop.name) else {
                        return Err(Error::UnknownCapabilityOperation {
                            at: Location::new(&cap.file, format!("{pointer}/name")),
                            name: cop.name.clone(),
                            spec: spec_file.to_path_buf(),
                            suggestions: closest(&cop.name, ops),
                        });
                    };
                    if !so.method.as_str().eq_ignore_ascii_case(&cop.method)
                        || so.path != resource.path
                    {
                        warnings.push(
                            "capability-mismatch",
                            Location::new(&cap.file, &pointer),
                            format!("`{}` is {} {} in the capability but {} {} in the spec; the spec wins", cop.name, cop.method, resource.path, so.method, so.path),
                        );
                    }
                    check_inputs(&cap.file, &pointer, doc, so, cop, warnings);
                    match owner.get(so.operation_id.as_str()) {
                        Some(first) => warnings.push(
                            "capability-duplicate",
                            Location::new(&cap.file, &pointer),
                            format!(
                                "`{}` is already in module `{first}`; it stays there",
                                cop.name
                            ),
                        ),
                        None => {
                            owner.insert(&so.operation_id, name.clone());
                            plan.operations.push(so.operation_id.clone());
                        }
                    }
                }
            }
        }
        modules.push(plan);
    }

    modules.extend(workflow_modules(
        caps, &prefix, &mut names, &by_file, warnings,
    ));

    for so in ops {
        if owner.contains_key(so.operation_id.as_str()) {
            continue;
        }
        let group = so.op.tags.first().cloned().or_else(|| {
            so.op
                .extensions
                .get("x-speakeasy-group")
                .and_then(|v| v.as_str())
                .map(String::from)
        });
        let group = group.unwrap_or_else(|| "other".to_string());
        // Tags are titles ("OAuth Applications"): their words are lower-cased whole, so
        // acronyms stay one word; group names are identifiers and keep their case breaks.
        let module_name = if group.contains(char::is_whitespace) {
            snake(&group.to_lowercase())
        } else {
            snake(&group)
        };
        let index = match modules.iter().position(|m| m.name == module_name) {
            Some(i) => i,
            None => {
                let name = names.claim(&module_name);
                let doc = doc
                    .tags
                    .iter()
                    .find(|t| t.name == group)
                    .and_then(|t| t.description.clone());
                modules.push(module(
                    &name,
                    &group,
                    doc,
                    ModuleSource::Tag { tag: group.clone() },
                ));
                modules.len() - 1
            }
        };
        modules[index].operations.push(so.operation_id.clone());
        modules[index].unnamed.push(so.operation_id.clone());
    }
    Ok(modules)
}

/// A module per workflow capability (one that consumes nothing of its own): it re-exports
/// the modules of the capability files it imports.
fn workflow_modules(
    caps: &[Capability],
    prefix: &str,
    names: &mut Namespace,
    by_file: &BTreeMap<PathBuf, String>,
    warnings: &mut Warnings,
) -> Vec<Module> {
    let mut modules = Vec::new();
    for cap in caps.iter().filter(|c| c.doc.capability.consumes.is_empty()) {
        let stem = cap
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = strip_shared(&stem, prefix);
        let name = names.claim(&snake(&stem));
        let doc = cap
            .doc
            .capability
            .description
            .clone()
            .or_else(|| cap.doc.info.description.clone());
        let mut plan = module(
            &name,
            &cap.doc.info.label,
            doc,
            ModuleSource::Capability {
                file: file_name(&cap.file),
            },
        );
        for (i, import) in cap.doc.imports.iter().enumerate() {
            let target = normalise(&cap.file.parent().unwrap_or(Path::new(".")).join(import));
            match by_file.get(&target) {
                Some(m) => plan.imports.push(m.clone()),
                None => warnings.push(
                    "capability-import",
                    Location::new(&cap.file, format!("#/imports/{i}")),
                    format!(
                        "`{import}` is not among the manifest's capability files; not re-exported"
                    ),
                ),
            }
        }
        modules.push(plan);
    }
    modules
}

/// Compares what a capability says an operation takes with what the spec says; every
/// difference is a warning (the spec stays the source of truth for types).
fn check_inputs(
    file: &Path,
    pointer: &str,
    doc: &OpenAPI,
    so: &SpecOperation<'_>,
    cop: &CapabilityOperation,
    warnings: &mut Warnings,
) {
    let spec_params: Vec<(&str, &str)> = so
        .path_params
        .iter()
        .chain(&so.op.parameters)
        .filter_map(|p| {
            resolve(
                p,
                RefKind::Parameters,
                doc.components.as_ref().map(|c| &c.parameters),
                "",
            )
            .map(|(p, _)| p)
        })
        .map(|p| (p.parameter_data_ref().name.as_str(), location_of(p)))
        .collect();
    let op = &so.operation_id;
    for (m, input) in cop.input_parameters.iter().enumerate() {
        let at = Location::new(file, format!("{pointer}/inputParameters/{m}"));
        if input.location == "body" {
            let body = so.op.request_body.as_ref().and_then(|b| {
                resolve(
                    b,
                    RefKind::RequestBodies,
                    doc.components.as_ref().map(|c| &c.request_bodies),
                    "",
                )
            });
            match body.map(|(b, _)| b) {
                None => warnings.push(
                    "capability-body",
                    at,
                    format!(
                        "`{op}` takes no request body in the spec, but the capability declares one"
                    ),
                ),
                Some(body) => {
                    if input.required && !body.required {
                        warnings.push("capability-body", at.clone(), format!("the capability marks the body of `{op}` required; the spec makes it optional"));
                    }
                    let says_json = input
                        .description
                        .as_deref()
                        .is_some_and(|d| d.to_lowercase().contains("json"));
                    let spec_json = body.content.keys().any(|k| k.contains("json"));
                    if says_json && !spec_json {
                        let media: Vec<&str> = body.content.keys().map(String::as_str).collect();
                        warnings.push("capability-media-type", at, format!("the capability describes the body of `{op}` as JSON; the spec takes {}", media.join(", ")));
                    }
                }
            }
        } else if !spec_params
            .iter()
            .any(|(n, l)| *n == input.name && *l == input.location)
        {
            warnings.push(
                "capability-parameter",
                at,
                format!(
                    "`{}` ({}) is not a parameter of `{op}` in the spec",
                    input.name, input.location
                ),
            );
        }
    }
    for (name, location) in &spec_params {
        if !cop
            .input_parameters
            .iter()
            .any(|i| i.name == *name && i.location == *location)
        {
            warnings.push(
                "capability-parameter",
                Location::new(file, pointer),
                format!("the spec's {location} parameter `{name}` of `{op}` is not listed by the capability"),
            );
        }
    }
    if so.op.request_body.is_some() && !cop.input_parameters.iter().any(|i| i.location == "body") {
        warnings.push(
            "capability-body",
            Location::new(file, pointer),
            format!("the spec's request body of `{op}` is not listed by the capability"),
        );
    }
}

fn location_of(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn module(name: &str, title: &str, doc: Option<String>, source: ModuleSource) -> Module {
    Module {
        name: name.to_string(),
        accessor: name.to_string(),
        api_struct: format!("{}Api", pascal(name)),
        title: title.to_string(),
        doc,
        source,
        operations: Vec::new(),
        unnamed: Vec::new(),
        imports: Vec::new(),
    }
}

fn capability_doc(cap: &Capability) -> Option<String> {
    let parts: Vec<&str> = [
        cap.doc.info.description.as_deref(),
        cap.doc
            .capability
            .consumes
            .first()
            .and_then(|c| c.description.as_deref()),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// The longest `-`-separated prefix every API capability namespace shares (`clerk-backend-api-`).
fn common_prefix(caps: &[Capability]) -> String {
    let namespaces: Vec<&str> = caps
        .iter()
        .filter_map(|c| c.doc.capability.consumes.first())
        .map(|c| c.namespace.as_str())
        .collect();
    if namespaces.len() < 2 {
        return String::new();
    }
    let first: Vec<&str> = namespaces[0].split('-').collect();
    let mut shared = first.len().saturating_sub(1);
    for ns in &namespaces[1..] {
        let parts: Vec<&str> = ns.split('-').collect();
        shared = shared
            .min(first.iter().zip(&parts).take_while(|(a, b)| a == b).count())
            .min(parts.len() - 1);
    }
    first[..shared].iter().map(|p| format!("{p}-")).collect()
}

/// Strips the part of `prefix` that `name` shares with it (`clerk-b2b-saas` -> `b2b-saas`).
fn strip_shared(name: &str, prefix: &str) -> String {
    let parts: Vec<&str> = name.split('-').collect();
    let shared = parts
        .iter()
        .zip(prefix.split('-').filter(|p| !p.is_empty()))
        .take_while(|(a, b)| **a == *b)
        .count();
    let shared = shared.min(parts.len() - 1);
    parts[shared..].join("-")
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some_and(|n| n != "..") => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn closest(name: &str, ops: &[SpecOperation<'_>]) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = ops
        .iter()
        .map(|o| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &o.operation_id.to_lowercase()),
                o.operation_id.as_str(),
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .filter(|(s, _)| *s > 0.7)
        .map(|(_, n)| n.to_string())
        .collect()
}
