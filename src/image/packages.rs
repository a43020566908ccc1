//! Which package put a file in the image, and the package's other files: from dpkg's
//! `/var/lib/dpkg/info/*.list` or apk's `/lib/apk/db/installed`. A program often needs
//! the data its package ships beside it (`/usr/share/<pkg>`, `/etc/<pkg>`); documentation,
//! man pages, locales and shell completions are left out, and so are the package's other
//! programs, which the application does not run.

use serde::Serialize;

use super::rootfs::Rootfs;

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
    /// Its files in the image (regular files and symlinks), but those left out.
    pub files: Vec<String>,
    /// How many of its files were left out as documentation, man pages, locales or
    /// completions, and how many as other programs.
    pub left_out_docs: usize,
    pub left_out_programs: usize,
}

/// The package that owns `path` (an image path, or any of `aliases`: the same file under
/// its resolved name), if dpkg or apk recorded one.
pub fn owner(fs: &Rootfs, path: &str, aliases: &[String]) -> Option<Package> {
    let mut wanted: Vec<String> = vec![path.to_string()];
    wanted.extend(aliases.iter().cloned());
    let merged: Vec<String> = wanted.iter().flat_map(|p| usr_merge(p)).collect();
    wanted.extend(merged);
    dpkg_owner(fs, &wanted).or_else(|| apk_owner(fs, &wanted))
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

fn dpkg_owner(fs: &Rootfs, wanted: &[String]) -> Option<Package> {
    let info = "/var/lib/dpkg/info";
    for list in fs.read_dir(info) {
        let Some(stem) = list.strip_suffix(".list") else {
            continue;
        };
        let Some(text) = fs.read_to_string(&format!("{info}/{list}")) else {
            continue;
        };
        if text.lines().any(|line| wanted.iter().any(|w| w == line)) {
            let name = stem.split(':').next().unwrap_or(stem).to_string();
            return Some(package(
                fs,
                name,
                "dpkg",
                text.lines().map(str::to_string),
                wanted,
            ));
        }
    }
    None
}

fn apk_owner(fs: &Rootfs, wanted: &[String]) -> Option<Package> {
    let text = fs.read_to_string("/lib/apk/db/installed")?;
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
            return Some(package(fs, name, "apk", files.into_iter(), wanted));
        }
    }
    None
}

/// The package's files that exist in the image as files or symlinks, minus those left out;
/// `wanted` (the file asked about) always stays.
fn package(
    fs: &Rootfs,
    name: String,
    manager: &'static str,
    listed: impl Iterator<Item = String>,
    wanted: &[String],
) -> Package {
    let mut files = Vec::new();
    let (mut docs, mut programs) = (0, 0);
    for path in listed {
        let Some(meta) = fs.entry_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        if LEFT_OUT.iter().any(|dir| path.starts_with(dir)) {
            docs += 1;
        } else if !wanted.contains(&path)
            && path
                .rsplit_once('/')
                .is_some_and(|(dir, _)| dir.ends_with("/bin") || dir.ends_with("/sbin"))
        {
            programs += 1;
        } else {
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

    fn write(root: &std::path::Path, path: &str, text: &str) {
        crate::image::testing::write(root, path, text, 0o644);
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
        ] {
            write(root, f, "x");
        }
        write(root, "/usr/bin/jq-extra", "x");
        write(root, "/etc/jq.conf", "x");
        std::os::unix::fs::symlink("usr/bin", root.join("bin")).unwrap();
        let fs = Rootfs::new(root);
        // Found under its /usr-merged alias too.
        let jq = owner(&fs, "/bin/jq", &[]).unwrap();
        assert_eq!(jq.name, "jq");
        assert_eq!(jq.manager, "dpkg");
        assert_eq!(
            jq.files,
            vec!["/etc/jq.conf", "/usr/bin/jq", "/usr/share/jq/x.jq"]
        );
        assert_eq!((jq.left_out_docs, jq.left_out_programs), (1, 1));
        // The list names the owner even of a file gone from the image; its files are
        // those still there.
        let libc = owner(&fs, "/usr/lib/libc.so.6", &[]).unwrap();
        assert_eq!((libc.name.as_str(), libc.files.len()), ("libc6", 0));
        assert_eq!(owner(&fs, "/usr/bin/none", &[]), None);
    }

    #[test]
    fn apk_database_names_the_owner() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "/lib/apk/db/installed",
            "C:x\nP:curl\nV:8\nF:usr/bin\nR:curl\n\nP:musl\nF:lib\nR:ld-musl-x86_64.so.1\n",
        );
        write(root, "/usr/bin/curl", "x");
        let fs = Rootfs::new(root);
        let curl = owner(&fs, "/usr/bin/curl", &[]).unwrap();
        assert_eq!((curl.name.as_str(), curl.manager), ("curl", "apk"));
        assert_eq!(curl.files, vec!["/usr/bin/curl"]);
    }
}
