//! The IR's types: how a value is typed where it is used ([`TypeRef`]), and the types the
//! models module defines ([`TypeDef`]): structs and their fields' presence, enums, unions
//! and the statuses of an operation's success, with the mapping rule that made each.

use serde::Serialize;

use super::{ResponseDecode, Status};

/// The cargo feature that compiles the types no operation uses (component schemas a user
/// may still want, such as event payloads they decode themselves) and what they reach;
/// `full` turns it on. No module may take the name (`reserved::CRATE_ROOT`).
pub const UNUSED_TYPES_FEATURE: &str = "unused_types";

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// Free-form JSON (`serde_json::Value`).
    Json,
    /// Raw bytes (a response or body the client does not decode).
    Bytes,
    /// A file: a `format: binary` string (bytes, file name, content type).
    File,
    /// A redirect the API answered with: its status, `Location` and headers.
    Redirect,
    /// `()`: no value.
    Unit,
    /// A JSON array (`Vec<T>`).
    Vec(Box<TypeRef>),
    /// A JSON object with string keys (`BTreeMap<String, T>`).
    Map(Box<TypeRef>),
    /// A value that may be absent or `null` (`Option<T>`).
    Option(Box<TypeRef>),
    /// On the heap: the edge that closes a cycle of types holding each other by value.
    Boxed(Box<TypeRef>),
    /// A type defined in the models module, by its Rust name.
    Named(String),
}

/// Where a rendering of a [`TypeRef`] finds the items it names; an empty path names an
/// item bare.
#[derive(Debug, Clone, Copy)]
pub struct TypePaths<'a> {
    /// The models module (`crate::models`, `models`, or empty inside it).
    pub models: &'a str,
    /// The module that holds `FilePart` and `Redirect` (`crate`, or empty in prose).
    pub runtime: &'a str,
    /// The map type (`std::collections::BTreeMap`, or `BTreeMap` in prose).
    pub map: &'a str,
}

fn joined(path: &str, item: &str) -> String {
    match path {
        "" => item.to_string(),
        _ => format!("{path}::{item}"),
    }
}

impl TypeRef {
    /// The type as Rust source, with models under `models_path` (e.g. `clerk::models`)
    /// and the runtime's types and `BTreeMap` bare, as docs and the IR's dumps show it.
    pub fn rust(&self, models_path: &str) -> String {
        self.render(TypePaths {
            models: models_path,
            runtime: "",
            map: "BTreeMap",
        })
    }

    /// The type as Rust source, every item it names found under `paths`: the one
    /// renderer, for prose and for code alike.
    pub fn render(&self, paths: TypePaths<'_>) -> String {
        match self {
            TypeRef::String => "String".into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::I32 => "i32".into(),
            TypeRef::I64 => "i64".into(),
            TypeRef::F32 => "f32".into(),
            TypeRef::F64 => "f64".into(),
            TypeRef::Json => "serde_json::Value".into(),
            TypeRef::Bytes => "Vec<u8>".into(),
            TypeRef::File => joined(paths.runtime, "FilePart"),
            TypeRef::Redirect => joined(paths.runtime, "Redirect"),
            TypeRef::Unit => "()".into(),
            TypeRef::Vec(t) => format!("Vec<{}>", t.render(paths)),
            TypeRef::Map(t) => format!("{}<String, {}>", paths.map, t.render(paths)),
            TypeRef::Option(t) => format!("Option<{}>", t.render(paths)),
            TypeRef::Boxed(t) => format!("Box<{}>", t.render(paths)),
            TypeRef::Named(n) => joined(paths.models, n),
        }
    }

    /// The type wrapped in `Option`, unless it is one already.
    pub fn option(self) -> TypeRef {
        match self {
            TypeRef::Option(_) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }

    /// The type a container holds (`Vec`, `BTreeMap`, `Option`, `Box`), if this is one.
    pub fn contained(&self) -> Option<&TypeRef> {
        match self {
            TypeRef::Vec(t) | TypeRef::Map(t) | TypeRef::Option(t) | TypeRef::Boxed(t) => Some(t),
            _ => None,
        }
    }
}

impl TypeKind {
    /// The types a definition refers to directly: its fields', variants' or target's.
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Untagged { variants } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Tagged { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Statuses { variants } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias { target } => vec![target],
            TypeKind::Enum { .. } => Vec::new(),
        }
    }
}

