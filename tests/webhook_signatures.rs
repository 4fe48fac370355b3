//! Verifying Clerk's webhook deliveries (`clerk_webhooks::Webhook`, Standard Webhooks):
//! the scheme's published test vector, the ways a delivery is refused (expired, from the
//! future, tampered body, wrong secret, missing header, partial signature), several
//! signatures in one header, both header spellings, and a real event example from Clerk's
//! webhooks document verified and decoded into its variant.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_webhooks::models::Event;
use clerk_webhooks::{Webhook, WebhookError};

// The Standard Webhooks specification's example (its "Signature scheme" section and the
// reference libraries' tests): this secret, id, timestamp and body sign to this value.
const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
const TIMESTAMP: i64 = 1649367553;
const BODY: &[u8] = br#"{"email":"test@example.com","username":"test_user"}"#;
const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

fn at(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds as u64)
}

fn headers(id: &str, timestamp: i64, signature: &str) -> http::HeaderMap {
    let mut h = http::HeaderMap::new();
    h.insert("webhook-id", id.parse().unwrap());
    h.insert("webhook-timestamp", timestamp.to_string().parse().unwrap());
    h.insert("webhook-signature", signature.parse().unwrap());
    h
}

fn webhook() -> Webhook {
    Webhook::new(SECRET).unwrap()
}

#[test]
fn the_published_test_vector_signs_and_verifies() {
    assert_eq!(webhook().sign(ID, TIMESTAMP, BODY), SIGNATURE);
    webhook()
        .verify_signature_at(&headers(ID, TIMESTAMP, SIGNATURE), BODY, at(TIMESTAMP))
        .unwrap();
    // The secret without its prefix is the same key.
    let bare = Webhook::new(SECRET.strip_prefix("whsec_").unwrap()).unwrap();
    assert_eq!(bare.sign(ID, TIMESTAMP, BODY), SIGNATURE);
}

#[test]
fn svix_header_names_and_header_pairs_are_read_too() {
    let pairs = vec![
        ("Svix-Id", ID.to_string()),
        ("Svix-Timestamp", TIMESTAMP.to_string()),
        ("Svix-Signature", SIGNATURE.to_string()),
    ];
    webhook()
        .verify_signature_at(&pairs, BODY, at(TIMESTAMP))
        .unwrap();
}

#[test]
fn the_timestamp_must_be_within_five_minutes_either_way() {
    let h = headers(ID, TIMESTAMP, SIGNATURE);
    let check = |now: i64| webhook().verify_signature_at(&h, BODY, at(now));
    check(TIMESTAMP + 300).unwrap();
    check(TIMESTAMP - 300).unwrap();
    assert!(matches!(
        check(TIMESTAMP + 301),
        Err(WebhookError::Expired { age }) if age == Duration::from_secs(301)
    ));
    assert!(matches!(
        check(TIMESTAMP - 301),
        Err(WebhookError::FromTheFuture { ahead }) if ahead == Duration::from_secs(301)
    ));
    // Another tolerance, when asked for.
    let lenient = webhook().tolerance(Duration::from_secs(3600));
    lenient
        .verify_signature_at(&h, BODY, at(TIMESTAMP + 3000))
        .unwrap();
    // Against this machine's clock, a 2022 delivery is a replay.
    assert!(matches!(
        webhook().verify_signature(&h, BODY),
        Err(WebhookError::Expired { .. })
    ));
}

#[test]
fn a_changed_body_id_or_timestamp_or_another_secret_fails() {
    let refused = |w: &Webhook, h: &http::HeaderMap, body: &[u8]| {
        matches!(
            w.verify_signature_at(h, body, at(TIMESTAMP)),
            Err(WebhookError::InvalidSignature)
        )
    };
    let h = headers(ID, TIMESTAMP, SIGNATURE);
    assert!(refused(
        &webhook(),
        &h,
        br#"{"email":"test@example.com","username":"test_user "}"#
    ));
    assert!(refused(
        &webhook(),
        &headers("msg_other", TIMESTAMP, SIGNATURE),
        BODY
    ));
    assert!(refused(
        &webhook(),
        &headers(ID, TIMESTAMP + 1, SIGNATURE),
        BODY
    ));
    let other = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    assert!(refused(&other, &h, BODY));
}

