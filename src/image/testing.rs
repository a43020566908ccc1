//! Test helpers: small root filesystems made of the host's own programs and libraries, so
//! that the tests read real ELF files without an engine.

use std::path::Path;

use super::elf::{ElfFacts, read_elf};
use super::libraries::closure;
use super::rootfs::Rootfs;

/// Writes `bytes` at `image_path` under `root` with `mode`, making its folders.
pub fn write(root: &Path, image_path: &str, bytes: impl AsRef<[u8]>, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let host = root.join(image_path.trim_start_matches('/'));
    std::fs::create_dir_all(host.parent().unwrap()).unwrap();
    std::fs::write(&host, bytes).unwrap();
    std::fs::set_permissions(&host, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn put(root: &Path, image_path: &str, bytes: &[u8]) {
    write(root, image_path, bytes, 0o755);
}

/// Copies the host's `host_program` to `image_path`, its loader to its `PT_INTERP` path and
/// every library of its closure (as the host resolves it) into `lib_dir`.
pub fn copy_host_program(
    root: &Path,
    host_program: &str,
    image_path: &str,
    lib_dir: &str,
) -> ElfFacts {
    let host = Rootfs::new("/");
    let bytes = host.read(host_program).unwrap();
    let facts = read_elf(&bytes).unwrap();
    put(root, image_path, &bytes);
    let found = closure(&host, host_program, &facts, None);
    assert!(found.missing.is_empty(), "host: {:?}", found.missing);
    for object in &found.objects {
        let bytes = host.read(&object.resolved.path).unwrap();
        if Some(&object.name) == facts.interpreter.as_ref() {
            put(root, &object.name, &bytes);
        } else {
            put(root, &format!("{lib_dir}/{}", object.name), &bytes);
        }
    }
    facts
}

/// The host's multiarch folder name (`x86_64-linux-gnu`).
pub fn triplet() -> String {
    format!("{}-linux-gnu", std::env::consts::ARCH)
}

/// A Debian-like tree: `host_program` as `/usr/bin/NAME`, each library as
/// `/usr/lib/TRIPLET/NAME.real` behind a symlink `NAME`, and `/lib` a link to `usr/lib`.
pub fn host_tree(root: &Path, host_program: &str) -> ElfFacts {
    let name = host_program.rsplit('/').next().unwrap();
    let lib_dir = format!("/usr/lib/{}", triplet());
    let facts = copy_host_program(root, host_program, &format!("/usr/bin/{name}"), &lib_dir);
    let dir = root.join(lib_dir.trim_start_matches('/'));
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let real = format!("{file}.real");
        std::fs::rename(&path, dir.join(&real)).unwrap();
        std::os::unix::fs::symlink(&real, &path).unwrap();
    }
    facts
}
