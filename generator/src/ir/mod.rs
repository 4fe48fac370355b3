//! IR stage: turns loaded documents into an [`Api`] whose every name and type is decided.
//!
//! `naming` owns identifiers, `types` owns the models namespace, `operations` types each
//! operation, `modules` groups them. The result is plain data: the types this module
//! exports, which [`render_text`] and `cargo clerkgen ir --format json` show.

mod cycles;
mod model;
mod modules;
pub(crate) mod naming;
mod operations;
mod pagination;
mod reach;
pub mod reserved;
mod types;
mod webhooks;

pub use model::*;
pub use naming::spelled;

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use crate::diag::{Error, Location, Result, Warnings};
use crate::load::Inputs;
use crate::manifest::Manifest;
use naming::{snake, Namespace};
use operations::{OperationBuilder, SpecOperation};
use types::TypeSpace;

/// Builds the IR for the manifest's inputs.
pub(crate) fn build(inputs: &Inputs, manifest: &Manifest, warnings: &mut Warnings) -> Result<Api> {
    let file = inputs.spec.file.as_path();
    let doc = &inputs.spec.doc;
    let spec_ops = operations::spec_operations(file, doc, warnings)?;
    let plans = modules::plan(
        file,
        doc,
        &spec_ops,
        &inputs.capabilities,
        &manifest.options,
        warnings,
    )?;

    let empty = indexmap::IndexMap::new();
    let schemas = doc
        .components
        .as_ref()
        .map(|c| &c.schemas)
        .unwrap_or(&empty);
    cycles::check_alias_chains(file, schemas)?;
    let lib_name = manifest
        .lib_name
        .clone()
        .unwrap_or_else(|| manifest.crate_name.replace('-', "_"));
    let mut types = TypeSpace::new(file, schemas, &lib_name, warnings);
    types.define_components();

    let by_id: std::collections::HashMap<&str, &SpecOperation> = spec_ops
        .iter()
        .map(|o| (o.operation_id.as_str(), o))
        .collect();
    let mut operations = Vec::with_capacity(spec_ops.len());
    let mut modules = Vec::with_capacity(plans.len());
    for module in plans {
        let mut method_names = Namespace::default();
        let mut builder_names = Namespace::with_reserved(&[&module.api_struct]);
        for id in &module.operations {
            let so = by_id
                .get(id.as_str())
                .expect("modules only hold spec operations");
            let typed = OperationBuilder {
                file,
                doc,
                types: &mut types,
            }
            .build(so)?;
            let rust_name = method_names.claim(&snake(id));
            let builder = builder_names.claim(&format!("{}Request", naming::pascal(id)));
            operations.push(operation(so, &module.name, rust_name, builder, typed, doc));
        }
        modules.push(module);
    }

    let (webhooks, event_type) = webhooks::build(
        file,
        doc,
        &mut types,
        manifest.options.webhook_tag.as_deref(),
    )?;
    let mut type_defs = types.into_types();
    name_builders_apart_from_models(&mut operations, &modules, &type_defs);
    cycles::break_cycles(&mut type_defs);
    pagination::infer(
        &mut operations,
        &SortedTypes::new(&type_defs),
        &manifest.options.pagination,
    );
    let error_body = common_error_type(&operations);
    // The webhook module decodes the events whichever modules are on.
    let event_enum = event_type.clone().map(TypeRef::Named);
    reach::assign_features(
        &mut type_defs,
        &modules,
        &operations,
        error_body
            .iter()
            .chain(&event_enum)
            .chain(webhooks.iter().map(|w| &w.payload))
            .collect(),
    );
    reach::assign_directions(&mut type_defs, &operations, error_body.as_ref());
    let auth = auth_schemes(doc, file, warnings);
    check_security(&mut operations, &auth, file, warnings);
    let credentials_env = credentials_env(inputs, manifest, &auth);
    check_servers(doc, file, warnings);
    let extensions = extension_modules(inputs, &modules, manifest)?;
    operations.sort_by(|a, b| a.operation_id.cmp(&b.operation_id));

    Ok(Api {
        crate_name: manifest.crate_name.clone(),
        lib_name,
        crate_version: manifest.crate_version.clone(),
        package: package(manifest, doc, !operations.is_empty()),
        title: doc.info.title.clone(),
        api_version: doc.info.version.clone(),
        api_version_header: manifest.options.api_version_header.clone(),
        description: doc.info.description.clone(),
        base_url: base_url(doc),
        server_variables: server_variables(doc, &auth),
        server_template: doc
            .servers
            .first()
            .filter(|s| s.variables.as_ref().is_some_and(|v| !v.is_empty()))
            .map(|s| s.url.trim_end_matches('/').to_string()),
        auth,
        strict: manifest.options.strict,
        retry: retry_config(doc, file, warnings),
        credentials_env,
        base_url_env: manifest.options.base_url_env.clone(),
        extensions,
        runtime: manifest
            .options
            .runtime
            .as_ref()
            .map(|dir| RuntimeDependency {
                path: relative_path(&manifest.out_dir, dir),
                version: env!("CARGO_PKG_VERSION").to_string(),
            }),
        error_body,
        modules,
        operations,
        types: type_defs,
        webhook_signing: webhook_signing(manifest, event_type.is_some(), warnings),
        webhooks,
        event_type,
    })
}

