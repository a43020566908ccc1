//! The files of an image's root filesystem under one folder, in image paths (`/usr/lib/x`),
//! without following symbolic links: the one walk that the `--build` planner (the ELF files
//! a copied folder holds) and `trace` (how many files the image has) both make.

use std::fs::Metadata;
use std::path::Path;

use super::closure::inside;

/// The regular files under `top` (an image path) of the image at `root`, with their
/// metadata, leaving out the folders named in `skip` (image paths: `/proc`). A folder that
/// cannot be read is passed over. The order is unspecified.
pub fn files<'a>(root: &'a Path, top: &str, skip: &'a [&'a str]) -> Files<'a> {
    Files {
        root,
        skip,
        stack: vec![top.to_string()],
        pending: Vec::new(),
    }
}

pub struct Files<'a> {
    root: &'a Path,
    skip: &'a [&'a str],
    /// Folders still to read.
    stack: Vec<String>,
    /// Files of the folder read last, not yet given out.
    pending: Vec<(String, Metadata)>,
}

impl Iterator for Files<'_> {
    type Item = (String, Metadata);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(file) = self.pending.pop() {
                return Some(file);
            }
            let path = self.stack.pop()?;
            let Ok(meta) = std::fs::symlink_metadata(inside(self.root, &path)) else {
                continue;
            };
            if meta.is_file() {
                return Some((path, meta));
            }
            if !meta.is_dir() || self.skip.contains(&path.as_str()) {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(inside(self.root, &path)) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                let child = format!("{}/{name}", path.trim_end_matches('/'));
                match entry.metadata() {
                    Ok(m) if m.is_file() => self.pending.push((child, m)),
                    Ok(m) if m.is_dir() => self.stack.push(child),
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_only_and_skipped_folders_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("usr/bin")).unwrap();
        std::fs::create_dir_all(root.join("proc/1")).unwrap();
        std::fs::write(root.join("usr/bin/app"), b"x").unwrap();
        std::fs::write(root.join("etc"), b"y").unwrap();
        std::fs::write(root.join("proc/1/status"), b"z").unwrap();
        std::os::unix::fs::symlink("app", root.join("usr/bin/link")).unwrap();
        let mut found: Vec<String> = files(root, "/", &["/proc"]).map(|(p, _)| p).collect();
        found.sort();
        assert_eq!(found, ["/etc", "/usr/bin/app"]);
        let found: Vec<String> = files(root, "/usr/bin/app", &[]).map(|(p, _)| p).collect();
        assert_eq!(found, ["/usr/bin/app"]);
    }
}
