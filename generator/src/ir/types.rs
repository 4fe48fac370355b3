//! The type space: maps schemas to [`TypeRef`]s and owns every [`TypeDef`] of the models
//! module, naming inline schemas after where they appear.
//!
//! Rules, in order (the rule's name is recorded on each type):
//! - `$ref` to a component schema -> that component's type.
//! - `oneOf` with one member (or `allOf` with one member and nothing else) -> the member.
//! - `oneOf` with a `discriminator` -> `one-of-tagged`; without -> `one-of-untagged`.
//! - `allOf` -> `all-of-merged`: one struct with every member's properties.
//! - `anyOf` whose members only state `required` lists -> ignored; other `anyOf` ->
//!   `any-of-untagged`.
//! - `type: string` with `enum` -> `string-enum` (open: unknown values are kept);
//!   other strings, including `date-time` and `binary`, -> `String`.
//! - `integer` -> `i64` (`int32` -> `i32`); `number` -> `f64`; `boolean` -> `bool`.
//! - `array` -> `Vec<T>`; an object with `properties` -> `object` (a struct);
//!   an object with only `additionalProperties: <schema>` -> `BTreeMap<String, T>`;
//!   any other object or untyped schema -> free-form `serde_json::Value`.
//! - An inline schema of the same shape as a type defined before it -> `same-shape`: an
//!   alias of that type, named for its own place (`SignInTokenStatus = ActorTokenStatus`),
//!   so that the types are one and no signature shows another place's name.

#[cfg(test)]
mod tests;
mod unions;
mod view;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::model::{
    EnumVariant, Field, MappingRule, Presence, SerdeDirections, StatusVariant, TaggedVariant,
    TypeDef, TypeKind, TypeRef, TypeTable, UnionVariant,
};
use super::naming::{pascal, pascal_value, snake, Namespace};
use crate::diag::{escape_token, Location, Warnings};
use crate::load::{ref_name, RefKind};
use view::{has_null_member, real_any_of, single_member, single_pointer, view, View};

/// Names the models module must not use: they are prelude or imported names.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "BTreeMap",
    "Serialize",
    "Deserialize",
    "Value",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
];

/// A schema as an owned-or-borrowed reference, as openapiv3 nests them two ways.
#[derive(Clone, Copy)]
pub enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

/// A property collected for a struct: merged `allOf` members contribute theirs.
struct Prop<'s> {
    name: &'s str,
    schema: SchemaRef<'s>,
    pointer: String,
}

/// Owns the models namespace and the types defined in it.
pub struct TypeSpace<'a> {
    file: &'a Path,
    components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>,
    models_path: String,
    names: Namespace,
    /// Component schema name -> Rust type name.
    component_names: HashMap<String, String>,
    /// Inline schemas already converted, by pointer (shared responses, parameters).
    by_pointer: HashMap<String, TypeRef>,
    types: Vec<TypeDef>,
    /// Type name -> index in `types`.
    by_name: HashMap<String, usize>,
    /// Shape (see [`shape_key`]) -> index in `types`, for folding identical inline schemas.
    shapes: HashMap<String, usize>,
    /// An inline schema's name -> the type of the same shape it is an alias of: shapes
    /// compare through these, so that containers of folded types fold too.
    same_shape: HashMap<String, String>,
    /// The types a request body reaches, already marked ([`TypeSpace::mark_request_type`]).
    request_types: std::collections::HashSet<usize>,
    /// Where every warning of the IR stage goes (the build's one sink, lent).
    warnings: &'a mut Warnings,
}

impl<'a> TypeSpace<'a> {
    /// Claims a name for every component schema, in document order, before any inline
    /// schema is named: component names win collisions.
    pub fn new(
        file: &'a Path,
        components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>,
        lib_name: &str,
        warnings: &'a mut Warnings,
    ) -> Self {
        let mut names = Namespace::with_reserved(RESERVED_TYPE_NAMES);
        let component_names = components
            .keys()
            .map(|k| (k.clone(), names.claim(&pascal(k))))
            .collect();
        TypeSpace {
            file,
            components,
            models_path: format!("{lib_name}::models"),
            names,
            component_names,
            by_pointer: HashMap::new(),
            types: Vec::new(),
            by_name: HashMap::new(),
            shapes: HashMap::new(),
            same_shape: HashMap::new(),
            request_types: std::collections::HashSet::new(),
            warnings,
        }
    }

