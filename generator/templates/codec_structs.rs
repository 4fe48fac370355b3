/// A field name as the decoder holds it: borrowed from the input when it can be.
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
pub(crate) struct Key<'de>(std::borrow::Cow<'de, str>);

#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// `Deserialize` for a struct read from a JSON object, written
/// `struct_deserialize!(Name { required(id), optional(kind = "type") })`: each field
/// with its wire name when that differs from the field's. An `optional` field takes its
/// default when absent; a `required` one must be present. Fields the spec does not
/// declare are skipped, or refused after `strict` (`struct_deserialize!(strict Name {
/// ... })`).
///
/// serde's derive would also write a sequence visitor, a field enum with its own
/// visitor, and a wrapper type per field with a `deserialize_with`; a JSON client needs
/// none of them, and they cost as much compile time as the rest of the crate. Its types
/// and generics start with `__` and its variables are hygienic, so no model or field
/// name collides with them.
#[cfg(feature = "roundtrip")] // clerkgen: unless decoded
macro_rules! struct_deserialize {
    (strict $name:ident { $($kind:ident($field:ident $(= $wire:literal)?)),* $(,)? }) => {
        struct_deserialize!(@impl $name, strict, { $($kind($field $(= $wire)?)),* });
    };
    ($name:ident { $($kind:ident($field:ident $(= $wire:literal)?)),* $(,)? }) => {
        struct_deserialize!(@impl $name, lenient, { $($kind($field $(= $wire)?)),* });
    };
    (@impl $name:ident, $unknown:ident, { $($kind:ident($field:ident $(= $wire:literal)?)),* }) => {
        #[allow(deprecated)]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;

                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<$name, __A::Error> {
                        $(let mut $field = None;)*
                        // Never runs: it gives each variable its field's type before the loop,
                        // so that type checking knows what each `next_value` reads where it is
                        // called (left to the end, the inference cost more than the rest of
                        // the impl).
                        if false {
                            return Ok($name { $($field: $field.unwrap(),)* });
                        }
                        while let Some(key) = map.next_key::<crate::codec::Key<'de>>()? {
                            match key.as_str() {
                                $(struct_deserialize!(@wire $field $(, $wire)?) => {
                                    $field = Some(map.next_value()?)
                                })*
                                other => struct_deserialize!(
                                    @$unknown map, other, [$(struct_deserialize!(@wire $field $(, $wire)?)),*]
                                ),
                            }
                        }
                        Ok($name {
                            $($field: struct_deserialize!(
                                @$kind $field, struct_deserialize!(@wire $field $(, $wire)?)
                            ),)*
                        })
                    }
                }

                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@wire $field:ident) => {
        stringify!($field)
    };
    (@wire $field:ident, $wire:literal) => {
        $wire
    };
    (@required $field:ident, $wire:expr) => {
        $field.ok_or_else(|| serde::de::Error::missing_field($wire))?
    };
    (@optional $field:ident, $wire:expr) => {
        $field.unwrap_or_default()
    };
    (@lenient $map:ident, $key:ident, [$($wire:expr),*]) => {{
        let _ = $key;
        $map.next_value::<serde::de::IgnoredAny>()?;
    }};
    (@strict $map:ident, $key:ident, [$($wire:expr),*]) => {
        return Err(serde::de::Error::unknown_field($key, &[$($wire),*]))
    };
}
