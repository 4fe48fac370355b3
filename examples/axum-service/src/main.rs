//! Runs the service on 127.0.0.1:3000 with `CLERK_SECRET_KEY`, `CLERK_PUBLISHABLE_KEY`
//! and `CLERK_WEBHOOK_SIGNING_SECRET` from the environment (`CLERK_JWT_KEY` too, to verify
//! session tokens without fetching keys).

use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let state = clerk_axum_example::AppState {
        clerk: clerk::Client::from_env()?,
        verifier: clerk_auth::VerifierBuilder::from_env()
            .authorized_parties(["http://localhost:3000"])
            .build()?,
        webhook: Arc::new(clerk_webhooks::Webhook::from_env()?),
        seen: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, clerk_axum_example::app(state)).await?;
    Ok(())
}
