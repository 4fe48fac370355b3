//! The schema-to-type rules of the module docs, one by one, on component schemas.

use serde_json::json;

use super::*;

/// The types the component schemas of `components` become, and the warnings.
fn types_of(components: serde_json::Value) -> (Vec<TypeDef>, Vec<crate::diag::Warning>) {
    let components: indexmap::IndexMap<String, ReferenceOr<Schema>> =
        serde_json::from_value(components).expect("component schemas");
    let mut warnings = Warnings::default();
    let mut space = TypeSpace::new(Path::new("t.yaml"), &components, "t", &mut warnings);
    space.define_components();
    let types = space.into_types();
    (types, warnings.into_sorted())
}

fn named<'t>(types: &'t [TypeDef], name: &str) -> &'t TypeDef {
    types.iter().find(|t| t.name == name).unwrap_or_else(|| {
        panic!(
            "{name} among {:?}",
            types.iter().map(|t| &t.name).collect::<Vec<_>>()
        )
    })
}

fn fields(def: &TypeDef) -> Vec<(&str, &TypeRef, Presence)> {
    let TypeKind::Struct { fields, .. } = &def.kind else {
        panic!("{} is a struct: {:?}", def.name, def.kind)
    };
    fields
        .iter()
        .map(|f| (f.wire_name.as_str(), &f.ty, f.presence))
        .collect()
}

#[test]
fn an_object_is_a_struct_whose_fields_say_if_they_may_be_absent_or_null() {
    let (types, _) = types_of(json!({
        "User": {
            "type": "object",
            "required": ["id", "deleted_at"],
            "properties": {
                "id": {"type": "string"},
                "deleted_at": {"type": "integer", "nullable": true},
                "age": {"type": "integer", "format": "int32"},
                "note": {"type": "string", "nullable": true},
                "tags": {"type": "array", "items": {"type": "string"}},
                "scores": {"type": "object", "additionalProperties": {"type": "number"}},
                "extra": {}
            }
        }
    }));
    let user = named(&types, "User");
    assert_eq!(user.rule, MappingRule::Object);
    assert_eq!(
        fields(user),
        [
            ("id", &TypeRef::String, Presence::Required),
            ("deleted_at", &TypeRef::I64, Presence::RequiredNullable),
            ("age", &TypeRef::I32, Presence::Optional),
            ("note", &TypeRef::String, Presence::OptionalNullable),
            (
                "tags",
                &TypeRef::Vec(Box::new(TypeRef::String)),
                Presence::Optional
            ),
            (
                "scores",
                &TypeRef::Map(Box::new(TypeRef::F64)),
                Presence::Optional
            ),
            ("extra", &TypeRef::Json, Presence::Optional),
        ]
    );
}

#[test]
fn a_string_enum_is_open_and_one_value_is_its_own_rule() {
    let (types, _) = types_of(json!({
        "Status": {"type": "string", "enum": ["active", "banned"]},
        "Object": {"type": "string", "enum": ["user"]}
    }));
    let status = named(&types, "Status");
    assert_eq!(status.rule, MappingRule::StringEnum);
    let TypeKind::Enum { variants, fallback } = &status.kind else {
        panic!("{:?}", status.kind)
    };
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["active", "banned"]);
    assert!(!variants.iter().any(|v| &v.name == fallback));
    assert_eq!(named(&types, "Object").rule, MappingRule::SingleValueEnum);
}

#[test]
fn one_of_with_a_discriminator_is_tagged_and_without_one_untagged() {
    let (types, _) = types_of(json!({
        "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "claws": {"type": "integer"}}},
        "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "bark": {"type": "boolean"}}},
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}}
        },
        "CatOrDog": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}
    }));
    let pet = named(&types, "Pet");
    assert_eq!(pet.rule, MappingRule::OneOfTagged);
    let TypeKind::Tagged { tag, variants, .. } = &pet.kind else {
        panic!("{:?}", pet.kind)
    };
    assert_eq!(tag, "kind");
    let tagged: Vec<(&str, &TypeRef)> = variants
        .iter()
        .map(|v| (v.tag_value.as_str(), &v.ty))
        .collect();
    assert_eq!(
        tagged,
        [
            ("cat", &TypeRef::Named("Cat".into())),
            ("dog", &TypeRef::Named("Dog".into()))
        ]
    );
    let either = named(&types, "CatOrDog");
    assert_eq!(either.rule, MappingRule::OneOfUntagged);
    assert!(matches!(&either.kind, TypeKind::Untagged { variants } if variants.len() == 2));
}

