//! OpenAPI Overlay 1.0: actions applied to a parsed document before anything else reads it.
//!
//! Targets are JSONPath expressions (RFC 9535, via `serde_json_path`). `update` merges
//! into every matched node (objects key by key, recursively; arrays are appended to;
//! anything else is replaced); `remove: true` deletes every matched node. A target that
//! matches nothing is a warning naming the action.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

use super::{parse_document, read, to_typed};
use crate::diag::{Error, Location, Result, Warnings};

#[derive(Debug, Clone, Deserialize)]
pub struct OverlayDoc {
    pub overlay: String,
    #[serde(default)]
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Action {
    pub target: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub update: Option<Value>,
    #[serde(default)]
    pub remove: bool,
}

/// Reads an overlay file and applies its actions to `doc`, in order.
pub fn apply_file(path: &Path, doc: &mut Value, warnings: &mut Warnings) -> Result<()> {
    let overlay: OverlayDoc = to_typed(path, parse_document(path, &read(path)?)?)?;
    if !overlay.overlay.starts_with("1.") {
        return Err(Error::invalid(
            Location::new(path, "#/overlay"),
            format!(
                "overlay version {} is not supported (1.x is)",
                overlay.overlay
            ),
        ));
    }
    for (i, action) in overlay.actions.iter().enumerate() {
        let at = Location::new(path, format!("#/actions/{i}"));
        let matched = apply(action, doc).map_err(|message| {
            Error::invalid(
                Location::new(path, format!("#/actions/{i}/target")),
                message,
            )
        })?;
        if matched == 0 {
            let what = action
                .description
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            warnings.push(
                "overlay-no-match",
                at,
                format!("target `{}` matches nothing{what}", action.target),
            );
        }
    }
    Ok(())
}

/// Applies one action; returns how many nodes it matched.
fn apply(action: &Action, doc: &mut Value) -> std::result::Result<usize, String> {
    let path = JsonPath::parse(&action.target)
        .map_err(|e| format!("invalid JSONPath `{}`: {e}", action.target))?;
    let mut pointers: Vec<String> = path
        .query_located(doc)
        .locations()
        .map(|l| l.to_json_pointer())
        .collect();
    // Deepest and last first, so removing one node never shifts another's pointer: array
    // indices compare as numbers (`/10` after `/9`), not as text.
    pointers.sort_by(|a, b| pointer_order(b, a));
    for pointer in &pointers {
        if action.remove {
            remove(doc, pointer);
        } else if let (Some(update), Some(node)) = (&action.update, doc.pointer_mut(pointer)) {
            merge(node, update);
        }
    }
    Ok(pointers.len())
}

/// Orders JSON pointers token by token, array indices by value, so that a descendant
/// sorts after its ancestor and `/list/10` after `/list/9`.
fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |p: &str| -> Vec<(Option<u64>, String)> {
        p.split('/')
            .map(|t| (t.parse::<u64>().ok(), t.to_string()))
            .collect()
    };
    key(a).cmp(&key(b))
}

fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (k, v) in u {
                match t.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(u)) => t.extend(u.iter().cloned()),
        (Value::Array(t), u) => t.push(u.clone()),
        (t, u) => *t = u.clone(),
    }
}

fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = crate::diag::unescape_token(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(target: &str, update: Option<Value>, remove: bool, doc: &mut Value) -> usize {
        apply(
            &Action {
                target: target.into(),
                description: None,
                update,
                remove,
            },
            doc,
        )
        .unwrap()
    }

    #[test]
    fn update_merges_and_remove_deletes() {
        let mut doc = json!({"a": {"b": {"x": 1}, "list": [1]}, "c": [{"d": 1}, {"d": 2}]});
        assert_eq!(
            run("$.a.b", Some(json!({"y": 2, "x": 3})), false, &mut doc),
            1
        );
        assert_eq!(run("$.a.list", Some(json!([2])), false, &mut doc), 1);
        assert_eq!(run("$.c[*].d", None, true, &mut doc), 2);
        assert_eq!(run("$.nothing", None, true, &mut doc), 0);
        assert_eq!(
            doc,
            json!({"a": {"b": {"x": 3, "y": 2}, "list": [1, 2]}, "c": [{}, {}]})
        );
    }

    #[test]
    fn removing_several_array_items_removes_those_items_past_index_nine_too() {
        let items: Vec<Value> = (0..12).map(|i| json!(i)).collect();
        let mut doc = json!({ "list": items });
        assert_eq!(run("$.list[9,10]", None, true, &mut doc), 2);
        assert_eq!(doc, json!({"list": [0, 1, 2, 3, 4, 5, 6, 7, 8, 11]}));
    }

    #[test]
    fn filters_select_by_value() {
        let mut doc =
            json!({"paths": {"/a": {"get": {"tags": ["x"]}}, "/b": {"get": {"tags": ["y"]}}}});
        assert_eq!(
            run(
                "$.paths[?@.get.tags[0] == 'x'].get",
                Some(json!({"deprecated": true})),
                false,
                &mut doc
            ),
            1
        );
        assert_eq!(doc["paths"]["/a"]["get"]["deprecated"], true);
        assert!(doc["paths"]["/b"]["get"].get("deprecated").is_none());
    }
}
