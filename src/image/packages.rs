//! Which package put a file in the image, and the package's other files, from dpkg's
//! `/var/lib/dpkg/info/*.list` or apk's `/lib/apk/db/installed`. A program often needs the
//! data its package ships beside it (`/usr/share/<pkg>`, `/etc/<pkg>`); documentation, man
//! pages, locales and shell completions are left out, and so are the package's other
//! programs, which the application does not run (the image stays binaryless).
//!
//! Debian splits a program's data into packages of its own (`nmap` → `nmap-common`, which
//! holds `/usr/share/nmap`), so the packages the owner depends on (dpkg's `status`,
//! followed through `Depends`, `Pre-Depends` and virtual packages) come along with their
//! files too. Not followed: Essential packages, which every Debian system has and no
//! package declares, and the tools only maintainer scripts run (`debconf`, `adduser`).

use std::path::Path;

use serde::Serialize;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::closure::{DEFAULT_LIBRARY_DIRS, inside, resolve};

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
    /// The installed packages it depends on, directly or not (dpkg only), each with its
    /// files as above, less the shared libraries directly in a library folder: the
    /// program's ELF closure names those it loads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends: Vec<Package>,
}

/// Packages whose files only maintainer scripts use: a dependency on one says nothing about
/// what the program needs when it runs.
const INSTALL_TIME_ONLY: &[&str] = &[
    "debconf",
    "debconf-2.0",
    "cdebconf",
    "adduser",
    "dpkg",
    "ucf",
    "init-system-helpers",
    "lsb-base",
    "sysvinit-utils",
    "install-info",
];

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
    for list in &lists {
        let text = std::fs::read_to_string(inside(root, &format!("/var/lib/dpkg/info/{list}")))
            .unwrap_or_default();
        if text.lines().any(|line| wanted.iter().any(|w| w == line)) {
            let stem = list.trim_end_matches(".list");
            let name = stem.split(':').next().unwrap_or(stem).to_string();
            let mut owner = package(
                root,
                name,
                "dpkg",
                text.lines().map(str::to_string),
                wanted,
                false,
            );
            owner.depends = dpkg_depends(root, &owner.name, &lists);
            return Some(owner);
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
            return Some(package(root, name, "apk", files.into_iter(), wanted, false));
        }
    }
    None
}

/// The installed packages `name` depends on, directly or not, with their files, in the
/// order they are reached. `lists` are the names of dpkg's `*.list` files.
fn dpkg_depends(root: &Path, name: &str, lists: &[String]) -> Vec<Package> {
    let status = std::fs::read_to_string(inside(root, "/var/lib/dpkg/status")).unwrap_or_default();
    let installed = dpkg_status(&status);
    // A virtual package → the installed packages that provide it.
    let mut providers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (package, entry) in &installed {
        for virtual_name in &entry.provides {
            providers.entry(virtual_name).or_default().push(package);
        }
    }
    let mut seen: BTreeSet<String> = BTreeSet::from([name.to_string()]);
    let mut queue: VecDeque<String> = VecDeque::from([name.to_string()]);
    let mut out = Vec::new();
    while let Some(current) = queue.pop_front() {
        let Some(entry) = installed.get(current.as_str()) else {
            continue;
        };
        for alternatives in &entry.depends {
            // The first alternative that is installed, itself or through a provider.
            let chosen = alternatives.iter().find_map(|alt| {
                if installed.contains_key(alt.as_str()) {
                    Some(alt.to_string())
                } else {
                    providers
                        .get(alt.as_str())
                        .and_then(|p| p.first())
                        .map(|p| p.to_string())
                }
            });
            let Some(chosen) = chosen else { continue };
            if INSTALL_TIME_ONLY.contains(&chosen.as_str())
                || installed.get(chosen.as_str()).is_some_and(|e| e.essential)
                || !seen.insert(chosen.clone())
            {
                continue;
            }
            queue.push_back(chosen.clone());
            let list = lists.iter().find(|l| {
                let stem = l.trim_end_matches(".list");
                stem == chosen || stem.split(':').next() == Some(chosen.as_str())
            });
            let text = list
                .and_then(|l| {
                    std::fs::read_to_string(inside(root, &format!("/var/lib/dpkg/info/{l}"))).ok()
                })
                .unwrap_or_default();
            out.push(package(
                root,
                chosen,
                "dpkg",
                text.lines().map(str::to_string),
                &[],
                true,
            ));
        }
    }
    out
}

