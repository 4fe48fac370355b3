/// `Serialize` for a union told apart by a string tag property: each variant encodes as
/// its inner value with the tag set to the variant's own value, whatever the inner value
/// holds there (a variant cannot be sent under another variant's tag).
#[cfg(feature = "roundtrip")] // clerkgen: unless encoded
macro_rules! tagged_serialize {
    ($name:ident, $tag:literal, $fallback:ident, { $($value:literal => $variant:ident),* }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (mut encoded, tag) = match self {
                    $(Self::$variant(inner) => (serde_json::to_value(inner).map_err(serde::ser::Error::custom)?, $value),)*
                    Self::$fallback(raw) => return serde::Serialize::serialize(raw, serializer),
                };
                if let Some(object) = encoded.as_object_mut() {
                    object.insert($tag.to_string(), serde_json::Value::String(tag.to_string()));
                }
                serde::Serialize::serialize(&encoded, serializer)
            }
        }
    };
}

/// `Deserialize` for a union told apart by a string tag property: reads the tag, and
/// keeps an unknown one as raw JSON.
///
/// The value is held as the JSON text it came as (serde_json's `RawValue`, which its
/// deserializers of bytes, text, readers and `Value`s all hand over): the tag is read
/// from that text without allocating, then the variant decodes from it directly. No tree
/// of `serde_json::Value`s is built and copied out of, except for an unknown tag. A value
/// nested deeper than serde_json allows is refused (see [`MAX_UNION_DEPTH`]).
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
macro_rules! tagged_deserialize {
    ($name:ident, $tag:literal, $fallback:ident, { $($value:literal => $target:ident),* }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = $crate::codec::buffered(deserializer)?;
                match $crate::codec::tag_of(&raw, $tag).as_ref().map($crate::codec::Key::as_str) {
                    $(Some($value) => $crate::codec::tagged_variant(&raw).map(Self::$target),)*
                    _ => $crate::codec::raw_json(&raw).map(Self::$fallback),
                }
            }
        }
    };
}

/// How deep a union's value may nest: serde_json's own limit. The value is decoded again
/// by a decoder of its own, whose count starts afresh, and the decoder that buffered it
/// skips over it without counting; so the text is measured here, and whatever nests
/// inside a union (other unions too) stays within this many levels of it.
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
const MAX_UNION_DEPTH: usize = 128;

/// A union's value as the JSON text it came as, refused when it nests deeper than
/// [`MAX_UNION_DEPTH`].
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
pub(crate) fn buffered<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Box<serde_json::value::RawValue>, D::Error> {
    let raw = <Box<serde_json::value::RawValue> as serde::Deserialize>::deserialize(deserializer)?;
    if nests_deeper_than(raw.get(), MAX_UNION_DEPTH) {
        return Err(serde::de::Error::custom(format_args!(
            "the value nests more than {MAX_UNION_DEPTH} levels deep"
        )));
    }
    Ok(raw)
}

/// Whether valid JSON text opens more than `limit` arrays or objects inside one another.
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
fn nests_deeper_than(text: &str, limit: usize) -> bool {
    // Each level takes two bytes (`[` and `]`): most values are too short to need a look.
    if text.len() / 2 <= limit {
        return false;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for byte in text.bytes() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                (false, _) => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth = depth.saturating_add(1);
                if depth > limit {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The string value of the property `tag` of a JSON object's text, borrowed from it when
/// it has no escapes. `None` when the text is not an object, has no such property, or
/// its value is not a string; of repeated properties the last counts, as for a struct's
/// fields.
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
pub(crate) fn tag_of<'a>(raw: &'a serde_json::value::RawValue, tag: &str) -> Option<Key<'a>> {
    struct TagVisitor<'t>(&'t str);

    impl<'de> serde::de::Visitor<'de> for TagVisitor<'_> {
        type Value = Option<Key<'de>>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<Key<'de>>()? {
                if key.as_str() == self.0 {
                    found = Some(map.next_value::<Key<'de>>()?);
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }

    let mut text = serde_json::Deserializer::from_str(raw.get());
    serde::Deserializer::deserialize_map(&mut text, TagVisitor(tag)).ok().flatten()
}

/// A value whose tag the union does not know, kept as JSON.
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
pub(crate) fn raw_json<E: serde::de::Error>(raw: &serde_json::value::RawValue) -> Result<serde_json::Value, E> {
    serde_json::from_str(raw.get()).map_err(E::custom)
}

/// A tagged union's variant from its value's text, read whole to find the tag. The
/// decoder's own path stops at the union (the value was buffered), so an error says where
/// inside the value it is: "at `path`: message", the form the client's decode errors join
/// to the path outside. The position in the buffered text is left out: it is not the
/// position in the document.
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
pub(crate) fn tagged_variant<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    raw: &serde_json::value::RawValue,
) -> Result<T, E> {
    let e = match serde_json::from_str::<T>(raw.get()) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&position).unwrap_or(&full);
    let mut text = serde_json::Deserializer::from_str(raw.get());
    match serde_path_to_error::deserialize::<_, T>(&mut text) {
        Err(tracked) if tracked.path().to_string() != "." => {
            Err(E::custom(format_args!("at `{}`: {message}", tracked.path())))
        }
        _ => Err(E::custom(message)),
    }
}
