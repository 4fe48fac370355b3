//! The IR of the Clerk Backend API: counts, coverage and a reviewed snapshot.

mod support;

use std::collections::BTreeSet;

use clerkgen::ir::{ModuleSource, TypeKind};

#[test]
fn every_operation_and_component_schema_is_in_the_ir() {
    let (api, _) = clerkgen::build_ir(&support::manifest()).unwrap();
    let spec = support::raw_spec();

    let spec_ops: BTreeSet<String> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| {
            op.get("operationId")
                .and_then(|v| v.as_str())
                .map(String::from)
        })
        .collect();
    let ir_ops: BTreeSet<String> = api
        .operations
        .iter()
        .map(|o| o.operation_id.clone())
        .collect();
    assert_eq!(spec_ops.len(), 249);
    assert_eq!(ir_ops, spec_ops);

    // Every component schema has a type, found by the pointer it came from.
    let pointers: BTreeSet<&str> = api.types.iter().map(|t| t.pointer.as_str()).collect();
    let components = spec["components"]["schemas"].as_object().unwrap();
    assert_eq!(components.len(), 167);
    for name in components.keys() {
        let pointer = format!(
            "#/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        assert!(pointers.contains(pointer.as_str()), "no type for {pointer}");
    }

    // Every operation sits in exactly one module, and module operation lists agree.
    let listed: Vec<&String> = api.modules.iter().flat_map(|m| &m.operations).collect();
    assert_eq!(listed.len(), 249);
    for op in &api.operations {
        let module = api.modules.iter().find(|m| m.name == op.module).unwrap();
        assert!(module.operations.contains(&op.operation_id));
    }
}

#[test]
fn capability_files_decide_modules_and_the_rest_group_by_tag() {
    let (api, _) = clerkgen::build_ir(&support::manifest()).unwrap();
    let settings = api
        .modules
        .iter()
        .find(|m| m.name == "instance_settings")
        .unwrap();
    assert!(
        matches!(&settings.source, ModuleSource::Capability { file } if file == "clerk-backend-api-instance-settings.yaml")
    );
    assert_eq!(settings.operations.len(), 11);
    assert_eq!(settings.api_struct, "InstanceSettingsApi");
    // SCIM directory operations are named by no capability file.
    let scim = api
        .modules
        .iter()
        .find(|m| m.name == "scim_directories")
        .unwrap();
    assert!(matches!(&scim.source, ModuleSource::Tag { tag } if tag == "SCIM Directories"));
    assert_eq!(scim.operations.len(), 10);
    // The credentials variable comes from the capability files' env bind.
    assert_eq!(api.credentials_env.as_deref(), Some("CLERK_SECRET_KEY"));
    assert_eq!(api.base_url, "https://api.clerk.com/v1");
}

#[test]
fn names_are_idiomatic_and_unique() {
    let (api, _) = clerkgen::build_ir(&support::manifest()).unwrap();
    let mut seen = BTreeSet::new();
    for t in &api.types {
        assert!(seen.insert(&t.name), "duplicate type {}", t.name);
        assert!(
            t.name.chars().next().unwrap().is_ascii_uppercase(),
            "{}",
            t.name
        );
        assert!(t.path.starts_with("clerk::models::"));
        if let TypeKind::Struct { fields, .. } = &t.kind {
            let names: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(
                names.len(),
                fields.len(),
                "field names collide in {}",
                t.name
            );
        }
    }
    let jwks = api
        .types
        .iter()
        .find(|t| t.pointer == "#/components/schemas/JWKS.rsa.PrivateKey")
        .unwrap();
    assert_eq!(jwks.name, "JwksRsaPrivateKey");
    let plan2 = api
        .types
        .iter()
        .find(|t| t.pointer == "#/components/schemas/CommercePlan-2")
        .unwrap();
    assert_eq!(plan2.name, "CommercePlan2");
    let get_user_list = api.operation("GetUserList").unwrap();
    assert_eq!(get_user_list.rust_name, "get_user_list");
    assert_eq!(get_user_list.module, "users");
}

#[test]
fn bapi_ir_snapshot() {
    let (api, _) = clerkgen::build_ir(&support::manifest()).unwrap();
    insta::assert_snapshot!("bapi_ir", clerkgen::ir::render_text(&api));
}
