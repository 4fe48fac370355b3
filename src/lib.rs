//! placeholder

/// The README's Rust examples that are not marked `ignore`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