/// The environment variable `from_env` reads the credential from: the first a capability
/// file names, else the manifest's, else `<CRATE>_API_KEY`; none without `from_env` or
/// without security schemes (no credential to read).
fn credentials_env(inputs: &Inputs, manifest: &Manifest, auth: &[AuthScheme]) -> Option<String> {
    if !manifest.options.from_env || auth.is_empty() {
        return None;
    }
    let named = inputs
        .capabilities
        .iter()
        .find_map(|c| c.doc.env_vars().next().map(String::from))
        .or_else(|| manifest.options.credentials_env.clone());
    Some(named.unwrap_or_else(|| {
        format!(
            "{}_API_KEY",
            manifest.crate_name.to_uppercase().replace('-', "_")
        )
    }))
}

/// The package's metadata: the manifest's description or one from the title, and the
/// document's file name.
fn package(manifest: &Manifest, doc: &OpenAPI, has_operations: bool) -> Package {
    Package {
        description: manifest.crate_description.clone().unwrap_or_else(|| {
            if has_operations {
                format!("Typed async client for {}", doc.info.title)
            } else {
                format!("Types of the {}", doc.info.title)
            }
        }),
        source_file: manifest
            .openapi
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        metadata: manifest.metadata.clone(),
    }
}

/// The verifier the manifest asks for, when there is an event enum for it to decode into.
fn webhook_signing(
    manifest: &Manifest,
    has_events: bool,
    warnings: &mut Warnings,
) -> Option<WebhookSigning> {
    let scheme = manifest.options.webhook_signature?;
    if !has_events {
        warnings.push(
            "webhook-signature",
            Location::new(&manifest.path, ""),
            "the manifest names a webhook signature, but the document has no webhook event enum to verify into: no verifier is emitted",
        );
        return None;
    }
    Some(WebhookSigning {
        scheme,
        secret_env: manifest.options.webhook_secret_env.clone(),
    })
}

/// Request builders are `<Operation>Request`, unless a model has that name (a document's
/// own `CreateThingRequest` schema): the builder is then `<Operation>RequestBuilder`, so
/// that no name means two things in one crate.
fn name_builders_apart_from_models(
    operations: &mut [Operation],
    modules: &[Module],
    types: &[TypeDef],
) {
    let models: std::collections::BTreeSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
    let by_module = operations_by_module(operations);
    for module in modules {
        let Some(ops) = by_module.get(&module.name) else {
            continue;
        };
        let mut names = Namespace::with_reserved(&[&module.api_struct]);
        for op in ops.iter().filter_map(|&i| operations.get(i)) {
            names.claim(&op.builder);
        }
        for &i in ops {
            let Some(op) = operations.get_mut(i) else {
                continue;
            };
            if models.contains(op.builder.as_str()) {
                op.builder = names.claim(&format!("{}Builder", op.builder));
            }
        }
    }
}

