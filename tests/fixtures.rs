//! Small fixture specs, one construct at a time: their IR, their emitted code (reviewed
//! snapshots), and a build of the emitted crates with warnings and clippy lints denied.

mod support;

use std::path::Path;

use clerkgen::ir::{Api, Presence, TypeKind, TypeRef, TypeTable};
use clerkgen::manifest::Manifest;

fn fixture_manifest(file: &str, out: &Path, name: &str) -> Manifest {
    Manifest::for_spec(support::fixture(file), out.to_path_buf(), name.into())
}

/// The fixture `file` generated in memory as crate `name`.
fn generated_fixture(file: &str, name: &str) -> clerkgen::Generated {
    clerkgen::generate(&fixture_manifest(file, Path::new("unused"), name)).unwrap()
}

fn file<'a>(generated: &'a clerkgen::Generated, path: &str) -> &'a str {
    &generated
        .files
        .files
        .iter()
        .find(|(p, _)| p.to_str() == Some(path))
        .unwrap_or_else(|| panic!("{path} is generated"))
        .1
}

/// A manifest for a document written inline (kept in a temporary directory the caller
/// holds on to).
fn inline_manifest(dir: &tempfile::TempDir, yaml: &str, name: &str) -> Manifest {
    let spec = dir.path().join(format!("{name}.yaml"));
    std::fs::write(&spec, yaml).unwrap();
    Manifest::for_spec(spec, dir.path().join("out"), name.into())
}

fn type_named<'a>(api: &'a Api, name: &str) -> &'a clerkgen::ir::TypeDef {
    api.type_def(name)
        .unwrap_or_else(|| panic!("type {name} exists"))
}

#[test]
fn constructs_naming_rules() {
    let generated = generated_fixture("constructs.yaml", "fixture");
    let api = &generated.api;

    // Keywords and collisions in one request body.
    let create = api.operation("createWidget").unwrap();
    let body = create.body.as_ref().unwrap();
    let setters: Vec<(&str, &str)> = body
        .fields()
        .iter()
        .map(|f| (f.field.as_str(), f.setter.as_str()))
        .collect();
    assert_eq!(
        setters,
        [
            ("object", "object"),
            ("note", "note"),
            ("name", "name"),
            ("type", "type"),
            ("self_", "self_"),
            ("frontend_api", "frontend_api"),
            ("frontend_api_2", "frontend_api_2"),
            ("parts", "parts"),
            ("labels", "labels"),
            ("metadata", "metadata")
        ]
    );
    // A required single-valued field is filled in, not asked for; an optional nullable
    // field of a request body is tri-state.
    let object = &body.fields()[0];
    assert!(object.constant && !object.argument);
    assert_eq!(body.fields()[1].presence, Presence::TriState);
    assert!(body.fields()[2].argument);
    // A query parameter named like a builder method is renamed; the wire name stays.
    let part = api.operation("get_widget_part").unwrap();
    let send = part.params.iter().find(|p| p.name == "send").unwrap();
    assert_eq!(send.rust_name, "send_2");
    assert!(part.deprecated);
    // Path-item parameters are merged, path parameters first in template order.
    let names: Vec<&str> = part.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["widget_id", "index", "send"]);

    // Schema names: `Client` and `Option` are fine in `models`, prelude names are not.
    assert_eq!(
        type_named(api, "Client").pointer,
        "#/components/schemas/Client"
    );
    assert_eq!(
        type_named(api, "Option2").pointer,
        "#/components/schemas/Option"
    );
    assert_eq!(
        type_named(api, "JwksRsaPrivateKey").pointer,
        "#/components/schemas/JWKS.rsa.PrivateKey"
    );
    assert_eq!(
        type_named(api, "Part2").pointer,
        "#/components/schemas/Part-2"
    );
    assert_eq!(
        type_named(api, "Part22").pointer,
        "#/components/schemas/Part2"
    );

    // Enum values that collide or vanish in PascalCase get distinct, readable names, and
    // the fallback variant steps aside for a listed value `unknown`.
    let TypeKind::Enum { variants, fallback } = &type_named(api, "WidgetKind").kind else {
        panic!()
    };
    let names: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("X", "x"),
            ("MinusX", "-x"),
            ("Empty", ""),
            ("Unknown", "unknown"),
            ("V2fa", "2fa"),
            ("AB", "a.b")
        ]
    );
    assert_eq!(fallback, "Other");

    // Inline schemas are named after where they appear.
    assert_eq!(
        type_named(api, "ListWidgetsResponse").pointer,
        "#/paths/~1widgets/get/responses/200/content/application~1json/schema"
    );
    assert!(api.type_def("CreateWidgetBodyPartsItem").is_some());
    assert!(api.type_def("WidgetDims").is_some());

    // Unions, merges and `anyOf` constraints.
    assert_eq!(type_named(api, "Shape").rule.as_str(), "one-of-tagged");
    let TypeKind::Tagged { tag, variants, .. } = &type_named(api, "Shape").kind else {
        panic!()
    };
    assert_eq!(tag, "shape");
    assert_eq!(
        variants
            .iter()
            .map(|v| v.tag_value.as_str())
            .collect::<Vec<_>>(),
        ["circle", "square"]
    );
    assert_eq!(
        type_named(api, "StringOrNumber").rule.as_str(),
        "one-of-untagged"
    );
    let TypeKind::Struct { fields, .. } = &type_named(api, "Extended").kind else {
        panic!()
    };
    assert_eq!(
        fields
            .iter()
            .map(|f| (f.name.as_str(), f.required()))
            .collect::<Vec<_>>(),
        [("id", false), ("extra", true)]
    );
    assert_eq!(type_named(api, "EitherId").rule.as_str(), "object");
    // A nullable single-member allOf around a $ref is an optional reference.
    let TypeKind::Struct { fields, .. } = &type_named(api, "Widget").kind else {
        panic!()
    };
    let owner = fields.iter().find(|f| f.name == "owner").unwrap();
    assert_eq!(owner.ty, clerkgen::ir::TypeRef::Named("Client".into()));
    assert_eq!(owner.presence, Presence::OptionalNullable);
    let archived = fields.iter().find(|f| f.name == "archived_at").unwrap();
    assert_eq!(archived.presence, Presence::RequiredNullable);
    assert_eq!(
        type_named(api, "WidgetObject").rule.as_str(),
        "single-value-enum"
    );
    // Untagged unions try the most specific member first; inline members are named after
    // their single-valued property.
    let TypeKind::Untagged { variants } = &type_named(api, "LooseOrStrict").kind else {
        panic!()
    };
    assert_eq!(
        variants.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        ["Strict", "Special", "Loose"]
    );

    // Security: `security: []` turns authentication off; server variables are substituted.
    assert!(!api.operation("health").unwrap().authenticated);
    assert!(api.operation("listWidgets").unwrap().authenticated);
    assert_eq!(api.base_url, "https://eu.api.example.com/v2");
    // The error schema all error responses share becomes the crate's error body.
    assert_eq!(
        api.error_body,
        Some(clerkgen::ir::TypeRef::Named("Errors".into()))
    );
    // Modules by tag, with the tag's description.
    assert_eq!(
        api.modules
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["widgets", "misc_stuff"]
    );
    // Multipart and form bodies are typed and flattened like JSON ones; binary is a file.
    let upload = api.operation("upload").unwrap().body.as_ref().unwrap();
    assert_eq!(upload.encoding, clerkgen::ir::BodyEncoding::Multipart);
    assert_eq!(upload.fields()[0].ty, clerkgen::ir::TypeRef::File);
    assert_eq!(
        api.operation("login")
            .unwrap()
            .body
            .as_ref()
            .unwrap()
            .encoding,
        clerkgen::ir::BodyEncoding::Form
    );
    assert!(!generated.warnings.iter().any(|w| w.kind == "raw-body"));
}

