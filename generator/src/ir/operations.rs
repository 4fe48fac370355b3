//! Operations: parameters, request bodies and success responses, typed through the
//! [`TypeSpace`], with Rust names for methods, arguments and builder setters.

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody,
    Response as OaResponse, StatusCode,
};

use super::model::{
    Body, BodyEncoding, BodyField, BodyInput, HttpMethod, MappingRule, Param, ParamLocation,
    ParamStyle, Presence, Response, ResponseDecode, Status, StatusVariant, TypeKind, TypeRef,
    TypeTable,
};
use super::naming::{pascal, snake, Namespace};
use super::types::TypeSpace;
use crate::diag::{escape_token, Error, Location, Result, Warnings};
use crate::load::{resolve, RefKind};

/// One operation as found in the spec, before it is typed.
#[derive(Debug, Clone)]
pub struct SpecOperation<'s> {
    pub operation_id: String,
    pub method: HttpMethod,
    pub path: &'s str,
    pub op: &'s openapiv3::Operation,
    pub path_params: &'s [ReferenceOr<Parameter>],
    pub pointer: String,
}

/// Every operation of the document, in document order. Operations without an
/// `operationId` get one from their method and path, with a warning.
pub fn spec_operations<'s>(
    file: &Path,
    doc: &'s OpenAPI,
    warnings: &mut Warnings,
) -> Result<Vec<SpecOperation<'s>>> {
    let mut out: Vec<SpecOperation<'s>> = Vec::new();
    let mut seen = BTreeSet::new();
    for (path, item) in &doc.paths.paths {
        let path_ptr = format!("#/paths/{}", escape_token(path));
        if let Err(problem) = check_template(path) {
            return Err(crate::diag::Error::invalid(
                Location::new(file, &path_ptr),
                format!("malformed path template `{path}`: {problem}"),
            ));
        }
        let ReferenceOr::Item(item) = item else {
            warnings.push(
                "unsupported",
                Location::new(file, &path_ptr),
                "path item $ref is not followed; its operations are skipped",
            );
            continue;
        };
        for (method, op) in item.iter() {
            let pointer = format!("{path_ptr}/{method}");
            let operation_id = match &op.operation_id {
                Some(id) => id.clone(),
                None => {
                    let id = snake(&format!("{method} {path}"));
                    warnings.push(
                        "missing-operation-id",
                        Location::new(file, &pointer),
                        format!("no operationId; named `{id}`"),
                    );
                    id
                }
            };
            let operation_id = if seen.contains(&operation_id) {
                // The first keeps its id; a later one gets the first free suffixed form.
                let renamed = (2..)
                    .map(|n| format!("{operation_id}_{n}"))
                    .find(|candidate| !seen.contains(candidate))
                    .unwrap_or_default();
                warnings.push(
                    "duplicate-operation-id",
                    Location::new(file, format!("{pointer}/operationId")),
                    format!("operationId `{operation_id}` is used by an earlier operation too; this one is `{renamed}`"),
                );
                renamed
            } else {
                operation_id
            };
            seen.insert(operation_id.clone());
            let method = HttpMethod::from_path_item_key(method).unwrap_or(HttpMethod::Trace);
            out.push(SpecOperation {
                operation_id,
                method,
                path,
                op,
                path_params: &item.parameters,
                pointer,
            });
        }
    }
    Ok(out)
}

/// Builds the typed parts of one operation.
pub struct OperationBuilder<'a, 'b> {
    pub file: &'a Path,
    pub doc: &'a OpenAPI,
    pub types: &'b mut TypeSpace<'a>,
}

/// The typed parts of an operation.
pub struct Typed {
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    pub errors: Vec<Response>,
}

