//! The keys and values of the config files applications are configured by: Java's
//! `.properties` and block-style YAML with its keys dotted by nesting (Spring's
//! `application.yml`). Read by the rewrite for ports and written paths, and by the
//! source reading for the paths Spring injects (`@Value("${file.upload-dir}")`).

/// `key=value` (or `key: value`) lines of a Java properties file.
pub fn properties(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| {
            let at = l.find(['=', ':'])?;
            Some((l[..at].trim().to_string(), l[at + 1..].trim().to_string()))
        })
        .collect()
}

/// The scalar keys of a YAML file, dotted by their nesting (`server:` / `  port: 80` →
/// `server.port`, `80`): the block style Spring's files use.
pub fn yaml_keys(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    for line in text.lines() {
        let content = line.split(" #").next().unwrap_or(line);
        if content.trim().is_empty() || content.trim_start().starts_with(['#', '-']) {
            continue;
        }
        if content.trim() == "---" {
            stack.clear();
            continue;
        }
        let indent = content.len() - content.trim_start().len();
        let Some((key, value)) = content.trim().split_once(':') else {
            continue;
        };
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let key = key.trim().trim_matches(['"', '\'']).to_string();
        let value = value.trim().trim_matches(['"', '\'']);
        if value.is_empty() {
            stack.push((indent, key));
        } else {
            let mut full: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
            full.push(&key);
            out.push((full.join("."), value.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_yaml_keys_by_nesting() {
        let text = "spring:\n  application:\n    name: demo\nserver:\n  port: 80 # web\n  servlet:\n    context-path: /api\n";
        let got = yaml_keys(text);
        assert!(got.contains(&("server.port".into(), "80".into())));
        assert!(got.contains(&("spring.application.name".into(), "demo".into())));
        assert!(got.contains(&("server.servlet.context-path".into(), "/api".into())));
    }

    #[test]
    fn reads_properties() {
        let got = properties("# x\nserver.port=80\nspring.mail.port: 25\n");
        assert_eq!(got[0], ("server.port".into(), "80".into()));
        assert_eq!(got[1], ("spring.mail.port".into(), "25".into()));
    }
}
