//! Ten operations a typical backend calls, compiled to measure what a service pays for the
//! generated crate (scripts/bench). Never run against the real API.

#[tokio::main(flavor = "current_thread")]
async fn main() -> clerk::Result<()> {
    let clerk = clerk::Client::from_env()?;
    let user = clerk.users().get_user("user_123").await?;
    let users = clerk.users().get_user_list().limit(10).await?;
    let created = clerk
        .users()
        .create_user()
        .email_address(["jane@example.com"])
        .await?;
    clerk
        .users()
        .update_user(&created.id)
        .first_name("Jane")
        .await?;
    clerk.users().delete_user(&created.id).await?;
    let orgs = clerk
        .organizations()
        .list_organizations()
        .pages()
        .collect_all()
        .await?;
    let org = clerk
        .organizations()
        .create_organization("Acme")
        .created_by(&user.id)
        .await?;
    clerk
        .organization_memberships()
        .create_organization_membership(&org.id, &user.id, "org:member")
        .await?;
    let sessions = clerk
        .sessions()
        .get_session_list()
        .user_id(&user.id)
        .await?;
    clerk
        .invitations()
        .create_invitation("new@example.com")
        .await?;
    println!(
        "{} users, {} organizations, {} sessions",
        users.len(),
        orgs.len(),
        sessions.len()
    );
    Ok(())
}
