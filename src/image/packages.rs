//! Which package put a file in the image, and the package's other files, from dpkg's
//! `/var/lib/dpkg/info/*.list` or apk's `/lib/apk/db/installed`. A program often needs the
//! data its package ships beside it (`/usr/share/<pkg>`, `/etc/<pkg>`); documentation, man
//! pages, locales and shell completions are left out, and so are the package's other
//! programs, which the application does not run (the image stays binaryless).

use std::path::Path;

use serde::Serialize;

use super::closure::{inside, resolve};

/// Folders whose files no program needs to run.
const LEFT_OUT: &[&str] = &[
    "/usr/share/doc/",
    "/usr/share/doc-base/",
    "/usr/share/man/",
    "/usr/share/info/",
    "/usr/share/locale/",
    "/usr/share/lintian/",
    "/usr/share/bug/",
    "/usr/share/menu/",
    "/usr/share/bash-completion/",
    "/usr/share/zsh/",
    "/usr/share/fish/",
];

/// A package and the files of it a rewrite carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Package {
    pub name: String,
    /// `dpkg` or `apk`.
    pub manager: &'static str,
    /// Its regular files in the image, but those left out, as the package lists them.
    pub files: Vec<String>,
    /// How many files were left out as documentation, man pages, locales or completions,
    /// and how many as other programs.
    pub left_out_docs: usize,
    pub left_out_programs: usize,
}

/// The package that owns `path` (an image path; `real` is the file it leads to after its
/// symlinks), if dpkg or apk recorded one.
pub fn owner(root: &Path, path: &str, real: &str) -> Option<Package> {
    let mut wanted: Vec<String> = vec![path.to_string(), real.to_string()];
    let merged: Vec<String> = wanted.iter().filter_map(|p| usr_merge(p)).collect();
    wanted.extend(merged);
    dpkg_owner(root, &wanted).or_else(|| apk_owner(root, &wanted))
}

/// The other name of a path on a merged-/usr system (`/bin/ls` ↔ `/usr/bin/ls`).
fn usr_merge(path: &str) -> Option<String> {
    for top in ["/bin/", "/sbin/", "/lib/", "/lib64/", "/lib32/"] {
        if let Some(rest) = path.strip_prefix(top) {
            return Some(format!("/usr{top}{rest}"));
        }
        if let Some(rest) = path.strip_prefix(&format!("/usr{top}")) {
            return Some(format!("{top}{rest}"));
        }
    }
    None
}

fn dpkg_owner(root: &Path, wanted: &[String]) -> Option<Package> {
    let info = inside(root, "/var/lib/dpkg/info");
    let mut lists: Vec<String> = std::fs::read_dir(info)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".list"))
        .collect();
    lists.sort();
    for list in lists {
        let text = std::fs::read_to_string(inside(root, &format!("/var/lib/dpkg/info/{list}")))
            .unwrap_or_default();
        if text.lines().any(|line| wanted.iter().any(|w| w == line)) {
            let stem = list.trim_end_matches(".list");
            let name = stem.split(':').next().unwrap_or(stem).to_string();
            return Some(package(
                root,
                name,
                "dpkg",
                text.lines().map(str::to_string),
                wanted,
            ));
        }
    }
    None
}

fn apk_owner(root: &Path, wanted: &[String]) -> Option<Package> {
    let text = std::fs::read_to_string(inside(root, "/lib/apk/db/installed")).ok()?;
    for block in text.split("\n\n") {
        let mut name = None;
        let mut dir = String::new();
        let mut files = Vec::new();
        for line in block.lines() {
            if let Some(n) = line.strip_prefix("P:") {
                name = Some(n.to_string());
            } else if let Some(d) = line.strip_prefix("F:") {
                dir = d.to_string();
            } else if let Some(f) = line.strip_prefix("R:") {
                files.push(format!("/{dir}/{f}"));
            }
        }
        if let Some(name) = name
            && files.iter().any(|f| wanted.contains(f))
        {
            return Some(package(root, name, "apk", files.into_iter(), wanted));
        }
    }
    None
}

/// The package's files that exist in the image as regular files, minus those left out;
/// the files asked about are not listed (the caller carries them already).
fn package(
    root: &Path,
    name: String,
    manager: &'static str,
    listed: impl Iterator<Item = String>,
    wanted: &[String],
) -> Package {
    let mut files = Vec::new();
    let (mut docs, mut programs) = (0, 0);
    for path in listed {
        if wanted.contains(&path) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(inside(root, &path)) else {
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        if LEFT_OUT.iter().any(|dir| path.starts_with(dir)) {
            docs += 1;
        } else if path
            .rsplit_once('/')
            .is_some_and(|(dir, _)| dir.ends_with("/bin") || dir.ends_with("/sbin"))
        {
            programs += 1;
        } else if resolve(root, &path).is_some() {
            files.push(path);
        }
    }
    files.sort();
    files.dedup();
    Package {
        name,
        manager,
        files,
        left_out_docs: docs,
        left_out_programs: programs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let host = root.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(host.parent().unwrap()).unwrap();
        std::fs::write(host, text).unwrap();
    }

    #[test]
    fn dpkg_lists_name_the_owner_and_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "/var/lib/dpkg/info/jq.list",
            "/.\n/usr\n/usr/bin\n/usr/bin/jq\n/usr/share/doc/jq/copyright\n/usr/share/jq/x.jq\n/usr/bin/jq-extra\n/etc/jq.conf\n",
        );
        write(
            root,
            "/var/lib/dpkg/info/libc6:amd64.list",
            "/usr/lib/libc.so.6\n",
        );
        for f in [
            "/usr/bin/jq",
            "/usr/share/doc/jq/copyright",
            "/usr/share/jq/x.jq",
            "/usr/bin/jq-extra",
            "/etc/jq.conf",
        ] {
            write(root, f, "x");
        }
        std::os::unix::fs::symlink("usr/bin", root.join("bin")).unwrap();
        // Found under its /usr-merged alias too.
        let jq = owner(root, "/bin/jq", "/usr/bin/jq").unwrap();
        assert_eq!((jq.name.as_str(), jq.manager), ("jq", "dpkg"));
        assert_eq!(jq.files, vec!["/etc/jq.conf", "/usr/share/jq/x.jq"]);
        assert_eq!((jq.left_out_docs, jq.left_out_programs), (1, 1));
        // A file no list names has no owner.
        assert_eq!(owner(root, "/usr/bin/none", "/usr/bin/none"), None);
    }

    #[test]
    fn apk_database_names_the_owner() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "/lib/apk/db/installed",
            "C:x\nP:curl\nV:8\nF:usr/bin\nR:curl\nF:usr/share/curl\nR:ca.pem\n\nP:musl\nF:lib\nR:ld-musl-x86_64.so.1\n",
        );
        write(root, "/usr/bin/curl", "x");
        write(root, "/usr/share/curl/ca.pem", "x");
        let curl = owner(root, "/usr/bin/curl", "/usr/bin/curl").unwrap();
        assert_eq!((curl.name.as_str(), curl.manager), ("curl", "apk"));
        assert_eq!(curl.files, vec!["/usr/share/curl/ca.pem"]);
    }
}