#[test]
fn a_discriminated_union_with_an_untaggable_inline_member_is_decoded_by_shape() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = inline_manifest(
        &dir,
        r#"openapi: 3.0.3
info: {title: Pets, version: "1"}
paths: {}
components:
  schemas:
    Cat:
      type: object
      required: [petType]
      properties: {petType: {type: string}, claws: {type: integer}}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - type: object
          properties: {petType: {type: string}, bark: {type: boolean}}
      discriminator: {propertyName: petType}
    Animal:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - type: object
          properties: {petType: {type: string, enum: [dog]}, bark: {type: boolean}}
      discriminator: {propertyName: petType}
"#,
        "pets",
    );
    let generated = clerkgen::generate(&manifest).unwrap();
    let api = &generated.api;
    // No tag value exists for the inline dog of `Pet`: no Rust path stands in for one.
    assert!(
        matches!(&type_named(api, "Pet").kind, TypeKind::Untagged { .. }),
        "{:?}",
        type_named(api, "Pet").kind
    );
    assert!(generated
        .warnings
        .iter()
        .any(|w| w.kind == "untaggable-variant"
            && w.at.pointer == "#/components/schemas/Pet/discriminator"));
    // `Animal`'s inline member pins its value: tagged, with the component name for `Cat`.
    let TypeKind::Tagged { variants, .. } = &type_named(api, "Animal").kind else {
        panic!("{:?}", type_named(api, "Animal").kind)
    };
    let tags: Vec<&str> = variants.iter().map(|v| v.tag_value.as_str()).collect();
    assert_eq!(tags, ["Cat", "dog"]);
}

#[test]
fn pagination_keys_on_the_names_the_manifest_gives() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = inline_manifest(
        &dir,
        r#"openapi: 3.0.3
info: {title: Items, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: skip, in: query, schema: {type: integer}}
        - {name: top, in: query, schema: {type: integer}}
        - {name: after, in: query, schema: {type: string}}
      responses:
        '200':
          description: a page
          content:
            application/json:
              schema:
                type: object
                required: [value]
                properties:
                  value:
                    type: array
                    items:
                      type: object
                      required: [key]
                      properties: {key: {type: string}}
                  count: {type: integer}
"#,
        "items",
    );
    let pager = |m: &Manifest| {
        let api = clerkgen::generate(m).unwrap().api;
        api.operation("listItems").unwrap().pagination.clone()
    };
    // The default names (`offset`, `limit`, ...) are not this API's: no pager.
    assert!(pager(&manifest).is_none());
    manifest.options.pagination = clerkgen::manifest::PaginationNames {
        offset: "skip".into(),
        limit: "top".into(),
        cursor: "after".into(),
        item_id: "key".into(),
        total: "count".into(),
    };
    let pagination = pager(&manifest).expect("a pager under the manifest's names");
    assert_eq!(pagination.offset.as_ref().unwrap().param, "skip");
    assert_eq!(pagination.items_field.as_deref(), Some("value"));
    assert_eq!(pagination.total.as_ref().unwrap().field, "count");
    let cursor = pagination.cursor.as_ref().unwrap();
    assert_eq!(
        (cursor.param.as_str(), cursor.item_id.as_str()),
        ("after", "key")
    );
}

#[test]
fn a_union_gets_no_from_impl_for_a_type_two_of_its_variants_share() {
    let generated = generated_fixture("constructs.yaml", "fixture");
    let api = &generated.api;
    let TypeKind::Untagged { variants } = &type_named(api, "Reading").kind else {
        panic!("{:?}", type_named(api, "Reading").kind)
    };
    let types: Vec<&TypeRef> = variants.iter().map(|v| api.unalias(&v.ty)).collect();
    // The two object members are one type (the second an alias of the first), the
    // string its own.
    assert_eq!(types.len(), 3);
    assert_eq!(
        types.iter().filter(|t| **t == types[0]).count(),
        2,
        "{types:?}"
    );
    assert!(types.contains(&&TypeRef::String));
    // Two impls of `From<ReadingVariant1>` would not compile: the shared type gets none,
    // the string keeps its own.
    let models = file(&generated, "src/models.rs");
    let froms: Vec<&str> = models
        .lines()
        .filter(|l| l.starts_with("impl From<") && l.ends_with("for Reading {"))
        .collect();
    assert_eq!(froms, ["impl From<String> for Reading {"]);
}

