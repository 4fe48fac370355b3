//! Webhooks: the events an API sends to its users' endpoints (3.1 `webhooks`, which the
//! load stage hands over as `x-webhooks`, and 3.0 `x-webhooks`). Each event's payload
//! becomes a type of its own, and the events together one enum told apart by a tag
//! property, with a fallback variant that keeps an event this version does not know as
//! raw JSON.
//!
//! The tag: when every payload pins one property to a single value (a one-value enum or
//! `const`), that property and those values; else the property the manifest's
//! `webhook_tag` option names, whose value is the webhook's name (`user.created`).

use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr};

use super::naming::pascal;
use super::types::{SchemaRef, TypeSpace};
use super::{MappingRule, TaggedVariant, TypeKind, TypeRef, TypeTable, Webhook};
use crate::diag::{escape_token, Result};
use crate::load::{resolve, to_typed, RefKind};

/// The extension key the webhooks are read from.
pub const WEBHOOKS_KEY: &str = "x-webhooks";

/// The name of the event enum (claimed in the models namespace).
const EVENT_TYPE: &str = "Event";

/// The webhooks of the document, typed, and the name of the event enum when one is made.
pub fn build(
    file: &Path,
    doc: &OpenAPI,
    types: &mut TypeSpace<'_>,
    tag_option: Option<&str>,
) -> Result<(Vec<Webhook>, Option<String>)> {
    let Some(raw) = doc.extensions.get(WEBHOOKS_KEY) else {
        return Ok((Vec::new(), None));
    };
    let section = format!("#/{WEBHOOKS_KEY}");
    let entries: IndexMap<String, serde_json::Value> =
        to_typed(file, raw.clone()).map_err(|e| e.under(&section))?;
    let mut items: IndexMap<String, ReferenceOr<PathItem>> = IndexMap::new();
    for (name, entry) in entries {
        let at = format!("{section}/{}", escape_token(&name));
        // An extension beside the webhooks is no webhook.
        if name.starts_with("x-") {
            types.warn(
                "webhook-extension",
                &at,
                "an extension key among the webhooks is not a webhook; left out",
            );
            continue;
        }
        match to_typed::<ReferenceOr<PathItem>>(file, entry) {
            Ok(item) => {
                items.insert(name, item);
            }
            Err(e) => types.warn(
                "invalid-webhook",
                &at,
                format!(
                    "the webhook is not a valid path item ({}); left out",
                    e.under(&at)
                ),
            ),
        }
    }
    let mut webhooks = Vec::new();
    for (name, item) in &items {
        let at = format!("{section}/{}", escape_token(name));
        let ReferenceOr::Item(item) = item else {
            types.warn("unsupported", &at, "a webhook $ref is not followed");
            continue;
        };
        for (method, op) in item.iter() {
            let pointer = format!("{at}/{method}");
            match payload(doc, types, name, op, &pointer) {
                Some(payload) => webhooks.push(Webhook {
                    name: name.clone(),
                    pointer,
                    doc: op.description.clone().or_else(|| op.summary.clone()),
                    deprecated: op.deprecated,
                    variant: pascal(name),
                    payload,
                }),
                None => types.warn(
                    "webhook-payload",
                    &pointer,
                    "the webhook has no JSON request body: no payload type",
                ),
            }
        }
    }
    let event = event_enum(&section, &mut webhooks, types, tag_option);
    Ok((webhooks, event))
}

/// The type of a webhook's JSON payload, named after the webhook.
fn payload(
    doc: &OpenAPI,
    types: &mut TypeSpace<'_>,
    name: &str,
    op: &openapiv3::Operation,
    pointer: &str,
) -> Option<TypeRef> {
    let components = doc.components.as_ref().map(|c| &c.request_bodies);
    let rb = op.request_body.as_ref()?;
    let Some((body, body_ptr)) = resolve(
        rb,
        RefKind::RequestBodies,
        components,
        &format!("{pointer}/requestBody"),
    ) else {
        types.warn(
            "webhook-payload",
            pointer,
            "the request body $ref does not resolve to a request body",
        );
        return None;
    };
    let (media, content) = body.content.iter().find(|(m, _)| m.contains("json"))?;
    let schema = content.schema.as_ref()?;
    let schema_ptr = format!("{body_ptr}/content/{}/schema", escape_token(media));
    Some(types.named_type(
        SchemaRef::from(schema),
        &format!("{} Event", pascal(name)),
        &schema_ptr,
    ))
}

/// Defines the event enum, choosing its tag (see the module docs); `None` with a warning
/// when no tag can be found.
fn event_enum(
    section: &str,
    webhooks: &mut [Webhook],
    types: &mut TypeSpace<'_>,
    tag_option: Option<&str>,
) -> Option<String> {
    if webhooks.is_empty() {
        return None;
    }
    let (tag, values) = match pinned_tag(webhooks, types) {
        Some(found) => found,
        None => match tag_option {
            Some(tag) => (
                tag.to_string(),
                webhooks.iter().map(|w| w.name.clone()).collect(),
            ),
            None => {
                types.warn(
                    "webhook-untagged",
                    section,
                    "no property tells the events apart and the manifest names no `webhook_tag`: payload types only, no event enum",
                );
                return None;
            }
        },
    };
    let fallback = if webhooks.iter().any(|w| w.variant == "Unknown") {
        "Other"
    } else {
        "Unknown"
    };
    let variants = webhooks
        .iter()
        .zip(values)
        .map(|(w, tag_value)| TaggedVariant {
            name: w.variant.clone(),
            tag_value,
            ty: w.payload.clone(),
        })
        .collect();
    let doc = format!(
        "An event the API sends to a webhook endpoint: one variant per webhook, told apart by the payload's `{tag}`. An event this version does not know decodes into `{fallback}` with its raw JSON."
    );
    let kind = TypeKind::Tagged {
        tag,
        variants,
        fallback: fallback.to_string(),
    };
    Some(types.define_extra(
        EVENT_TYPE,
        section,
        MappingRule::WebhookEvents,
        Some(doc),
        kind,
    ))
}

/// A property every payload pins to one value, values all different: the tag the spec
/// itself gives.
fn pinned_tag(webhooks: &[Webhook], types: &TypeSpace<'_>) -> Option<(String, Vec<String>)> {
    let first = types.struct_fields(&webhooks[0].payload)?;
    first.iter().find_map(|candidate| {
        let values: Option<Vec<String>> = webhooks
            .iter()
            .map(|w| {
                let fields = types.struct_fields(&w.payload)?;
                let field = fields.iter().find(|f| f.wire_name == candidate.wire_name)?;
                types.single_value(&field.ty).map(String::from)
            })
            .collect();
        let values = values?;
        let mut unique = values.clone();
        unique.sort();
        unique.dedup();
        (unique.len() == values.len()).then(|| (candidate.wire_name.clone(), values))
    })
}
