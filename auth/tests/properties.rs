//! Tokens come from anyone: for any text, and for well-formed tokens with any header and
//! claims, verification returns an answer and never panics; a token signed with another key
//! never verifies.

mod support;

use clerk_auth::Verifier;
use proptest::prelude::*;
use serde_json::{json, Value};
use support::*;

fn verifier() -> Verifier {
    pem_verifier()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_text_is_answered_without_a_panic(token in "\\PC{0,300}|[A-Za-z0-9_.=-]{0,300}") {
        let verifier = verifier();
        let result = runtime().block_on(verifier.verify_session(&token));
        prop_assert!(result.is_err());
        let _ = clerk_auth::token_type(&token);
    }

    #[test]
    fn any_header_and_claims_are_answered_and_a_foreign_signature_never_verifies(
        alg in prop_oneof![Just(json!("RS256")), Just(json!("RS512")), Just(json!("none")), json_value()],
        kid in json_value(),
        extra_header in json_value(),
        claims in json_value(),
        exp in prop_oneof![Just(json!(NOW + 60)), json_value()],
    ) {
        let verifier = verifier();
        let mut header = json!({"alg": alg, "kid": kid, "x": extra_header});
        let mut claims = match claims { Value::Object(m) => Value::Object(m), other => json!({"c": other}) };
        claims["exp"] = exp;
        header["typ"] = json!("JWT");
        let foreign = sign(&key("b"), &header, &claims);
        let result = runtime().block_on(verifier.verify_session(&foreign));
        prop_assert!(result.is_err());
    }
}
