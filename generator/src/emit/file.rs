//! `file.rs` of the generated crate: `FilePart`, the value of a `format: binary` field, and
//! how it goes into a multipart body.

use super::paths::{ERROR, RESULT};
use proc_macro2::TokenStream;
use quote::quote;

use super::Shape;

/// `FilePart`: the value of a `format: binary` field.
pub fn file_rs(shape: &Shape) -> TokenStream {
    let to_part = shape.multipart.then(|| {
        quote! {
            /// The multipart part carrying this file.
            pub(crate) fn to_part(&self) -> #RESULT<reqwest::multipart::Part> {
                let mut part = reqwest::multipart::Part::bytes(self.bytes.clone());
                if let Some(name) = &self.file_name {
                    part = part.file_name(name.clone());
                }
                match &self.content_type {
                    Some(mime) => part.mime_str(mime).map_err(#ERROR::Http),
                    None => Ok(part),
                }
            }
        }
    });
    let lenient = super::unless_all_features(quote!(dead_code));
    quote! {
        //! `FilePart`: a file sent in a `multipart/form-data` body.
        #lenient

        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        /// A file: its bytes, and the file name and content type its part announces.
        ///
        /// `FilePart::new(std::fs::read("logo.png")?).file_name("logo.png").content_type("image/png")`;
        /// a plain `Vec<u8>` converts into one without a name or type. In JSON (which a file
        /// field rarely meets) the bytes are text.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct FilePart {
            pub bytes: Vec<u8>,
            pub file_name: Option<String>,
            pub content_type: Option<String>,
        }

        impl FilePart {
            pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
                FilePart { bytes: bytes.into(), file_name: None, content_type: None }
            }

            /// The file name the part announces (`filename=` in its `Content-Disposition`).
            pub fn file_name(mut self, name: impl Into<String>) -> Self {
                self.file_name = Some(name.into());
                self
            }

            /// The part's `Content-Type`, such as `image/png`.
            pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
                self.content_type = Some(content_type.into());
                self
            }

            #to_part
        }

        impl From<Vec<u8>> for FilePart {
            fn from(bytes: Vec<u8>) -> Self {
                FilePart::new(bytes)
            }
        }

        impl From<&[u8]> for FilePart {
            fn from(bytes: &[u8]) -> Self {
                FilePart::new(bytes)
            }
        }

        impl Serialize for FilePart {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
            }
        }

        impl<'de> Deserialize<'de> for FilePart {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(|s| FilePart::new(s.into_bytes()))
            }
        }
    }
}