/// The indexes of each module's operations, by module name, in the operations' order.
fn operations_by_module(operations: &[Operation]) -> std::collections::HashMap<String, Vec<usize>> {
    let mut by_module: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, op) in operations.iter().enumerate() {
        by_module.entry(op.module.clone()).or_default().push(i);
    }
    by_module
}

fn operation(
    so: &SpecOperation<'_>,
    module: &str,
    rust_name: String,
    builder: String,
    typed: operations::Typed,
    doc: &OpenAPI,
) -> Operation {
    let security: Vec<Vec<String>> = so
        .op
        .security
        .as_ref()
        .or(doc.security.as_ref())
        .map(|reqs| reqs.iter().map(|r| r.keys().cloned().collect()).collect())
        .unwrap_or_default();
    let authenticated = requires_credentials(&security);
    Operation {
        operation_id: so.operation_id.clone(),
        method: so.method,
        path: so.path.to_string(),
        module: module.to_string(),
        rust_name,
        builder,
        summary: so.op.summary.clone(),
        description: so.op.description.clone(),
        deprecated: so.op.deprecated,
        pointer: so.pointer.clone(),
        params: typed.params,
        body: typed.body,
        response: typed.response,
        errors: typed.errors,
        authenticated,
        security,
        pagination: None,
    }
}

/// The named type most JSON error responses use (ties: the first by name).
fn common_error_type(operations: &[Operation]) -> Option<TypeRef> {
    let mut counts: std::collections::BTreeMap<&TypeRef, usize> = std::collections::BTreeMap::new();
    for e in operations.iter().flat_map(|o| &o.errors) {
        if e.decode == ResponseDecode::Json && matches!(e.ty, TypeRef::Named(_)) {
            *counts.entry(&e.ty).or_default() += 1;
        }
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(t, _)| t.clone())
}