#[test]
fn a_module_whose_name_ends_in_api_keeps_its_struct_name_in_doc_links() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = inline_manifest(
        &dir,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      tags: [Api]\n      parameters: [{name: q, in: query, schema: {type: string}}]\n      responses: {'204': {description: none}}\n",
        "t",
    );
    let generated = clerkgen::generate(&manifest).unwrap();
    let module = &generated.api.modules[0];
    assert_eq!(
        (module.name.as_str(), module.api_struct.as_str()),
        ("api", "ApiApi")
    );
    let code = file(&generated, "src/api.rs");
    assert!(code.contains("pub struct ApiApi"), "{code}");
    assert!(code.contains("[`ApiApi::list_things`]"), "{code}");
}

#[test]
fn strict_option_denies_unknown_fields_on_closed_objects_only() {
    let mut manifest = fixture_manifest("constructs.yaml", Path::new("unused"), "fixture");
    let lenient = clerkgen::generate(&manifest).unwrap();
    assert!(!file(&lenient, "src/models.rs").contains("strict"));
    manifest.options.strict = true;
    let strict = clerkgen::generate(&manifest).unwrap();
    let models = file(&strict, "src/models.rs");
    // Only `Widget` says `additionalProperties: false`; `tests/fixtures/decode.rs` shows
    // the refusal at run time.
    assert_eq!(models.matches("strict ").count(), 1);
    assert!(models.contains("strict Widget {"));
}

#[test]
fn constructs_snapshots() {
    let generated = generated_fixture("constructs.yaml", "fixture");
    insta::assert_snapshot!("constructs_ir", clerkgen::ir::render_text(&generated.api));
    insta::assert_snapshot!("constructs_models", file(&generated, "src/models.rs"));
    insta::assert_snapshot!("constructs_widgets", file(&generated, "src/widgets.rs"));
    insta::assert_snapshot!(
        "constructs_misc_stuff",
        file(&generated, "src/misc_stuff.rs")
    );
}

/// The parameters fixture's operations: every parameter style, security requirements,
/// success statuses by status, files, wildcard responses (each also has a wire test).
#[test]
fn params_snapshots() {
    let generated = generated_fixture("params.yaml", "params");
    insta::assert_snapshot!("params_ir", clerkgen::ir::render_text(&generated.api));
    insta::assert_snapshot!("params_other", file(&generated, "src/other.rs"));
}

#[test]
fn json_spec_without_capabilities_groups_by_tag() {
    let generated = generated_fixture("petstore.json", "petstore");
    let api = &generated.api;
    assert_eq!(api.modules.len(), 1);
    assert_eq!(api.modules[0].name, "pets");
    assert_eq!(api.credentials_env.as_deref(), Some("PETSTORE_API_KEY"));
    insta::assert_snapshot!("petstore_pets", file(&generated, "src/pets.rs"));
    insta::assert_snapshot!("petstore_client", file(&generated, "src/client_core.rs"));
}

/// OpenAPI 3.1 reads into the same model as 3.0: type arrays, `const`, `examples`, `$ref`
/// with siblings, `$defs`, `prefixItems`, `contentMediaType`, `pathItems`, an operation
/// with no responses, and `$dynamicRef` as a documented fallback.
#[test]
fn openapi_31_reads_into_the_one_model() {
    let generated = generated_fixture("openapi31.yaml", "notes");
    let api = &generated.api;
    let TypeKind::Struct { fields, .. } = &type_named(api, "Note").kind else {
        panic!()
    };
    let field = |name: &str| fields.iter().find(|f| f.name == name).unwrap();
    // `type: [string, "null"]`, required: present, maybe null.
    assert_eq!(field("title").ty, TypeRef::String);
    assert_eq!(field("title").presence, Presence::RequiredNullable);
    // `oneOf: [$ref, {type: "null"}]`.
    assert_eq!(field("author").ty, TypeRef::Named("Author".into()));
    assert_eq!(field("author").presence, Presence::RequiredNullable);
    // `$ref` beside a description is the reference.
    assert_eq!(field("body").ty, TypeRef::Named("Body".into()));
    // `const` is a single-valued enum of the constant's type.
    assert_eq!(field("kind").ty, TypeRef::Named("NoteKind".into()));
    assert_eq!(
        type_named(api, "NoteKind").rule.as_str(),
        "single-value-enum"
    );
    // `$defs` become component schemas; `prefixItems` of one schema are a list of it.
    assert_eq!(
        field("tags").ty,
        TypeRef::Vec(Box::new(TypeRef::Named("NoteTag".into())))
    );
    assert_eq!(field("position").ty, TypeRef::Vec(Box::new(TypeRef::F64)));
    // Several types: an untagged union; a `true` schema and `$dynamicRef`: free-form JSON.
    assert_eq!(
        type_named(api, "NoteScore").rule.as_str(),
        "any-of-untagged"
    );
    assert_eq!(field("extra").ty, TypeRef::Json);
    assert_eq!(field("generic").ty, TypeRef::Json);
    assert!(generated
        .warnings
        .iter()
        .any(|w| w.kind == "fallback-type" && w.at.pointer.ends_with("/generic")));
    // `contentMediaType` is a file; `exclusiveMinimum` as a number is read.
    let upload = api
        .operation("putAttachment")
        .unwrap()
        .body
        .as_ref()
        .unwrap();
    assert_eq!(upload.fields()[0].ty, TypeRef::File);
    // A path item from `components.pathItems`, and an operation with no responses.
    assert!(api.operation("listNotes").is_some());
    assert_eq!(
        api.operation("deleteNote").unwrap().response.ty,
        TypeRef::Unit
    );
    // `webhooks`: a payload type per event, and the event enum tagged by the property
    // every payload pins to one value (`event`), with the pinned values.
    assert_eq!(api.webhooks.len(), 2);
    assert_eq!(api.event_type.as_deref(), Some("Event"));
    let TypeKind::Tagged { tag, variants, .. } = &type_named(api, "Event").kind else {
        panic!()
    };
    assert_eq!(tag, "event");
    assert_eq!(
        variants
            .iter()
            .map(|v| (v.name.as_str(), v.tag_value.as_str()))
            .collect::<Vec<_>>(),
        [("NoteShared", "shared"), ("NoteArchived", "archived")]
    );
    insta::assert_snapshot!("openapi31_models", file(&generated, "src/models.rs"));
}

