//! `cargo-clerkgen`: run as `cargo clerkgen generate`, `cargo clerkgen generate --check`
//! or `cargo clerkgen ir --format json`. See [`clerkgen::cli`].

fn main() -> std::process::ExitCode {
    clerkgen::cli::run(clerkgen::cli::parse())
}