    /// Defines every component schema as a type.
    pub fn define_components(&mut self) {
        for (name, schema) in self.components {
            let rust = self.component_names[name].clone();
            let pointer = format!("#/components/schemas/{}", escape_token(name));
            let def = match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &pointer);
                    self.def(
                        &rust,
                        &pointer,
                        MappingRule::Alias,
                        None,
                        false,
                        TypeKind::Alias { target },
                    )
                }
                ReferenceOr::Item(s) => self.define_named(&rust, s, &pointer),
            };
            let shape = shape_key(&def, |t| self.canonical(t));
            self.push(def, shape);
        }
    }

    /// The types defined so far, sorted by name.
    pub fn into_types(mut self) -> Vec<TypeDef> {
        self.types.sort_by(|a, b| a.name.cmp(&b.name));
        self.types
    }

    /// The type of a schema found at `pointer`; inline schemas that need a named type get
    /// one derived from `hint`. Returns the type and whether the schema is nullable.
    pub fn type_of(&mut self, schema: SchemaRef<'_>, hint: &str, pointer: &str) -> (TypeRef, bool) {
        match schema {
            SchemaRef::Ref(r) => (self.reference(r, pointer), self.ref_nullable(r)),
            SchemaRef::Item(s) => {
                let nullable = s.schema_data.nullable;
                if let Some(t) = self.by_pointer.get(pointer) {
                    return (t.clone(), nullable);
                }
                let (t, inner_nullable) = self.inline(s, hint, pointer);
                self.by_pointer.insert(pointer.to_string(), t.clone());
                (t, nullable || inner_nullable)
            }
        }
    }

    /// Like [`type_of`](Self::type_of), with `Option` added when the schema is nullable.
    pub fn type_of_nullable(
        &mut self,
        schema: SchemaRef<'_>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match self.type_of(schema, hint, pointer) {
            (t, true) => t.option(),
            (t, false) => t,
        }
    }

    /// The type of a schema that keeps a name of its own (an event payload): a component
    /// is itself, an inline object is defined under `name` and never folded into a type
    /// named after another place.
    pub fn named_type(&mut self, schema: SchemaRef<'_>, name: &str, pointer: &str) -> TypeRef {
        let SchemaRef::Item(s) = schema else {
            return self.type_of(schema, name, pointer).0;
        };
        let v = view(s);
        if single_member(&v).is_some() {
            return self.type_of_nullable(schema, name, pointer);
        }
        if let Some(t) = self.direct(&v, name, pointer) {
            return t;
        }
        let name = self.names.claim(&pascal(name));
        let def = self.define_named(&name, s, pointer);
        self.push(def, None);
        let t = TypeRef::Named(name);
        self.by_pointer.insert(pointer.to_string(), t.clone());
        t
    }

    /// Defines a type the IR builds itself (not from one schema), under `name` or the
    /// next free variant of it; returns the name given.
    pub fn define_extra(
        &mut self,
        name: &str,
        pointer: &str,
        rule: MappingRule,
        doc: Option<String>,
        kind: TypeKind,
    ) -> String {
        let name = self.names.claim(name);
        let def = self.def(&name, pointer, rule, doc, false, kind);
        self.push(def, None);
        name
    }

    /// Whether a `$ref` leads to a component schema that is itself nullable (`nullable:
    /// true`, or a `null` member beside its one real member), through chains of component
    /// references: such a reference is nullable at every use.
    fn ref_nullable(&self, reference: &str) -> bool {
        let mut reference = reference.to_string();
        // A chain visits each component at most once before it ends or cycles.
        for _ in 0..=self.components.len() {
            let Some((RefKind::Schemas, name)) = ref_name(&reference) else {
                return false;
            };
            match self.components.get(&name) {
                Some(ReferenceOr::Item(s)) => {
                    let v = view(s);
                    return s.schema_data.nullable
                        || (single_member(&v).is_some() && has_null_member(&v));
                }
                Some(ReferenceOr::Reference { reference: next }) => reference = next.clone(),
                None => return false,
            }
        }
        false
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> TypeRef {
        match ref_name(reference) {
            Some((RefKind::Schemas, name)) if self.component_names.contains_key(&name) => {
                TypeRef::Named(self.component_names[&name].clone())
            }
            _ => {
                self.warn(
                    "fallback-type",
                    pointer,
                    format!(
                        "$ref `{reference}` is not a component schema; typed as free-form JSON"
                    ),
                );
                TypeRef::Json
            }
        }
    }

    fn resolve<'s>(&self, schema: SchemaRef<'s>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            SchemaRef::Item(s) => Some(s),
            SchemaRef::Ref(r) => match ref_name(r) {
                Some((RefKind::Schemas, name)) => match self.components.get(&name)? {
                    ReferenceOr::Item(s) => Some(s),
                    ReferenceOr::Reference { reference } => self.resolve(SchemaRef::Ref(reference)),
                },
                _ => None,
            },
        }
    }

    /// An inline schema: primitives and containers directly, everything else as a new
    /// named type. The bool is true when the schema allows null through a `oneOf`/`allOf`.
    fn inline(&mut self, s: &Schema, hint: &str, pointer: &str) -> (TypeRef, bool) {
        let v = view(s);
        if let Some(single) = single_member(&v) {
            let member_ptr = single_pointer(&v, pointer);
            let (t, nullable) = self.type_of(single, hint, &member_ptr);
            return (t, nullable || has_null_member(&v));
        }
        if let Some(t) = self.direct(&v, hint, pointer) {
            return (t, false);
        }
        let name = self.names.claim(&pascal(hint));
        let def = self.define_named(&name, s, pointer);
        // An inline schema shaped exactly like a type already defined (the same fields,
        // variants and rules; docs and pointers aside) is that type, under a name of its
        // own place: an alias, so that no signature shows another place's name.
        let key = shape_key(&def, |t| self.canonical(t));
        if let Some(&existing) = key.as_ref().and_then(|k| self.shapes.get(k)) {
            let target = &mut self.types[existing];
            target.also_at.push(pointer.to_string());
            self.same_shape.insert(name.clone(), target.name.clone());
            let target = TypeRef::Named(target.name.clone());
            let kind = TypeKind::Alias { target };
            let alias = self.def(
                &name,
                pointer,
                MappingRule::SameShape,
                def.doc,
                def.deprecated,
                kind,
            );
            self.push(alias, None);
            return (TypeRef::Named(name), false);
        }
        self.push(def, key);
        (TypeRef::Named(name), false)
    }

    /// A type as shapes compare it: each folded inline schema's alias as the type it
    /// names.
    fn canonical(&self, t: &TypeRef) -> TypeRef {
        let inner = |i: &TypeRef| Box::new(self.canonical(i));
        match t {
            TypeRef::Named(n) => TypeRef::Named(self.same_shape.get(n).unwrap_or(n).clone()),
            TypeRef::Vec(i) => TypeRef::Vec(inner(i)),
            TypeRef::Map(i) => TypeRef::Map(inner(i)),
            TypeRef::Option(i) => TypeRef::Option(inner(i)),
            TypeRef::Boxed(i) => TypeRef::Boxed(inner(i)),
            other => other.clone(),
        }
    }

    /// Adds a type with its shape (see [`shape_key`]), for folding later inline schemas
    /// into it.
    fn push(&mut self, def: TypeDef, shape: Option<String>) {
        if let Some(key) = shape {
            self.shapes.entry(key).or_insert(self.types.len());
        }
        self.by_name.insert(def.name.clone(), self.types.len());
        self.types.push(def);
    }

    /// Types that need no definition of their own (primitives, arrays, maps, free-form).
    fn direct(&mut self, v: &View<'_>, hint: &str, pointer: &str) -> Option<TypeRef> {
        if !v.one_of.is_empty() || !v.all_of.is_empty() || real_any_of(v) {
            return None;
        }
        if v.has_not {
            self.warn(
                "fallback-type",
                pointer,
                "`not` schemas cannot be typed; typed as free-form JSON",
            );
            return Some(TypeRef::Json);
        }
        let t = match v.typ {
            Some("string") if !v.enum_strings.is_empty() => return None,
            Some("string") if v.format.as_deref() == Some("binary") => TypeRef::File,
            Some("string") => TypeRef::String,
            Some("integer") if v.format.as_deref() == Some("int32") => TypeRef::I32,
            Some("integer") => TypeRef::I64,
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => match v.items {
                Some(items) => {
                    let item_ptr = format!("{pointer}/items");
                    let t = self.type_of_nullable(items.into(), &format!("{hint}Item"), &item_ptr);
                    TypeRef::Vec(Box::new(t))
                }
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            _ if !v.properties.is_empty() => return None,
            _ => match v.additional {
                Some(AdditionalProperties::Schema(inner)) => {
                    let inner_ptr = format!("{pointer}/additionalProperties");
                    let t = self.type_of_nullable(
                        (&**inner).into(),
                        &format!("{hint}Value"),
                        &inner_ptr,
                    );
                    TypeRef::Map(Box::new(t))
                }
                _ => TypeRef::Json,
            },
        };
        Some(t)
    }

    /// Defines a named type for a schema (a component or an inline schema).
    fn define_named(&mut self, name: &str, s: &Schema, pointer: &str) -> TypeDef {
        let doc = s
            .schema_data
            .description
            .clone()
            .or_else(|| s.schema_data.title.clone());
        let (rule, kind) = self.mapping(name, s, pointer);
        self.def(name, pointer, rule, doc, s.schema_data.deprecated, kind)
    }

    /// The rule a schema maps by, and the kind of type it gives (see the module docs).
    fn mapping(&mut self, name: &str, s: &Schema, pointer: &str) -> (MappingRule, TypeKind) {
        let v = view(s);
        if !v.one_of.is_empty() && single_member(&v).is_none() {
            let tags = s.schema_data.discriminator.as_ref().and_then(|d| {
                let tags: Option<Vec<String>> =
                    v.one_of.iter().map(|m| self.tag_value(m, d)).collect();
                if tags.is_none() {
                    self.warn(
                        "untaggable-variant",
                        &format!("{pointer}/discriminator"),
                        format!(
                            "an inline member of this union pins no value of `{}` and no mapping names it, so it has no tag on the wire: the union is decoded by shape instead",
                            d.property_name
                        ),
                    );
                }
                tags.map(|tags| (d, tags))
            });
            return match tags {
                Some((d, tags)) => (
                    MappingRule::OneOfTagged,
                    self.tagged(name, v.one_of, d, tags, pointer),
                ),
                None => (
                    MappingRule::OneOfUntagged,
                    self.untagged(name, v.one_of, &format!("{pointer}/oneOf")),
                ),
            };
        }
        if !v.all_of.is_empty() || !v.properties.is_empty() {
            if let Some(single) = single_member(&v) {
                let (target, _) = self.type_of(single, name, &single_pointer(&v, pointer));
                return (MappingRule::Alias, TypeKind::Alias { target });
            }
            let rule = if v.all_of.is_empty() {
                MappingRule::Object
            } else {
                MappingRule::AllOfMerged
            };
            let fields = self.fields(name, s, pointer);
            let closed = matches!(v.additional, Some(AdditionalProperties::Any(false)));
            return (rule, TypeKind::Struct { fields, closed });
        }
        if real_any_of(&v) {
            let kind = self.untagged(name, v.any_of, &format!("{pointer}/anyOf"));
            return (MappingRule::AnyOfUntagged, kind);
        }
        if v.typ == Some("string") && !v.enum_strings.is_empty() {
            let kind = enum_kind(&v.enum_strings);
            let rule = match &kind {
                TypeKind::Enum { variants, .. } if variants.len() == 1 => {
                    MappingRule::SingleValueEnum
                }
                _ => MappingRule::StringEnum,
            };
            return (rule, kind);
        }
        let target = match single_member(&v) {
            Some(single) => self.type_of_nullable(single, name, &single_pointer(&v, pointer)),
            None => self.direct(&v, name, pointer).unwrap_or(TypeRef::Json),
        };
        (MappingRule::Alias, TypeKind::Alias { target })
    }

    fn def(
        &self,
        name: &str,
        pointer: &str,
        rule: MappingRule,
        doc: Option<String>,
        deprecated: bool,
        kind: TypeKind,
    ) -> TypeDef {
        TypeDef {
            name: name.to_string(),
            path: format!("{}::{name}", self.models_path),
            pointer: pointer.to_string(),
            also_at: Vec::new(),
            rule,
            doc,
            deprecated,
            kind,
            features: None,
            serde: SerdeDirections {
                encode: true,
                decode: true,
            },
        }
    }

    /// The fields of an object, merging `allOf` members (required lists unioned; a later
    /// member's property replaces an earlier one of the same name).
    fn fields(&mut self, owner: &str, s: &Schema, pointer: &str) -> Vec<Field> {
        let mut props: Vec<Prop<'_>> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        self.collect(SchemaRef::Item(s), pointer, &mut props, &mut required, 0);
        let undeclared: Vec<&str> = required
            .iter()
            .filter(|r| !props.iter().any(|p| p.name == r.as_str()))
            .map(String::as_str)
            .collect();
        if !undeclared.is_empty() {
            self.warn(
                "undeclared-required",
                pointer,
                format!(
                    "`required` lists properties the schema does not declare: {}; they are not fields",
                    undeclared.join(", ")
                ),
            );
        }
        let mut names = Namespace::default();
        let mut fields = Vec::with_capacity(props.len());
        for p in props {
            let hint = format!("{owner}{}", pascal(p.name));
            let (ty, nullable) = self.type_of(p.schema, &hint, &p.pointer);
            let (doc, deprecated) = match self.resolve(p.schema) {
                Some(ps) if matches!(p.schema, SchemaRef::Item(_)) => (
                    ps.schema_data.description.clone(),
                    ps.schema_data.deprecated,
                ),
                _ => (None, false),
            };
            let is_required = required.iter().any(|r| r == p.name);
            fields.push(Field {
                name: names.claim(&snake(p.name)),
                wire_name: p.name.to_string(),
                pointer: p.pointer.clone(),
                ty,
                deprecated,
                doc,
                presence: Presence::of(is_required, nullable),
            });
        }
        fields
    }

    fn collect<'s>(
        &self,
        schema: SchemaRef<'s>,
        pointer: &str,
        props: &mut Vec<Prop<'s>>,
        required: &mut Vec<String>,
        depth: usize,
    ) where
        'a: 's,
    {
        let Some(s) = self.resolve(schema) else {
            return;
        };
        if depth > 32 {
            return;
        }
        let v = view(s);
        let base = match schema {
            SchemaRef::Ref(r) => r.trim_start_matches('#').to_string(),
            SchemaRef::Item(_) => pointer.to_string(),
        };
        let base = if base.starts_with('#') {
            base
        } else {
            format!("#{base}")
        };
        for (i, member) in v.all_of.iter().enumerate() {
            self.collect(
                member.into(),
                &format!("{base}/allOf/{i}"),
                props,
                required,
                depth + 1,
            );
        }
        for (name, ps) in v.properties {
            let prop = Prop {
                name,
                schema: ps.into(),
                pointer: format!("{base}/properties/{}", escape_token(name)),
            };
            match props.iter_mut().find(|p| p.name == name.as_str()) {
                Some(existing) => *existing = prop,
                None => props.push(prop),
            }
        }
        for r in v.required {
            if !required.contains(r) {
                required.push(r.clone());
            }
        }
    }

    /// Marks the structs reachable from a request body: their optional, nullable fields
    /// become tri-state, so a caller can leave them out, send `null` or send a value.
    ///
    /// A type is walked once: what it reaches is defined by the time a body refers to it,
    /// so a second body reaching it has nothing left to mark there.
    pub fn mark_request_type(&mut self, root: &TypeRef) {
        let mut stack = vec![root.clone()];
        while let Some(t) = stack.pop() {
            if let Some(inner) = t.contained() {
                stack.push(inner.clone());
                continue;
            }
            let TypeRef::Named(n) = t else { continue };
            let Some(&i) = self.by_name.get(&n) else {
                continue;
            };
            if !self.request_types.insert(i) {
                continue;
            }
            let kind = &mut self.types[i].kind;
            if let TypeKind::Struct { fields, .. } = kind {
                for f in fields
                    .iter_mut()
                    .filter(|f| f.presence == Presence::OptionalNullable)
                {
                    f.presence = Presence::TriState;
                }
            }
            stack.extend(kind.refs().into_iter().cloned());
        }
    }

    /// Records a warning about the node at `pointer` of the document.
    pub(super) fn warn(&mut self, kind: &'static str, pointer: &str, message: impl Into<String>) {
        self.warnings
            .push(kind, Location::new(self.file, pointer), message);
    }
}

