//! Package manifests (Gemfile, lockfile, package.json, requirements, pyproject, Cargo.toml):
//! which SDK profiles' packages a project depends on.

use crate::profile::Profiles;
use std::collections::HashSet;
use std::path::PathBuf;

/// Whether a manifest's text names `pkg` as a whole dependency name: `'mixpanel'` and
/// `mixpanel==4.1` count, `mixpanel-ruby` does not count for `mixpanel`.
pub(crate) fn names_package(text: &str, pkg: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(pkg).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + pkg.len()).copied();
        let starts = before.is_none_or(|b| matches!(b, b'"' | b'\'' | b' ' | b'\t' | b'\n' | b'[' | b'/'));
        let ends = after.is_none_or(|b| {
            matches!(
                b,
                b'"' | b'\''
                    | b' '
                    | b'\t'
                    | b'\r'
                    | b'\n'
                    | b'='
                    | b'<'
                    | b'>'
                    | b'~'
                    | b'!'
                    | b';'
                    | b'['
                    | b'('
                    | b','
                    | b'.'
                    | b']'
            )
        });
        // `@scope/pkg` is another package than `pkg`.
        let scoped = before == Some(b'/') && !pkg.contains('/');
        starts && ends && !scoped
    })
}

/// A hash of every manifest's path and text (what resolution reads of them: dependencies and
/// workspace package names), for the cache keys of inference and results.
pub fn manifests_hash(manifests: &[PathBuf]) -> u128 {
    let mut bytes = Vec::new();
    for manifest in manifests {
        bytes.extend_from_slice(manifest.as_os_str().as_encoded_bytes());
        bytes.push(0);
        match crate::fsutil::read_bounded(manifest, crate::fsutil::MANIFEST_LIMIT, None) {
            Ok(text) => bytes.extend_from_slice(&crate::cache::disk::content_hash(&text).to_le_bytes()),
            Err(_) => bytes.push(1),
        }
    }
    crate::cache::disk::content_hash(&bytes)
}

/// The profile packages each manifest (Gemfile, lockfile, package.json, requirements file,
/// pyproject, Cargo.toml) depends on.
pub fn manifest_packages(manifests: &[PathBuf], profiles: &Profiles) -> Vec<crate::resolve::Manifest> {
    let mut found = Vec::new();
    for manifest in manifests {
        let Some(ecosystem) = crate::language::manifest_ecosystem(manifest) else { continue };
        let Ok(bytes) = crate::fsutil::read_bounded(manifest, crate::fsutil::MANIFEST_LIMIT, None) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut packages = HashSet::new();
        for profile in &profiles.list {
            if !profile.ecosystems().contains(&ecosystem) {
                continue;
            }
            for pkg in &profile.packages {
                // Python normalises `-` and `_` in distribution names.
                let alt = pkg.replace('-', "_");
                if names_package(&text, pkg) || (ecosystem == "pypi" && names_package(&text, &alt)) {
                    packages.insert(pkg.clone());
                }
            }
        }
        // `requirements/base.txt` lists the dependencies of the project around its directory.
        let owner = match manifest.parent() {
            Some(dir) if crate::language::is_requirements_file(manifest) && dir.ends_with("requirements") => {
                dir.parent()
            }
            parent => parent,
        };
        let dir = owner.map(crate::fsutil::clean).unwrap_or_default();
        let name = package_name(manifest, &text);
        found.push(crate::resolve::Manifest { dir, ecosystem, packages, name });
    }
    found
}

/// A `package.json`'s own `name` (a workspace package's, in a monorepo).
fn package_name(manifest: &std::path::Path, text: &str) -> Option<String> {
    if manifest.file_name()? != "package.json" {
        return None;
    }
    #[derive(serde::Deserialize)]
    struct Named {
        name: Option<String>,
    }
    let named: Named = serde_json::from_str(text).ok()?;
    named.name.filter(|n| !n.is_empty())
}
