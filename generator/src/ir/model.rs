//! The IR as plain data: what `ir --format json` prints and what the emitter reads.
//! Every Rust name in here is final; the emitter never renames anything.

mod inputs;
mod type_defs;

use serde::Serialize;

pub use inputs::{Input, InputOf, Slot, Start};
pub use type_defs::*;

/// A whole API, ready to emit.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// The generated crate's package name.
    pub crate_name: String,
    /// Its library's name, as Rust code names the crate (`clerk` for `clerk-backend` when
    /// the manifest says so; else the package name with `_` for `-`).
    pub lib_name: String,
    /// Its version.
    pub crate_version: String,
    /// What the crate's `Cargo.toml` and file headers say besides name and version.
    pub package: Package,
    /// The document's `info.title`.
    pub title: String,
    /// Its `info.version`.
    pub api_version: String,
    /// The header every request names `api_version` in (a manifest option), if any.
    pub api_version_header: Option<String>,
    /// Its `info.description`.
    pub description: Option<String>,
    /// The first server URL with its variables substituted.
    pub base_url: String,
    /// The first server URL's variables (`https://{domain}.example.com`), in the
    /// document's order: the client builder sets each. Empty when it has none.
    pub server_variables: Vec<ServerVariable>,
    /// The first server URL as written, with its `{variables}` (when it has any).
    pub server_template: Option<String>,
    /// The security schemes requests can use, in the document's order.
    pub auth: Vec<AuthScheme>,
    /// Decode closed objects (`additionalProperties: false`) strictly.
    pub strict: bool,
    /// The retry policy the spec recommends (`x-speakeasy-retries`), if any.
    pub retry: Option<RetryConfig>,
    /// The environment variable `Client::from_env` reads; `None` when the client has no
    /// `from_env` (the manifest's `from_env = false`).
    pub credentials_env: Option<String>,
    /// The environment variable `from_env` reads another base URL from, when the manifest
    /// names one.
    pub base_url_env: Option<String>,
    /// Hand-written modules the crate carries as they are, in the manifest's order.
    pub extensions: Vec<ExtensionModule>,
    /// The shared runtime crate the crate depends on, when the manifest names one; else
    /// the crate carries its own copy of the runtime's modules.
    pub runtime: Option<RuntimeDependency>,
    /// The schema most error responses use: what `ApiError::body` decodes into.
    pub error_body: Option<TypeRef>,
    /// The modules operations are grouped into, in output order.
    pub modules: Vec<Module>,
    /// Every operation, sorted by operationId, so that [`Api::operation`] finds one by
    /// binary search (modules list theirs in output order).
    pub operations: Vec<Operation>,
    /// Sorted by name, so that [`TypeTable`] finds them by binary search.
    pub types: Vec<TypeDef>,
    /// The events the API sends to webhook endpoints, in document order.
    pub webhooks: Vec<Webhook>,
    /// The enum of every webhook event (a `Tagged` type in `types`), when the events can
    /// be told apart.
    pub event_type: Option<String>,
    /// How deliveries are signed, when the crate verifies them (a manifest option; needs
    /// the event enum).
    pub webhook_signing: Option<WebhookSigning>,
}

/// The `clerkgen-runtime` crate as a dependency of the generated crate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuntimeDependency {
    /// Its directory, relative to the generated crate's (`../../runtime`).
    pub path: String,
    /// Its version: the generator's, which it is released with.
    pub version: String,
}

/// A hand-written module of the crate: `pub mod <name>`, its source copied as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtensionModule {
    /// The module's name (the file's stem).
    pub name: String,
    /// The file it comes from, as the manifest names it.
    pub file: String,
    /// Its Rust source.
    #[serde(skip)]
    pub source: String,
}

/// How webhook deliveries are signed, and where the verifier finds its secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookSigning {
    /// The signature scheme.
    pub scheme: WebhookSignature,
    /// The environment variable `Webhook::from_env` reads, if the manifest names one.
    pub secret_env: Option<String>,
}

/// A scheme for signing webhook deliveries: manifest vocabulary, which the IR carries.
pub use crate::manifest::WebhookSignature;