/// The types of a models module, looked up by name: the IR while it is built
/// (`TypeSpace`) and once it is done (`Api`). Every question about a named type through
/// its aliases is answered here, once.
pub trait TypeTable {
    /// The definition named `name`.
    fn type_def(&self, name: &str) -> Option<&TypeDef>;

    /// How many types there are (bounds a walk through aliases, which may cycle).
    fn type_count(&self) -> usize;

    /// The definition a named type refers to (`None` for a type that is not named).
    fn type_def_of(&self, t: &TypeRef) -> Option<&TypeDef> {
        match t {
            TypeRef::Named(name) => self.type_def(name),
            _ => None,
        }
    }

    /// The type an alias stands for (through chains of aliases); other types as they are.
    fn unalias<'t>(&'t self, t: &'t TypeRef) -> &'t TypeRef {
        let mut current = t;
        // A chain longer than the list of types is a cycle.
        for _ in 0..=self.type_count() {
            match self.type_def_of(current).map(|d| &d.kind) {
                Some(TypeKind::Alias { target }) => current = target,
                _ => break,
            }
        }
        current
    }

    /// What a type is defined as, through aliases (`None` for a type that is not named).
    fn kind_of(&self, t: &TypeRef) -> Option<&TypeKind> {
        self.type_def_of(self.unalias(t)).map(|d| &d.kind)
    }

    /// The fields of the struct a type names, through aliases.
    fn struct_fields(&self, t: &TypeRef) -> Option<&[Field]> {
        match self.kind_of(t)? {
            TypeKind::Struct { fields, .. } => Some(fields),
            _ => None,
        }
    }

    /// The one value of a single-valued string enum, through aliases.
    fn single_value(&self, t: &TypeRef) -> Option<&str> {
        match self.kind_of(t)? {
            TypeKind::Enum { variants, .. } if variants.len() == 1 => Some(&variants[0].value),
            _ => None,
        }
    }
}

/// Types sorted by name, as the finished IR keeps them: looked up by binary search.
#[derive(Debug, Clone, Copy)]
pub struct SortedTypes<'a>(&'a [TypeDef]);

impl<'a> SortedTypes<'a> {
    /// The types, which must be sorted by name (`TypeSpace::into_types` sorts them).
    pub fn new(types: &'a [TypeDef]) -> Self {
        debug_assert!(types.windows(2).all(|w| w[0].name < w[1].name));
        SortedTypes(types)
    }
}

/// Where the type named `name` is among types sorted by name.
pub(crate) fn position_sorted(types: &[TypeDef], name: &str) -> Option<usize> {
    types.binary_search_by(|d| d.name.as_str().cmp(name)).ok()
}

/// The type named `name` among types sorted by name.
pub(crate) fn find_sorted<'t>(types: &'t [TypeDef], name: &str) -> Option<&'t TypeDef> {
    position_sorted(types, name).map(|i| &types[i])
}

impl TypeTable for SortedTypes<'_> {
    fn type_def(&self, name: &str) -> Option<&TypeDef> {
        find_sorted(self.0, name)
    }

    fn type_count(&self) -> usize {
        self.0.len()
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
    /// An inline schema of the same shape as a type defined before it: a name of its own
    /// place for that type.
    SameShape,
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
            MappingRule::SameShape => "same-shape",
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
    /// Its Rust name.
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
    /// Its description.
    pub doc: Option<String>,
    /// Whether the document deprecates it.
    pub deprecated: bool,
    /// What it is.
    pub kind: TypeKind,
    /// The cargo features that compile the type: the modules whose operations use it,
    /// and [`UNUSED_TYPES_FEATURE`] when a type no operation uses reaches it. `None` when
    /// it is always compiled (used by every module, reached from the common error body
    /// or a webhook payload, or the crate has no module with operations).
    pub features: Option<Vec<String>>,
    /// The serde impls the API needs; the other direction is compiled only with the
    /// generated crate's `roundtrip` feature.
    pub serde: SerdeDirections,
}

impl TypeDef {
    /// Whether the type is `#[non_exhaustive]`, so that the API adding to it breaks no
    /// user's code: a struct no request sends (only received, so its users read it and
    /// need not build it with a struct literal), and every open enum (a new value is a new
    /// variant, which an exhaustive `match` would not cover). Types requests send stay
    /// exhaustive: callers build them, with `..Default::default()` where every field is
    /// optional.
    pub fn non_exhaustive(&self) -> bool {
        match self.kind {
            TypeKind::Struct { .. } => !self.serde.encode,
            TypeKind::Enum { .. } => true,
            TypeKind::Untagged { .. }
            | TypeKind::Tagged { .. }
            | TypeKind::Alias { .. }
            | TypeKind::Statuses { .. } => false,
        }
    }
}

