//! Golden tests of the generator: small fixture documents (`tests/fixtures/`), one
//! construct at a time, generated in memory; their IR and their emitted code, as reviewed
//! snapshots (`tests/snapshots/`) and as assertions. The root package builds the same
//! fixture crates and runs them against mock servers.

use std::path::{Path, PathBuf};

use clerkgen::ir::{Api, Presence, TypeKind, TypeRef, TypeTable};
use clerkgen::manifest::Manifest;

fn fixture(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file)
}

fn fixture_manifest(file: &str, out: &Path, name: &str) -> Manifest {
    Manifest::for_spec(fixture(file), out.to_path_buf(), name.into())
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
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
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
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
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
    assert_eq!(ids, ["getTyped", "listThings", "listThings_2"]);
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

#[test]
fn types_no_operation_uses_compile_with_their_own_feature() {
    let generated = generated_fixture("constructs.yaml", "constructs");
    let features = |name: &str| type_named(&generated.api, name).features.clone();
    // Used by no operation: only `unused_types` compiles it.
    assert_eq!(features("Gallery"), Some(vec!["unused_types".to_string()]));
    // What it reaches keeps the module that uses it, and gains the feature.
    assert_eq!(
        features("Circle"),
        Some(vec!["widgets".to_string(), "unused_types".to_string()])
    );
    // The common error body is compiled whatever the features.
    assert_eq!(features("Errors"), None);
    let toml = file(&generated, "Cargo.toml");
    assert!(toml.contains("\nunused_types = []\n"), "{toml}");
    let full = toml.lines().find(|l| l.starts_with("full = ")).unwrap();
    assert!(full.ends_with(", \"unused_types\"]"), "{full}");

    // The webhook payloads, the event enum and what they reach are compiled whatever
    // the features: the webhook module decodes them.
    let dir = tempfile::tempdir().unwrap();
    let manifest = inline_manifest(
        &dir,
        r#"openapi: 3.0.3
info: {title: Events, version: "1"}
paths:
  /things: {get: {operationId: listThings, tags: [things], responses: {'204': {description: none}}}}
  /other: {get: {operationId: getOther, tags: [other], responses: {'204': {description: none}}}}
x-webhooks:
  thing.created:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [type, data]
              properties:
                type: {type: string, enum: [thing.created]}
                data: {$ref: '#/components/schemas/Thing'}
      responses: {'200': {description: ok}}
  thing.deleted:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [type]
              properties:
                type: {type: string, enum: [thing.deleted]}
      responses: {'200': {description: ok}}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: string}}}
    Unused: {type: object, properties: {id: {type: string}}}
"#,
        "events",
    );
    let generated = clerkgen::generate(&manifest).unwrap();
    let api = &generated.api;
    let event = api.event_type.as_deref().expect("an event enum");
    let payloads = api.webhooks.iter().map(|w| w.payload.rust("models"));
    let payloads: Vec<String> = payloads.collect();
    assert_eq!(payloads.len(), 2, "{payloads:?}");
    for name in payloads.iter().map(|p| p.trim_start_matches("models::")) {
        assert_eq!(type_named(api, name).features, None, "{name}");
    }
    assert_eq!(type_named(api, event).features, None);
    assert_eq!(type_named(api, "Thing").features, None);
    assert_eq!(
        type_named(api, "Unused").features,
        Some(vec!["unused_types".to_string()])
    );

    // Without an event enum (no property tells broken.yaml's one event apart), the
    // payload is compiled whatever the features all the same.
    let generated = generated_fixture("broken.yaml", "broken");
    let api = &generated.api;
    assert_eq!(api.event_type, None);
    assert_eq!(api.webhooks.len(), 1);
    let payload = api.webhooks[0].payload.rust("models");
    let payload = payload.trim_start_matches("models::");
    assert_eq!(type_named(api, payload).features, None, "{payload}");
}

#[test]
fn no_module_takes_the_name_of_another_feature_of_the_crate() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = inline_manifest(
        &dir,
        r#"openapi: 3.0.3
info: {title: Features, version: "1"}
paths:
  /a: {get: {operationId: getA, tags: [full], responses: {'204': {description: none}}}}
  /b: {get: {operationId: getB, tags: [roundtrip], responses: {'204': {description: none}}}}
  /c: {get: {operationId: getC, tags: [unused types], responses: {'204': {description: none}}}}
components:
  schemas:
    Unused: {type: object, properties: {a: {type: string}}}
"#,
        "features",
    );
    let generated = clerkgen::generate(&manifest).unwrap();
    let names: Vec<&str> = generated
        .api
        .modules
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    for feature in ["full", "roundtrip", "unused_types"] {
        assert!(!names.contains(&feature), "{feature} in {names:?}");
    }
    let toml = file(&generated, "Cargo.toml");
    for feature in ["full", "roundtrip", "unused_types"] {
        let declared = toml
            .lines()
            .filter(|l| l.starts_with(&format!("{feature} = ")))
            .count();
        assert_eq!(declared, 1, "{feature} declared once in\n{toml}");
    }
}
