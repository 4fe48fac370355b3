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
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
macro_rules! tagged_deserialize {
    ($name:ident, $tag:literal, $fallback:ident, { $($value:literal => $target:ident),* }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match raw.get($tag).and_then(serde_json::Value::as_str) {
                    $(Some($value) => $crate::codec::tagged_variant(&raw).map(Self::$target),)*
                    _ => Ok(Self::$fallback(raw)),
                }
            }
        }
    };
}

/// A tagged union's variant from its value, read whole to find the tag. The decoder's own
/// path stops at the union (the value was buffered), so an error says where inside the
/// value it is: "at `path`: message", the form the client's decode errors join to the
/// path outside.
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
pub(crate) fn tagged_variant<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    raw: &serde_json::Value,
) -> Result<T, E> {
    match T::deserialize(raw) {
        Ok(value) => Ok(value),
        Err(e) => match serde_path_to_error::deserialize::<_, T>(raw) {
            Err(tracked) if tracked.path().to_string() != "." => {
                Err(E::custom(format_args!("at `{}`: {}", tracked.path(), e)))
            }
            _ => Err(E::custom(e)),
        },
    }
}
