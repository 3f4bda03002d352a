//! The one table of what tracklint knows about each language: its name in configs and
//! profiles, the files it reads (extensions and whole names), its package ecosystem and the
//! manifests that list dependencies there. Adding a language starts here (then a front-end).

use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Ruby,
    JavaScript,
    TypeScript,
    Tsx,
    Python,
    Rust,
    Go,
    Swift,
    Kotlin,
    Java,
    /// `<script>` blocks (and Astro frontmatter) of an HTML, ERB, Vue, Svelte or Astro file,
    /// parsed as TypeScript in place: everything else is blanked, so offsets stay the file's.
    Template,
}

impl Language {
    pub const ALL: [Language; 11] = [
        Language::Ruby,
        Language::JavaScript,
        Language::TypeScript,
        Language::Tsx,
        Language::Python,
        Language::Rust,
        Language::Go,
        Language::Swift,
        Language::Kotlin,
        Language::Java,
        Language::Template,
    ];

    /// The language's entry in [`LANGUAGES`].
    pub fn info(self) -> &'static LanguageInfo {
        LANGUAGES.iter().find(|l| l.language == self).unwrap_or(&LANGUAGES[0])
    }

    /// The name configs and profiles use (`typescript` for TSX too; template script blocks
    /// run with the JavaScript SDKs).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Whether the language shares JavaScript's SDKs and module system.
    pub fn is_js_family(self) -> bool {
        matches!(self, Language::JavaScript | Language::TypeScript | Language::Tsx | Language::Template)
    }

    /// The package registry whose manifests name this language's dependencies.
    pub fn ecosystem(self) -> &'static str {
        self.info().ecosystem
    }
}

/// What tracklint knows about one language.
pub struct LanguageInfo {
    pub language: Language,
    /// The name in `tracklint.toml` (`[[wrappers]] language`) and SDK profiles.
    pub name: &'static str,
    /// File extensions read as this language.
    pub extensions: &'static [&'static str],
    /// Whole file names read as this language (`Rakefile`).
    pub file_names: &'static [&'static str],
    /// The package registry whose manifests name its dependencies.
    pub ecosystem: &'static str,
    /// The manifest files of that registry.
    pub manifests: &'static [&'static str],
    /// Whether `[[wrappers]]` entries may name it.
    pub in_wrappers: bool,
}

pub const LANGUAGES: &[LanguageInfo] = &[
    LanguageInfo {
        language: Language::Ruby,
        name: "ruby",
        extensions: &["rb", "rake", "gemspec", "ru", "jbuilder"],
        file_names: &[
            "Rakefile",
            "Gemfile",
            "Guardfile",
            "Capfile",
            "Vagrantfile",
            "Brewfile",
            "Podfile",
            "Fastfile",
        ],
        ecosystem: "gem",
        manifests: &["Gemfile", "Gemfile.lock"],
        in_wrappers: true,
    },
    LanguageInfo {
        language: Language::JavaScript,
        name: "javascript",
        extensions: &["js", "mjs", "cjs", "jsx"],
        file_names: &[],
        ecosystem: "npm",
        manifests: &["package.json"],
        in_wrappers: true,
    },
    LanguageInfo {
        language: Language::TypeScript,
        name: "typescript",
        extensions: &["ts", "mts", "cts"],
        file_names: &[],
        ecosystem: "npm",
        manifests: &[],
        in_wrappers: true,
    },
    LanguageInfo {
        language: Language::Tsx,
        name: "typescript",
        extensions: &["tsx"],
        file_names: &[],
        ecosystem: "npm",
        manifests: &[],
        in_wrappers: false,
    },
    LanguageInfo {
        language: Language::Python,
        name: "python",
        extensions: &["py", "pyi"],
        file_names: &[],
        ecosystem: "pypi",
        manifests: &[
            "requirements.txt",
            "requirements.in",
            "pyproject.toml",
            "Pipfile",
            "setup.py",
            "setup.cfg",
        ],
        in_wrappers: true,
    },
    LanguageInfo {
        language: Language::Rust,
        name: "rust",
        extensions: &["rs"],
        file_names: &[],
        ecosystem: "crate",
        manifests: &["Cargo.toml"],
        in_wrappers: true,
    },
    LanguageInfo {
        language: Language::Go,
        name: "go",
        extensions: &["go"],
        file_names: &[],
        ecosystem: "go",
        manifests: &["go.mod"],
        in_wrappers: true,
    },
    LanguageInfo {
        language: Language::Swift,
        name: "swift",
        extensions: &["swift"],
        file_names: &[],
        // Swift Package Manager, CocoaPods and Carthage.
        ecosystem: "swift",
        manifests: &["Package.swift", "Package.resolved", "Podfile", "Podfile.lock", "Cartfile"],
        in_wrappers: true,
    },
    LanguageInfo {
        language: Language::Kotlin,
        name: "kotlin",
        extensions: &["kt", "kts"],
        file_names: &[],
        // Gradle (Groovy and Kotlin scripts, version catalogs) and Maven.
        ecosystem: "jvm",
        manifests: &["build.gradle", "build.gradle.kts", "libs.versions.toml", "pom.xml"],
        in_wrappers: true,
    },
    LanguageInfo {
        language: Language::Java,
        name: "java",
        extensions: &["java"],
        file_names: &[],
        // The same SDKs and manifests as Kotlin (listed there).
        ecosystem: "jvm",
        manifests: &[],
        in_wrappers: true,
    },
    LanguageInfo {
        language: Language::Template,
        // Script blocks run in the browser with the JavaScript SDKs.
        name: "javascript",
        // `.html.erb` is matched by name below: other ERB outputs are not HTML.
        extensions: &["html", "htm", "vue", "svelte", "astro", "haml", "slim"],
        file_names: &[],
        ecosystem: "npm",
        manifests: &[],
        in_wrappers: false,
    },
];