/// One package of dpkg's `status`, as far as following its dependencies needs.
#[derive(Default)]
struct StatusEntry {
    essential: bool,
    /// Each `Depends`/`Pre-Depends` item: its alternatives, names only.
    depends: Vec<Vec<String>>,
    provides: Vec<String>,
}

/// The installed packages of dpkg's `status` text, by name (a package installed for two
/// architectures is one entry).
fn dpkg_status(status: &str) -> BTreeMap<String, StatusEntry> {
    let mut out: BTreeMap<String, StatusEntry> = BTreeMap::new();
    for stanza in status.split("\n\n") {
        // Continuation lines (a leading space) belong to the field before them.
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in stanza.lines() {
            if line.starts_with(' ') || line.starts_with('\t') {
                if let Some((_, value)) = fields.last_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
            } else if let Some((key, value)) = line.split_once(':') {
                fields.push((key.to_string(), value.trim().to_string()));
            }
        }
        let field = |key: &str| {
            fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.as_str())
        };
        let (Some(name), Some(state)) = (field("Package"), field("Status")) else {
            continue;
        };
        if !state.ends_with(" installed") {
            continue;
        }
        let entry = out.entry(name.to_string()).or_default();
        entry.essential |= field("Essential") == Some("yes");
        for key in ["Pre-Depends", "Depends"] {
            entry
                .depends
                .extend(field(key).into_iter().flat_map(relations));
        }
        entry
            .provides
            .extend(field("Provides").into_iter().flat_map(relations).flatten());
    }
    out
}

/// `a (>= 1) | b:any, c` → `[[a, b], [c]]`: package names, without versions or
/// architecture qualifiers.
fn relations(text: &str) -> Vec<Vec<String>> {
    text.split(',')
        .map(|item| {
            item.split('|')
                .filter_map(|alt| {
                    let name = alt.split(['(', '[', '<']).next()?.trim();
                    let name = name.split(':').next()?.trim();
                    (!name.is_empty()).then(|| name.to_string())
                })
                .collect::<Vec<_>>()
        })
        .filter(|alts| !alts.is_empty())
        .collect()
}

/// The package's files that exist in the image as regular files, minus those left out;
/// the files asked about are not listed (the caller carries them already). With
/// `skip_libraries`, neither are shared libraries directly in a library folder.
fn package(
    root: &Path,
    name: String,
    manager: &'static str,
    listed: impl Iterator<Item = String>,
    wanted: &[String],
    skip_libraries: bool,
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
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", &path));
        if LEFT_OUT.iter().any(|dir| path.starts_with(dir)) {
            docs += 1;
        } else if skip_libraries && file.contains(".so") && DEFAULT_LIBRARY_DIRS.contains(&dir) {
            continue;
        } else if dir.ends_with("/bin") || dir.ends_with("/sbin") {
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
        depends: Vec::new(),
    }
}

