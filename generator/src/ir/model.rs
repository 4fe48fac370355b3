//! The IR as plain data: what `ir --format json` prints and what the emitter reads.
//! Every Rust name in here is final; the emitter never renames anything.

use serde::Serialize;

/// A whole API, ready to emit.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    pub crate_name: String,
    pub crate_version: String,
    /// What the crate's `Cargo.toml` and file headers say besides name and version.
    pub package: Package,
    /// The spec's `info.title`, `info.version` and `info.description`.
    pub title: String,
    pub api_version: String,
    /// The header every request names `api_version` in (a manifest option), if any.
    pub api_version_header: Option<String>,
    pub description: Option<String>,
    /// The first server URL with its variables substituted.
    pub base_url: String,
    /// The first server URL's variables (`https://{domain}.example.com`), in the
    /// document's order: the client builder sets each. Empty when it has none.
    pub server_variables: Vec<ServerVariable>,
    /// The first server URL as written, with its `{variables}` (when it has any).
    pub server_template: Option<String>,
    pub auth: Vec<AuthScheme>,
    /// Decode closed objects (`additionalProperties: false`) strictly.
    pub strict: bool,
    /// The retry policy the spec recommends (`x-speakeasy-retries`), if any.
    pub retry: Option<RetryConfig>,
    /// The environment variable `Client::from_env` reads; `None` when the client has no
    /// `from_env` (the manifest's `from_env = false`).
    pub credentials_env: Option<String>,
    /// Hand-written modules the crate carries as they are, in the manifest's order.
    pub extensions: Vec<ExtensionModule>,
    /// The shared runtime crate the crate depends on, when the manifest names one; else
    /// the crate carries its own copy of the runtime's modules.
    pub runtime: Option<RuntimeDependency>,
    /// The schema most error responses use: what `ApiError::body` decodes into.
    pub error_body: Option<TypeRef>,
    pub modules: Vec<Module>,
    pub operations: Vec<Operation>,
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
    pub name: String,
    /// The file it comes from, as the manifest names it.
    pub file: String,
    #[serde(skip)]
    pub source: String,
}

/// How webhook deliveries are signed, and where the verifier finds its secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookSigning {
    pub scheme: WebhookSignature,
    /// The environment variable `Webhook::from_env` reads, if the manifest names one.
    pub secret_env: Option<String>,
}

/// A scheme for signing webhook deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WebhookSignature {
    /// Standard Webhooks (<https://www.standardwebhooks.com>): HMAC-SHA256 over
    /// `id.timestamp.body`, in the `webhook-*` (or `svix-*`) headers.
    StandardWebhooks,
}

/// The generated crate's package: its description and Cargo metadata, and the file name of
/// the document it came from (named in every file's header).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    pub description: String,
    pub source_file: String,
    #[serde(flatten)]
    pub metadata: crate::manifest::CrateMetadata,
}

/// A variable of the server URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerVariable {
    /// Its name in the URL template (`domain` for `{domain}`).
    pub name: String,
    pub default: String,
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
    pub doc: Option<String>,
    pub deprecated: bool,
    /// The variant of the event enum (`UserCreated`).
    pub variant: String,
    pub payload: TypeRef,
}

/// How requests authenticate (from `securitySchemes`). OAuth 2 and OpenID Connect
/// schemes are `Bearer`: the caller brings the access token.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthScheme {
    Bearer {
        name: String,
        /// The client builder's setter of this scheme's credential.
        setter: String,
        description: Option<String>,
    },
    Basic {
        name: String,
        setter: String,
        description: Option<String>,
    },
    ApiKey {
        name: String,
        setter: String,
        location: ParamLocation,
        param: String,
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
    pub initial_interval_ms: u64,
    pub max_interval_ms: u64,
    pub max_elapsed_ms: u64,
    pub exponent: f64,
    /// Statuses retried: exact codes (`503`) or classes (`5XX`).
    pub status_codes: Vec<String>,
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
    pub title: String,
    pub doc: Option<String>,
    pub source: ModuleSource,
    /// operationIds, in declaration order.
    pub operations: Vec<String>,
    /// The operations among `operations` that no capability file names (grouped here by
    /// their tag or `x-speakeasy-group`).
    pub unnamed: Vec<String>,
    /// For workflow capabilities: the modules they re-export.
    pub imports: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModuleSource {
    Capability { file: String },
    Tag { tag: String },
}

/// An operation's HTTP method; written in capitals (`GET`) in the IR's JSON and in docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
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
    pub operation_id: String,
    pub method: HttpMethod,
    pub path: String,
    pub module: String,
    /// The method on the module's API struct (`update_instance`).
    pub rust_name: String,
    /// The request builder the method returns (`UpdateInstanceRequest`).
    pub builder: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Where the operation sits in the spec (`#/paths/~1instance/patch`).
    pub pointer: String,
    pub params: Vec<Param>,
    pub body: Option<Body>,
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
    pub field: String,
    /// An integer or number type.
    pub ty: TypeRef,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
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
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub deprecated: bool,
    pub doc: Option<String>,
    /// For arrays in the query: repeat the key (`true`) or join the items (`false`).
    pub explode: bool,
    /// What joins the items of an array that is not exploded (from `style`).
    pub separator: Separator,
    /// How the value is written (`style`).
    pub style: ParamStyle,
}