/// Any Unicode in a schema, property, parameter, operation or enum value name becomes a
/// valid, readable identifier (transliterated), and the wire name is kept.
#[test]
fn unicode_names_become_identifiers_and_keep_their_wire_names() {
    let generated = generated_fixture("unicode.yaml", "unicode");
    let api = &generated.api;
    assert_eq!(
        type_named(api, "Cafe2").pointer,
        "#/components/schemas/Café²"
    );
    let TypeKind::Struct { fields, .. } = &type_named(api, "Cafe2").kind else {
        panic!()
    };
    let names: Vec<(&str, &str)> = fields
        .iter()
        .map(|f| (f.name.as_str(), f.wire_name.as_str()))
        .collect();
    assert_eq!(names, [("naive1_2", "naïve½"), ("tada", "🎉"), ("_2", "²")]);
    let op = api.operation("Café²").unwrap();
    assert_eq!(op.rust_name, "cafe2");
    let params: Vec<(&str, &str)> = op
        .params
        .iter()
        .map(|p| (p.rust_name.as_str(), p.name.as_str()))
        .collect();
    assert_eq!(params, [("naive1_2", "naïve½"), ("tada", "🎉")]);
    let TypeKind::Enum { variants, .. } = &type_named(api, "Grinning").kind else {
        panic!()
    };
    assert_eq!(
        variants
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect::<Vec<_>>(),
        [("Grinning", "😀"), ("V12", "½"), ("A", "a")]
    );
}

/// A type that holds itself by value gets a `Box` on the edge that closes the cycle:
/// through a struct field, a tagged union and an untagged one; lists need none.
#[test]
fn recursive_types_are_boxed_where_the_cycle_closes() {
    let generated = generated_fixture("recursive.yaml", "trees");
    let api = &generated.api;
    let field_ty = |ty: &str, field: &str| {
        let TypeKind::Struct { fields, .. } = &type_named(api, ty).kind else {
            panic!("{ty} is a struct")
        };
        fields.iter().find(|f| f.name == field).unwrap().ty.clone()
    };
    let boxed = |name: &str| TypeRef::Boxed(Box::new(TypeRef::Named(name.into())));
    assert_eq!(field_ty("Node", "next"), boxed("Node"));
    assert_eq!(
        field_ty("Node", "children"),
        TypeRef::Vec(Box::new(TypeRef::Named("Node".into())))
    );
    assert_eq!(field_ty("Sum", "left"), boxed("Expr"));
    assert_eq!(field_ty("Sum", "right"), boxed("Expr"));
    assert_eq!(field_ty("Parent", "child"), boxed("Category"));
    // Nothing outside a cycle is boxed.
    assert_eq!(field_ty("Forest", "root"), TypeRef::Named("Node".into()));
}

/// Integers beyond i64/u64 load from YAML as they load from JSON (as floating-point
/// numbers): the same document gives the same IR in both formats.
#[test]
fn security_requirements_name_their_schemes_and_an_undefined_one_is_a_warning() {
    let manifest = fixture_manifest("params.yaml", Path::new("unused"), "params");
    let (api, warnings) = clerkgen::build_ir(&manifest).unwrap();
    let schemes: Vec<&str> = api.auth.iter().map(|a| a.name()).collect();
    assert_eq!(
        schemes,
        ["token", "apiKeyHeader", "apiKeyQuery", "basicAuth", "oauth"]
    );
    let security = |id: &str| {
        let op = api
            .operations
            .iter()
            .find(|o| o.operation_id == id)
            .unwrap();
        (op.security.clone(), op.authenticated)
    };
    let either = vec![
        vec![],
        vec!["token".to_string()],
        vec!["apiKeyQuery".to_string()],
    ];
    assert_eq!(security("getWithEither"), (either, false));
    let both = vec![vec!["apiKeyHeader".to_string(), "basicAuth".to_string()]];
    assert_eq!(security("getWithBoth"), (both, true));
    assert_eq!(security("getWithUndefined"), (vec![], false));
    assert!(warnings
        .iter()
        .any(|w| w.kind == "undefined-security-scheme"
            && w.at.pointer == "#/paths/~1secure~1undefined/get/security"
            && w.message.contains("`nowhere`")));
    // OAuth 2 takes a caller's bearer token, with no fallback warning.
    assert!(!warnings.iter().any(|w| w.kind == "auth-fallback"));
}

#[test]
fn an_all_of_whose_other_members_only_annotate_is_its_shaping_member() {
    let manifest = fixture_manifest("params.yaml", Path::new("unused"), "params");
    let (api, _) = clerkgen::build_ir(&manifest).unwrap();
    // `{description, example}` beside a `$ref` to a list: the list, not an empty struct.
    let TypeKind::Alias { target } = &type_named(&api, "AnnotatedTags").kind else {
        panic!("AnnotatedTags is an alias");
    };
    assert_eq!(target.rust("models"), "models::Tags");
    // `{type: string, nullable: true}` beside a `$ref` to a string: a nullable string.
    let TypeKind::Struct { fields, .. } = &type_named(&api, "Labelled").kind else {
        panic!("Labelled is a struct");
    };
    let slug = fields.iter().find(|f| f.name == "slug").unwrap();
    assert_eq!(slug.ty.rust("models"), "models::Slug");
    assert!(slug.nullable(), "the restating member makes it nullable");
}

