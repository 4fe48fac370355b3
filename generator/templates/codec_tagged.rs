/// `Serialize` for a union told apart by a string tag property: each variant encodes as
/// its inner value with the tag set to the variant's own value, whatever the inner value
/// holds there (a variant cannot be sent under another variant's tag).
{ser_gate}
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
{de_gate}
macro_rules! tagged_deserialize {
    ($name:ident, $tag:literal, $fallback:ident, { $($value:literal => $target:ident),* }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match raw.get($tag).and_then(serde_json::Value::as_str) {
                    $(Some($value) => {
                        serde_json::from_value(raw).map(Self::$target).map_err(serde::de::Error::custom)
                    })*
                    _ => Ok(Self::$fallback(raw)),
                }
            }
        }
    };
}