/// What makes two types interchangeable: their kind (fields with names, types, presence
/// and docs; variants with theirs; tags), rule and deprecation, without the type's own
/// docs or schema pointers. Member docs count: the folded place shows the shared type's
/// fields, so they must say nothing about another place (an unban body must not document
/// its ids as "user IDs to ban").
/// Aliases have no shape: they are names the spec chose. Every part of each kind is
/// destructured by name, so that a part added to the IR is a decision here too.
fn shape_key(def: &TypeDef, canon: impl Fn(&TypeRef) -> TypeRef) -> Option<String> {
    use std::fmt::Write as _;
    let mut key = format!("{}|{}|", def.rule, def.deprecated);
    let out = &mut key;
    match &def.kind {
        TypeKind::Alias { .. } => return None,
        TypeKind::Struct { fields, closed } => {
            let _ = write!(out, "struct {closed}");
            for f in fields {
                let Field {
                    name,
                    wire_name,
                    pointer: _,
                    ty,
                    deprecated,
                    doc,
                    presence,
                } = f;
                let _ = write!(
                    out,
                    "|{name} {wire_name} {:?} {deprecated} {presence:?} {doc:?}",
                    canon(ty)
                );
            }
        }
        TypeKind::Enum { variants, fallback } => {
            let _ = write!(out, "enum {fallback}");
            for EnumVariant { name, value, doc } in variants {
                let _ = write!(out, "|{name} {value:?} {doc:?}");
            }
        }
        TypeKind::Untagged { variants } => {
            out.push_str("untagged");
            for UnionVariant { name, ty } in variants {
                let _ = write!(out, "|{name} {:?}", canon(ty));
            }
        }
        TypeKind::Tagged {
            tag,
            variants,
            fallback,
        } => {
            let _ = write!(out, "tagged {tag:?} {fallback}");
            for TaggedVariant {
                name,
                tag_value,
                ty,
            } in variants
            {
                let _ = write!(out, "|{name} {tag_value:?} {:?}", canon(ty));
            }
        }
        TypeKind::Statuses { variants } => {
            out.push_str("statuses");
            for StatusVariant {
                name,
                status,
                ty,
                decode,
                doc,
            } in variants
            {
                let _ = write!(out, "|{name} {status} {:?} {decode:?} {doc:?}", canon(ty));
            }
        }
    }
    Some(key)
}

/// An open string enum: one variant per listed value, plus a fallback that keeps any
/// other value. The fallback is `Unknown` unless a listed value already took that name.
fn enum_kind(values: &[String]) -> TypeKind {
    let mut seen = BTreeMap::new();
    let mut names = Namespace::default();
    let mut variants = Vec::new();
    for value in values {
        if seen.insert(value.clone(), ()).is_some() {
            continue;
        }
        let name = names.claim(&pascal_value(value));
        variants.push(EnumVariant {
            name,
            value: value.clone(),
            doc: None,
        });
    }
    let fallback = ["Unknown", "Other", "UnknownValue"]
        .iter()
        .find(|n| !names.is_taken(n))
        .map(|n| n.to_string())
        .unwrap_or_else(|| names.claim("Unknown"));
    TypeKind::Enum { variants, fallback }
}

impl TypeTable for TypeSpace<'_> {
    fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.by_name.get(name).map(|&i| &self.types[i])
    }

    fn type_count(&self) -> usize {
        self.types.len()
    }
}