/// The document's `x-speakeasy-retries` (strategy `backoff`), the de facto vocabulary
/// for a spec's recommended retry policy.
fn retry_config(
    doc: &OpenAPI,
    file: &std::path::Path,
    warnings: &mut Warnings,
) -> Option<RetryConfig> {
    let raw = doc.extensions.get("x-speakeasy-retries")?;
    let backoff = raw.get("backoff");
    let num = |key: &str, default: f64| {
        backoff
            .and_then(|b| b.get(key))
            .and_then(|v| v.as_f64())
            .unwrap_or(default)
    };
    if raw.get("strategy").and_then(|s| s.as_str()) != Some("backoff") {
        warnings.push(
            "unsupported",
            Location::new(file, "#/x-speakeasy-retries"),
            "only the `backoff` retry strategy is supported; no default retry policy",
        );
        return None;
    }
    let status_codes = raw
        .get("statusCodes")
        .and_then(|v| v.as_array())
        .map(|codes| {
            codes
                .iter()
                .map(|c| {
                    c.as_str()
                        .map(String::from)
                        .unwrap_or_else(|| c.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    Some(RetryConfig {
        initial_interval_ms: num("initialInterval", 500.0) as u64,
        max_interval_ms: num("maxInterval", 60_000.0) as u64,
        max_elapsed_ms: num("maxElapsedTime", 3_600_000.0) as u64,
        exponent: num("exponent", 1.5),
        status_codes,
        connection_errors: raw
            .get("retryConnectionErrors")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
    })
}

/// A client needs an absolute server URL: a document that names none (or only a relative
/// one, such as `/api/v3`) gives a client that needs a `base_url`, which its `build()`
/// says.
fn check_servers(doc: &OpenAPI, file: &std::path::Path, warnings: &mut Warnings) {
    if doc.paths.paths.is_empty() {
        return;
    }
    let absolute = |url: &str| url.starts_with("http://") || url.starts_with("https://");
    match doc.servers.first() {
        Some(server) if absolute(&server.url) => {}
        Some(server) => warnings.push(
            "no-server",
            Location::new(file, "#/servers/0/url"),
            format!("the server URL `{}` is relative: the client needs a base URL (`ClientBuilder::base_url`) to send anything", server.url),
        ),
        None => warnings.push(
            "no-server",
            Location::new(file, "#/servers"),
            "the document names no server: the client needs a base URL (`ClientBuilder::base_url`) to send anything",
        ),
    }
}

fn base_url(doc: &OpenAPI) -> String {
    let Some(server) = doc.servers.first() else {
        return "/".into();
    };
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url.trim_end_matches('/').to_string()
}

/// The first server's variables, in the document's order, each with its builder setter:
/// named after the variable, `_variable` appended where a builder method or a credential
/// setter has that name.
fn server_variables(doc: &OpenAPI, auth: &[AuthScheme]) -> Vec<ServerVariable> {
    let Some(vars) = doc.servers.first().and_then(|s| s.variables.as_ref()) else {
        return Vec::new();
    };
    let mut taken: Vec<String> = reserved::CLIENT_BUILDER
        .iter()
        .map(|m| m.to_string())
        .chain(auth.iter().map(|a| a.setter().to_string()))
        .collect();
    vars.iter()
        .map(|(name, var)| {
            let mut setter = naming::snake(name);
            if taken.contains(&setter) {
                setter.push_str("_variable");
            }
            taken.push(setter.clone());
            ServerVariable {
                name: name.clone(),
                setter,
                default: var.default.clone(),
                description: var.description.clone(),
                allowed: var.enumeration.clone(),
            }
        })
        .collect()
}

/// Whether every requirement asks for some credential (none of them is `{}`).
fn requires_credentials(security: &[Vec<String>]) -> bool {
    !security.is_empty() && security.iter().all(|r| !r.is_empty())
}

/// Drops each security requirement that names a scheme the document does not define
/// (it cannot be met), with a warning.
fn check_security(
    operations: &mut [Operation],
    auth: &[AuthScheme],
    file: &std::path::Path,
    warnings: &mut Warnings,
) {
    for op in operations {
        op.security.retain(|requirement| {
            let missing: Vec<&String> = requirement
                .iter()
                .filter(|name| !auth.iter().any(|a| a.name() == name.as_str()))
                .collect();
            if !missing.is_empty() {
                warnings.push(
                    "undefined-security-scheme",
                    Location::new(file, format!("{}/security", op.pointer)),
                    format!(
                        "no security scheme `{}` is defined in components.securitySchemes; the requirement naming it is dropped",
                        missing.iter().map(|m| m.as_str()).collect::<Vec<_>>().join("`, `")
                    ),
                );
            }
            missing.is_empty()
        });
        for requirement in &mut op.security {
            one_authorization_header(requirement, auth, op.pointer.as_str(), file, warnings);
        }
        op.authenticated = requires_credentials(&op.security);
    }
}

/// A requirement whose schemes would send two `Authorization` headers (bearer and basic,
/// say, or a key in a header of that name) keeps the first of them, with a warning: no
/// server reads two.
fn one_authorization_header(
    requirement: &mut Vec<String>,
    auth: &[AuthScheme],
    pointer: &str,
    file: &std::path::Path,
    warnings: &mut Warnings,
) {
    let sends_authorization = |name: &String| {
        auth.iter()
            .find(|a| a.name() == name.as_str())
            .is_some_and(|a| match a {
                AuthScheme::Bearer { .. } | AuthScheme::Basic { .. } => true,
                AuthScheme::ApiKey {
                    location, param, ..
                } => {
                    *location == ParamLocation::Header
                        && param.eq_ignore_ascii_case("authorization")
                }
            })
    };
    let Some(first) = requirement.iter().position(sends_authorization) else {
        return;
    };
    let kept = requirement[first].clone();
    let mut index = 0;
    requirement.retain(|name| {
        let keep = index <= first || !sends_authorization(name);
        if !keep {
            warnings.push(
                "two-authorization-headers",
                Location::new(file, format!("{pointer}/security")),
                format!("the schemes `{kept}` and `{name}` of one requirement both send an `Authorization` header; only `{kept}` is sent"),
            );
        }
        index += 1;
        keep
    });
}

/// `to` as a path from the directory `from` (`..` and `.` resolved as written, `/` as the
/// separator, as Cargo.toml wants).
fn relative_path(from: &std::path::Path, to: &std::path::Path) -> String {
    use std::path::Component;
    fn lexical(p: &std::path::Path) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::ParentDir if out.last().is_some_and(|l| l != "..") => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other.as_os_str().to_string_lossy().into_owned()),
            }
        }
        out
    }
    let (from, to) = (lexical(from), lexical(to));
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let up = std::iter::repeat_n("..".to_string(), from.len() - shared);
    let parts: Vec<String> = up.chain(to[shared..].iter().cloned()).collect();
    match parts.is_empty() {
        true => ".".to_string(),
        false => parts.join("/"),
    }
}

/// The hand-written modules, each named after its file; a name that is not an identifier
/// or that another module has is an error naming the manifest.
fn extension_modules(
    inputs: &Inputs,
    modules: &[Module],
    manifest: &Manifest,
) -> Result<Vec<ExtensionModule>> {
    let mut out: Vec<ExtensionModule> = Vec::new();
    for e in &inputs.extensions {
        let stem = e
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = naming::snake(&stem);
        let taken = modules.iter().any(|m| m.name == name)
            || out.iter().any(|m| m.name == name)
            || reserved::CRATE_ROOT.contains(&name.as_str());
        if name != stem || taken {
            return Err(Error::Manifest {
                path: manifest.path.clone(),
                message: format!(
                    "extension {}: its file name must be a module name of its own (snake_case, not a capability's or the crate's: {})",
                    e.file.display(),
                    name
                ),
            });
        }
        out.push(ExtensionModule {
            name,
            file: e
                .file
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            source: e.source.clone(),
        });
    }
    Ok(out)
}

/// The document's security schemes, each with its builder setter (named after the scheme,
/// `_credential` appended where that is a builder method).
fn auth_schemes(doc: &OpenAPI, file: &std::path::Path, warnings: &mut Warnings) -> Vec<AuthScheme> {
    let Some(components) = &doc.components else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut taken: Vec<String> = reserved::CLIENT_BUILDER
        .iter()
        .map(|m| m.to_string())
        .collect();
    for (name, scheme) in &components.security_schemes {
        let pointer = format!(
            "#/components/securitySchemes/{}",
            crate::diag::escape_token(name)
        );
        let ReferenceOr::Item(scheme) = scheme else {
            continue;
        };
        let mut setter = naming::snake(name);
        if taken.contains(&setter) {
            setter.push_str("_credential");
        }
        taken.push(setter.clone());
        let auth = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => AuthScheme::Bearer {
                name: name.clone(),
                setter: setter.clone(),
                description: description.clone(),
            },
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => AuthScheme::Basic {
                name: name.clone(),
                setter: setter.clone(),
                description: description.clone(),
            },
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => AuthScheme::Bearer {
                name: name.clone(),
                setter: setter.clone(),
                description: description.clone(),
            },
            SecurityScheme::APIKey {
                location,
                name: param,
                description,
                ..
            } => AuthScheme::ApiKey {
                description: description.clone(),
                name: name.clone(),
                setter: setter.clone(),
                location: match location {
                    openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                    openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                    openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                },
                param: param.clone(),
            },
            _ => {
                warnings.push(
                    "auth-fallback",
                    Location::new(file, &pointer),
                    "this security scheme is sent as a bearer token",
                );
                AuthScheme::Bearer {
                    name: name.clone(),
                    setter,
                    description: None,
                }
            }
        };
        out.push(auth);
    }
    out
}