/// The generated crate's package: its description and Cargo metadata, and the file name of
/// the document it came from (named in every file's header).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    /// The crate's description.
    pub description: String,
    /// The file name of the OpenAPI document.
    pub source_file: String,
    /// License, repository, keywords and the like.
    #[serde(flatten)]
    pub metadata: crate::manifest::CrateMetadata,
}

/// A variable of the server URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerVariable {
    /// Its name in the URL template (`domain` for `{domain}`).
    pub name: String,
    /// Its client builder setter.
    pub setter: String,
    /// Its default value.
    pub default: String,
    /// Its description.
    pub description: Option<String>,
    /// The values it may take (`enum`), if the document limits them.
    pub allowed: Vec<String>,
}

/// One webhook: an event the API sends, and the type of its payload.
#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    /// The webhook's name in the document (`user.created`): its tag value when the
    /// manifest names the tag property.
    pub name: String,
    /// The webhook's operation (`#/x-webhooks/user.created/post`).
    pub pointer: String,
    /// Its description (or summary).
    pub doc: Option<String>,
    /// Whether the document deprecates it.
    pub deprecated: bool,
    /// The variant of the event enum (`UserCreated`).
    pub variant: String,
    /// The type of its payload.
    pub payload: TypeRef,
}

/// How requests authenticate (from `securitySchemes`). OAuth 2 and OpenID Connect
/// schemes are `Bearer`: the caller brings the access token.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// The scheme's name in `components.securitySchemes`.
        name: String,
        /// The client builder's setter of this scheme's credential.
        setter: String,
        /// The scheme's description.
        description: Option<String>,
    },
    /// `Authorization: Basic <user:password>`.
    Basic {
        /// The scheme's name in `components.securitySchemes`.
        name: String,
        /// The client builder's setter of this scheme's credential.
        setter: String,
        /// The scheme's description.
        description: Option<String>,
    },
    /// A key sent in a header, a query parameter or a cookie.
    ApiKey {
        /// The scheme's name in `components.securitySchemes`.
        name: String,
        /// The client builder's setter of this scheme's credential.
        setter: String,
        /// Where the key goes.
        location: ParamLocation,
        /// The header, parameter or cookie that carries it.
        param: String,
        /// The scheme's description.
        description: Option<String>,
    },
}

impl AuthScheme {
    /// The scheme's name in `components.securitySchemes`.
    pub fn name(&self) -> &str {
        match self {
            AuthScheme::Bearer { name, .. }
            | AuthScheme::Basic { name, .. }
            | AuthScheme::ApiKey { name, .. } => name,
        }
    }

    /// The client builder's setter of this scheme's credential (`dev_browser`).
    pub fn setter(&self) -> &str {
        match self {
            AuthScheme::Bearer { setter, .. }
            | AuthScheme::Basic { setter, .. }
            | AuthScheme::ApiKey { setter, .. } => setter,
        }
    }

    /// The scheme's description in the document.
    pub fn description(&self) -> Option<&str> {
        match self {
            AuthScheme::Bearer { description, .. }
            | AuthScheme::Basic { description, .. }
            | AuthScheme::ApiKey { description, .. } => description.as_deref(),
        }
    }
}

/// A backoff retry policy, as a spec describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetryConfig {
    /// The first wait, in milliseconds.
    pub initial_interval_ms: u64,
    /// The longest wait, in milliseconds.
    pub max_interval_ms: u64,
    /// How long to keep trying, in milliseconds.
    pub max_elapsed_ms: u64,
    /// What each wait is multiplied by.
    pub exponent: f64,
    /// Statuses retried: exact codes (`503`) or classes (`5XX`).
    pub status_codes: Vec<String>,
    /// Whether a failed connection is retried.
    pub connection_errors: bool,
}