/// `files` (image paths), with the files of a folder that holds no other file replaced by
/// the folder, so that a package's data is one COPY line (`/usr/share/nmap`) and not
/// hundreds: the highest such folder at least three levels deep that is not a folder the
/// loader searches. Each item is a path, whether it is a folder, and the index in `files`
/// of the first file it stands for; in the order of `files`.
pub fn fold(root: &Path, files: &[String]) -> Vec<(String, bool, usize)> {
    let carried: BTreeSet<&str> = files.iter().map(String::as_str).collect();
    let mut only_carried: BTreeMap<String, bool> = BTreeMap::new();
    let mut out: Vec<(String, bool, usize)> = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let mut chosen = None;
        let mut folder = String::new();
        let parts: Vec<&str> = file.trim_start_matches('/').split('/').collect();
        for (depth, part) in parts.iter().enumerate().take(parts.len().saturating_sub(1)) {
            folder.push('/');
            folder.push_str(part);
            if depth < 2 || DEFAULT_LIBRARY_DIRS.contains(&folder.as_str()) {
                continue;
            }
            let holds_only_carried = *only_carried.entry(folder.clone()).or_insert_with(|| {
                // A real folder (not a link to one), with files, all of them carried.
                let is_dir =
                    std::fs::symlink_metadata(inside(root, &folder)).is_ok_and(|m| m.is_dir());
                let mut walked = super::walk::files(root, &folder, &[]).peekable();
                is_dir
                    && walked.peek().is_some()
                    && walked.all(|(path, _)| carried.contains(path.as_str()))
            });
            if holds_only_carried {
                chosen = Some(folder.clone());
                break;
            }
        }
        match chosen {
            Some(folder) if !out.iter().any(|(p, _, _)| *p == folder) => {
                out.push((folder, true, index));
            }
            Some(_) => {}
            None => out.push((file.clone(), false, index)),
        }
    }
    out
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
    fn dependencies_are_followed_through_alternatives_and_virtual_packages() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "/var/lib/dpkg/status",
            "Package: nmap\nStatus: install ok installed\nDepends: nmap-common (= 7.93),\n libc6 (>= 2.34), liblua | lua-virtual, debconf (>= 0.5) | debconf-2.0\n\n\
             Package: nmap-common\nStatus: install ok installed\nDepends: coreutils\n\n\
             Package: liblua-real\nStatus: install ok installed\nProvides: lua-virtual\n\n\
             Package: libc6\nStatus: install ok installed\n\n\
             Package: coreutils\nStatus: install ok installed\nEssential: yes\n\n\
             Package: debconf\nStatus: install ok installed\n\n\
             Package: removed\nStatus: deinstall ok config-files\n",
        );
        write(root, "/var/lib/dpkg/info/nmap.list", "/usr/bin/nmap\n");
        write(
            root,
            "/var/lib/dpkg/info/nmap-common.list",
            "/usr/share/nmap\n/usr/share/nmap/nmap-services\n/usr/share/doc/nmap-common/copyright\n",
        );
        write(
            root,
            "/var/lib/dpkg/info/liblua-real:amd64.list",
            "/usr/lib/x86_64-linux-gnu/liblua.so.5\n/usr/lib/x86_64-linux-gnu/lua/5.4/lpeg.so\n",
        );
        write(
            root,
            "/var/lib/dpkg/info/libc6:amd64.list",
            "/usr/lib/x86_64-linux-gnu/libc.so.6\n",
        );
        for f in [
            "/usr/bin/nmap",
            "/usr/share/nmap/nmap-services",
            "/usr/share/doc/nmap-common/copyright",
            "/usr/lib/x86_64-linux-gnu/liblua.so.5",
            "/usr/lib/x86_64-linux-gnu/lua/5.4/lpeg.so",
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
        ] {
            write(root, f, "x");
        }
        let nmap = owner(root, "/usr/bin/nmap", "/usr/bin/nmap").unwrap();
        let depends: Vec<(&str, &[String])> = nmap
            .depends
            .iter()
            .map(|p| (p.name.as_str(), p.files.as_slice()))
            .collect();
        // Essential `coreutils` and install-time `debconf` are not followed; the library
        // itself is left to the ELF closure, its plugin folder is not; libc6 is listed (the
        // caller knows whether the target has it).
        assert_eq!(
            depends,
            [
                (
                    "nmap-common",
                    &["/usr/share/nmap/nmap-services".to_string()][..]
                ),
                ("libc6", &[][..]),
                (
                    "liblua-real",
                    &["/usr/lib/x86_64-linux-gnu/lua/5.4/lpeg.so".to_string()][..]
                ),
            ]
        );
    }

    #[test]
    fn a_folder_of_carried_files_only_is_copied_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "/usr/share/nmap/nmap-services",
            "/usr/share/nmap/scripts/a.nse",
            "/usr/share/other/x",
            "/usr/share/other/y",
            "/usr/lib/x86_64-linux-gnu/libz.so.1",
        ] {
            write(root, f, "x");
        }
        let files: Vec<String> = [
            "/usr/share/nmap/nmap-services",
            "/usr/share/nmap/scripts/a.nse",
            "/usr/share/other/x",
            "/usr/lib/x86_64-linux-gnu/libz.so.1",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            fold(root, &files),
            [
                ("/usr/share/nmap".to_string(), true, 0),
                ("/usr/share/other/x".to_string(), false, 2),
                // Never a folder the loader searches, whatever it holds.
                ("/usr/lib/x86_64-linux-gnu/libz.so.1".to_string(), false, 3),
            ]
        );
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