#[test]
fn all_of_merges_its_members_properties_into_one_struct() {
    let (types, _) = types_of(json!({
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "Extended": {"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "required": ["extra"], "properties": {"extra": {"type": "boolean"}}}
        ]}
    }));
    let extended = named(&types, "Extended");
    assert_eq!(extended.rule, MappingRule::AllOfMerged);
    assert_eq!(
        fields(extended),
        [
            ("id", &TypeRef::String, Presence::Required),
            ("extra", &TypeRef::Bool, Presence::Required),
        ]
    );
}

#[test]
fn a_single_member_one_of_is_its_member_and_a_ref_is_its_component() {
    let (types, _) = types_of(json!({
        "Id": {"type": "string"},
        "Holder": {"type": "object", "properties": {
            "id": {"oneOf": [{"$ref": "#/components/schemas/Id"}]},
            "other": {"$ref": "#/components/schemas/Id"}
        }}
    }));
    let id = TypeRef::Named("Id".into());
    assert_eq!(
        fields(named(&types, "Holder")),
        [
            ("id", &id, Presence::Optional),
            ("other", &id, Presence::Optional)
        ]
    );
}

#[test]
fn inline_schemas_whose_fields_say_different_things_stay_apart() {
    let body = |doc: &str| {
        json!({"type": "object", "properties": {
            "items": {"type": "object", "required": ["user_ids"], "properties": {
                "user_ids": {"type": "array", "items": {"type": "string"}, "description": doc}
            }}
        }})
    };
    let (types, _) = types_of(json!({
        "Ban": body("Array of user IDs to ban"),
        "Unban": body("Array of user IDs to unban"),
        "Lock": body("Array of user IDs to ban"),
    }));
    // The unban body documents its own ids: not folded into the ban body.
    let unban = named(&types, "UnbanItems");
    assert_eq!(unban.rule, MappingRule::Object);
    let TypeKind::Struct { fields, .. } = &unban.kind else {
        panic!("{:?}", unban.kind)
    };
    assert_eq!(fields[0].doc.as_deref(), Some("Array of user IDs to unban"));
    // The same words: the same type.
    assert_eq!(named(&types, "LockItems").rule, MappingRule::SameShape);
}

#[test]
fn an_inline_schema_shaped_like_an_earlier_type_is_its_alias_under_its_own_name() {
    let (types, _) = types_of(json!({
        "Token": {"type": "object", "properties": {
            "status": {"type": "string", "enum": ["pending", "accepted"]}
        }},
        "Invite": {"type": "object", "properties": {
            "status": {"type": "string", "enum": ["pending", "accepted"]}
        }}
    }));
    let first = named(&types, "TokenStatus");
    assert_eq!(first.rule, MappingRule::StringEnum);
    assert_eq!(
        first.also_at,
        ["#/components/schemas/Invite/properties/status"]
    );
    let second = named(&types, "InviteStatus");
    assert_eq!(second.rule, MappingRule::SameShape);
    assert!(
        matches!(&second.kind, TypeKind::Alias { target } if *target == TypeRef::Named("TokenStatus".into())),
        "{:?}",
        second.kind
    );
    assert_eq!(
        fields(named(&types, "Invite")),
        [(
            "status",
            &TypeRef::Named("InviteStatus".into()),
            Presence::Optional
        )]
    );
}

#[test]
fn a_component_name_that_is_a_prelude_name_is_renamed_and_collisions_get_suffixes() {
    let (types, _) = types_of(json!({
        "Option": {"type": "object", "properties": {"x": {"type": "string"}}},
        "option": {"type": "object", "properties": {"y": {"type": "string"}}}
    }));
    let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Option2", "Option3"]);
}
