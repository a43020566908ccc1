//! An image's root filesystem, unpacked or mounted in a host folder, read the way a process
//! inside the image would see it: absolute symlinks point into the image, never at the host,
//! and `..` never leaves the root. Only reads; nothing here runs a file of the image.

use std::path::{Path, PathBuf};

/// How many symlinks one lookup may follow before it is a loop (Linux's own limit).
const MAX_LINKS: usize = 40;

/// A root filesystem on the host.
#[derive(Clone, Debug)]
pub struct Rootfs {
    root: PathBuf,
}

/// One symlink met while resolving a path: where it is and what it says.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Link {
    pub path: String,
    pub target: String,
}

/// A path of the image with every symlink followed: `path` is the file itself, `links` the
/// symlinks passed on the way, in order (`/usr/lib/x86_64-linux-gnu/libjq.so.1` →
/// `libjq.so.1.0.4`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub path: String,
    pub links: Vec<Link>,
}

impl Rootfs {
    pub fn new(root: impl Into<PathBuf>) -> Rootfs {
        Rootfs { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The host path of an image path taken literally (no symlink followed): for reading the
    /// link itself or a path already resolved.
    pub fn host_path(&self, image_path: &str) -> PathBuf {
        let mut host = self.root.clone();
        for part in normalise(image_path) {
            host.push(part);
        }
        host
    }

    /// Follows `path` (absolute, or relative to `/`) through every symlink inside the image.
    /// `None` when a part is missing or the links loop.
    pub fn resolve(&self, path: &str) -> Option<Resolved> {
        let mut done: Vec<String> = Vec::new();
        let mut todo: Vec<String> = normalise(path).into_iter().rev().collect();
        let mut links = Vec::new();
        while let Some(part) = todo.pop() {
            match part.as_str() {
                "." | "" => continue,
                ".." => {
                    done.pop();
                    continue;
                }
                _ => {}
            }
            done.push(part);
            let here = join(&done);
            let meta = std::fs::symlink_metadata(self.host_path(&here)).ok()?;
            if !meta.file_type().is_symlink() {
                continue;
            }
            if links.len() == MAX_LINKS {
                return None;
            }
            let target = std::fs::read_link(self.host_path(&here)).ok()?;
            let target = target.to_string_lossy().into_owned();
            done.pop();
            if target.starts_with('/') {
                done.clear();
            }
            todo.extend(target.split('/').rev().map(str::to_string));
            links.push(Link { path: here, target });
        }
        Some(Resolved {
            path: join(&done),
            links,
        })
    }

    /// The metadata of what `path` resolves to.
    pub fn metadata(&self, path: &str) -> Option<std::fs::Metadata> {
        let resolved = self.resolve(path)?;
        std::fs::metadata(self.host_path(&resolved.path)).ok()
    }

    /// The metadata of the entry `path` names itself (a symlink is not followed), its
    /// folders resolved inside the image.
    pub fn entry_metadata(&self, path: &str) -> Option<std::fs::Metadata> {
        let (dir, name) = path.rsplit_once('/')?;
        let dir = self.resolve(if dir.is_empty() { "/" } else { dir })?;
        std::fs::symlink_metadata(self.host_path(&join_path(&dir.path, name))).ok()
    }

    /// Whether `path` resolves to a regular file.
    pub fn is_file(&self, path: &str) -> bool {
        self.metadata(path).is_some_and(|m| m.is_file())
    }

    /// The bytes of the file `path` resolves to.
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        let resolved = self.resolve(path)?;
        std::fs::read(self.host_path(&resolved.path)).ok()
    }

    /// The first `limit` bytes of the file `path` resolves to (an ELF header, a shebang).
    pub fn read_head(&self, path: &str, limit: usize) -> Option<Vec<u8>> {
        use std::io::Read;
        let resolved = self.resolve(path)?;
        let file = std::fs::File::open(self.host_path(&resolved.path)).ok()?;
        let mut head = Vec::with_capacity(limit);
        file.take(limit as u64).read_to_end(&mut head).ok()?;
        Some(head)
    }

    /// The text of the file `path` resolves to, if it is UTF-8.
    pub fn read_to_string(&self, path: &str) -> Option<String> {
        String::from_utf8(self.read(path)?).ok()
    }

    /// The names in the folder `path` resolves to, sorted.
    pub fn read_dir(&self, path: &str) -> Vec<String> {
        let Some(resolved) = self.resolve(path) else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(self.host_path(&resolved.path)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// `path`'s parts, without empty ones and `.`; `..` stays for [`Rootfs::resolve`] (and is
/// dropped at the root by [`Rootfs::host_path`]'s caller, since `normalise` cuts it).
fn normalise(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part.to_string()),
        }
    }
    parts
}

fn join(parts: &[String]) -> String {
    format!("/{}", parts.join("/"))
}

/// `dir` and `name` as one image path (`name` may be absolute, then it wins).
pub fn join_path(dir: &str, name: &str) -> String {
    if name.starts_with('/') {
        return join(&normalise(name));
    }
    join(&normalise(&format!("{dir}/{name}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn absolute_links_stay_inside_the_image() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("usr/lib")).unwrap();
        std::fs::write(root.join("usr/lib/libx.so.1.2"), b"x").unwrap();
        symlink("libx.so.1.2", root.join("usr/lib/libx.so.1")).unwrap();
        symlink("usr/lib", root.join("lib")).unwrap();
        // An absolute target names the image's /usr, not the host's.
        symlink("/usr/lib/libx.so.1", root.join("usr/lib/abs")).unwrap();
        symlink("../../../../../etc/passwd", root.join("usr/lib/escape")).unwrap();
        let fs = Rootfs::new(root);
        let r = fs.resolve("/lib/libx.so.1").unwrap();
        assert_eq!(r.path, "/usr/lib/libx.so.1.2");
        assert_eq!(
            r.links,
            vec![
                Link {
                    path: "/lib".into(),
                    target: "usr/lib".into()
                },
                Link {
                    path: "/usr/lib/libx.so.1".into(),
                    target: "libx.so.1.2".into()
                }
            ]
        );
        assert_eq!(
            fs.resolve("/usr/lib/abs").unwrap().path,
            "/usr/lib/libx.so.1.2"
        );
        // `..` stops at the image's root: the host's /etc/passwd is not reached.
        assert_eq!(fs.resolve("/usr/lib/escape"), None);
        assert_eq!(fs.read("/lib/libx.so.1").unwrap(), b"x");
    }

    #[test]
    fn loops_end() {
        let dir = tempfile::tempdir().unwrap();
        symlink("b", dir.path().join("a")).unwrap();
        symlink("a", dir.path().join("b")).unwrap();
        assert_eq!(Rootfs::new(dir.path()).resolve("/a"), None);
    }

    #[test]
    fn joins() {
        assert_eq!(join_path("/app", "x/../y"), "/app/y");
        assert_eq!(join_path("/app", "/etc/z"), "/etc/z");
        assert_eq!(join_path("/", "a"), "/a");
    }
}
