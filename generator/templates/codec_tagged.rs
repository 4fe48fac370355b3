/// `Serialize` for a union told apart by a string tag property: each variant encodes as
/// its inner value.
{ser_gate}
macro_rules! tagged_serialize {
    ($name:ident, $fallback:ident, [$($variant:ident),*]) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => serde::Serialize::serialize(inner, serializer),)*
                    Self::$fallback(raw) => serde::Serialize::serialize(raw, serializer),
                }
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