/// Which ways a type crosses the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SerdeDirections {
    /// Sent in a request: `Serialize`.
    pub encode: bool,
    /// Received in a response: `Deserialize`.
    pub decode: bool,
}

/// What a named type is.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    /// `closed`: the schema says `additionalProperties: false` (decoded strictly only when
    /// the manifest asks for it).
    Struct {
        /// The fields, in the schema's order.
        fields: Vec<Field>,
        /// Whether the schema says `additionalProperties: false`.
        closed: bool,
    },
    /// A string enum; `fallback` names the variant that keeps values the spec did not list.
    Enum {
        /// The values the spec lists.
        variants: Vec<EnumVariant>,
        /// The variant that keeps any other value.
        fallback: String,
    },
    /// Tries each variant in order; the first that decodes wins.
    Untagged {
        /// The members, most specific first.
        variants: Vec<UnionVariant>,
    },
    /// A union told apart by a string property.
    Tagged {
        /// The property's wire name.
        tag: String,
        /// The members, each with its tag value.
        variants: Vec<TaggedVariant>,
        /// The variant that keeps a value with another tag.
        fallback: String,
    },
    /// Another name for an existing type.
    Alias {
        /// The type it names.
        target: TypeRef,
    },
    /// The success responses of one operation whose bodies differ: a variant per status,
    /// chosen by the status the server answers (not by the body's shape).
    Statuses {
        /// One per success status, in the document's order.
        variants: Vec<StatusVariant>,
    },
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
    /// How its body is decoded.
    pub decode: ResponseDecode,
    /// The response's description.
    pub doc: Option<String>,
}

/// A field of a struct: one property of the schema.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Its Rust name.
    pub name: String,
    /// The property's name on the wire.
    pub wire_name: String,
    /// The property's schema (`#/components/schemas/User/properties/id`).
    pub pointer: String,
    /// The type as declared, without the `Option` that optional/nullable adds.
    pub ty: TypeRef,
    /// Whether the document deprecates it.
    pub deprecated: bool,
    /// Its description.
    pub doc: Option<String>,
    /// Whether the field is required and nullable, and so how it is represented: see
    /// [`Presence`].
    pub presence: Presence,
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

    /// The presence of a field the schema requires or not, and allows `null` in or not
    /// (as a response has it: request bodies make optional nullable fields tri-state later).
    pub fn of(required: bool, nullable: bool) -> Presence {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}

/// One value of a string enum.
#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    /// The variant's name.
    pub name: String,
    /// The value on the wire.
    pub value: String,
    /// What the value means, when the document says.
    pub doc: Option<String>,
}

/// One member of an untagged union.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// The variant's name.
    pub name: String,
    /// The member's type.
    pub ty: TypeRef,
}

/// One member of a tagged union.
#[derive(Debug, Clone, Serialize)]
pub struct TaggedVariant {
    /// The variant's name.
    pub name: String,
    /// The tag property's value that selects it.
    pub tag_value: String,
    /// The member's type.
    pub ty: TypeRef,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_of_files() -> TypeRef {
        let named = TypeRef::Named("User".into());
        TypeRef::Map(Box::new(TypeRef::Vec(Box::new(TypeRef::Option(Box::new(
            TypeRef::Boxed(Box::new(named)),
        ))))))
    }

    #[test]
    fn prose_names_the_runtime_bare() {
        assert_eq!(
            map_of_files().rust("clerk::models"),
            "BTreeMap<String, Vec<Option<Box<clerk::models::User>>>>"
        );
        assert_eq!(TypeRef::File.rust("models"), "FilePart");
    }

    #[test]
    fn code_names_every_item_by_its_path() {
        let code = TypePaths {
            models: "",
            runtime: "crate",
            map: "std::collections::BTreeMap",
        };
        assert_eq!(
            map_of_files().render(code),
            "std::collections::BTreeMap<String, Vec<Option<Box<User>>>>"
        );
        assert_eq!(TypeRef::Redirect.render(code), "crate::Redirect");
    }
}
