//! Each template's items, run as a generated crate runs them.

use base64::Engine as _;
use clerkgen_template_check::models::{Event, Status, StrictUser, User};
use clerkgen_template_check::webhook::{Webhook, WebhookError};
use hmac::Mac as _;
use serde_json::json;

#[test]
fn structs_decode_by_field_and_name_what_is_missing() {
    let user: User =
        serde_json::from_value(json!({"id": "u1", "type": "active", "extra": 1})).unwrap();
    assert_eq!(
        user,
        User {
            id: "u1".into(),
            name: None,
            r#type: Status::Active
        }
    );
    let missing = serde_json::from_value::<User>(json!({"type": "active"})).unwrap_err();
    assert!(missing.to_string().contains("`id`"), "{missing}");
    // Strict: a field the schema does not name is an error.
    let strict = serde_json::from_value::<StrictUser>(json!({"id": "u1", "extra": 1}));
    assert!(strict.unwrap_err().to_string().contains("extra"));
    // Encoded as serde's derive would, the optional field left out.
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        json!({"id": "u1", "type": "active"})
    );
}

#[test]
fn open_enums_decode_borrowed_escaped_and_owned_strings_alike() {
    // Borrowed from the bytes, with an escape (read into a copy), and from an owned value.
    let borrowed: Vec<Status> = serde_json::from_slice(br#"["active", "locked"]"#).unwrap();
    assert_eq!(borrowed, [Status::Active, Status::Unknown("locked".into())]);
    let escaped: Vec<Status> =
        serde_json::from_slice(br#"["act\u0069ve", "lo\u0063ked"]"#).unwrap();
    assert_eq!(escaped, [Status::Active, Status::Unknown("locked".into())]);
    let from_reader: Status = serde_json::from_reader(&br#""banned""#[..]).unwrap();
    assert_eq!(from_reader, Status::Banned);
    assert_eq!(Status::from("active"), Status::Active);
    assert_eq!(Status::from("other"), Status::Unknown("other".into()));
    assert!(serde_json::from_value::<Status>(json!(3)).is_err());
}

#[test]
fn open_enums_keep_values_they_do_not_know() {
    let status: Status = serde_json::from_value(json!("locked")).unwrap();
    assert_eq!(status, Status::Unknown("locked".into()));
    assert_eq!(status.as_str(), "locked");
    assert_eq!(Status::from("banned".to_string()), Status::Banned);
    assert_eq!(
        serde_json::to_value(Status::Banned).unwrap(),
        json!("banned")
    );
}

#[test]
fn tagged_unions_pick_by_tag_keep_unknown_tags_and_say_where_inside_an_error_is() {
    let known = json!({"type": "user.created", "data": {"id": "u1", "type": "banned"}});
    let Event::UserCreated(event) = serde_json::from_value(known.clone()).unwrap() else {
        panic!("a user.created event")
    };
    assert_eq!(event.data.r#type, Status::Banned);
    assert_eq!(
        serde_json::to_value(Event::UserCreated(event)).unwrap(),
        known
    );
    let other = json!({"type": "user.deleted", "data": {}});
    assert_eq!(
        serde_json::from_value::<Event>(other.clone()).unwrap(),
        Event::Unknown(other)
    );
    let broken = json!({"type": "user.created", "data": {"type": "active"}});
    let error = serde_json::from_value::<Event>(broken)
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("at `data`: "), "{error}");
    assert!(
        !error.contains("line 1"),
        "a position in the buffered text: {error}"
    );
}

/// A union's value is decoded by a decoder of its own, whose depth count starts afresh:
/// the union measures the text, so a hostile value cannot nest without bound (each union
/// level would otherwise allow serde_json's 128 levels again, until the stack overflows).
#[test]
fn tagged_unions_refuse_values_nested_deeper_than_serde_json_allows() {
    let event = |extra: String| {
        format!(
            r#"{{"type": "user.created", "data": {{"id": "u1", "type": "active", "extra": {extra}}}}}"#
        )
    };
    let nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    // The event and its `data` are two levels: 126 more are 128 in all.
    assert!(serde_json::from_str::<Event>(&event(nested(126))).is_ok());
    let error = serde_json::from_str::<Event>(&event(nested(127)))
        .unwrap_err()
        .to_string();
    assert!(error.contains("nests more than 128 levels deep"), "{error}");
    let deep = event(nested(100_000));
    let list = format!("[{deep}, {deep}]");
    assert!(serde_json::from_str::<Vec<Event>>(&list).is_err());
    // Brackets inside strings, escaped quotes included, are text.
    let text = format!(r#""\"{}""#, "[".repeat(300));
    assert!(serde_json::from_str::<Event>(&event(text)).is_ok());
}

#[test]
fn tagged_unions_read_the_tag_wherever_it_stands_and_from_every_serde_json_source() {
    let text = r#"{"data": {"id": "u1", "type": "active"}, "type": "user\u002ecreated"}"#;
    let from_str: Event = serde_json::from_str(text).unwrap();
    assert!(matches!(&from_str, Event::UserCreated(e) if e.data.id == "u1"));
    let from_reader: Event = serde_json::from_reader(text.as_bytes()).unwrap();
    let from_value: Event = serde_json::from_value(serde_json::from_str(text).unwrap()).unwrap();
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let from_ref = <Event as serde::Deserialize>::deserialize(&value).unwrap();
    let tracked: Event =
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text)).unwrap();
    for other in [from_reader, from_value, from_ref, tracked] {
        assert_eq!(other, from_str);
    }
    // The last of repeated tags counts, as the last of repeated fields does.
    let repeated =
        r#"{"type": "user.created", "data": {"id": "u1", "type": "active"}, "type": "x"}"#;
    assert!(matches!(
        serde_json::from_str::<Event>(repeated).unwrap(),
        Event::Unknown(_)
    ));
    // No string tag, or no object: kept as it came.
    for kept in [
        json!({"type": 7, "data": {}}),
        json!({"type": null}),
        json!(42),
        json!([1]),
    ] {
        assert_eq!(
            serde_json::from_str::<Event>(&kept.to_string()).unwrap(),
            Event::Unknown(kept)
        );
    }
    // A union inside a list, each value decoded from its own text.
    let list = format!("[{text}, {{\"type\": \"user.deleted\"}}, {text}]");
    let events: Vec<Event> = serde_json::from_str(&list).unwrap();
    assert_eq!(events.len(), 3);
    assert!(matches!(events[1], Event::Unknown(_)));
    assert!(serde_json::from_str::<Event>(r#"{"type": "user.created""#).is_err());
}

/// A Standard Webhooks signature, computed here from the specification (HMAC-SHA256 of
/// `id.timestamp.body` under the secret's bytes, base64), not by the template.
fn signature(secret: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let tag = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    format!("v1,{tag}")
}

#[test]
fn the_webhook_verifier_checks_the_signature_and_decodes_the_event() {
    let key = b"a secret of some length";
    let secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    );
    let webhook = Webhook::new(&secret).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let now = i64::try_from(now).unwrap();
    let body = r#"{"type":"user.created","data":{"id":"u1","type":"active"}}"#;
    let headers = |timestamp: i64, body: &str| {
        let mut map = http::HeaderMap::new();
        map.insert("webhook-id", "msg_1".parse().unwrap());
        map.insert("webhook-timestamp", timestamp.to_string().parse().unwrap());
        let signed = signature(key, "msg_1", timestamp, body);
        map.insert("webhook-signature", signed.parse().unwrap());
        map
    };
    let event = webhook
        .verify(&headers(now, body), body.as_bytes())
        .unwrap();
    assert!(matches!(event, Event::UserCreated(_)));
    // Signed for another body, or long ago: refused.
    let tampered = body.replace("u1", "u2");
    let changed = webhook.verify(&headers(now, body), tampered.as_bytes());
    assert!(
        matches!(changed, Err(WebhookError::InvalidSignature)),
        "{changed:?}"
    );
    let old = webhook.verify(&headers(now - 3600, body), body.as_bytes());
    assert!(matches!(old, Err(WebhookError::Expired { .. })), "{old:?}");
}

#[tokio::test]
async fn a_byte_stream_hands_over_the_body_as_it_arrives() {
    let response = http::Response::builder()
        .status(200)
        .header("content-length", "5")
        .body("hello")
        .unwrap();
    let mut stream = clerkgen_template_check::byte_stream(reqwest::Response::from(response));
    assert_eq!((stream.status(), stream.content_length()), (200, Some(5)));
    let mut body = Vec::new();
    while let Some(chunk) = stream.next_chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
    }
    assert_eq!(body, b"hello");
    assert_eq!(stream.received(), 5);
}
