//! `CHANGELOG.md` of the generated crate: one entry per generation that changed the API.
//! It is history, not a function of the inputs, so the drift check leaves it alone.

use std::path::Path;

use crate::diag::{Error, Result};
use crate::diff::Report;
use crate::surface::ApiSurface;

const TITLE: &str = "# Changelog\n\nEntries are appended by `cargo clerkgen generate` whenever the generated API changes.\n";

/// Appends a report as an entry.
pub fn append(out_dir: &Path, report: &Report, current_version: &str) -> Result<()> {
    let entry = format!(
        "\n## API {} -> {}\n\n{}",
        report.from,
        report.to,
        report.render(current_version)
    );
    write(out_dir, &entry)
}

/// Starts the changelog of a crate generated for the first time.
pub fn start(out_dir: &Path, surface: &ApiSurface, version: &str) -> Result<()> {
    let path = out_dir.join("CHANGELOG.md");
    if path.exists() {
        return Ok(());
    }
    let entry = format!(
        "\n## API {}\n\nFirst generation, crate version {version}: {} operations, {} types.\n",
        surface.api_version,
        surface.operations.len(),
        surface.types.len()
    );
    write(out_dir, &entry)
}

/// Appends `entry`, starting the file when there is none; a file that exists but cannot
/// be read (permissions, not UTF-8) is an error and is left as it is.
fn write(out_dir: &Path, entry: &str) -> Result<()> {
    let path = out_dir.join("CHANGELOG.md");
    let mut text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => TITLE.to_string(),
        Err(source) => return Err(Error::Io { path, source }),
    };
    text.push_str(entry);
    std::fs::write(&path, text).map_err(|source| Error::Io { path, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_changelog_is_an_error_and_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("CHANGELOG.md");
        let history = b"# Changelog\n\nan entry \xff\xfe not UTF-8\n".to_vec();
        std::fs::write(&path, &history).unwrap();
        assert!(matches!(
            write(dir.path(), "\n## new\n"),
            Err(Error::Io { .. })
        ));
        assert_eq!(std::fs::read(&path).unwrap(), history);
    }

    #[test]
    fn a_missing_changelog_is_started_and_an_existing_one_appended_to() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "\n## one\n").unwrap();
        write(dir.path(), "\n## two\n").unwrap();
        let text = std::fs::read_to_string(dir.path().join("CHANGELOG.md")).unwrap();
        assert_eq!(text, format!("{TITLE}\n## one\n\n## two\n"));
    }
}