#[test]
fn one_matching_signature_among_several_is_enough_and_other_versions_are_ignored() {
    let others = "v1,tFtCZ5RDCPxzWQRWXWPgrCgE2frDBe9gjpbWQxnVfsQ= v1,Mm7xgUVICxZfQ3bgf0h0Dof65L/IFx+PnZvnDWPCX6Q=";
    let check = |value: &str| {
        webhook().verify_signature_at(&headers(ID, TIMESTAMP, value), BODY, at(TIMESTAMP))
    };
    check(&format!("{others} {SIGNATURE} v1a,abc")).unwrap();
    assert!(matches!(check(others), Err(WebhookError::InvalidSignature)));
    // The right bytes under another version are not this scheme's signature.
    let relabelled = SIGNATURE.replacen("v1,", "v2,", 1);
    assert!(matches!(
        check(&relabelled),
        Err(WebhookError::InvalidSignature)
    ));
    // A cut signature, or a bare version, is no signature.
    assert!(matches!(check("v1,"), Err(WebhookError::InvalidSignature)));
    assert!(matches!(
        check(&SIGNATURE[..12]),
        Err(WebhookError::InvalidSignature)
    ));
}

#[test]
fn a_missing_header_bad_timestamp_or_bad_secret_is_named() {
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut h = headers(ID, TIMESTAMP, SIGNATURE);
        h.remove(name);
        let e = webhook()
            .verify_signature_at(&h, BODY, at(TIMESTAMP))
            .unwrap_err();
        assert!(
            matches!(e, WebhookError::MissingHeader(n) if n == name),
            "{e:?}"
        );
        assert!(e.to_string().contains(name));
    }
    let mut h = headers(ID, TIMESTAMP, SIGNATURE);
    h.insert("webhook-timestamp", "yesterday".parse().unwrap());
    assert!(matches!(
        webhook().verify_signature_at(&h, BODY, at(TIMESTAMP)),
        Err(WebhookError::InvalidTimestamp)
    ));
    assert!(matches!(
        Webhook::new("whsec_not base64!"),
        Err(WebhookError::InvalidSecret)
    ));
    assert!(matches!(
        Webhook::new("whsec_"),
        Err(WebhookError::InvalidSecret)
    ));
    // The secret never shows in Debug.
    assert!(!format!("{:?}", webhook()).contains("C2FVsBQ"));
}

#[test]
fn a_signed_clerk_event_verifies_and_decodes_into_its_variant() {
    let text =
        std::fs::read_to_string(support::clerk_specs().join("webhooks/2025-04-15.yml")).unwrap();
    let doc: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
    let example = &doc["x-webhooks"]["user.created"]["post"]["requestBody"]["content"]
        ["application/json"]["example"];
    let body = serde_json::to_vec(example).unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signature = webhook().sign("msg_2g7np7Hrk0SN6kj5EDMLDaKNL0S", now, &body);
    let mut h = http::HeaderMap::new();
    h.insert(
        "svix-id",
        "msg_2g7np7Hrk0SN6kj5EDMLDaKNL0S".parse().unwrap(),
    );
    h.insert("svix-timestamp", now.to_string().parse().unwrap());
    h.insert("svix-signature", signature.parse().unwrap());
    match webhook().verify(&h, &body).unwrap() {
        Event::UserCreated(event) => assert_eq!(event.data.id, example["data"]["id"]),
        other => panic!("decoded as {other:?}"),
    }
    // The same delivery with one byte of the body changed is refused before decoding.
    let mut tampered = body.clone();
    let last = tampered.len() - 2;
    tampered[last] ^= 1;
    assert!(matches!(
        webhook().verify(&h, &tampered),
        Err(WebhookError::InvalidSignature)
    ));
    // A signed body that is not JSON is a decode error, after the signature held (any JSON
    // object decodes: an event this crate does not know is `Unknown`).
    let junk = b"not json";
    let mut h2 = h.clone();
    h2.insert(
        "svix-signature",
        webhook()
            .sign("msg_2g7np7Hrk0SN6kj5EDMLDaKNL0S", now, junk)
            .parse()
            .unwrap(),
    );
    assert!(matches!(
        webhook().verify(&h2, junk),
        Err(WebhookError::Decode { .. })
    ));
}