#[test]
fn yaml_loads_like_json_with_integers_out_of_range() {
    let dir = support::scratch("big-integers");
    std::fs::create_dir_all(&dir).unwrap();
    let body = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"Big\", \"version\": \"1\"}, \"paths\": {}, \"components\": {\"schemas\": {\"Big\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\", \"minimum\": -9223372036854775809, \"maximum\": 18446744073709551616}}}}}}";
    let mut irs = Vec::new();
    for file in ["big.json", "big.yaml"] {
        // JSON is YAML: the same text in both files.
        std::fs::write(dir.join(file), body).unwrap();
        let manifest = Manifest::for_spec(dir.join(file), dir.join("out"), "big".into());
        let (api, _) = clerkgen::build_ir(&manifest).unwrap_or_else(|e| panic!("{file}: {e}"));
        irs.push(clerkgen::ir::render_text(&api));
    }
    assert_eq!(irs[0], irs[1]);
}

/// A document without `paths` (a components-only library) generates its types.
#[test]
fn a_document_without_paths_generates_its_types() {
    let dir = support::scratch("no-paths");
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("types.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: Types, version: '1'}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        id: {type: string}\n",
    )
    .unwrap();
    let generated =
        clerkgen::generate(&Manifest::for_spec(spec, dir.join("out"), "types".into())).unwrap();
    assert!(generated.api.operations.is_empty());
    assert!(generated.api.type_def("Thing").is_some());
}

#[test]
fn a_public_api_without_servers_gets_an_honest_client() {
    let generated = generated_fixture("public.yaml", "public");
    let kinds: Vec<&str> = generated.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "ignored-header-parameter")
            .count(),
        3,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"no-server"), "{kinds:?}");
    let client = file(&generated, "src/client_core.rs");
    // No credential to read or set: no from_env, no secret key.
    assert!(client.contains("pub fn new() -> Self"));
    assert!(!client.contains("fn from_env") && !client.contains("fn secret_key"));
    assert!(client.contains("impl Default for Client"));
    let ops = file(&generated, "src/other.rs");
    assert!(ops.contains("pub fn x_trace("));
    assert!(!ops.contains("pub fn accept(") && !ops.contains("pub fn authorization("));
    assert!(!ops.contains("pub fn content_type("));
    assert!(ops.contains("\"application/merge-patch+json\""));
    // Tabs in the document's text become spaces in the docs.
    assert!(!ops.contains('\t') && !file(&generated, "src/models.rs").contains('\t'));
    let docs = file(&generated, "src/lib.rs");
    assert!(docs.contains("public::Client::builder().base_url(\"https://api.example.com\")"));
    assert!(!docs.contains("capability"), "no words of another API's");
    assert!(!file(&generated, "Cargo.toml").contains("\"users\""));
    insta::assert_snapshot!("public_client", client);
}

#[test]
fn a_document_broken_in_places_still_gives_a_client() {
    let generated = generated_fixture("broken.yaml", "broken");
    let kinds: Vec<&str> = generated.warnings.iter().map(|w| w.kind).collect();
    for kind in [
        "duplicate-operation-id",
        "dangling-ref",
        "unusable-ref",
        "invalid-node",
        "webhook-extension",
        "two-authorization-headers",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let ids: Vec<&str> = generated
        .api
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    assert_eq!(ids, ["listThings", "listThings_2", "getTyped"]);
    let pointers: Vec<&str> = generated
        .warnings
        .iter()
        .filter(|w| w.kind == "invalid-node")
        .map(|w| w.at.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        [
            "#/paths/~1bare",
            "#/paths/~1typed/get/responses/200/content/application~1json/schema/properties/name/description"
        ]
    );
    assert_eq!(generated.api.webhooks.len(), 1);
    // The requirement keeps one Authorization header.
    let things = generated.api.operation("listThings").unwrap();
    assert_eq!(things.security, [["bearer"]]);
    insta::assert_snapshot!("broken_other", file(&generated, "src/other.rs"));
    // Where nothing usable remains, it is still an error naming the place.
    let dir = tempfile::tempdir().unwrap();
    let manifest = inline_manifest(
        &dir,
        "openapi: 3.0.3\ninfo: {title: 7, version: '1'}\npaths: {}\n",
        "hopeless",
    );
    let err = clerkgen::generate(&manifest).unwrap_err().to_string();
    assert!(err.contains("#/info/title"), "{err}");
}

/// Writes the fixture crates into a scratch workspace and runs clippy on them with
/// warnings denied, offline, in a target directory of its own; then runs
/// `fixtures/decode.rs` against the constructs crate generated with `strict`.
#[test]
fn fixture_crates_compile_without_warnings() {
    let scratch = support::scratch("fixture-crates");
    for (spec, name, strict) in [
        ("constructs.yaml", "constructs", false),
        ("petstore.json", "petstore", false),
        ("constructs.yaml", "strict", true),
        ("openapi31.yaml", "notes", false),
        ("unicode.yaml", "unicode", false),
        ("recursive.yaml", "trees", false),
        ("params.yaml", "params", false),
        ("public.yaml", "public", false),
        ("broken.yaml", "broken", false),
    ] {
        let out = scratch.join(name);
        let mut manifest = fixture_manifest(spec, &out, name);
        manifest.options.strict = strict;
        let generated = clerkgen::generate(&manifest).unwrap();
        generated.files.write(&out).unwrap();
    }
    // The decode test also calls the client against a mock server.
    let mut cargo_toml = std::fs::read_to_string(scratch.join("strict/Cargo.toml")).unwrap();
    cargo_toml.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\nwiremock = \"0.6\"\n",
    );
    std::fs::write(scratch.join("strict/Cargo.toml"), cargo_toml).unwrap();
    std::fs::create_dir_all(scratch.join("strict/tests")).unwrap();
    std::fs::copy(
        support::fixture("decode.rs"),
        scratch.join("strict/tests/decode.rs"),
    )
    .unwrap();
    // The 3.1 crate decodes webhook events into their variants.
    std::fs::create_dir_all(scratch.join("notes/tests")).unwrap();
    std::fs::write(scratch.join("notes/tests/events.rs"), NOTES_EVENTS).unwrap();
    // The parameters crate sends a union's string variant as plain text, on the wire.
    let mut params_toml = std::fs::read_to_string(scratch.join("params/Cargo.toml")).unwrap();
    params_toml.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\nwiremock = \"0.6\"\n",
    );
    std::fs::write(scratch.join("params/Cargo.toml"), params_toml).unwrap();
    std::fs::create_dir_all(scratch.join("params/tests")).unwrap();
    std::fs::write(scratch.join("params/tests/wire.rs"), PARAMS_WIRE).unwrap();
    // The public crate is honest on the wire: no server, no credentials, the headers and
    // media types the document declares.
    let mut public_toml = std::fs::read_to_string(scratch.join("public/Cargo.toml")).unwrap();
    public_toml.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\nwiremock = \"0.6\"\n",
    );
    std::fs::write(scratch.join("public/Cargo.toml"), public_toml).unwrap();
    std::fs::create_dir_all(scratch.join("public/tests")).unwrap();
    std::fs::write(scratch.join("public/tests/wire.rs"), PUBLIC_WIRE).unwrap();
    // The recursive crate decodes and re-encodes nested payloads.
    std::fs::create_dir_all(scratch.join("trees/tests")).unwrap();
    std::fs::write(scratch.join("trees/tests/trees.rs"), TREES).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[workspace]\nmembers = [\"constructs\", \"petstore\", \"strict\", \"notes\", \"unicode\", \"trees\", \"params\", \"public\", \"broken\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    support::cargo_in_scratch(
        &scratch,
        &["clippy", "--workspace", "--quiet", "--", "-D", "warnings"],
        &[],
    );
    // With no feature on, what stays compiled (types no operation uses, such as
    // `Gallery`) must not refer to a type behind a feature.
    support::cargo_in_scratch(
        &scratch,
        &[
            "clippy",
            "--quiet",
            "-p",
            "constructs",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    );
    support::cargo_in_scratch(
        &scratch,
        &["test", "--quiet", "-p", "strict", "--features", "roundtrip"],
        &[],
    );
    support::cargo_in_scratch(&scratch, &["test", "--quiet", "-p", "notes"], &[]);
    support::cargo_in_scratch(&scratch, &["test", "--quiet", "-p", "params"], &[]);
    support::cargo_in_scratch(&scratch, &["test", "--quiet", "-p", "public"], &[]);
    support::cargo_in_scratch(
        &scratch,
        &["test", "--quiet", "-p", "trees", "--features", "roundtrip"],
        &[],
    );
}