impl<'a> OperationBuilder<'a, '_> {
    pub fn build(&mut self, so: &SpecOperation<'a>) -> Result<Typed> {
        let stem = pascal(&so.operation_id);
        let mut names = Namespace::with_reserved(super::reserved::REQUEST_BUILDER);
        let params = self.params(so, &stem, &mut names)?;
        let body = match &so.op.request_body {
            Some(rb) => self.body(
                rb,
                &stem,
                &format!("{}/requestBody", so.pointer),
                &mut names,
            )?,
            None => None,
        };
        let (response, errors) = self.responses(so, &stem)?;
        Ok(Typed {
            params,
            body,
            response,
            errors,
        })
    }

    fn params(
        &mut self,
        so: &SpecOperation<'a>,
        stem: &str,
        names: &mut Namespace,
    ) -> Result<Vec<Param>> {
        let all = self.merged_parameters(so)?;

        let mut out = Vec::with_capacity(all.len());
        for name in template_names(so.path) {
            let declared = all.iter().any(|(p, _)| matches!(p, Parameter::Path { parameter_data, .. } if parameter_data.name == name));
            if !declared {
                self.types.warn(
                    "undeclared-path-parameter",
                    &so.pointer,
                    format!("path parameter `{name}` is not declared; taken as a required string"),
                );
                out.push(Param {
                    name: name.to_string(),
                    pointer: so.pointer.clone(),
                    rust_name: names.claim(&snake(name)),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    deprecated: false,
                    doc: None,
                    explode: false,
                    style: ParamStyle::Simple,
                });
            }
        }
        for (p, ptr) in all {
            let data = p.parameter_data_ref();
            if data.name.trim().is_empty() {
                self.types.warn(
                    "unnamed-parameter",
                    &ptr,
                    "a parameter without a name cannot be sent; it is left out",
                );
                continue;
            }
            let (location, explode, style) = match p {
                Parameter::Query { style, .. } => {
                    let style = match style {
                        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        QueryStyle::Form => ParamStyle::Form,
                        QueryStyle::DeepObject => ParamStyle::DeepObject,
                    };
                    (
                        ParamLocation::Query,
                        data.explode
                            .unwrap_or(matches!(style, ParamStyle::Form | ParamStyle::DeepObject)),
                        style,
                    )
                }
                Parameter::Path { .. } => (ParamLocation::Path, false, ParamStyle::Simple),
                // OpenAPI: header parameters named `Accept`, `Content-Type` or
                // `Authorization` SHALL be ignored; the client decides those headers.
                Parameter::Header { .. } if is_client_header(&data.name) => {
                    self.types.warn(
                        "ignored-header-parameter",
                        &ptr,
                        format!("a header parameter named `{}` is ignored, as OpenAPI says: the client sets that header itself", data.name),
                    );
                    continue;
                }
                Parameter::Header { .. } => (ParamLocation::Header, false, ParamStyle::Simple),
                Parameter::Cookie { .. } => (ParamLocation::Cookie, false, ParamStyle::Form),
            };
            let hint = format!("{stem}{}", pascal(&data.name));
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    self.types
                        .type_of(s.into(), &hint, &format!("{ptr}/schema"))
                        .0
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.types.warn(
                        "fallback-type",
                        &ptr,
                        "parameter with `content` is sent as a string",
                    );
                    TypeRef::String
                }
            };
            out.push(Param {
                name: data.name.clone(),
                pointer: ptr.clone(),
                rust_name: names.claim(&snake(&data.name)),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                deprecated: data.deprecated.unwrap_or(false),
                doc: data.description.clone(),
                explode,
                style,
            });
        }
        // Path parameters first, in template order (undeclared ones included).
        let template = template_names(so.path);
        out.sort_by_key(|p| match p.location {
            ParamLocation::Path => template
                .iter()
                .position(|n| *n == p.name)
                .unwrap_or(usize::MAX - 1),
            _ => usize::MAX,
        });
        Ok(out)
    }

    /// The operation's parameters with the path item's, each with its pointer: an
    /// operation parameter overrides a path-item one of the same name and place; path
    /// parameters first, in the order the template names them.
    fn merged_parameters(&self, so: &SpecOperation<'a>) -> Result<Vec<(&'a Parameter, String)>> {
        // Operation parameters override path-item parameters with the same name and place.
        let mut all: Vec<(&'a Parameter, String)> = Vec::new();
        let path_ptr = so
            .pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        for (i, p) in so.path_params.iter().enumerate() {
            all.push(self.parameter(p, &format!("{path_ptr}/parameters/{i}"))?);
        }
        for (i, p) in so.op.parameters.iter().enumerate() {
            let (param, ptr) = self.parameter(p, &format!("{}/parameters/{i}", so.pointer))?;
            let data = param.parameter_data_ref();
            all.retain(|(q, _)| {
                let d = q.parameter_data_ref();
                !(d.name == data.name
                    && std::mem::discriminant(*q) == std::mem::discriminant(param))
            });
            all.push((param, ptr));
        }
        // Path parameters first, in the order the template names them.
        let position = |p: &Parameter| match p {
            Parameter::Path { parameter_data, .. } => so
                .path
                .find(&format!("{{{}}}", parameter_data.name))
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        };
        all.sort_by_key(|(p, _)| (!matches!(p, Parameter::Path { .. }), position(p)));
        Ok(all)
    }

    fn parameter(
        &self,
        p: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<(&'a Parameter, String)> {
        let components = self.doc.components.as_ref().map(|c| &c.parameters);
        resolve(p, RefKind::Parameters, components, pointer)
            .ok_or_else(|| self.dangling(p, pointer))
    }

    /// The error for a `$ref` that does not lead to a component of the expected kind.
    fn dangling<T>(&self, item: &ReferenceOr<T>, pointer: &str) -> Error {
        let target = match item {
            ReferenceOr::Reference { reference } => reference.clone(),
            ReferenceOr::Item(_) => String::new(),
        };
        Error::DanglingRef {
            at: Location::new(self.file, format!("{pointer}/$ref")),
            target,
        }
    }

    fn body(
        &mut self,
        rb: &'a ReferenceOr<RequestBody>,
        stem: &str,
        pointer: &str,
        names: &mut Namespace,
    ) -> Result<Option<Body>> {
        let components = self.doc.components.as_ref().map(|c| &c.request_bodies);
        let (rb, pointer) = resolve(rb, RefKind::RequestBodies, components, pointer)
            .ok_or_else(|| self.dangling(rb, pointer))?;
        // JSON when offered, then form, then multipart; anything else is passed through raw.
        let preferred = pick_media(&rb.content, is_json)
            .or_else(|| pick_media(&rb.content, is_form))
            .or_else(|| pick_media(&rb.content, is_multipart))
            .or_else(|| rb.content.first());
        let Some((media_type, content)) = preferred else {
            return Ok(None);
        };
        let content_ptr = format!("{pointer}/content/{}", escape_token(media_type));
        let schema_pointer = content
            .schema
            .as_ref()
            .map(|_| format!("{content_ptr}/schema"));
        let encoding = if is_json(media_type) {
            Some(BodyEncoding::Json)
        } else if is_form(media_type) {
            Some(BodyEncoding::Form)
        } else if is_multipart(media_type) {
            Some(BodyEncoding::Multipart)
        } else {
            None
        };
        let (encoding, ty, flattened) = if let Some(encoding) = encoding {
            let ty = match &content.schema {
                Some(s) => self.types.type_of_nullable(
                    s.into(),
                    &format!("{stem}Body"),
                    &format!("{content_ptr}/schema"),
                ),
                None => TypeRef::Json,
            };
            // An object body is flattened into the builder: its required fields become
            // arguments, the others setters. (A valid body is always a valid request,
            // even where the spec lets the body be left out.)
            let flattened = self.types.struct_fields(&ty).is_some();
            self.types.mark_request_type(&ty);
            if encoding == BodyEncoding::Multipart && !flattened {
                self.types.warn(
                    "raw-body",
                    &content_ptr,
                    "a multipart body that is not an object is passed through raw",
                );
                (BodyEncoding::Raw, TypeRef::Bytes, false)
            } else {
                (encoding, ty, flattened)
            }
        } else {
            self.types.warn(
                "raw-body",
                &content_ptr,
                format!("`{media_type}` bodies are not encoded by the client yet; the caller passes the encoded bytes"),
            );
            (BodyEncoding::Raw, TypeRef::Bytes, false)
        };
        let input = match self.types.struct_fields(&ty) {
            Some(fields) if flattened => BodyInput::Fields(
                fields
                    .iter()
                    .map(|f| {
                        let constant = f.required() && self.types.single_value(&f.ty).is_some();
                        BodyField {
                            field: f.name.clone(),
                            setter: names.claim(&f.name),
                            wire_name: f.wire_name.clone(),
                            ty: f.ty.clone(),
                            argument: f.presence == Presence::Required && !constant,
                            presence: f.presence,
                            constant,
                            deprecated: f.deprecated,
                            doc: f.doc.clone(),
                        }
                    })
                    .collect(),
            ),
            // `body` is reserved in the builder's namespace: no parameter or field takes it.
            _ => BodyInput::Whole {
                setter: "body".into(),
            },
        };
        Ok(Some(Body {
            media_type: media_type.clone(),
            schema_pointer,
            encoding,
            ty,
            required: rb.required,
            doc: rb.description.clone(),
            input,
            alternatives: rb
                .content
                .keys()
                .filter(|m| *m != media_type)
                .cloned()
                .collect(),
        }))
    }

    /// The success response and every error response. Successes are the 2XX responses,
    /// else the 3XX ones (the operation answers with a redirect, [`ResponseDecode::Redirect`]),
    /// else `default`; a redirect beside a 2XX is an error response of the call. When they all have one body type (or none), that is the type, an
    /// `Option` when some success has no body; when their bodies differ, the type is an
    /// enum with a variant per status ([`TypeKind::Statuses`]).
    fn responses(
        &mut self,
        so: &SpecOperation<'a>,
        stem: &str,
    ) -> Result<(Response, Vec<Response>)> {
        let responses = &so.op.responses;
        let base = format!("{}/responses", so.pointer);
        let mut successes: Vec<(Status, &'a ReferenceOr<OaResponse>)> = Vec::new();
        let mut errors = Vec::new();
        for (code, r) in &responses.responses {
            let status = match *code {
                StatusCode::Code(c) => Status::Code(c),
                StatusCode::Range(class) => Status::Class(class.min(9) as u8),
            };
            match status {
                Status::Code(200..=299) | Status::Class(2) => successes.push((status, r)),
                _ => errors.push((status, r)),
            }
        }
        let redirects: Vec<Status> = match successes.is_empty() {
            true => errors
                .iter()
                .map(|(s, _)| *s)
                .filter(|s| s.is_redirect())
                .collect(),
            false => Vec::new(),
        };
        errors.retain(|(s, _)| !redirects.contains(s));
        if let Some(d) = &responses.default {
            if successes.is_empty() && redirects.is_empty() {
                successes.push((Status::Default, d));
            } else {
                errors.push((Status::Default, d));
            }
        }
        let mut resolved = Vec::with_capacity(successes.len());
        for (status, r) in successes {
            let (r, ptr) = self.response(r, &format!("{base}/{status}"))?;
            resolved.push((status, r, ptr));
        }
        // Several bodies: each inline one is named after its status.
        let with_body = resolved
            .iter()
            .filter(|(_, r, _)| !r.content.is_empty())
            .count();
        let mut typed = Vec::with_capacity(resolved.len());
        for (status, r, ptr) in resolved {
            let hint = match with_body > 1 {
                true => format!("{stem}Response{}", status_variant(&status)),
                false => format!("{stem}Response"),
            };
            typed.push(self.typed_response(status, r, &hint, &ptr));
        }
        let response = match redirects.first() {
            Some(status) => redirect_response(*status, &redirects),
            None => self.success_response(so, stem, typed),
        };
        let mut typed_errors = Vec::with_capacity(errors.len());
        for (status, r) in errors {
            let (r, ptr) = self.response(r, &format!("{base}/{status}"))?;
            let hint = format!("{stem}Error{status}");
            typed_errors.push(self.typed_response(status, r, &hint, &ptr));
        }
        Ok((response, typed_errors))
    }

    /// The one success response of the operation, from each success status's.
    fn success_response(
        &mut self,
        so: &SpecOperation<'a>,
        stem: &str,
        mut typed: Vec<Response>,
    ) -> Response {
        let mut bodies: Vec<&TypeRef> = typed
            .iter()
            .filter(|r| r.decode != ResponseDecode::Empty)
            .map(|r| &r.ty)
            .collect();
        bodies.dedup();
        match bodies.len() {
            0 if typed.is_empty() => Response {
                status: Status::Class(2),
                schema_pointer: None,
                ty: TypeRef::Unit,
                decode: ResponseDecode::Empty,
                media_type: None,
                doc: None,
            },
            0 => typed.swap_remove(0),
            1 => {
                let some_empty = typed.iter().any(|r| r.decode == ResponseDecode::Empty);
                let i = typed
                    .iter()
                    .position(|r| r.decode != ResponseDecode::Empty)
                    .unwrap_or(0);
                let mut response = typed.swap_remove(i);
                if some_empty && response.decode == ResponseDecode::Json {
                    response.decode = ResponseDecode::JsonOrEmpty;
                    if !matches!(response.ty, TypeRef::Option(_)) {
                        response.ty = TypeRef::Option(Box::new(response.ty));
                    }
                }
                response
            }
            _ => self.statuses_response(so, stem, typed),
        }
    }

    /// An enum of the success responses, a variant per status.
    fn statuses_response(
        &mut self,
        so: &SpecOperation<'a>,
        stem: &str,
        typed: Vec<Response>,
    ) -> Response {
        let media_type = typed.iter().find_map(|r| r.media_type.clone());
        let variants = typed
            .into_iter()
            .map(|r| StatusVariant {
                name: status_variant(&r.status),
                doc: r.doc,
                status: r.status,
                ty: r.ty,
                decode: r.decode,
            })
            .collect();
        let doc = format!(
            "The success responses of `{}`, one variant per status; a success status the document does not list is `Other`.",
            so.operation_id
        );
        let name = self.types.define_extra(
            &format!("{stem}Response"),
            &format!("{}/responses", so.pointer),
            MappingRule::SuccessStatuses,
            Some(doc),
            TypeKind::Statuses { variants },
        );
        Response {
            status: Status::Class(2),
            schema_pointer: None,
            ty: TypeRef::Named(name),
            decode: ResponseDecode::ByStatus,
            media_type,
            doc: None,
        }
    }

    fn response(
        &self,
        r: &'a ReferenceOr<OaResponse>,
        pointer: &str,
    ) -> Result<(&'a OaResponse, String)> {
        let components = self.doc.components.as_ref().map(|c| &c.responses);
        resolve(r, RefKind::Responses, components, pointer).ok_or_else(|| self.dangling(r, pointer))
    }

    /// A response typed by its JSON schema; an inline schema is named after the response
    /// component it belongs to, else with `hint`.
    fn typed_response(
        &mut self,
        status: Status,
        r: &'a OaResponse,
        hint: &str,
        pointer: &str,
    ) -> Response {
        let doc = Some(r.description.clone()).filter(|d| !d.trim().is_empty());
        let hint = match pointer.strip_prefix("#/components/responses/") {
            Some(name) => format!("{}Response", pascal(&crate::diag::unescape_token(name))),
            None => hint.to_string(),
        };
        // JSON, or a wildcard (`*/*`) with a schema that is not a file: the client asks
        // for JSON and decodes it.
        let json = pick_media(&r.content, is_json).or_else(|| {
            pick_media(&r.content, is_wildcard).filter(|(_, m)| {
                m.schema
                    .as_ref()
                    .and_then(|s| s.as_item())
                    .is_some_and(|s| !is_binary(s))
                    || matches!(&m.schema, Some(ReferenceOr::Reference { .. }))
            })
        });
        if let Some((mt, m)) = json {
            let schema_pointer = format!("{pointer}/content/{}/schema", escape_token(mt));
            let ty = match &m.schema {
                Some(s) => self
                    .types
                    .type_of_nullable(s.into(), &hint, &schema_pointer),
                None => TypeRef::Json,
            };
            let schema_pointer = m.schema.as_ref().map(|_| schema_pointer);
            let media_type = match is_wildcard(mt) {
                true => "application/json".to_string(),
                false => essence(mt).to_string(),
            };
            return Response {
                status,
                schema_pointer,
                ty,
                decode: ResponseDecode::Json,
                media_type: Some(media_type),
                doc,
            };
        }
        let (ty, decode) = match r.content.first() {
            Some((mt, _)) if mt.starts_with("text/") => (TypeRef::String, ResponseDecode::Text),
            Some(_) => (TypeRef::Bytes, ResponseDecode::Bytes),
            None => (TypeRef::Unit, ResponseDecode::Empty),
        };
        // A file (`format: binary`) or text (`type: string`) schema is exactly what bytes
        // or text are: only a schema that wanted a typed value is worth a warning.
        let wanted_type = |m: &MediaType| match &m.schema {
            Some(ReferenceOr::Item(s)) => !is_binary(s) && !is_plain_string(s),
            Some(ReferenceOr::Reference { .. }) => true,
            None => false,
        };
        if let Some((mt, _)) = r.content.first().filter(|(_, m)| wanted_type(m)) {
            self.types.warn(
                "non-json-response",
                pointer,
                format!(
                    "the response is `{mt}` only, which the client does not decode: returned as {}",
                    if decode == ResponseDecode::Text {
                        "text"
                    } else {
                        "bytes"
                    }
                ),
            );
        }
        Response {
            status,
            schema_pointer: None,
            ty,
            decode,
            media_type: r.content.first().map(|(mt, _)| essence(mt).to_string()),
            doc,
        }
    }
}

/// Whether a path template's braces pair up around non-empty names (`/a/{b}/c`), none
/// nested or left open.
fn check_template(path: &str) -> std::result::Result<(), &'static str> {
    let mut open = false;
    let mut name_len = 0;
    for c in path.chars() {
        match (c, open) {
            ('{', true) => return Err("a `{` inside a parameter name"),
            ('{', false) => {
                open = true;
                name_len = 0;
            }
            ('}', false) => return Err("a `}` with no `{` before it"),
            ('}', true) if name_len == 0 => return Err("an empty parameter name `{}`"),
            ('}', true) => open = false,
            (_, true) => name_len += 1,
            (_, false) => {}
        }
    }
    if open {
        Err("a `{` that is never closed")
    } else {
        Ok(())
    }
}

/// The `{name}` placeholders of a path template, in order.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or("").trim()
}

