//! How a caller gives an operation its values, decided once: each parameter, body field
//! or whole body is an [`Input`] taken as an argument of the operation's method or by a
//! setter of its builder, stored in a builder field or a field of the flattened body, and
//! starting from a value the IR names ([`Start`]). Emit writes these decisions; it makes
//! none.

use super::{BodyEncoding, BodyInput, Operation, ParamLocation, Presence, TypeRef};

/// One value a caller gives an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// The argument's or setter's name (and the builder field's, for a builder slot).
    pub name: String,
    /// What it is in the request.
    pub of: InputOf,
    /// Its type.
    pub ty: TypeRef,
    /// The request body in a media type the client does not encode: taken as a
    /// `RawBody`, not as `ty`.
    pub raw_body: bool,
    /// Its description.
    pub doc: Option<String>,
    /// Whether the document deprecates it.
    pub deprecated: bool,
    /// Where the value is kept until the request is sent.
    pub slot: Slot,
    /// What the slot holds when the operation's method returns the builder.
    pub start: Start,
}

/// What an input is in the request.
#[derive(Debug, Clone, PartialEq)]
pub enum InputOf {
    /// A parameter, where it is sent and its name on the wire.
    Param {
        /// Path, query, header or cookie.
        location: ParamLocation,
        /// Its name on the wire.
        name: String,
    },
    /// A field of an object body, by its name on the wire.
    BodyField {
        /// Its name on the wire.
        wire_name: String,
    },
    /// The whole body, in this media type.
    Body {
        /// The body's media type.
        media_type: String,
    },
}

/// Where an input's value is kept.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// A field of the builder named like the input: `Option<T>` when `optional`.
    Builder {
        /// The field may be left unset.
        optional: bool,
    },
    /// A field of the flattened body, represented as its presence says.
    Body {
        /// The body struct's field.
        field: String,
        /// How the field is represented (`T`, `Option<T>`, `Patch<T>`).
        presence: Presence,
    },
}

/// What an input's slot holds when the method returns the builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The method's argument: a required input, which has no setter.
    Argument,
    /// The only value its type has (a required single-valued enum): `Default::default()`,
    /// in `Some` when the field is nullable. Its setter can still replace it.
    Constant,
    /// Left out of the request (a tri-state field's `Patch::Absent`) until set.
    Absent,
    /// Not set (`None`) until its setter is called.
    Unset,
}

impl Slot {
    /// Whether the slot holds an `Option` (or a `Patch`) rather than the value itself.
    pub fn optional(&self) -> bool {
        match self {
            Slot::Builder { optional } => *optional,
            Slot::Body { presence, .. } => *presence != Presence::Required,
        }
    }
}

impl Start {
    /// Whether the slot's start is its type's `Default` (`None`, `Patch::Absent`), which a
    /// body that derives `Default` need not spell out.
    pub fn is_default(self) -> bool {
        matches!(self, Start::Absent | Start::Unset)
    }
}

impl Operation {
    /// The operation's inputs, in the order its method takes its arguments: parameters
    /// (path ones first), then the body's fields or the whole body.
    pub fn inputs(&self) -> Vec<Input> {
        let mut out: Vec<Input> = self
            .params
            .iter()
            .map(|p| Input {
                name: p.rust_name.clone(),
                of: InputOf::Param {
                    location: p.location,
                    name: p.name.clone(),
                },
                ty: p.ty.clone(),
                raw_body: false,
                doc: p.doc.clone(),
                deprecated: p.deprecated,
                slot: Slot::Builder {
                    optional: !p.required,
                },
                start: if p.required {
                    Start::Argument
                } else {
                    Start::Unset
                },
            })
            .collect();
        let Some(body) = &self.body else {
            return out;
        };
        match &body.input {
            BodyInput::Fields(fields) => out.extend(fields.iter().map(|f| Input {
                name: f.setter.clone(),
                of: InputOf::BodyField {
                    wire_name: f.wire_name.clone(),
                },
                ty: f.ty.clone(),
                raw_body: false,
                doc: f.doc.clone(),
                deprecated: f.deprecated,
                slot: Slot::Body {
                    field: f.field.clone(),
                    presence: f.presence,
                },
                start: body_field_start(f.argument, f.presence, f.constant),
            })),
            BodyInput::Whole { setter } => out.push(Input {
                name: setter.clone(),
                of: InputOf::Body {
                    media_type: body.media_type.clone(),
                },
                ty: body.ty.clone(),
                raw_body: body.encoding == BodyEncoding::Raw,
                doc: body.doc.clone(),
                deprecated: false,
                slot: Slot::Builder {
                    optional: !body.required,
                },
                start: if body.required {
                    Start::Argument
                } else {
                    Start::Unset
                },
            }),
        }
        out
    }
}

/// Where a body field starts: its argument; the one value of a required constant; absent
/// for a tri-state field; else unset.
fn body_field_start(argument: bool, presence: Presence, constant: bool) -> Start {
    match (argument, presence, constant) {
        (true, _, _) => Start::Argument,
        (false, Presence::Required | Presence::RequiredNullable, true) => Start::Constant,
        (false, Presence::TriState, _) => Start::Absent,
        (false, _, _) => Start::Unset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_field_starts_from_what_its_presence_and_constancy_say() {
        use Presence::*;
        assert_eq!(body_field_start(true, Required, true), Start::Argument);
        assert_eq!(body_field_start(false, Required, true), Start::Constant);
        assert_eq!(
            body_field_start(false, RequiredNullable, true),
            Start::Constant
        );
        assert_eq!(body_field_start(false, TriState, false), Start::Absent);
        assert_eq!(body_field_start(false, TriState, true), Start::Absent);
        assert_eq!(body_field_start(false, Optional, false), Start::Unset);
        assert_eq!(
            body_field_start(false, OptionalNullable, false),
            Start::Unset
        );
        assert!(Start::Unset.is_default() && Start::Absent.is_default());
        assert!(!Start::Constant.is_default() && !Start::Argument.is_default());
    }
}