/// The public fixture on the wire: a client without a server fails at `build()`; with one,
/// it sends the one `Accept` it decides, the header parameter it may send, and the body's
/// declared media type.
const PUBLIC_WIRE: &str = r##"
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn no_server_no_client_until_a_base_url_is_given() {
    let err = public::Client::builder().build().unwrap_err();
    assert!(matches!(err, public::Error::InvalidSetting { setting: "base_url", .. }), "{err:?}");
    assert!(err.to_string().contains("ClientBuilder::base_url"), "{err}");
    // The constructor that cannot fail reports it from every call, sending nothing.
    let err = public::Client::new().other().get_comic(1).await.unwrap_err();
    assert!(matches!(err, public::Error::InvalidSetting { setting: "base_url", .. }), "{err:?}");
}

#[tokio::test]
async fn headers_and_media_types_are_the_documents() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/comics/7"))
        .and(header("x-trace", "t1"))
        .and(|r: &wiremock::Request| r.headers.get_all("accept").iter().count() == 1)
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 7})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/comics/7"))
        .and(header("content-type", "application/merge-patch+json"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = public::Client::builder().base_url(server.uri()).build().unwrap();
    let comic = client.other().get_comic(7).x_trace("t1").await.unwrap();
    assert_eq!(comic.id, 7);
    client
        .other()
        .patch_comic(7)
        .body(public::models::ComicPatch { title: public::Patch::Null })
        .await
        .unwrap();
}
"##;

/// Nested payloads of the recursive fixture: they decode, and re-encode to the same JSON.
const TREES: &str = r##"
use trees::models::{Category, Expr, Forest};

#[test]
fn nested_payloads_decode_and_round_trip() {
    let json = serde_json::json!({
        "root": {"value": "a", "next": {"value": "b", "next": {"value": "c"}}, "children": [{"value": "d"}]},
        "expr": {"op": "sum", "left": {"op": "lit", "value": 1.0}, "right": {"op": "sum", "left": {"op": "lit", "value": 2.0}, "right": {"op": "lit", "value": 3.0}}},
        "category": {"name": "top", "child": {"name": "mid", "child": "leaf"}}
    });
    let forest: Forest = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(forest.root.next.as_ref().unwrap().next.as_ref().unwrap().value, "c");
    let Expr::Sum(sum) = &forest.expr else { panic!("{:?}", forest.expr) };
    assert!(matches!(&*sum.right, Expr::Sum(_)));
    let Category::Parent(parent) = &forest.category else { panic!() };
    assert!(matches!(&*parent.child, Category::Parent(p) if matches!(&*p.child, Category::String(s) if s == "leaf")));
    assert_eq!(serde_json::to_value(&forest).unwrap(), json);
}
"##;

/// Sample events for the 3.1 fixture's webhooks: each known tag picks its variant, an
/// unknown one keeps the raw JSON.
const NOTES_EVENTS: &str = r##"
use notes::models::Event;

#[test]
fn events_decode_into_their_variants() {
    let shared: Event = serde_json::from_str(r#"{"event": "shared", "note_id": "note_1", "with": null}"#).unwrap();
    match shared {
        Event::NoteShared(e) => assert_eq!((e.note_id.as_str(), e.with), ("note_1", None)),
        other => panic!("{other:?}"),
    }
    let note = r#"{"id": "n", "kind": "note", "title": null, "body": {}, "author": null, "tags": [], "position": [1, 2]}"#;
    let archived: Event = serde_json::from_str(&format!(r#"{{"event": "archived", "note": {note}}}"#)).unwrap();
    assert!(matches!(archived, Event::NoteArchived(e) if e.note.id == "n"));
    let future: Event = serde_json::from_str(r#"{"event": "pinned", "note_id": "note_1"}"#).unwrap();
    assert!(matches!(&future, Event::Unknown(raw) if raw["event"] == "pinned"));
}
"##;

/// Parameters of every type on the wire: an alias in the path, an enum and a union's
/// string and integer variants in the query, an enum in a header; a union and a list in
/// the path.
const PARAMS_WIRE: &str = r##"
use params::models::{GetItemKey, GetThingDeep, GetThingDeepRange, GetThingEither, GetThingFilter, Mode};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts `mock` answering `status`, to be matched exactly once.
async fn expect_once(server: &MockServer, mock: wiremock::MockBuilder, status: u16) {
    mock.respond_with(ResponseTemplate::new(status)).expect(1).mount(server).await;
}

/// A request that carries no `Authorization` header.
fn no_authorization(r: &wiremock::Request) -> bool {
    !r.headers.contains_key("authorization")
}


#[tokio::test]
async fn every_parameter_type_is_sent_as_text() {
    let server = MockServer::start().await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/things/thing_1/7"))
            .and(query_param("mode", "fast"))
            .and(query_param("either", "abc"))
            .and(header("X-Trace", "slow")),
        200,
    )
    .await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/things/thing_1/7"))
            .and(query_param("either", "42")),
        200,
    )
    .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    client
        .other()
        .get_thing("thing_1", 7)
        .mode(Mode::Fast)
        .either(GetThingEither::String("abc".into()))
        .x_trace(Mode::Slow)
        .await
        .unwrap();
    client.other().get_thing("thing_1", 7).either(GetThingEither::from(42i64)).await.unwrap();
}

#[tokio::test]
async fn each_operation_sends_the_credentials_its_security_asks_for() {
    use wiremock::matchers::query_param_is_missing;
    let server = MockServer::start().await;
    // Only the header key, and no Authorization, for an operation that asks for the key.
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/header"))
            .and(header("X-Api-Key", "key_1"))
            .and(no_authorization),
        204,
    )
    .await;
    // Both schemes of one requirement: the key and basic credentials (u:p).
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/both"))
            .and(header("X-Api-Key", "key_1"))
            .and(header("Authorization", "Basic dTpw")),
        204,
    )
    .await;
    // Alternatives: the first the client can meet (the bearer token over the query key).
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/either"))
            .and(header("Authorization", "Bearer tok_1"))
            .and(query_param_is_missing("api_key")),
        204,
    )
    .await;
    let client = params::Client::builder()
        .base_url(server.uri())
        .secret_key(" tok_1\n")
        .api_key_header("key_1")
        .basic_auth("u", "p")
        .build()
        .unwrap();
    client.other().get_with_header_key().await.unwrap();
    client.other().get_with_both().await.unwrap();
    client.other().get_with_either().await.unwrap();
    assert!(!format!("{client:?}").contains("key_1"));

    // A client with only the query key uses it; one with nothing goes out anonymous.
    let server = MockServer::start().await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/either"))
            .and(query_param("api_key", "q_1"))
            .and(no_authorization),
        204,
    )
    .await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/either"))
            .and(query_param_is_missing("api_key"))
            .and(no_authorization),
        204,
    )
    .await;
    let keyed = params::Client::builder().base_url(server.uri()).api_key_query("q_1").build().unwrap();
    keyed.other().get_with_either().await.unwrap();
    let anonymous = params::Client::builder().base_url(server.uri()).build().unwrap();
    anonymous.other().get_with_either().await.unwrap();
}