/// The version of the IR's JSON (`ir_format`): within one, fields are only added; a field
/// removed or reshaped takes the next number. 2: fields carry `presence` alone (no
/// `required`/`nullable`), parameters `style` alone (no `separator`), a body's `input` is
/// `{"fields": [...]}` or `{"whole": {"setter": ...}}`.
pub const IR_FORMAT: u32 = 2;

/// The IR as JSON (`cargo clerkgen ir --format json`): `ir_format`, then the [`Api`].
pub fn to_json(api: &Api) -> String {
    #[derive(serde::Serialize)]
    struct Versioned<'a> {
        ir_format: u32,
        #[serde(flatten)]
        api: &'a Api,
    }
    serde_json::to_string_pretty(&Versioned {
        ir_format: IR_FORMAT,
        api,
    })
    .expect("the IR is plain data")
}

/// A compact, line-per-item rendering of the IR (for snapshots and quick reading).
pub fn render_text(api: &Api) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for m in &api.modules {
        let _ = writeln!(out, "module {} ({}) \"{}\"", m.name, m.api_struct, m.title);
        for id in &m.operations {
            let Some(op) = api.operation(id) else {
                continue;
            };
            let args: Vec<String> = op
                .params
                .iter()
                .map(|p| {
                    format!(
                        "{}{}: {}",
                        p.rust_name,
                        if p.required { "" } else { "?" },
                        p.ty.rust("models")
                    )
                })
                .collect();
            let body = op
                .body
                .as_ref()
                .map(|b| {
                    format!(
                        " body[{}{}]={}",
                        b.media_type,
                        if b.is_flattened() { ",flat" } else { "" },
                        b.ty.rust("models")
                    )
                })
                .unwrap_or_default();
            let pages = op
                .pagination
                .as_ref()
                .map(|p| {
                    let by: Vec<String> = p
                        .offset
                        .iter()
                        .map(|o| o.param.clone())
                        .chain(
                            p.cursor
                                .iter()
                                .map(|c| format!("{} = {}", c.param, c.item_id)),
                        )
                        .collect();
                    format!(
                        " pages(by {}, items {}, total {})",
                        by.join(" or "),
                        p.items_field.as_deref().unwrap_or("<array>"),
                        p.total.as_ref().map_or("-", |t| t.field.as_str())
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {} {} -> {}({}){} -> {} {}{}{}",
                op.method,
                op.path,
                op.operation_id,
                op.rust_name,
                args.join(", "),
                body,
                op.response.status,
                op.response.ty.rust("models"),
                pages,
                if op.deprecated { " deprecated" } else { "" }
            );
        }
    }
    for t in &api.types {
        let detail = match &t.kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .map(|f| {
                    let mark = match f.presence {
                        Presence::Required => "",
                        Presence::RequiredNullable => "~",
                        Presence::Optional => "?",
                        Presence::OptionalNullable => "?~",
                        Presence::TriState => "?~patch",
                    };
                    format!("{}{mark}: {}", f.name, f.ty.rust("models"))
                })
                .collect::<Vec<_>>()
                .join(", "),
            TypeKind::Enum { variants, fallback } => {
                let mut v: Vec<String> = variants
                    .iter()
                    .map(|v| format!("{}={:?}", v.name, v.value))
                    .collect();
                v.push(format!("{fallback}(..)"));
                v.join(" | ")
            }
            TypeKind::Untagged { variants } => variants
                .iter()
                .map(|v| format!("{}({})", v.name, v.ty.rust("models")))
                .collect::<Vec<_>>()
                .join(" | "),
            TypeKind::Tagged {
                tag,
                variants,
                fallback,
            } => {
                let mut v: Vec<String> = variants
                    .iter()
                    .map(|v| format!("{}={:?}({})", v.name, v.tag_value, v.ty.rust("models")))
                    .collect();
                v.push(format!("{fallback}(..)"));
                format!("by {tag}: {}", v.join(" | "))
            }
            TypeKind::Alias { target } => target.rust("models"),
            TypeKind::Statuses { variants } => variants
                .iter()
                .map(|v| format!("{} {}({})", v.status, v.name, v.ty.rust("models")))
                .collect::<Vec<_>>()
                .join(" | "),
        };
        let _ = writeln!(
            out,
            "type {} [{}] {} {{ {} }}",
            t.name, t.rule, t.pointer, detail
        );
    }
    out
}

#[cfg(test)]
mod relative_path_tests {
    use super::relative_path;
    use std::path::Path;

    #[test]
    fn paths_between_directories_of_one_tree() {
        let from = Path::new("/repo/specs/../generated/clerk");
        assert_eq!(
            relative_path(from, Path::new("/repo/specs/../runtime")),
            "../../runtime"
        );
        assert_eq!(relative_path(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(
            relative_path(Path::new("/a/b"), Path::new("/a/b/c/./d")),
            "c/d"
        );
        assert_eq!(
            relative_path(Path::new("out/x"), Path::new("rt")),
            "../../rt"
        );
    }
}
