//! `.dockerignore`: the files of the build context a build never sees. What dfslim reads
//! from the context as evidence (an entry file's imports, a program's sources, config
//! files) must be what the build's COPY can bring, so the context reader leaves these out.
//! Patterns follow BuildKit's (moby/patternmatcher): one per line, `#` comments, Go's
//! `filepath.Match` per segment, `**` for any number of folders, a leading `/` ignored, `!`
//! for an exception; the last pattern that matches a path, or a folder above it, decides.

use super::glob::path_matches;

/// The rules of one `.dockerignore`.
#[derive(Clone, Debug, Default)]
pub struct DockerIgnore {
    /// `(exception, pattern)`, in file order; a pattern is cleaned and relative.
    rules: Vec<(bool, String)>,
}

impl DockerIgnore {
    pub fn parse(text: &str) -> DockerIgnore {
        let rules = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| {
                let (exception, pattern) = match line.strip_prefix('!') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, line),
                };
                let cleaned: Vec<&str> = pattern
                    .split('/')
                    .filter(|part| !part.is_empty() && *part != ".")
                    .collect();
                (!cleaned.is_empty()).then(|| (exception, cleaned.join("/")))
            })
            .collect();
        DockerIgnore { rules }
    }

    /// Whether the build never sees `path` (relative to the context root).
    pub fn excludes(&self, path: &str) -> bool {
        let parts: Vec<&str> = path
            .split('/')
            .filter(|part| !part.is_empty() && *part != ".")
            .collect();
        if parts.is_empty() {
            return false;
        }
        let mut excluded = false;
        for (exception, pattern) in &self.rules {
            let pattern: Vec<&str> = pattern.split('/').collect();
            // The path itself or a folder above it.
            let hit = (1..=parts.len()).any(|n| segments_match(&pattern, &parts[..n]));
            if hit {
                excluded = !exception;
            }
        }
        excluded
    }
}

/// Whether pattern segments match path segments, `**` standing for any number of them.
fn segments_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| segments_match(rest, &path[skip..])),
        Some((first, rest)) => path
            .split_first()
            .is_some_and(|(head, tail)| path_matches(first, head) && segments_match(rest, tail)),
    }
}

#[cfg(test)]
mod tests {
    use super::DockerIgnore;

    #[test]
    fn patterns_folders_double_stars_and_exceptions() {
        let ignore = DockerIgnore::parse(
            "# local files\n.env\n/node_modules\n**/*.test.go\ndocs\n*.md\n!README.md\ntools/**\n!tools/keep/main.go\n",
        );
        for excluded in [
            ".env",
            "node_modules/x/index.js",
            "cmd/api/main.test.go",
            "docs/guide/intro.txt",
            "CHANGELOG.md",
            "tools/gen/main.go",
        ] {
            assert!(ignore.excludes(excluded), "{excluded}");
        }
        for kept in [
            "main.go",
            "README.md",
            "sub/.env",
            "cmd/api/main.go",
            "docsite/index.html",
            "tools/keep/main.go",
        ] {
            assert!(!ignore.excludes(kept), "{kept}");
        }
    }
}
