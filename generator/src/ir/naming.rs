//! Naming: every Rust identifier the generator emits is decided here, once.
//!
//! Non-ASCII names are transliterated with `deunicode`; case conversion uses `heck`;
//! names are stored bare: a keyword stays `type` here and emit spells it raw
//! ([`is_raw_keyword`]); where Rust forbids a raw identifier (`self`), the name gets a
//! trailing underscore; collisions get numeric suffixes in the order
//! names are claimed, which is the (deterministic) order of the spec.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Words for symbols that would otherwise vanish from a name (`-x` -> `MinusX`).
const SYMBOL_WORDS: &[(char, &str)] = &[
    ('-', "minus"),
    ('+', "plus"),
    ('*', "star"),
    ('/', "slash"),
    ('.', "dot"),
    ('@', "at"),
    ('#', "hash"),
    ('$', "dollar"),
    ('%', "percent"),
    ('&', "and"),
    ('=', "eq"),
    ('<', "lt"),
    ('>', "gt"),
    ('!', "bang"),
    ('?', "question"),
    ('~', "tilde"),
    (':', "colon"),
];

/// `snake_case`, made a valid identifier (leading digit -> `_`, keywords escaped). A
/// one-letter capital that starts a capitalised word stays with it (`getOAuthToken` ->
/// `get_oauth_token`, not `get_o_auth_token`).
pub fn snake(raw: &str) -> String {
    let s = acronyms_whole(&words_of(raw)).to_snake_case();
    let s = if s.is_empty() {
        symbols_spelled(raw).to_snake_case()
    } else {
        s
    };
    let s = if s.is_empty() { "value".to_string() } else { s };
    valid_ident(s)
}

/// `PascalCase`, made a valid identifier (leading digit -> `V`).
pub fn pascal(raw: &str) -> String {
    let s = words_of(raw).to_upper_camel_case();
    let s = if s.is_empty() {
        symbols_spelled(raw).to_upper_camel_case()
    } else {
        s
    };
    let s = if s.is_empty() { "Empty".to_string() } else { s };
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    };
    valid_ident(s)
}

/// PascalCase for enum values, where a leading symbol carries meaning (`-created_at`).
pub fn pascal_value(raw: &str) -> String {
    let lead: String = raw.chars().take_while(|c| !c.is_alphanumeric()).collect();
    let spelled: String = lead
        .chars()
        .filter_map(symbol_word)
        .collect::<Vec<_>>()
        .join(" ");
    if spelled.is_empty() || raw.len() == lead.len() {
        pascal(raw)
    } else {
        pascal(&format!("{spelled} {}", &raw[lead.len()..]))
    }
}

/// Lowercases the second capital of a lone capital and a capitalised word (`xOAuthY` ->
/// `xOauthY`), so that case conversion keeps them one word.
fn acronyms_whole(words: &str) -> String {
    let chars: Vec<char> = words.chars().collect();
    let mut out = String::with_capacity(words.len());
    for (i, &c) in chars.iter().enumerate() {
        // A capital after a lowercase letter, a separator or the start: not the end of a
        // run of capitals or of an alphanumeric code (`M2MToken`).
        let lone_capital_before = i >= 1
            && chars[i - 1].is_ascii_uppercase()
            && (i < 2
                || chars[i - 2].is_ascii_lowercase()
                || !chars[i - 2].is_ascii_alphanumeric());
        let word_after = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
        match c.is_ascii_uppercase() && lone_capital_before && word_after {
            true => out.push(c.to_ascii_lowercase()),
            false => out.push(c),
        }
    }
    out
}

fn symbol_word(c: char) -> Option<&'static str> {
    SYMBOL_WORDS.iter().find(|(s, _)| *s == c).map(|(_, w)| *w)
}

fn symbols_spelled(raw: &str) -> String {
    raw.chars()
        .filter_map(symbol_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// ASCII letters and digits of the name, everything else separating words. Other
/// letters, digits and symbols are transliterated first (`Café²` -> `Cafe2`, `naïve½`
/// -> `naive1/2`, an emoji by its name), so every name becomes a valid, readable,
/// stable identifier; the wire name is kept apart.
fn words_of(raw: &str) -> String {
    let ascii = if raw.is_ascii() {
        std::borrow::Cow::Borrowed(raw)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode_with_tofu(raw, " "))
    };
    ascii
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn valid_ident(s: String) -> String {
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    };
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// Whether a name of the IR is a keyword, which Rust source spells raw (`r#type`).
pub fn is_raw_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name) && !NOT_RAW.contains(&name)
}

/// A name of the IR as Rust source spells it: `r#type` for the keyword, else as is. The
/// IR stores names bare; code written from it (docs here, a test's calls) spells them
/// with this, and tokens come from `emit::ident`.
pub fn spelled(name: &str) -> std::borrow::Cow<'_, str> {
    match is_raw_keyword(name) {
        true => std::borrow::Cow::Owned(format!("r#{name}")),
        false => std::borrow::Cow::Borrowed(name),
    }
}

/// A namespace of identifiers: the first claimant of a name keeps it, later ones get
/// `2`, `3`, ... (`_2` for snake_case names).
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `name`, or the first free suffixed form of it.
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_string()) {
            return name.to_string();
        }
        let snake = name
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() || c == '_');
        (2..)
            .map(|n| {
                if snake {
                    format!("{name}_{n}")
                } else {
                    format!("{name}{n}")
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_keywords() {
        assert_eq!(snake("frontendApi"), "frontend_api");
        // Acronyms that start with a lone capital stay whole; runs of capitals as before.
        assert_eq!(snake("getOAuthToken"), "get_oauth_token");
        assert_eq!(snake("OAuthApplication"), "oauth_application");
        assert_eq!(
            snake("GetInstanceOAuthApplicationSettings"),
            "get_instance_oauth_application_settings"
        );
        assert_eq!(snake("APIKey"), "api_key");
        assert_eq!(snake("createSAMLConnection"), "create_saml_connection");
        assert_eq!(snake("X-Api-Key"), "x_api_key");
        assert_eq!(snake("getUserID"), "get_user_id");
        assert_eq!(snake("createM2MToken"), "create_m2m_token");
        assert_eq!(snake("type"), "type");
        assert!(is_raw_keyword("type") && !is_raw_keyword("self_"));
        assert_eq!(spelled("match"), "r#match");
        assert_eq!(spelled("matches"), "matches");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("$"), "dollar");
        assert_eq!(pascal("JWKS.rsa.PrivateKey"), "JwksRsaPrivateKey");
        assert_eq!(pascal("verification_otp"), "VerificationOtp");
        assert_eq!(pascal("CommercePlan-2"), "CommercePlan2");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(pascal("1password"), "V1password");
        assert_eq!(pascal_value("-created_at"), "MinusCreatedAt");
        assert_eq!(pascal_value("+x"), "PlusX");
        assert_eq!(pascal_value("-"), "Minus");
    }

    #[test]
    fn collisions_get_suffixes_in_claim_order() {
        let mut ns = Namespace::with_reserved(&["send"]);
        assert_eq!(ns.claim("frontend_api"), "frontend_api");
        assert_eq!(ns.claim("frontend_api"), "frontend_api_2");
        assert_eq!(ns.claim("send"), "send_2");
        assert_eq!(ns.claim("Client"), "Client");
        assert_eq!(ns.claim("Client"), "Client2");
        assert_eq!(ns.claim("type"), "type");
        assert_eq!(ns.claim("type"), "type_2");
    }
}
