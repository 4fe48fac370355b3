//! Runs the service on 127.0.0.1:3000 with `CLERK_SECRET_KEY` and
//! `CLERK_WEBHOOK_SIGNING_SECRET` from the environment.

use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let state = clerk_axum_example::AppState {
        clerk: clerk::Client::from_env()?,
        webhook: Arc::new(clerk_webhooks::Webhook::from_env()?),
        seen: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, clerk_axum_example::app(state)).await?;
    Ok(())
}
