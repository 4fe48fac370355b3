//! The generated types on real Clerk payloads: tri-state request fields, presence of
//! required nullable fields, and forward compatibility (unknown fields, enum values and
//! union tags decode, and unknown values survive a round trip).

mod support;

use clerk::models::{
    EmailAddressVerification, OrganizationInvitation, SignUp, UpdateScimDirectoryBody,
    UpdateUserBody, User, UserObject, VerificationOtpStatus,
};
use clerk::Patch;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn user_example() -> Value {
    support::sample_at("#/components/schemas/User")
}

#[test]
fn a_body_of_optional_fields_is_written_with_only_what_is_set() {
    // Every field of UpdateUserBody may be left out: it derives Default, absent fields.
    let body = UpdateUserBody {
        first_name: "Jane".into(),
        username: Patch::Null,
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"first_name": "Jane", "username": null})
    );
    assert_eq!(
        serde_json::to_value(UpdateUserBody::default()).unwrap(),
        json!({})
    );
}

#[test]
fn tri_state_fields_encode_absent_null_and_value() {
    let mut body: UpdateUserBody = serde_json::from_value(json!({})).unwrap();
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({}));
    body.first_name = Patch::Null;
    body.last_name = "Doe".into();
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"first_name": null, "last_name": "Doe"})
    );

    // Decoding keeps the three states apart.
    let decoded: UpdateUserBody =
        serde_json::from_value(json!({"first_name": null, "last_name": "Doe"})).unwrap();
    assert!(decoded.first_name.is_null());
    assert_eq!(
        decoded.last_name.as_value().map(String::as_str),
        Some("Doe")
    );
    assert!(decoded.locale.is_absent());
}

#[tokio::test]
async fn tri_state_setters_send_null_value_or_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/users/user_1"))
        .and(body_json(json!({"first_name": null, "last_name": "Doe"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_example()))
        .expect(1)
        .mount(&server)
        .await;
    let client = clerk::Client::builder()
        .secret_key("sk_test")
        .base_url(server.uri())
        .build()
        .unwrap();
    client
        .users()
        .update_user("user_1")
        .first_name(Patch::Null)
        .last_name("Doe")
        .send()
        .await
        .unwrap();
}

#[test]
fn maps_with_nullable_values_keep_their_nulls() {
    let body: UpdateScimDirectoryBody =
        serde_json::from_value(json!({"attribute_mapping": {"email": "mail", "phone": null}}))
            .unwrap();
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"attribute_mapping": {"email": "mail", "phone": null}})
    );
}

#[test]
fn required_nullable_fields_must_be_present() {
    let mut user = user_example();
    user["external_id"] = Value::Null;
    let decoded: User = serde_json::from_value(user.clone()).unwrap();
    assert_eq!(decoded.external_id, None);
    user.as_object_mut().unwrap().remove("external_id");
    let err = serde_json::from_value::<User>(user)
        .unwrap_err()
        .to_string();
    assert!(err.contains("external_id"), "{err}");
}

#[test]
fn unknown_fields_enum_values_and_union_tags_decode_and_survive() {
    let mut user = user_example();
    user["a_field_from_the_future"] = json!({"nested": true});
    user["object"] = json!("user_v2");
    let emails = user["email_addresses"].as_array_mut().unwrap();
    // An unknown verification status in a known variant, and an unknown variant.
    let mut known = emails[0].clone();
    known["verification"] = json!({"object": "verification_otp", "status": "quantum_verified", "strategy": "email_code", "attempts": 1, "expire_at": 1});
    let mut unknown = emails[0].clone();
    unknown["verification"] =
        json!({"object": "verification_telepathy", "status": "verified", "confidence": 0.9});
    *emails = vec![known, unknown.clone()];

    let decoded: User =
        serde_json::from_value(user.clone()).expect("a payload from a newer API decodes");
    assert_eq!(decoded.object, UserObject::Unknown("user_v2".into()));
    match &decoded.email_addresses[0].verification {
        Some(EmailAddressVerification::VerificationOtp(v)) => {
            assert_eq!(
                v.status,
                VerificationOtpStatus::Unknown("quantum_verified".into())
            );
        }
        other => panic!("expected the OTP variant, got {other:?}"),
    }
    match &decoded.email_addresses[1].verification {
        Some(EmailAddressVerification::Unknown(raw)) => assert_eq!(raw, &unknown["verification"]),
        other => panic!("expected the fallback variant, got {other:?}"),
    }

    // Re-encoding keeps every unknown value; only the undeclared field is dropped.
    let mut expected = user;
    expected
        .as_object_mut()
        .unwrap()
        .remove("a_field_from_the_future");
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(encoded["object"], "user_v2");
    assert_eq!(
        encoded["email_addresses"][0]["verification"]["status"],
        "quantum_verified"
    );
    assert_eq!(
        encoded["email_addresses"][1]["verification"],
        unknown["verification"]
    );
    assert!(encoded.get("a_field_from_the_future").is_none());
}

/// A `$ref` to a component that is itself `nullable: true` is nullable wherever it is used:
/// an invitation created without an inviter, a sign-up with no phone verification.
#[test]
fn references_to_nullable_components_accept_null() {
    let mut invitation = support::sample_at("#/components/schemas/OrganizationInvitation");
    invitation["public_inviter_data"] = Value::Null;
    let decoded: OrganizationInvitation = serde_json::from_value(invitation.clone())
        .expect("an invitation without an inviter decodes");
    assert!(decoded.public_inviter_data.is_none());
    // Required and nullable: the field must still be present.
    invitation
        .as_object_mut()
        .unwrap()
        .remove("public_inviter_data");
    assert!(serde_json::from_value::<OrganizationInvitation>(invitation).is_err());

    let mut sign_up = support::sample_at("#/components/schemas/SignUp");
    sign_up["verifications"]["phone_number"] = Value::Null;
    sign_up["verifications"]["web3_wallet"] = Value::Null;
    let decoded: SignUp =
        serde_json::from_value(sign_up).expect("a sign-up with no phone verification decodes");
    assert!(decoded.verifications.phone_number.is_none());
    assert!(decoded.verifications.email_address.is_some());
}

#[test]
fn single_value_enums_default_to_their_value() {
    assert_eq!(UserObject::default(), UserObject::User);
    assert_eq!(UserObject::default().as_str(), "user");
    assert_eq!("user".parse::<UserObject>().unwrap(), UserObject::User);
}