#[tokio::test]
async fn objects_in_the_query_are_sent_as_deep_objects_and_exploded_forms() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t/1"))
        .and(query_param("deep[status]", "open"))
        .and(query_param("deep[tags][0]", "a"))
        .and(query_param("deep[tags][1]", "b"))
        .and(query_param("deep[range][gte]", "3"))
        .and(query_param("status", "closed"))
        .and(query_param("limit", "2"))
        .and(|r: &wiremock::Request| {
            // No key for the unset members, none for the objects themselves.
            r.url.query_pairs().all(|(k, _)| k != "filter" && k != "deep" && k != "deep[range]")
        })
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    client
        .other()
        .get_thing("t", 1)
        .deep(GetThingDeep {
            status: Some("open".into()),
            tags: Some(vec!["a".into(), "b".into()]),
            range: Some(GetThingDeepRange { gte: Some(3) }),
        })
        .filter(GetThingFilter { status: Some("closed".into()), limit: Some(2) })
        .await
        .unwrap();
}

#[tokio::test]
async fn success_statuses_with_different_bodies_decode_into_their_own_variants() {
    use params::models::StartJobResponse;
    let server = MockServer::start().await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    let answers = [
        (200, r#"{"result": "done"}"#),
        (201, r#"{"id": "job_1", "queued": 2}"#),
        (202, ""),
        (203, "see later"),
        (207, "[]"),
    ];
    let mut seen = Vec::new();
    for (status, body) in answers {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/jobs"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        seen.push(client.other().start_job().await.unwrap());
    }
    assert!(matches!(&seen[0], StartJobResponse::Ok(r) if r.result.as_deref() == Some("done")));
    assert!(matches!(&seen[1], StartJobResponse::Created(c) if c.id == "job_1" && c.queued == Some(2)));
    assert_eq!(seen[2], StartJobResponse::Accepted);
    assert_eq!(seen[3], StartJobResponse::NonAuthoritativeInformation("see later".into()));
    assert_eq!(seen[4], StartJobResponse::Other { status: 207, body: b"[]".to_vec() });
}

#[tokio::test]
async fn a_list_of_files_is_one_part_per_file_and_a_binary_response_is_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .and(|r: &wiremock::Request| {
            let body = String::from_utf8_lossy(&r.body);
            body.matches("name=\"files\"").count() == 2
                && body.contains("first file")
                && body.contains("second file")
                && body.contains("filename=\"b.txt\"")
        })
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"PK\x03\x04".to_vec(), "application/zip"))
        .expect(1)
        .mount(&server)
        .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    let files = [
        params::FilePart::new(b"first file".to_vec()).file_name("a.txt"),
        params::FilePart::new(b"second file".to_vec()).file_name("b.txt"),
    ];
    let archive: Vec<u8> = client.other().upload_files(files).label("two").await.unwrap();
    assert_eq!(archive, b"PK\x03\x04");
}

