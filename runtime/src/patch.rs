//! `Patch<T>`: the value of an optional, nullable field of a request body.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field a request may leave out, clear with `null`, or set.
///
/// Setters of request builders take `impl Into<Patch<T>>`: pass a value to set it,
/// [`Patch::Null`] (or `None`) to send `null`, and leave the setter uncalled to leave the
/// field out of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Patch<T> {
    /// Not sent.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Patch::Null)
    }

    /// The value, if one is set.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Patch::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if one is set; `None` for both absent and null.
    pub fn into_value(self) -> Option<T> {
        match self {
            Patch::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Value(value)
    }
}

/// `Some(v)` sets the value; `None` sends `null`.
impl<T> From<Option<T>> for Patch<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Patch::Value(v),
            None => Patch::Null,
        }
    }
}

impl From<&str> for Patch<String> {
    fn from(value: &str) -> Self {
        Patch::Value(value.to_string())
    }
}

impl From<&String> for Patch<String> {
    fn from(value: &String) -> Self {
        Patch::Value(value.clone())
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Value(v) => v.serialize(serializer),
            // Absent fields are skipped by the containing struct; alone, they are null.
            Patch::Null | Patch::Absent => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_states_and_their_conversions() {
        assert!(Patch::<i32>::default().is_absent());
        assert!(Patch::<i32>::from(None).is_null());
        assert_eq!(Patch::from("a").as_value().map(String::as_str), Some("a"));
        assert_eq!(Patch::from(Some(3)).into_value(), Some(3));
        assert_eq!(Patch::<i32>::Null.into_value(), None);
    }

    #[test]
    fn a_value_encodes_as_itself_and_null_as_null() {
        assert_eq!(serde_json::to_string(&Patch::Value(5)).unwrap(), "5");
        assert_eq!(serde_json::to_string(&Patch::<i32>::Null).unwrap(), "null");
        let decoded: Patch<i32> = serde_json::from_str("null").unwrap();
        assert!(decoded.is_null());
        let decoded: Patch<i32> = serde_json::from_str("7").unwrap();
        assert_eq!(decoded, Patch::Value(7));
    }
}