/// A group of operations: one capability file, or one tag/group for the rest.
#[derive(Debug, Clone, Serialize)]
pub struct Module {
    /// The Rust module name (`instance_settings`).
    pub name: String,
    /// The accessor on `Client` (`client.instance_settings()`), the same as `name`.
    pub accessor: String,
    /// The struct the accessor returns (`InstanceSettingsApi`).
    pub api_struct: String,
    /// Its title (the capability's label, or the tag).
    pub title: String,
    /// Its description.
    pub doc: Option<String>,
    /// Where it comes from.
    pub source: ModuleSource,
    /// operationIds, in declaration order.
    pub operations: Vec<String>,
    /// The operations among `operations` that no capability file names (grouped here by
    /// their tag or `x-speakeasy-group`).
    pub unnamed: Vec<String>,
    /// For workflow capabilities: the modules they re-export.
    pub imports: Vec<String>,
}

/// Where a module comes from.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModuleSource {
    /// A capability file.
    Capability {
        /// Its path, as the manifest names it.
        file: String,
    },
    /// A tag (or `x-speakeasy-group`) of operations no capability file names.
    Tag {
        /// The tag.
        tag: String,
    },
}

/// An operation's HTTP method; written in capitals (`GET`) in the IR's JSON and in docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// The method of a path item's key (`get`, `post`, ...), `None` for another key.
    pub fn from_path_item_key(key: &str) -> Option<HttpMethod> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    /// The method as HTTP writes it (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for HttpMethod {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One HTTP operation.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// Its operationId.
    pub operation_id: String,
    /// Its HTTP method.
    pub method: HttpMethod,
    /// Its path template (`/users/{user_id}`).
    pub path: String,
    /// The module it belongs to.
    pub module: String,
    /// The method on the module's API struct (`update_instance`).
    pub rust_name: String,
    /// The request builder the method returns (`UpdateInstanceRequest`).
    pub builder: String,
    /// Its summary.
    pub summary: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Whether the document deprecates it.
    pub deprecated: bool,
    /// Where the operation sits in the spec (`#/paths/~1instance/patch`).
    pub pointer: String,
    /// Its parameters, path ones first in path order.
    pub params: Vec<Param>,
    /// Its request body, if it takes one.
    pub body: Option<Body>,
    /// What a success answers.
    pub response: Response,
    /// The error responses (4XX, 5XX, `default` after a success), in spec order.
    pub errors: Vec<Response>,
    /// Whether requests carry credentials (`security: []` turns this off).
    pub authenticated: bool,
    /// The security requirements, any one of which the operation accepts: each the names
    /// of the [`AuthScheme`]s it sends together (an empty one: no credentials at all).
    pub security: Vec<Vec<String>>,
    /// How the operation's results can be walked page by page, when they can.
    pub pagination: Option<Pagination>,
}

/// Offset pagination: the pager advances the offset parameter by the number of items
/// each page held, and stops at an empty page or once the total is reached.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// The offset the operation takes, if any (then `pages()` walks by offset, and a
    /// cursor, if any, by `pages_after()`; without one, `pages()` walks by cursor).
    pub offset: Option<PageOffset>,
    /// The response field holding the items; `None` when the response is the array.
    pub items_field: Option<String>,
    /// The response field holding the total number of items, if any.
    pub total: Option<PageTotal>,
    /// The type of one item.
    pub item: TypeRef,
    /// A cursor the operation also takes: the id of the last item received.
    pub cursor: Option<PageCursor>,
}

/// Offset pagination: a numeric query parameter advanced by the items received.
#[derive(Debug, Clone, Serialize)]
pub struct PageOffset {
    /// The query parameter (wire name) and its builder field.
    pub param: String,
    /// The builder field that sets it.
    pub field: String,
    /// Its type (an integer, or a number in some specs).
    pub ty: TypeRef,
}

/// Cursor pagination: a query parameter that takes the id of the last item received.
#[derive(Debug, Clone, Serialize)]
pub struct PageCursor {
    /// The query parameter (wire name).
    pub param: String,
    /// The item's id field (Rust name), a required string.
    pub item_id: String,
}

