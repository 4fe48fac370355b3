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

/// One path parameter as a path segment, percent-encoded so that it stays one segment
/// (`/`, `?`, `#`, `%` and control characters escaped). A value that no encoding keeps in
/// its segment is refused with [`Error::InvalidInput`], before anything is sent: the empty
/// string (`/users/` is another route), and `.` and `..`, which URL parsers remove as dot
/// segments (`/orgs/org_1/memberships/../metadata` is `/orgs/org_1/metadata`; `%2e` counts
/// as a dot too, which is why escaping them does not help).
pub fn path_segment<B>(
    operation: &'static str,
    parameter: &'static str,
    value: &str,
) -> Result<String, Error<B>> {
    let problem = match value {
        "" => "is empty, which would name another path",
        "." | ".." => "is `.` or `..`, which would name another path",
        _ => return Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()),
    };
    Err(Error::InvalidInput {
        operation,
        parameter,
        problem,
    })
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

/// The name-value pairs of a request's query or headers, as a generated request builder
/// adds its parameters: one line per parameter, an unset one (`None`) adding nothing.
/// `K` is the name's type: `Cow<'static, str>` for a query (a `deepObject` makes names of
/// its own), `&'static str` for headers.
#[doc(hidden)]
#[derive(Debug)]
pub struct Params<K>(Vec<(K, String)>);

impl<K: From<&'static str>> Default for Params<K> {
    fn default() -> Self {
        Params(Vec::new())
    }
}

impl<K: From<&'static str>> Params<K> {
    /// The pairs, in the order they were added.
    pub fn into_vec(self) -> Vec<(K, String)> {
        self.0
    }

    /// A value with `Display` (a string, number, boolean or enum), as it displays.
    pub fn one(&mut self, name: &'static str, value: Option<&impl std::fmt::Display>) {
        self.each(name, value.map(std::slice::from_ref));
    }

    /// A list, one pair per item (an exploded parameter).
    pub fn each(&mut self, name: &'static str, values: Option<&[impl std::fmt::Display]>) {
        for value in values.unwrap_or_default() {
            self.0.push((name.into(), value.to_string()));
        }
    }

    /// A list in one pair, its items joined by `separator`.
    pub fn joined(
        &mut self,
        name: &'static str,
        values: Option<&[impl std::fmt::Display]>,
        separator: &str,
    ) {
        if let Some(values) = values {
            let items: Vec<String> = values.iter().map(ToString::to_string).collect();
            self.0.push((name.into(), items.join(separator)));
        }
    }

    /// A value without `Display`, as [`plain_text`] writes it.
    pub fn one_text<B>(
        &mut self,
        name: &'static str,
        value: Option<&impl serde::Serialize>,
    ) -> Result<(), Error<B>> {
        self.each_text(name, value.map(std::slice::from_ref))
    }

    /// A list of values without `Display`, one pair per item.
    pub fn each_text<B>(
        &mut self,
        name: &'static str,
        values: Option<&[impl serde::Serialize]>,
    ) -> Result<(), Error<B>> {
        for value in values.unwrap_or_default() {
            self.0.push((name.into(), plain_text(value)?));
        }
        Ok(())
    }

    /// A list of values without `Display` in one pair, joined by `separator`.
    pub fn joined_text<B>(
        &mut self,
        name: &'static str,
        values: Option<&[impl serde::Serialize]>,
        separator: &str,
    ) -> Result<(), Error<B>> {
        if let Some(values) = values {
            let items = values
                .iter()
                .map(plain_text)
                .collect::<Result<Vec<_>, _>>()?;
            self.0.push((name.into(), items.join(separator)));
        }
        Ok(())
    }

    /// The `Cookie` header of the cookie parameters in `cookies`, if any is set.
    pub fn cookies(&mut self, cookies: Params<&'static str>) {
        if !cookies.0.is_empty() {
            let pairs: Vec<String> = cookies
                .0
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            self.0.push(("Cookie".into(), pairs.join("; ")));
        }
    }
}