/// What joins the items of an array parameter that is not exploded; the IR's JSON
/// writes the character itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Separator {
    /// `,`: form and simple styles.
    #[serde(rename = ",")]
    Comma,
    /// ` `: spaceDelimited.
    #[serde(rename = " ")]
    Space,
    /// `|`: pipeDelimited.
    #[serde(rename = "|")]
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
    SpaceDelimited,
    PipeDelimited,
    /// An object as bracketed keys: `filter[status]=open&filter[tags][0]=a`.
    DeepObject,
    /// Path and header values: the value itself, list items joined by commas.
    Simple,
}

/// The request body.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub media_type: String,
    /// The body's schema, when it has one.
    pub schema_pointer: Option<String>,
    pub encoding: BodyEncoding,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// When the body is an object type, its fields are set one by one on the builder.
    pub flattened: bool,
    /// For a flattened body: how each field is set.
    pub fields: Vec<BodyField>,
    /// The builder setter (or argument) for the whole body when it is not flattened.
    pub setter: String,
    /// The other media types the operation accepts, in spec order: the caller sends one
    /// of them with `raw_body`, encoding it themselves.
    pub alternatives: Vec<String>,
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
    pub ty: TypeRef,
    /// Taken as a method argument (required and not nullable).
    pub argument: bool,
    pub presence: Presence,
    /// Filled in by the builder: a required field whose type has a single value.
    pub constant: bool,
    pub deprecated: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
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
    Code(u16),
    /// Every status of a class: `4` for `4XX`.
    Class(u8),
    Default,
}

impl Status {
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
    pub ty: TypeRef,
    pub decode: ResponseDecode,
    /// The media type the client asks for (`Accept`) and decodes, when the response has a
    /// body.
    pub media_type: Option<String>,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseDecode {
    Json,
    /// JSON from one success status, nothing from another (`200` with a body, `204`
    /// without): the type is an `Option`, `None` for an empty body.
    JsonOrEmpty,
    Text,
    Bytes,
    Empty,
    /// Several success statuses with different bodies: the type is a
    /// [`TypeKind::Statuses`] enum, decoded by status.
    ByStatus,
    /// The operation answers with a redirect (its only non-error statuses are 3XX): the
    /// answer is the redirect itself, its status and `Location`, never followed
    /// ([`TypeRef::Redirect`]).
    Redirect,
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// Free-form JSON (`serde_json::Value`).
    Json,
    /// Raw bytes (a response or body the client does not decode).
    Bytes,
    /// A file: a `format: binary` string (bytes, file name, content type).
    File,
    /// A redirect the API answered with: its status, `Location` and headers.
    Redirect,
    Unit,
    Vec(Box<TypeRef>),
    /// A JSON object with string keys (`BTreeMap<String, T>`).
    Map(Box<TypeRef>),
    Option(Box<TypeRef>),
    /// On the heap: the edge that closes a cycle of types holding each other by value.
    Boxed(Box<TypeRef>),
    /// A type defined in the models module, by its Rust name.
    Named(String),
}

impl TypeRef {
    /// The type as Rust source, with models under `models_path` (e.g. `clerk::models`).
    pub fn rust(&self, models_path: &str) -> String {
        match self {
            TypeRef::String => "String".into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::I32 => "i32".into(),
            TypeRef::I64 => "i64".into(),
            TypeRef::F32 => "f32".into(),
            TypeRef::F64 => "f64".into(),
            TypeRef::Json => "serde_json::Value".into(),
            TypeRef::Bytes => "Vec<u8>".into(),
            TypeRef::File => "FilePart".into(),
            TypeRef::Redirect => "Redirect".into(),
            TypeRef::Unit => "()".into(),
            TypeRef::Vec(t) => format!("Vec<{}>", t.rust(models_path)),
            TypeRef::Map(t) => format!("BTreeMap<String, {}>", t.rust(models_path)),
            TypeRef::Option(t) => format!("Option<{}>", t.rust(models_path)),
            TypeRef::Boxed(t) => format!("Box<{}>", t.rust(models_path)),
            TypeRef::Named(n) => format!("{models_path}::{n}"),
        }
    }