/// The field of a page holding the total number of items.
#[derive(Debug, Clone, Serialize)]
pub struct PageTotal {
    /// The field (Rust name).
    pub field: String,
    /// An integer or number type.
    pub ty: TypeRef,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// Where a parameter or an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// A path, query, header or cookie parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// The parameter object (`#/paths/~1users/get/parameters/0`, or a component).
    pub pointer: String,
    /// The Rust argument or builder-setter name.
    pub rust_name: String,
    /// Where it is sent.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the operation requires it (then it is a method argument).
    pub required: bool,
    /// Whether the document deprecates it.
    pub deprecated: bool,
    /// Its description.
    pub doc: Option<String>,
    /// For arrays in the query: repeat the key (`true`) or join the items (`false`).
    pub explode: bool,
    /// How the value is written (`style`); what joins an unexploded array's items follows
    /// from it ([`ParamStyle::separator`]).
    pub style: ParamStyle,
}

/// What joins the items of an array parameter that is not exploded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// `,`: form and simple styles.
    Comma,
    /// ` `: spaceDelimited.
    Space,
    /// `|`: pipeDelimited.
    Pipe,
}

impl Separator {
    /// The character, as text.
    pub fn as_str(self) -> &'static str {
        match self {
            Separator::Comma => ",",
            Separator::Space => " ",
            Separator::Pipe => "|",
        }
    }
}

impl ParamStyle {
    /// What joins an unexploded array's items in this style.
    pub fn separator(self) -> Separator {
        match self {
            ParamStyle::SpaceDelimited => Separator::Space,
            ParamStyle::PipeDelimited => Separator::Pipe,
            ParamStyle::Form | ParamStyle::DeepObject | ParamStyle::Simple => Separator::Comma,
        }
    }
}

/// How a parameter's value is written (OpenAPI's `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamStyle {
    /// `name=value`; an exploded object is one pair per property (`status=open&limit=1`).
    Form,
    /// An array's items joined by spaces.
    SpaceDelimited,
    /// An array's items joined by `|`.
    PipeDelimited,
    /// An object as bracketed keys: `filter[status]=open&filter[tags][0]=a`.
    DeepObject,
    /// Path and header values: the value itself, list items joined by commas.
    Simple,
}

/// The request body.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    /// The media type sent (`application/json`).
    pub media_type: String,
    /// The body's schema, when it has one.
    pub schema_pointer: Option<String>,
    /// How the client encodes it.
    pub encoding: BodyEncoding,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the operation requires it.
    pub required: bool,
    /// Its description.
    pub doc: Option<String>,
    /// How the builder takes it.
    pub input: BodyInput,
    /// The other media types the operation accepts, in spec order: the caller sends one
    /// of them with `raw_body`, encoding it themselves.
    pub alternatives: Vec<String>,
}

/// How the request builder takes a body; the IR's JSON writes `{"fields": [...]}` or
/// `{"whole": {"setter": ...}}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyInput {
    /// An object body, set field by field: each field a required argument or an optional
    /// setter.
    Fields(Vec<BodyField>),
    /// The body as one value, by this argument (when required) or setter.
    Whole {
        /// The argument's or setter's name.
        setter: String,
    },
}

impl Body {
    /// Whether the body is set field by field.
    pub fn is_flattened(&self) -> bool {
        matches!(self.input, BodyInput::Fields(_))
    }

    /// The fields of a body set field by field; none for a whole body.
    pub fn fields(&self) -> &[BodyField] {
        self.input.fields()
    }
}

impl BodyInput {
    /// The fields, when the body is set field by field; none for a whole body.
    pub fn fields(&self) -> &[BodyField] {
        match self {
            BodyInput::Fields(fields) => fields,
            BodyInput::Whole { .. } => &[],
        }
    }
}

/// One field of a flattened body: a required argument or an optional builder setter.
#[derive(Debug, Clone, Serialize)]
pub struct BodyField {
    /// The field in the body struct.
    pub field: String,
    /// The argument or setter name (differs from `field` only on a collision).
    pub setter: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Taken as a method argument (required and not nullable).
    pub argument: bool,
    /// Whether it may be left out or sent as `null`.
    pub presence: Presence,
    /// Filled in by the builder: a required field whose type has a single value.
    pub constant: bool,
    /// Whether the document deprecates it.
    pub deprecated: bool,
    /// Its description.
    pub doc: Option<String>,
}