/// The language a file is read as, from its name; `None` for files tracklint does not read
/// (minified bundles and declaration files included).
pub fn of_path(path: &Path) -> Option<Language> {
    let name = path.file_name()?.to_str()?;
    if let Some(info) = LANGUAGES.iter().find(|l| l.file_names.contains(&name)) {
        return Some(info.language);
    }
    if name.ends_with(".min.js") || name.ends_with(".d.ts") {
        return None;
    }
    if name.ends_with(".html.erb") {
        return Some(Language::Template);
    }
    let ext = path.extension()?.to_str()?;
    LANGUAGES.iter().find(|l| l.extensions.contains(&ext)).map(|l| l.language)
}

/// The registry a manifest file lists dependencies of.
pub fn manifest_ecosystem(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    match LANGUAGES.iter().find(|l| l.manifests.contains(&name)) {
        Some(l) => Some(l.ecosystem),
        None => is_requirements_file(path).then_some("pypi"),
    }
}

/// pip requirements files by their conventional names besides `requirements.txt`:
/// `requirements-dev.txt`, `requirements_prod.in`, and any `.txt` or `.in` file in a
/// `requirements/` directory (`requirements/base.txt`, which a root file pulls in with `-r`).
pub fn is_requirements_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    if !(name.ends_with(".txt") || name.ends_with(".in")) {
        return false;
    }
    name.starts_with("requirements")
        || path.parent().and_then(Path::file_name).is_some_and(|dir| dir == "requirements")
}

/// The ecosystem of a language named as configs and profiles name it (`npm` for unknown).
pub fn ecosystem_of_name(name: &str) -> &'static str {
    LANGUAGES.iter().find(|l| l.name == name).map(|l| l.ecosystem).unwrap_or("npm")
}

/// The language names whose code shares SDKs and helpers with `name` (a JavaScript helper is
/// used from TypeScript too): the names of its ecosystem.
pub fn sharing_sdks(name: &str) -> Vec<&'static str> {
    let ecosystem = ecosystem_of_name(name);
    let mut names: Vec<&'static str> =
        LANGUAGES.iter().filter(|l| l.ecosystem == ecosystem && l.in_wrappers).map(|l| l.name).collect();
    names.dedup();
    names
}

/// The names `[[wrappers]] language` accepts.
pub fn wrapper_language_names() -> Vec<&'static str> {
    LANGUAGES.iter().filter(|l| l.in_wrappers).map(|l| l.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_one_entry_and_reads_its_extensions() {
        for language in Language::ALL {
            assert_eq!(LANGUAGES.iter().filter(|l| l.language == language).count(), 1, "{language:?}");
            for ext in language.info().extensions {
                assert_eq!(of_path(Path::new(&format!("a/b.{ext}"))), Some(language), "{ext}");
            }
        }
        assert_eq!(of_path(Path::new("views/x.html.erb")), Some(Language::Template));
        assert_eq!(of_path(Path::new("x.js.erb")), None);
        assert_eq!(of_path(Path::new("dist/app.min.js")), None);
        assert_eq!(manifest_ecosystem(Path::new("app/Gemfile.lock")), Some("gem"));
        assert_eq!(manifest_ecosystem(Path::new("requirements/base.in")), Some("pypi"));
        assert_eq!(manifest_ecosystem(Path::new("requirements-dev.txt")), Some("pypi"));
        assert_eq!(manifest_ecosystem(Path::new("docs/notes.txt")), None);
        assert_eq!(manifest_ecosystem(Path::new("requirements/README.md")), None);
        assert_eq!(sharing_sdks("typescript"), vec!["javascript", "typescript"]);
        assert_eq!(
            wrapper_language_names(),
            vec!["ruby", "javascript", "typescript", "python", "rust", "go", "swift", "kotlin", "java"]
        );
    }
}
