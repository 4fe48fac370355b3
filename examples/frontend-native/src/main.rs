//! A native app (or a CLI) signing in through the Clerk Frontend API.
//!
//! - The instance comes from its publishable key: `Client::from_env()` reads
//!   `CLERK_PUBLISHABLE_KEY` and calls the Frontend API the key names.
//! - A native client says so with `_is_native` (`production_native_flag`) and, once it
//!   has one, sends its client token in `Authorization` (`production_native_app`).
//! - Clerk sends the (rotating) client token back in the `Authorization` response header:
//!   an `on_response` observer keeps the newest, which the next client sends.
//!
//! Run it against a development or production instance:
//!
//! ```sh
//! CLERK_PUBLISHABLE_KEY=pk_test_... CLERK_EMAIL=user@example.com CLERK_PASSWORD=... \
//!   cargo run -p clerk-frontend-example
//! ```

use std::sync::{Arc, Mutex};

use clerk_frontend::publishable_key::PublishableKey;
use clerk_frontend::{Client, Exchange};

/// The newest client token the Frontend API handed over, if any.
type Token = Arc<Mutex<Option<String>>>;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key: PublishableKey = std::env::var("CLERK_PUBLISHABLE_KEY")?.parse()?;
    let token = Token::default();

    // The instance's settings: what it is called and which sign-in factors it offers.
    let client = native_client(&key, &token, None)?;
    let environment = client.environment().get_environment().await?;
    if let Some(display) = &environment.display_config {
        println!("signing in to {}", display.application_name);
    }

    let (Ok(email), Ok(password)) = (
        std::env::var("CLERK_EMAIL"),
        std::env::var("CLERK_PASSWORD"),
    ) else {
        println!("set CLERK_EMAIL and CLERK_PASSWORD to sign in");
        return Ok(());
    };
    let signed_in = client
        .sign_ins()
        .create_sign_in()
        .strategy("password")
        .identifier(email)
        .password(password)
        .await?;
    let sign_in = signed_in.response;
    println!("sign-in {}: {}", sign_in.id, sign_in.status);
    if let Some(session) = sign_in.created_session_id {
        println!("session {session} created");
    }

    // Later calls carry the client token the sign-in returned.
    let held = token.lock().expect("the token lock").clone();
    let client = native_client(&key, &token, held)?;
    let current = client.client().get_client().await?;
    let sessions = current.response.map_or(0, |c| c.sessions.len());
    println!("the client holds {sessions} session(s)");
    Ok(())
}

/// A client for the instance that speaks as a native app, sends `token` when it has one,
/// and keeps the token of each response.
fn native_client(
    key: &PublishableKey,
    token: &Token,
    held: Option<String>,
) -> clerk_frontend::Result<Client> {
    let keep = Arc::clone(token);
    let mut builder = Client::builder()
        .publishable_key(key)
        .production_native_flag("true")
        .on_response(move |exchange: &Exchange<'_>| {
            let header = exchange.headers.get("authorization");
            if let Some(value) = header.and_then(|v| v.to_str().ok()) {
                *keep.lock().expect("the token lock") = Some(value.to_string());
            }
        });
    if let Some(held) = held {
        builder = builder.production_native_app(held);
    }
    builder.build()
}
