//! The README's quick start, as a user follows it: a new crate outside the workspace whose
//! `[dependencies]` are the README's lines verbatim (paths into a checkout of this
//! repository beside it) and whose `main.rs` is the README's code verbatim, built and run
//! against a mock Clerk that `CLERK_API_URL` points at.

mod support;

use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The first fenced block of `language` after the heading `section`.
fn block<'r>(readme: &'r str, section: &str, language: &str) -> &'r str {
    let start = readme
        .find(&format!("\n## {section}\n"))
        .unwrap_or_else(|| panic!("the README has a `{section}` section"));
    let rest = &readme[start..];
    let open = rest
        .find(&format!("```{language}\n"))
        .unwrap_or_else(|| panic!("a {language} block in `{section}`"));
    let body = &rest[open + language.len() + 4..];
    &body[..body.find("\n```").expect("the block ends")]
}

#[tokio::test]
async fn the_quick_start_builds_and_runs_as_the_readme_says() {
    let readme = std::fs::read_to_string(support::root().join("README.md")).unwrap();
    let dependencies = block(&readme, "Quick start", "toml");
    let code = block(&readme, "Quick start", "rust,no_run");
    assert!(dependencies.starts_with("[dependencies]"), "{dependencies}");

    // A checkout named `clerkgen` beside the user's crate, as the README's paths expect.
    let home = support::scratch("quickstart-home");
    let krate = home.join("quickstart");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::os::unix::fs::symlink(support::root(), home.join("clerkgen")).unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"quickstart\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n{dependencies}\n\n[workspace]\n"
        ),
    )
    .unwrap();
    std::fs::write(krate.join("src/main.rs"), code).unwrap();

    let clerk = MockServer::start().await;
    let mut user = support::sample_at("#/components/schemas/User");
    user["id"] = json!("user_123");
    Mock::given(method("GET"))
        .and(path("/v1/users/user_123"))
        .and(header("authorization", "Bearer sk_test_quickstart"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&user))
        .expect(1)
        .mount(&clerk)
        .await;
    for (offset, page) in [("0", json!([user])), ("1", json!([]))] {
        Mock::given(method("GET"))
            .and(path("/v1/users"))
            .and(query_param("limit", "100"))
            .and(query_param("offset", offset))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .expect(1)
            .mount(&clerk)
            .await;
    }
    // The mock's address as Clerk's SDKs take CLERK_API_URL: without the version path.
    let url = clerk.uri();
    let stdout = tokio::task::spawn_blocking(move || {
        support::cargo_in_scratch(
            &krate,
            &["run", "--quiet"],
            &[
                ("CLERK_SECRET_KEY", "sk_test_quickstart"),
                ("CLERK_API_URL", url.as_str()),
            ],
        )
    })
    .await
    .unwrap();
    assert!(stdout.contains("user_123 Some(\"example\")"), "{stdout}");
    assert!(stdout.contains("a page of 1 users"), "{stdout}");
}
