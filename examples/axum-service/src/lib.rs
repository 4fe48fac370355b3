//! An axum service on the Clerk crates, as a Rust backend would write one:
//!
//! - `GET /users` lists every user of the instance, page by page, with the `clerk`
//!   Backend API client (only its `users` feature is compiled).
//! - `POST /webhooks/clerk` receives Clerk's webhook deliveries: `clerk_webhooks::Webhook`
//!   checks the signature and timestamp against the raw body, then the handler matches on
//!   the decoded event. A delivery that fails verification gets 400 and is not acted on.
//! - `GET /me` answers who is calling, from the session token (`clerk_auth::Auth`): 401
//!   without a verified session.
//! - `GET /org/invoices` requires the permission `org:invoices:read` in the caller's active
//!   organization (`clerk_auth::axum::RequireLayer`): 403 without it.
//!
//! `main.rs` runs it with the secrets from the environment; `tests/axum_example.rs` at the
//! repository root drives it against a mock Clerk.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use clerk_auth::axum::{ClerkLayer, RequireLayer};
use clerk_auth::{Auth, Requirement};
use clerk_webhooks::models::Event;
use serde::Serialize;

/// What the handlers share: the API client, the webhook verifier, and (standing in for a
/// database) what the webhooks told the service.
#[derive(Clone)]
pub struct AppState {
    pub clerk: clerk::Client,
    /// Verifies the session tokens of the routes that need a caller.
    pub verifier: clerk_auth::Verifier,
    pub webhook: Arc<clerk_webhooks::Webhook>,
    pub seen: Arc<Mutex<Vec<String>>>,
}

/// The service's routes: the ones that need a caller go through the Clerk layer; the
/// webhook route is authenticated by its signature instead.
pub fn app(state: AppState) -> Router {
    let signed_in = Router::new()
        .route("/org/invoices", get(invoices))
        .route_layer(RequireLayer::new(Requirement::permission(
            "org:invoices:read",
        )))
        .route("/me", get(me))
        .layer(ClerkLayer::new(state.verifier.clone()));
    Router::new()
        .route("/users", get(list_users))
        .route("/webhooks/clerk", post(receive_webhook))
        .merge(signed_in)
        .with_state(state)
}

/// Who is calling.
#[derive(Debug, Serialize)]
pub struct Me {
    pub user_id: String,
    pub org_id: Option<String>,
    pub org_role: Option<String>,
}

async fn me(auth: Auth) -> Json<Me> {
    Json(Me {
        user_id: auth.user_id().to_string(),
        org_id: auth.org_id().map(str::to_string),
        org_role: auth.org_role().map(str::to_string),
    })
}

/// The active organization's invoices (the guard has checked the permission).
async fn invoices(auth: Auth) -> Json<serde_json::Value> {
    Json(serde_json::json!({"org_id": auth.org_id(), "invoices": []}))
}

/// One user as this service shows it.
#[derive(Debug, Serialize)]
pub struct UserSummary {
    pub id: String,
    pub email: Option<String>,
}

/// Every user, reading the list 100 at a time.
async fn list_users(State(state): State<AppState>) -> Result<Json<Vec<UserSummary>>, ApiFailure> {
    let mut pages = state.clerk.users().get_user_list().limit(100).pages();
    let mut users = Vec::new();
    while let Some(page) = pages.next_page().await? {
        users.extend(page.into_iter().map(|user| {
            let primary = user.primary_email_address_id.as_deref();
            let email = user
                .email_addresses
                .iter()
                .find(|e| e.id.is_some() && e.id.as_deref() == primary)
                .map(|e| e.email_address.clone());
            UserSummary { id: user.id, email }
        }));
    }
    Ok(Json(users))
}

/// A webhook delivery: verified first, then acted on by event.
async fn receive_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let event = match state.webhook.verify(&headers, &body) {
        Ok(event) => event,
        Err(refused) => {
            eprintln!("webhook refused: {refused}");
            return StatusCode::BAD_REQUEST;
        }
    };
    let note = match event {
        Event::UserCreated(created) => format!("user.created {}", created.data.id),
        Event::UserDeleted(deleted) => {
            format!("user.deleted {}", deleted.data.id.unwrap_or_default())
        }
        // An event newer than this crate still arrives, as raw JSON.
        Event::Unknown(raw) => format!("unknown {}", raw["type"]),
        // Acknowledge the rest, so that Clerk does not retry them.
        _ => return StatusCode::NO_CONTENT,
    };
    state.seen.lock().expect("not poisoned").push(note);
    StatusCode::NO_CONTENT
}

/// A failed call to Clerk, answered as 502 with the error's one-line description.
pub struct ApiFailure(clerk::Error);

impl From<clerk::Error> for ApiFailure {
    fn from(e: clerk::Error) -> Self {
        ApiFailure(e)
    }
}

impl axum::response::IntoResponse for ApiFailure {
    fn into_response(self) -> axum::response::Response {
        (StatusCode::BAD_GATEWAY, self.0.to_string()).into_response()
    }
}