#[tokio::test]
async fn a_binary_response_streams_past_the_body_size_limit_and_an_error_status_is_still_an_error() {
    let server = MockServer::start().await;
    let archive: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(archive.clone(), "application/zip"))
        .expect(2)
        .mount(&server)
        .await;
    let client = params::Client::builder()
        .base_url(server.uri())
        .max_body_size(64 * 1024)
        .build()
        .unwrap();
    let upload = || client.other().upload_files([params::FilePart::new(b"x".to_vec())]);
    // Read whole, the body is over the limit; streamed, it is not held at once.
    let whole = upload().send().await.unwrap_err();
    assert!(matches!(whole, params::Error::BodyTooLarge { status: 200, .. }), "{whole:?}");
    let mut stream = upload().send_stream().await.unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.content_length(), Some(archive.len() as u64));
    assert_eq!(stream.headers()["content-type"], "application/zip");
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next_chunk().await.unwrap() {
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert_eq!(received, archive);
    assert_eq!(stream.received(), archive.len() as u64);
    assert!(chunks > 1, "the body arrived in one chunk");
    assert!(stream.next_chunk().await.unwrap().is_none(), "a finished stream stays finished");

    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(r#"{"message": "no"}"#, "application/json"))
        .mount(&server)
        .await;
    let error = upload().send_stream().await.unwrap_err();
    assert!(matches!(&error, params::Error::Api(e) if e.status() == 403), "{error:?}");
}

#[tokio::test]
async fn server_variables_are_builder_options_with_defaults() {
    assert_eq!(params::SERVER_URL_TEMPLATE, "http://127.0.0.1:{port}/{tenant}");
    assert_eq!(params::DEFAULT_BASE_URL, "http://127.0.0.1:80/demo");
    let server = MockServer::start().await;
    let port = server.address().port().to_string();
    expect_once(&server, Mock::given(method("GET")).and(path("/acme/items/5/a")), 204).await;
    expect_once(&server, Mock::given(method("GET")).and(path("/demo/items/6/b")), 204).await;
    let acme = params::Client::builder().port(port.clone()).tenant("acme").build().unwrap();
    assert_eq!(acme.base_url(), format!("http://127.0.0.1:{port}/acme"));
    acme.other().get_item(GetItemKey::from(5i64), ["a"]).await.unwrap();
    // The other variable keeps its default.
    let demo = params::Client::builder().port(port).build().unwrap();
    demo.other().get_item(GetItemKey::from(6i64), ["b"]).await.unwrap();
    // A base URL replaces the template altogether.
    let direct = params::Client::builder().tenant("acme").base_url(server.uri()).build().unwrap();
    assert_eq!(direct.base_url(), server.uri());
}

#[tokio::test]
async fn a_wildcard_response_with_a_schema_is_asked_for_and_decoded_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wildcard"))
        .and(header("Accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"count": 3}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    let response = client.other().get_wildcard().await.unwrap();
    assert_eq!(response.count, Some(3));
}

#[tokio::test]
async fn a_union_and_a_list_in_the_path_are_sent_as_text() {
    let server = MockServer::start().await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/items/5/a,b")),
        204,
    )
    .await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/items/key_1/c")),
        204,
    )
    .await;
    let client = params::Client::builder().base_url(server.uri()).build().unwrap();
    client.other().get_item(GetItemKey::from(5i64), ["a", "b"]).await.unwrap();
    client.other().get_item(GetItemKey::String("key_1".into()), ["c"]).await.unwrap();
    // A union or a list that would leave its segment is refused, and nothing is sent.
    let dots = client.other().get_item(GetItemKey::String("..".into()), ["c"]).await;
    assert!(matches!(dots, Err(params::Error::InvalidInput { parameter: "key", .. })), "{dots:?}");
    let empty = client.other().get_item(GetItemKey::from(5i64), Vec::<String>::new()).await;
    assert!(matches!(empty, Err(params::Error::InvalidInput { parameter: "ids", .. })), "{empty:?}");
}

#[tokio::test]
async fn api_keys_never_follow_a_redirect_to_another_origin() {
    // Another origin: the redirect is the answer, and the other host sees nothing.
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let origin = MockServer::start().await;
    for route in ["/secure/header", "/secure/either"] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(307).insert_header("Location", format!("{}/stolen", elsewhere.uri())))
            .mount(&origin)
            .await;
    }
    let header_key = params::Client::builder().base_url(origin.uri()).api_key_header("key_1").build().unwrap();
    let err = header_key.other().get_with_header_key().await.unwrap_err();
    assert_eq!(err.status(), Some(307));
    let query_key = params::Client::builder().base_url(origin.uri()).api_key_query("q_1").build().unwrap();
    let err = query_key.other().get_with_either().await.unwrap_err();
    assert_eq!(err.status(), Some(307));
    assert!(!format!("{err} {err:?}").contains("q_1"));

    // The same origin: followed, with the key, and without a Referer that would carry a
    // query key.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/secure/header"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/secure/both"))
        .expect(1)
        .mount(&server)
        .await;
    expect_once(
        &server,
        Mock::given(method("GET"))
            .and(path("/secure/both"))
            .and(header("X-Api-Key", "key_1"))
            .and(|r: &wiremock::Request| !r.headers.contains_key("referer")),
        204,
    )
    .await;
    let client = params::Client::builder().base_url(server.uri()).api_key_header("key_1").build().unwrap();
    client.other().get_with_header_key().await.unwrap();
}
"##;