impl Params<Cow<'static, str>> {
    /// A `deepObject` parameter ([`deep_object`]).
    pub fn deep<B>(
        &mut self,
        name: &'static str,
        value: Option<&impl serde::Serialize>,
    ) -> Result<(), Error<B>> {
        if let Some(value) = value {
            self.0.extend(deep_object(name, value)?);
        }
        Ok(())
    }

    /// An exploded `form` object parameter ([`form_object`]).
    pub fn exploded<B>(
        &mut self,
        name: &'static str,
        value: Option<&impl serde::Serialize>,
    ) -> Result<(), Error<B>> {
        if let Some(value) = value {
            self.0.extend(form_object(name, value)?);
        }
        Ok(())
    }
}

/// A body as JSON, sent as `application/json`.
pub fn json_body<T: serde::Serialize, B>(value: &T) -> Result<Option<Body>, Error<B>> {
    json_body_as(value, "application/json")
}

/// A body as JSON, sent as the JSON media type the operation declares
/// (`application/merge-patch+json`, `application/vnd.api+json`, ...).
pub fn json_body_as<T: serde::Serialize, B>(
    value: &T,
    media_type: &'static str,
) -> Result<Option<Body>, Error<B>> {
    serde_json::to_vec(value)
        .map(|bytes| Some(Body::Json { bytes, media_type }))
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

/// Decodes a JSON body into the operation's type; one that does not decode is kept in the
/// error (moved, not copied), with the path of the value that does not match.
pub fn decode_json<T: serde::de::DeserializeOwned, B>(received: Received) -> Result<T, Error<B>> {
    match serde_json::from_slice(&received.body) {
        Ok(value) => Ok(value),
        Err(source) => Err(decode_error::<T, B>(received, source)),
    }
}

/// The error of a body that does not decode as `T`: out of line, so that finding the path
/// costs the decoding of a body that does decode nothing, not even code in its way.
#[cold]
#[inline(never)]
fn decode_error<T: serde::de::DeserializeOwned, B>(
    received: Received,
    source: serde_json::Error,
) -> Error<B> {
    Error::Decode {
        operation: received.operation,
        status: received.status,
        path: failing_path::<T>(&received.body),
        source,
        body: received.body,
    }
}

/// Decodes a JSON body, or gives `T::default()` (`None`) for an empty one: for an operation
/// with a success status that has no body.
pub fn decode_json_or_empty<T: serde::de::DeserializeOwned + Default, B>(
    received: Received,
) -> Result<T, Error<B>> {
    if received.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    decode_json(received)
}

/// A text body; bytes that are not UTF-8 are replaced, not refused.
pub fn decode_text<B>(received: Received) -> Result<String, Error<B>> {
    Ok(match String::from_utf8(received.body) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// A body as its bytes.
pub fn decode_bytes<B>(received: Received) -> Result<Vec<u8>, Error<B>> {
    Ok(received.body)
}

/// A body that is ignored.
pub fn decode_empty<B>(_: Received) -> Result<(), Error<B>> {
    Ok(())
}

/// Where in `bytes` the value is that does not decode as `T`: a path of keys and indices
/// (`[0].saml_accounts[0].id`), empty at the top level. Worked out only once decoding has
/// failed, by decoding again with the path tracked, so a body that decodes pays nothing.
/// A union read whole (a tagged one) hides the path inside it from the tracking; its
/// error says it (`at `path`: ...`), and it is joined on.
#[doc(hidden)]
pub fn failing_path<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let Err(e) = serde_path_to_error::deserialize::<_, T>(&mut deserializer) else {
        return String::new();
    };
    let outside = match e.path().to_string() {
        root if root == "." => String::new(),
        path => path,
    };
    let message = e.inner().to_string();
    let inside = message
        .strip_prefix("at `")
        .and_then(|rest| rest.split_once("`: "))
        .map(|(path, _)| path);
    match inside {
        None => outside,
        Some(inside) if outside.is_empty() || inside.starts_with('[') => outside + inside,
        Some(inside) => format!("{outside}.{inside}"),
    }
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
    fn params_add_set_values_in_order_and_skip_unset_ones() {
        let mut q: Params<Cow<'static, str>> = Params::default();
        q.one("limit", Some(&10));
        q.one("query", None::<&String>);
        q.each("id", Some(&["a", "b"][..]));
        q.each("none", None::<&[String]>);
        q.joined("tags", Some(&[1, 2, 3][..]), ",");
        q.joined("empty", Some(&[] as &[u8]), ",");
        q.one_text::<()>("at", Some(&json!({"x": 1}))).unwrap();
        q.each_text::<()>("v", Some(&[json!("s"), json!(true)][..]))
            .unwrap();
        q.joined_text::<()>("w", Some(&[json!(1.5), json!("t")][..]), "|")
            .unwrap();
        q.deep::<()>("filter", Some(&json!({"a": {"b": 1}})))
            .unwrap();
        q.exploded::<()>("form", Some(&json!({"s": "open"})))
            .unwrap();
        q.deep::<()>("unset", None::<&u8>).unwrap();
        let got: Vec<(String, String)> = q
            .into_vec()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v))
            .collect();
        let expected = owned(&[
            ("limit", "10"),
            ("id", "a"),
            ("id", "b"),
            ("tags", "1,2,3"),
            ("empty", ""),
            ("at", "{\"x\":1}"),
            ("v", "s"),
            ("v", "true"),
            ("w", "1.5|t"),
            ("filter[a][b]", "1"),
            ("s", "open"),
        ]);
        assert_eq!(got, expected);
    }

    #[test]
    fn cookie_params_become_one_cookie_header_only_when_one_is_set() {
        let mut headers: Params<&'static str> = Params::default();
        headers.one("X-Trace", Some(&"t"));
        headers.cookies(Params::default());
        let mut cookies: Params<&'static str> = Params::default();
        cookies.one("session", Some(&"s1"));
        cookies.one("theme", Some(&"dark"));
        headers.cookies(cookies);
        assert_eq!(
            headers.into_vec(),
            vec![
                ("X-Trace", "t".to_string()),
                ("Cookie", "session=s1; theme=dark".to_string())
            ]
        );
    }

    fn segment(value: &str) -> Result<String, Error<()>> {
        path_segment("GetThing", "thing_id", value)
    }

    #[test]
    fn path_segments_escape_what_would_change_the_path() {
        assert_eq!(segment("user_1").unwrap(), "user_1");
        assert_eq!(segment("a/b c?d%").unwrap(), "a%2Fb%20c%3Fd%25");
        assert_eq!(segment("%2e%2E").unwrap(), "%252e%252E");
        assert_eq!(segment("...").unwrap(), "...");
        assert_eq!(segment("a\r\nb").unwrap(), "a%0D%0Ab");
    }

    #[test]
    fn a_segment_no_encoding_keeps_in_place_is_refused() {
        for value in ["", ".", ".."] {
            match segment(value) {
                Err(Error::InvalidInput {
                    operation: "GetThing",
                    parameter: "thing_id",
                    ..
                }) => {}
                other => panic!("{value:?}: {other:?}"),
            }
        }
        let text = segment("..").unwrap_err().to_string();
        assert_eq!(
            text,
            "GetThing: nothing was sent: the parameter `thing_id` is `.` or `..`, which would name another path"
        );
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
            Err(Error::Decode {
                body, status, path, ..
            }) => {
                assert_eq!(body, b"not json");
                assert_eq!(status, 200);
                assert_eq!(path, "");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_decode_error_names_the_path_of_the_value_that_does_not_match() {
        #[derive(Debug, serde::Deserialize)]
        struct Account {
            #[allow(dead_code)]
            id: String,
        }
        #[derive(Debug, serde::Deserialize)]
        struct User {
            #[allow(dead_code)]
            accounts: Vec<Account>,
        }
        let body = br#"[{"accounts": []}, {"accounts": [{"id": "a"}, {"id": 7}]}]"#;
        let received = Received {
            operation: "ListUsers",
            status: 200,
            headers: Default::default(),
            body: body.to_vec(),
        };
        let err = decode_json::<Vec<User>, ()>(received).unwrap_err();
        assert!(matches!(&err, Error::Decode { path, .. } if path == "[1].accounts[1].id"));
        assert_eq!(
            err.to_string(),
            "ListUsers: the 200 response's body (58 bytes) does not match the operation's type at `[1].accounts[1].id`"
        );
    }
}
