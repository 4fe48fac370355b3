//! placeholder

/// The README's Rust examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The client guide's Rust examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/client.md")]
pub struct ClientGuideDoctests;