fn is_form(media_type: &str) -> bool {
    essence(media_type) == "application/x-www-form-urlencoded"
}

fn is_multipart(media_type: &str) -> bool {
    essence(media_type) == "multipart/form-data"
}

/// The headers OpenAPI says a header parameter may not set: the client decides them.
fn is_client_header(name: &str) -> bool {
    ["accept", "content-type", "authorization"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The variant of a success status: its reason phrase (`201` -> `Created`).
fn status_variant(status: &Status) -> String {
    let phrase = match status {
        Status::Code(200) => "Ok",
        Status::Code(201) => "Created",
        Status::Code(202) => "Accepted",
        Status::Code(203) => "NonAuthoritativeInformation",
        Status::Code(204) => "NoContent",
        Status::Code(205) => "ResetContent",
        Status::Code(206) => "PartialContent",
        Status::Code(207) => "MultiStatus",
        Status::Code(208) => "AlreadyReported",
        Status::Code(226) => "ImUsed",
        Status::Class(2) => "Success",
        Status::Default => "Default",
        other => return format!("Status{other}"),
    };
    phrase.to_string()
}

/// `*/*` or `application/*`: the server may answer in any (application) media type.
fn is_wildcard(media_type: &str) -> bool {
    matches!(essence(media_type), "*/*" | "application/*")
}

/// A schema for file content (`type: string, format: binary`).
fn is_binary(schema: &openapiv3::Schema) -> bool {
    matches!(
        &schema.schema_kind,
        openapiv3::SchemaKind::Type(openapiv3::Type::String(s))
            if matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
    )
}

/// A schema of plain text (`type: string`, no format, no enum).
fn is_plain_string(schema: &openapiv3::Schema) -> bool {
    matches!(
        &schema.schema_kind,
        openapiv3::SchemaKind::Type(openapiv3::Type::String(s))
            if s.enumeration.is_empty() && matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Empty)
    )
}

fn pick_media(
    content: &indexmap::IndexMap<String, MediaType>,
    pred: fn(&str) -> bool,
) -> Option<(&String, &MediaType)> {
    content.iter().find(|(k, _)| pred(k))
}

/// The answer of an operation whose only non-error statuses are redirects (`statuses`, the
/// first of them named as its status).
fn redirect_response(first: Status, statuses: &[Status]) -> Response {
    let statuses: Vec<String> = statuses.iter().map(Status::to_string).collect();
    Response {
        status: first,
        schema_pointer: None,
        ty: TypeRef::Redirect,
        decode: ResponseDecode::Redirect,
        media_type: None,
        doc: Some(format!(
            "The API answers with a redirect ({}): its status and `Location`, not followed.",
            statuses.join(", ")
        )),
    }
}
