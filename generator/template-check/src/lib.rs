//! The generator's templates (`generator/templates/`), compiled as they stand in the
//! context a generated crate gives them: a `models` module (with the `Event` the webhook
//! verifier decodes into), `error` aliases over the runtime's errors, and the runtime's
//! modules at the crate root. Emit changes nothing in them but the codec's `cfg` lines and
//! the event type's name, so what compiles and passes here is what generated crates carry.
//! The tests (`tests/`) run each template's items.

/// The serde macros the models invoke, as `codec.rs` holds them.
#[macro_use]
pub mod codec {
    include!("../../templates/codec_structs.rs");
    include!("../../templates/codec_enums.rs");
    include!("../../templates/codec_tagged.rs");
}

/// The senders every request builder gets; invoked by every generated client, compiled
/// here for its syntax only (invoking it needs a whole client).
#[macro_use]
#[allow(unused_macros)]
#[path = "../../templates/sends.rs"]
mod sends;

#[path = "../../templates/stream.rs"]
pub mod stream;

/// A response's body as a [`stream::ByteStream`], as a generated client hands over one.
pub fn byte_stream(response: reqwest::Response) -> stream::ByteStream {
    stream::ByteStream::new("download", response)
}

#[path = "../../templates/standard_webhooks.rs"]
pub mod webhook;

pub use clerkgen_runtime::{call_error, transport};

/// The error aliases a generated crate's `error.rs` defines, over a JSON error body.
pub mod error {
    /// The body of an error response.
    pub type ErrorBody = serde_json::Value;
    /// A call's error.
    pub type Error = crate::call_error::Error<ErrorBody>;
    /// A call's result.
    pub type Result<T, E = Error> = std::result::Result<T, E>;
}

/// Models written as emit writes them, invoking the codec's macros.
pub mod models {
    /// A struct with a required, an optional and a renamed field.
    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    pub struct User {
        pub id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(rename = "type")]
        pub r#type: Status,
    }

    struct_deserialize!(User { required(id), optional(name), required(r#type = "type") });

    /// The same fields, decoded strictly.
    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    pub struct StrictUser {
        pub id: String,
    }

    struct_deserialize!(strict StrictUser { required(id) });

    /// An open string enum.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub enum Status {
        /// `active`
        Active,
        /// `banned`
        Banned,
        /// A value this version of the crate does not know; kept as sent.
        Unknown(String),
    }

    open_enum!(Status, Unknown, { Active => "active", Banned => "banned" });

    /// The events, told apart by `type`.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Event {
        /// `type: user.created`
        UserCreated(UserCreatedEvent),
        /// An event this version does not know, as received.
        Unknown(serde_json::Value),
    }

    tagged_serialize!(Event, "type", Unknown, { "user.created" => UserCreated });
    tagged_deserialize!(Event, "type", Unknown, { "user.created" => UserCreated });

    /// The payload of `user.created`.
    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    pub struct UserCreatedEvent {
        pub data: User,
    }

    struct_deserialize!(UserCreatedEvent { required(data) });
}