    pub fn option(self) -> TypeRef {
        match self {
            TypeRef::Option(_) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }
}

impl Serialize for TypeRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rust("models"))
    }
}

/// The rule of the schema-to-type mapping that produced a type (the module docs of
/// `ir::types` list them); written in kebab case in the IR's JSON and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MappingRule {
    /// An object with properties: a struct.
    Object,
    /// `allOf`: one struct with every member's properties.
    AllOfMerged,
    /// A string `enum`: an open enum (unknown values are kept).
    StringEnum,
    /// A string `enum` of one value.
    SingleValueEnum,
    /// `oneOf` with a discriminator.
    OneOfTagged,
    /// `oneOf` without a discriminator.
    OneOfUntagged,
    /// `anyOf` whose members are schemas of their own.
    AnyOfUntagged,
    /// A name for another type.
    Alias,
    /// An operation's success statuses with different bodies: one variant per status.
    SuccessStatuses,
    /// The webhook events of a document: one variant per event, tagged by its type.
    WebhookEvents,
}

impl MappingRule {
    /// The rule's name as the IR's JSON writes it (`one-of-tagged`).
    pub fn as_str(self) -> &'static str {
        match self {
            MappingRule::Object => "object",
            MappingRule::AllOfMerged => "all-of-merged",
            MappingRule::StringEnum => "string-enum",
            MappingRule::SingleValueEnum => "single-value-enum",
            MappingRule::OneOfTagged => "one-of-tagged",
            MappingRule::OneOfUntagged => "one-of-untagged",
            MappingRule::AnyOfUntagged => "any-of-untagged",
            MappingRule::Alias => "alias",
            MappingRule::SuccessStatuses => "success-statuses",
            MappingRule::WebhookEvents => "webhook-events",
        }
    }
}

impl std::fmt::Display for MappingRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A type of the models module.
#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub name: String,
    /// The full path in the generated crate (`clerk::models::User`).
    pub path: String,
    /// The schema it came from (`#/components/schemas/User`).
    pub pointer: String,
    /// Inline schemas of the same shape folded into this type (their pointers), so that
    /// identical request and response objects share one type.
    pub also_at: Vec<String>,
    /// Which mapping rule produced it (`object`, `string-enum`, `one-of-untagged`, ...).
    pub rule: MappingRule,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// The modules (cargo features) whose operations use the type; `None` when it is
    /// always compiled (used by every module, by the error type, or by none).
    pub features: Option<Vec<String>>,
    /// The serde impls the API needs; the other direction is compiled only with the
    /// generated crate's `roundtrip` feature.
    pub serde: SerdeDirections,
}

/// Which ways a type crosses the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SerdeDirections {
    /// Sent in a request: `Serialize`.
    pub encode: bool,
    /// Received in a response: `Deserialize`.
    pub decode: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    /// `closed`: the schema says `additionalProperties: false` (decoded strictly only when
    /// the manifest asks for it).
    Struct { fields: Vec<Field>, closed: bool },
    /// A string enum; `fallback` names the variant that keeps values the spec did not list.
    Enum {
        variants: Vec<EnumVariant>,
        fallback: String,
    },
    /// Tries each variant in order; the first that decodes wins.
    Untagged { variants: Vec<UnionVariant> },
    /// A union told apart by a string property.
    Tagged {
        tag: String,
        variants: Vec<TaggedVariant>,
        fallback: String,
    },
    /// Another name for an existing type.
    Alias { target: TypeRef },
    /// The success responses of one operation whose bodies differ: a variant per status,
    /// chosen by the status the server answers (not by the body's shape).
    Statuses { variants: Vec<StatusVariant> },
}

