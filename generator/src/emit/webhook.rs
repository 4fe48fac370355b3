//! `webhook.rs` of a crate whose deliveries are signed: the verifier template of the
//! signature scheme the manifest names, reading into the crate's event enum.

use super::paths::MODELS;
use crate::ir::Api;

/// The webhook verifier: the scheme's template, decoding into the crate's event enum, with
/// `from_env` when the manifest names the secret's variable.
pub fn webhook_rs(api: &Api) -> String {
    let Some(signing) = &api.webhook_signing else {
        return String::new();
    };
    let template = match signing.scheme {
        crate::ir::WebhookSignature::StandardWebhooks => {
            include_str!("../../templates/standard_webhooks.rs")
        }
    };
    let mut text = match api.event_type.as_deref() {
        Some(event) if event != "Event" => template.replace(
            &format!("use {MODELS}::Event;"),
            &format!("use {MODELS}::{event} as Event;"),
        ),
        _ => template.to_string(),
    };
    if let Some(var) = &signing.secret_env {
        text.push_str(&format!(
            "\n/// The environment variable [`Webhook::from_env`] reads the signing secret from.\n\
             pub const WEBHOOK_SECRET_ENV: &str = {var:?};\n\n\
             impl Webhook {{\n    \
             /// A verifier whose secret is in the `{var}` environment variable.\n    \
             pub fn from_env() -> Result<Self, WebhookError> {{\n        \
             Webhook::from_env_var(WEBHOOK_SECRET_ENV)\n    }}\n}}\n"
        ));
    }
    text
}