#[test]
fn a_tolerance_of_any_size_accepts_any_time_and_timestamps_of_any_size_are_refused() {
    let h = headers(ID, TIMESTAMP, SIGNATURE);
    let forever = webhook().tolerance(Duration::MAX);
    forever
        .verify_signature_at(&h, BODY, SystemTime::now())
        .unwrap();
    forever.verify_signature_at(&h, BODY, UNIX_EPOCH).unwrap();
    // Timestamps at the ends of i64 against a clock before the epoch: refused, no overflow.
    let before_epoch = UNIX_EPOCH - Duration::from_secs(10);
    for timestamp in [i64::MIN, i64::MAX, -1, 0] {
        let h = headers(ID, timestamp, SIGNATURE);
        let result = webhook().verify_signature_at(&h, BODY, before_epoch);
        assert!(
            matches!(
                result,
                Err(WebhookError::Expired { .. }
                    | WebhookError::FromTheFuture { .. }
                    | WebhookError::InvalidSignature)
            ),
            "{timestamp}: {result:?}"
        );
    }
}

#[test]
fn a_signed_body_that_is_not_an_object_is_a_decode_error() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for body in [&b"null"[..], b"42", b"[]", b"\"user.created\"", b"  [{}]"] {
        let signature = webhook().sign(ID, now, body);
        let h = headers(ID, now, &signature);
        match webhook().verify(&h, body) {
            Err(e @ WebhookError::Decode { .. }) => {
                assert_eq!(
                    e.to_string(),
                    "the verified body is not an event of this crate"
                )
            }
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(body)),
        }
    }
    // A known event with a field of the wrong type names where it is.
    let body = br#"{"type": "user.created", "object": "event", "data": {"id": 7}, "timestamp": 1, "instance_id": "ins_1"}"#;
    let signature = webhook().sign(ID, now, body);
    match webhook().verify(&headers(ID, now, &signature), body) {
        Err(WebhookError::Decode { path, .. }) => assert!(path.starts_with("data"), "{path}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_header_names_both_of_its_spellings() {
    let mut h = headers(ID, TIMESTAMP, SIGNATURE);
    h.remove("webhook-id");
    let err = webhook()
        .verify_signature_at(&h, BODY, at(TIMESTAMP))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the delivery has no `webhook-id` (or `svix-id`) header"
    );
}

#[test]
fn a_delivery_carries_its_id_and_recent_ids_are_remembered_within_capacity() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let body = br#"{"type": "some.future_event", "object": "event", "data": {}}"#;
    let signature = webhook().sign(ID, now, body);
    let delivery = webhook()
        .verify_delivery(&headers(ID, now, &signature), body)
        .unwrap();
    assert_eq!((delivery.id.as_str(), delivery.timestamp), (ID, now));
    assert!(matches!(delivery.event, Event::Unknown(_)));
    let recent = clerk_webhooks::RecentDeliveries::new(2);
    assert!(!recent.contains("msg_1"));
    assert!(recent.insert("msg_1"));
    assert!(!recent.insert("msg_1"));
    assert!(recent.insert("msg_2") && recent.insert("msg_3"));
    // The oldest is forgotten first.
    assert!(!recent.contains("msg_1") && recent.contains("msg_2") && recent.contains("msg_3"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

    /// Whatever the headers and the body, verifying returns (an error, mostly) and never
    /// panics: header values of any text, timestamps of any size, signature lists of any
    /// shape, bodies of any bytes, with and without a valid signature.
    #[test]
    fn verifying_any_delivery_never_panics(
        id in "\\PC{0,40}",
        timestamp in "[-+0-9 ]{0,25}|\\PC{0,10}",
        signature in "((v1|v2|v1a|)[,]?[A-Za-z0-9+/=]{0,50}[ ]?){0,4}|\\PC{0,60}",
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256),
        sign in proptest::prelude::any::<bool>(),
        svix in proptest::prelude::any::<bool>(),
    ) {
        let signature = match timestamp.trim().parse::<i64>() {
            Ok(ts) if sign => webhook().sign(&id, ts, &body),
            _ => signature,
        };
        let prefix = if svix { "svix" } else { "webhook" };
        let pairs = vec![
            (format!("{prefix}-id"), id),
            (format!("{prefix}-timestamp"), timestamp),
            (format!("{prefix}-signature"), signature),
        ];
        let _ = webhook().verify(&pairs, &body);
        let _ = webhook().tolerance(Duration::MAX).verify_delivery(&pairs, &body);
        let _ = webhook().verify_signature_at(&pairs, &body, UNIX_EPOCH);
    }
}
