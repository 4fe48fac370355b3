//! Request bodies as the client sends them: the `Body` kinds the document uses (JSON,
//! form, multipart, raw bytes of another media type), how each goes on the wire, and the
//! helpers operations encode their bodies with.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, BodyEncoding};

/// The pieces `client_core.rs` splices in.
pub(crate) struct BodyTokens {
    /// The `match body` arms of `request()` that put each kind on the request.
    pub arms: TokenStream,
    /// `RawBody`, `Body` with its copy, and the encoding helpers.
    pub items: TokenStream,
}

pub(crate) fn tokens(api: &Api) -> BodyTokens {
    let raw = super::uses_raw_body(api);
    let raw_arm = raw.then(|| quote!(Some(Body::Raw(raw)) => request.header(reqwest::header::CONTENT_TYPE, raw.content_type).body(raw.bytes),));
    let raw_variant = raw.then(|| quote!(Raw(RawBody),));
    let json = super::uses_encoding(api, BodyEncoding::Json);
    let json_variant = json.then(|| quote!(Json(Vec<u8>),));
    let json_clone = json.then(|| quote!(Body::Json(bytes) => Some(Body::Json(bytes.clone())),));
    let json_arm = json.then(|| quote!(Some(Body::Json(bytes)) => request.header(reqwest::header::CONTENT_TYPE, "application/json").body(bytes),));
    let json_helper = json.then(|| {
        quote! {
            /// A body as JSON.
            pub(crate) fn json_body<T: serde::Serialize>(value: &T) -> Result<Option<Body>> {
                serde_json::to_vec(value).map(|b| Some(Body::Json(b))).map_err(Error::Encode)
            }
        }
    });
    let form = super::uses_encoding(api, BodyEncoding::Form);
    let multipart = super::uses_encoding(api, BodyEncoding::Multipart);
    let form_variant = form.then(|| quote!(Form(Vec<(String, String)>),));
    let raw_clone = raw.then(|| quote!(Body::Raw(raw) => Some(Body::Raw(raw.clone())),));
    let form_clone = form.then(|| quote!(Body::Form(pairs) => Some(Body::Form(pairs.clone())),));
    let multipart_clone = multipart.then(|| quote!(Body::Multipart(_) => None,));
    // With no body of any kind, `Body` has no variants and a copy needs no arms.
    let clone_match = if json || raw || form || multipart {
        quote!(match self { #json_clone #raw_clone #form_clone #multipart_clone })
    } else {
        quote!(match *self {})
    };
    let form_arm = form.then(|| quote!(Some(Body::Form(pairs)) => request.form(&pairs),));
    let multipart_variant = multipart.then(|| quote!(Multipart(reqwest::multipart::Form),));
    let multipart_arm =
        multipart.then(|| quote!(Some(Body::Multipart(form)) => request.multipart(form),));
    let form_helper = form.then(|| quote! {
        /// A body as `application/x-www-form-urlencoded` pairs: scalars as text, arrays as
        /// repeated keys, nested objects as JSON text; unset and null fields are left out.
        pub(crate) fn form_body<T: serde::Serialize>(value: &T) -> Result<Option<Body>> {
            fn text(value: &serde_json::Value) -> Option<String> {
                match value {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Bool(_) | serde_json::Value::Number(_) => Some(value.to_string()),
                    other => Some(other.to_string()),
                }
            }
            let mut pairs = Vec::new();
            if let serde_json::Value::Object(map) = serde_json::to_value(value).map_err(Error::Encode)? {
                for (key, value) in map {
                    match value {
                        serde_json::Value::Array(items) => pairs.extend(items.iter().filter_map(text).map(|v| (key.clone(), v))),
                        other => pairs.extend(text(&other).map(|v| (key, v))),
                    }
                }
            }
            Ok(Some(Body::Form(pairs)))
        }
    });
    let raw_body_type = raw.then(|| {
        quote! {
            /// A request body the client sends as given, for media types it does not encode
            /// itself (such as `multipart/form-data`).
            #[derive(Debug, Clone)]
            pub struct RawBody {
                /// The `Content-Type` header, including any boundary parameter.
                pub content_type: String,
                /// The encoded body.
                pub bytes: Vec<u8>,
            }

            impl RawBody {
                pub fn new(content_type: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
                    RawBody { content_type: content_type.into(), bytes: bytes.into() }
                }
            }

        }
    });
    BodyTokens {
        arms: quote! {
            #json_arm
            #raw_arm
            #form_arm
            #multipart_arm
        },
        items: quote! {
            #raw_body_type

            pub(crate) enum Body {
                #json_variant
                #raw_variant
                #form_variant
                #multipart_variant
            }

            impl Body {
                /// A copy for another attempt; a multipart body streams once and has none.
                fn try_clone(&self) -> Option<Body> {
                    #clone_match
                }
            }

            #form_helper

            #json_helper
        },
    }
}