/// How the client encodes a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: files as parts with their name and content type.
    Multipart,
    /// Not encoded by the client: the caller passes the bytes and the content type.
    Raw,
}

/// The status a response is declared under: a code, a class (`4XX`) or `default`. Written
/// as the document writes it (`404`, `4XX`, `default`) in the IR's JSON, docs and code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// Every status of a class: `4` for `4XX`.
    Class(u8),
    /// `default`.
    Default,
}

impl Status {
    /// `default`: every status the operation declares no other response for.
    pub fn is_default(self) -> bool {
        self == Status::Default
    }

    /// A 3XX code or the 3XX class.
    pub fn is_redirect(self) -> bool {
        matches!(self, Status::Code(300..=399) | Status::Class(3))
    }

    /// The code, for a single status.
    pub fn code(self) -> Option<u16> {
        match self {
            Status::Code(c) => Some(c),
            _ => None,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(c) => write!(f, "{c}"),
            Status::Class(c) => write!(f, "{c}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A response of an operation: its status and what its body decodes into.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// The status the type comes from (`200`, `201`, `204`, `2XX`, `default`, ...).
    pub status: Status,
    /// The response's schema, when it has one.
    pub schema_pointer: Option<String>,
    /// What its body decodes into.
    pub ty: TypeRef,
    /// How its body is decoded.
    pub decode: ResponseDecode,
    /// The media type the client asks for (`Accept`) and decodes, when the response has a
    /// body.
    pub media_type: Option<String>,
    /// Its description.
    pub doc: Option<String>,
}

/// How a response body is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseDecode {
    /// As JSON.
    Json,
    /// JSON from one success status, nothing from another (`200` with a body, `204`
    /// without): the type is an `Option`, `None` for an empty body.
    JsonOrEmpty,
    /// As text.
    Text,
    /// Kept as bytes.
    Bytes,
    /// Not at all: the response has no body.
    Empty,
    /// Several success statuses with different bodies: the type is a
    /// [`TypeKind::Statuses`] enum, decoded by status.
    ByStatus,
    /// The operation answers with a redirect (its only non-error statuses are 3XX): the
    /// answer is the redirect itself, its status and `Location`, never followed
    /// ([`TypeRef::Redirect`]).
    Redirect,
}

impl Api {
    /// Rewrites every JSON pointer the IR holds (the load stage moved some schemas: their
    /// pointers are put back where the user wrote them).
    pub(crate) fn map_pointers(&mut self, f: impl Fn(&str) -> Option<String>) {
        let fix = |p: &mut String| {
            if let Some(new) = f(p) {
                *p = new;
            }
        };
        for t in &mut self.types {
            fix(&mut t.pointer);
            t.also_at.iter_mut().for_each(fix);
            if let TypeKind::Struct { fields, .. } = &mut t.kind {
                fields.iter_mut().for_each(|field| fix(&mut field.pointer));
            }
        }
        for op in &mut self.operations {
            fix(&mut op.pointer);
            op.params.iter_mut().for_each(|p| fix(&mut p.pointer));
            if let Some(body) = &mut op.body {
                body.schema_pointer.iter_mut().for_each(fix);
            }
            for r in std::iter::once(&mut op.response).chain(&mut op.errors) {
                r.schema_pointer.iter_mut().for_each(fix);
            }
        }
        self.webhooks.iter_mut().for_each(|w| fix(&mut w.pointer));
    }

    /// The operation with this operationId.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations
            .binary_search_by(|o| o.operation_id.as_str().cmp(id))
            .ok()
            .map(|i| &self.operations[i])
    }
}

/// `types` are sorted by name (`TypeSpace::into_types` sorts them).
impl TypeTable for Api {
    fn type_def(&self, name: &str) -> Option<&TypeDef> {
        type_defs::find_sorted(&self.types, name)
    }

    fn type_count(&self) -> usize {
        self.types.len()
    }
}
