//! Turning an operation's inputs into the parts of a request (path segments, query pairs,
//! bodies) and a response's body into the operation's type.

use std::borrow::Cow;

use super::Body;
use crate::call_error::Error;
use crate::transport::Received;

/// Query pairs, as a request carries them.
type Pairs = Vec<(Cow<'static, str>, String)>;

/// Characters a path segment must not carry unescaped.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'[')
    .add(b']')
    .add(b'^')
    .add(b'|')
    .add(b'\\');

/// Percent-encodes one path segment.
pub fn path_segment(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()
}

fn to_value<T: serde::Serialize, B>(value: &T) -> Result<serde_json::Value, Error<B>> {
    serde_json::to_value(value).map_err(Error::Encode)
}

/// The query pairs of a `deepObject` parameter: `name[key]=value`, nested objects and
/// lists by bracketed keys and indices (`filter[tags][0]=a`); null members are left out.
pub fn deep_object<T: serde::Serialize, B>(
    name: &'static str,
    value: &T,
) -> Result<Pairs, Error<B>> {
    fn walk(key: String, value: serde_json::Value, out: &mut Pairs) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    walk(format!("{key}[{k}]"), v, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.into_iter().enumerate() {
                    walk(format!("{key}[{i}]"), v, out);
                }
            }
            serde_json::Value::String(s) => out.push((key.into(), s)),
            other => out.push((key.into(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk(name.to_string(), to_value(value)?, &mut out);
    Ok(out)
}

/// The query pairs of an exploded `form` object parameter: one per set property
/// (`status=open&limit=1`), a nested value as JSON text.
pub fn form_object<T: serde::Serialize, B>(
    name: &'static str,
    value: &T,
) -> Result<Pairs, Error<B>> {
    let text = |v: serde_json::Value| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    Ok(match to_value(value)? {
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (Cow::Owned(k), text(v)))
            .collect(),
        serde_json::Value::Null => Vec::new(),
        other => vec![(Cow::Borrowed(name), text(other))],
    })
}

/// A parameter or form value of a type with no `Display` (a union, an alias, an object)
/// as text: a string as it is, a number or boolean as written, anything else as JSON text.
pub fn plain_text<T: serde::Serialize, B>(value: &T) -> Result<String, Error<B>> {
    match to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => {
            Ok(other.to_string())
        }
        other => serde_json::to_string(&other).map_err(Error::Encode),
    }
}

/// A body as JSON.
pub fn json_body<T: serde::Serialize, B>(value: &T) -> Result<Option<Body>, Error<B>> {
    serde_json::to_vec(value)
        .map(|b| Some(Body::Json(b)))
        .map_err(Error::Encode)
}

/// A body as `application/x-www-form-urlencoded` pairs: scalars as text, arrays as
/// repeated keys, nested objects as JSON text; unset and null fields are left out.
pub fn form_body<T: serde::Serialize, B>(value: &T) -> Result<Option<Body>, Error<B>> {
    fn text(value: &serde_json::Value) -> Option<String> {
        match value {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
    let mut pairs = Vec::new();
    if let serde_json::Value::Object(map) = to_value(value)? {
        for (key, value) in map {
            match value {
                serde_json::Value::Array(items) => {
                    pairs.extend(items.iter().filter_map(text).map(|v| (key.clone(), v)))
                }
                other => pairs.extend(text(&other).map(|v| (key, v))),
            }
        }
    }
    Ok(Some(Body::Form(pairs)))
}

/// Decodes a body with `decode`; one that does not decode is kept in the error (moved,
/// not copied).
pub fn decode_body<T, B>(
    received: Received,
    decode: impl FnOnce(&[u8]) -> serde_json::Result<T>,
) -> Result<T, Error<B>> {
    match decode(&received.body) {
        Ok(value) => Ok(value),
        Err(source) => Err(Error::Decode {
            operation: received.operation,
            status: received.status,
            source,
            body: received.body,
        }),
    }
}

/// Decodes a JSON body into the operation's type.
pub fn decode_json<T: serde::de::DeserializeOwned, B>(received: Received) -> Result<T, Error<B>> {
    decode_body(received, |bytes| serde_json::from_slice(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The pairs, sorted: a map's order depends on serde_json's features.
    fn pairs(p: Pairs) -> Vec<(String, String)> {
        let mut out: Vec<_> = p.into_iter().map(|(k, v)| (k.into_owned(), v)).collect();
        out.sort();
        out
    }

    fn owned(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn path_segments_escape_what_would_change_the_path() {
        assert_eq!(path_segment("user_1"), "user_1");
        assert_eq!(path_segment("a/b c?d%"), "a%2Fb%20c%3Fd%25");
    }

    #[test]
    fn deep_objects_nest_by_brackets_and_drop_nulls() {
        let value = json!({"tags": ["a", "b"], "age": {"gt": 3}, "gone": null});
        assert_eq!(
            pairs(deep_object::<_, ()>("filter", &value).unwrap()),
            owned(&[
                ("filter[age][gt]", "3"),
                ("filter[tags][0]", "a"),
                ("filter[tags][1]", "b"),
            ])
        );
    }

    #[test]
    fn form_objects_give_one_pair_per_set_property() {
        let value = json!({"status": "open", "limit": 1, "gone": null});
        assert_eq!(
            pairs(form_object::<_, ()>("q", &value).unwrap()),
            owned(&[("limit", "1"), ("status", "open")])
        );
        assert_eq!(
            pairs(form_object::<_, ()>("q", &json!(5)).unwrap()),
            owned(&[("q", "5")])
        );
    }

    #[test]
    fn plain_text_keeps_strings_and_writes_the_rest_as_json() {
        assert_eq!(plain_text::<_, ()>(&"x").unwrap(), "x");
        assert_eq!(plain_text::<_, ()>(&2.5).unwrap(), "2.5");
        assert_eq!(plain_text::<_, ()>(&json!({"a": 1})).unwrap(), r#"{"a":1}"#);
    }

    #[test]
    fn form_bodies_repeat_array_keys_and_drop_nulls() {
        let body = form_body::<_, ()>(&json!({"ids": [1, 2], "name": "n", "gone": null})).unwrap();
        let Some(Body::Form(mut pairs)) = body else {
            panic!("a form body")
        };
        pairs.sort();
        assert_eq!(pairs, owned(&[("ids", "1"), ("ids", "2"), ("name", "n")]));
    }

    #[test]
    fn a_body_that_does_not_decode_is_kept_in_the_error() {
        let received = Received {
            operation: "op",
            status: 200,
            headers: Default::default(),
            body: b"not json".to_vec(),
        };
        match decode_json::<u32, ()>(received) {
            Err(Error::Decode { body, status, .. }) => {
                assert_eq!(body, b"not json");
                assert_eq!(status, 200);
            }
            other => panic!("{other:?}"),
        }
    }
}