/// One success status of a [`TypeKind::Statuses`] type.
#[derive(Debug, Clone, Serialize)]
pub struct StatusVariant {
    /// The variant (`Ok`, `Created`, `Accepted`).
    pub name: String,
    /// The status as the spec gives it (`201`, `2XX`).
    pub status: Status,
    /// The body's type; `Unit` for a response without one.
    pub ty: TypeRef,
    pub decode: ResponseDecode,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub wire_name: String,
    /// The property's schema (`#/components/schemas/User/properties/id`).
    pub pointer: String,
    /// The type as declared, without the `Option` that optional/nullable adds.
    pub ty: TypeRef,
    pub deprecated: bool,
    pub doc: Option<String>,
    /// Whether the field is required and nullable, and so how it is represented: see
    /// [`Presence`].
    pub presence: Presence,
}

/// The IR's JSON writes `required` and `nullable` beside `presence`, as it did when they
/// were facts of their own.
impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Field", 9)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("wire_name", &self.wire_name)?;
        s.serialize_field("pointer", &self.pointer)?;
        s.serialize_field("ty", &self.ty)?;
        s.serialize_field("required", &self.required())?;
        s.serialize_field("nullable", &self.nullable())?;
        s.serialize_field("deprecated", &self.deprecated)?;
        s.serialize_field("doc", &self.doc)?;
        s.serialize_field("presence", &self.presence)?;
        s.end()
    }
}

/// How a field's presence and nullability map to Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Required, not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, which must be present when decoding.
    RequiredNullable,
    /// Optional, not nullable: `Option<T>`, omitted when `None`.
    Optional,
    /// Optional and nullable outside request bodies: `Option<T>`, encoded as `null`.
    OptionalNullable,
    /// Optional and nullable in a request body: `Patch<T>` (absent, null or a value).
    TriState,
}

impl Field {
    /// Whether the schema requires the property.
    pub fn required(&self) -> bool {
        matches!(
            self.presence,
            Presence::Required | Presence::RequiredNullable
        )
    }

    /// Whether the schema allows `null` for it.
    pub fn nullable(&self) -> bool {
        matches!(
            self.presence,
            Presence::RequiredNullable | Presence::OptionalNullable | Presence::TriState
        )
    }

    /// Whether the field's Rust type is `Option<ty>`.
    pub fn is_option(&self) -> bool {
        matches!(
            self.presence,
            Presence::RequiredNullable | Presence::Optional | Presence::OptionalNullable
        )
    }
}

impl Presence {
    /// The generic type the field's type is wrapped in: none for a required, non-null
    /// field, `Patch` for a tri-state one, else `Option`.
    pub fn wrapper(self) -> Option<&'static str> {
        match self {
            Presence::Required => None,
            Presence::TriState => Some("Patch"),
            Presence::RequiredNullable | Presence::Optional | Presence::OptionalNullable => {
                Some("Option")
            }
        }
    }

    pub fn of(required: bool, nullable: bool) -> Presence {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaggedVariant {
    pub name: String,
    pub tag_value: String,
    pub ty: TypeRef,
}

impl Api {
    /// Rewrites every JSON pointer the IR holds (the load stage moved some schemas: their
    /// pointers are put back where the user wrote them).
    pub fn map_pointers(&mut self, f: impl Fn(&str) -> Option<String>) {
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

    /// The type an alias stands for (through chains of aliases); other types as they are.
    pub fn unalias<'t>(&'t self, t: &'t TypeRef) -> &'t TypeRef {
        unalias(t, &self.types)
    }

    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The definition a named type refers to (`None` for a type that is not named).
    pub fn type_def_of(&self, ty: &TypeRef) -> Option<&TypeDef> {
        match ty {
            TypeRef::Named(name) => self.type_def(name),
            _ => None,
        }
    }

    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.operation_id == id)
    }
}

/// The type an alias stands for (through chains of aliases), among `types`; other types as
/// they are.
pub fn unalias<'t>(t: &'t TypeRef, types: &'t [TypeDef]) -> &'t TypeRef {
    let mut current = t;
    // A chain longer than the list of types is a cycle.
    for _ in 0..=types.len() {
        let TypeRef::Named(name) = current else {
            break;
        };
        match types.iter().find(|d| &d.name == name).map(|d| &d.kind) {
            Some(TypeKind::Alias { target }) => current = target,
            _ => break,
        }
    }
    current
}
