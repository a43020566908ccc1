//! The rewrite from a trace (`dfslim trace`, issue 14): where no distroless image carries
//! the runtime (nginx from the distro, Ruby, PHP, a Python minor no target has), the files
//! the application really used while it ran make a binaryless final stage: `FROM scratch`,
//! the traced files, the ELF closure of every traced program and library (the kernel maps
//! a loader without a system call the trace would see), the folders it wrote in, and the
//! original ENV, WORKDIR, EXPOSE and command. Every copy says `evidence: traced`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::analysis::image_ref::ImageRef;
use crate::ecosystems::start::covers;
use crate::image::closure::{closure, inside, resolve};

use super::built::{BuiltImage, Planned, copy_lines, numeric_user};
use super::emit::env_value;
use super::user::is_root_user;
use super::*;
use crate::analysis::command::exec_form;

/// What a trace of the original final image found.
#[derive(Clone, Debug, Default)]
pub struct TracedImage {
    /// The original final image: its root filesystem and configuration.
    pub image: BuiltImage,
    /// Paths the application named in calls that succeeded.
    pub touched: BTreeSet<String>,
    /// Folders it created files in.
    pub written: BTreeSet<String>,
    /// Ports it bound.
    pub ports: BTreeSet<u16>,
    /// Programs it executed (its own command first among them).
    pub executed: BTreeSet<String>,
    /// The probe during which the application first used a path (absent: at start-up).
    pub touched_by: std::collections::BTreeMap<String, String>,
    /// Paths to keep although the trace did not see them (`--keep`).
    pub keep: Vec<String>,
}

/// Paths no image carries as files: the kernel's and the engine's.
const VIRTUAL: &[&str] = &[
    "/proc",
    "/sys",
    "/dev",
    "/run/.containerenv",
    "/etc/hosts",
    "/etc/resolv.conf",
    "/etc/hostname",
];

/// Folders too wide to copy whole because something was written in them.
const TOO_WIDE: &[&str] = &[
    "/", "/etc", "/usr", "/var", "/var/lib", "/home", "/root", "/opt", "/srv",
];

impl Planner<'_, '_> {
    /// The binaryless final stage from a trace.
    pub(super) fn traced_stage(&self, traced: &TracedImage) -> Result<Plan, Decline> {
        let root = traced.image.root.as_path();
        let style = self.style;
        let mut edits = Vec::new();
        let mut warnings = Vec::new();
        let name = self.name_final_stage(&mut edits)?;
        let ran_as_root = is_root_user(Some(&traced.image.user));
        let low_port = traced.ports.iter().find(|p| **p < 1024).copied();
        // A log file linked to `/dev/stderr` is opened again by path: the engine's pipe
        // behind it belongs to root, and a non-root user may not open it.
        let stdio_link = traced
            .touched
            .iter()
            .find(|p| links_to_stdio(root, p))
            .cloned();
        let user = match (ran_as_root, low_port, stdio_link) {
            (true, Some(port), _) => {
                warnings.push(Warning {
                    code: "needs-root",
                    message: format!(
                        "the application bound port {port}, which needs root: the image keeps running as root"
                    ),
                });
                None
            }
            (true, None, Some(link)) => {
                warnings.push(Warning {
                    code: "needs-root",
                    message: format!(
                        "the application opens `{link}`, a link to a standard stream, by its path; as a non-root user it may not: the image keeps running as root"
                    ),
                });
                None
            }
            (true, None, None) => {
                warnings.push(Warning {
                    code: "DFS004",
                    message: "the image ran as root and now runs as 65532:65532, since nothing traced needed root; a folder it writes in that the trace did not see stays root's".into(),
                });
                Some("65532:65532".to_string())
            }
            (false, _, _) => Some(numeric_user(root, &traced.image.user)?),
        };
        let chown = user.clone();
        let mut paths: BTreeSet<String> = BTreeSet::new();
        for path in traced.touched.iter().chain(&traced.keep) {
            if VIRTUAL.iter().any(|v| covers(v, path)) {
                continue;
            }
            // Links are followed inside the image only: `/var/log/nginx/access.log` →
            // `/dev/stdout` is no file of the image.
            if resolve(root, path).is_some() {
                paths.insert(path.clone());
            }
        }
        // The loader and libraries of every program and library: the kernel maps a
        // program's loader itself, so no call of the application names it.
        let mut closures: BTreeSet<String> = BTreeSet::new();
        for path in &paths {
            if let Ok(c) = closure(root, path) {
                if let Some((loader, _)) = c.loader {
                    closures.insert(loader);
                }
                closures.extend(c.libraries.into_iter().map(|l| l.path));
            }
        }
        paths.extend(closures);
        let written: Vec<String> = traced
            .written
            .iter()
            .filter(|w| !TOO_WIDE.contains(&w.as_str()))
            .filter(|w| !VIRTUAL.iter().any(|v| covers(v, w)))
            .filter(|w| std::fs::symlink_metadata(inside(root, w)).is_ok_and(|m| m.is_dir()))
            .cloned()
            .collect();
        // A folder `--keep` names is copied whole, like a written one, without a new owner.
        let kept_dirs: Vec<String> = traced
            .keep
            .iter()
            .filter(|k| std::fs::symlink_metadata(inside(root, k)).is_ok_and(|m| m.is_dir()))
            .cloned()
            .collect();
        // A written folder is copied whole (what the image had there, and a place to
        // write), so the files inside it need no line of their own.
        let mut planned: Vec<Planned> = Vec::new();
        for dir in &kept_dirs {
            planned.push(Planned {
                src: dir.clone(),
                dest_dir: false,
                chown: None,
                why: "a folder --keep names".into(),
            });
        }
        let written: Vec<String> = written
            .into_iter()
            .filter(|w| !kept_dirs.iter().any(|k| covers(k, w)))
            .collect();
        for dir in &written {
            if written.iter().any(|w| w != dir && covers(w, dir)) {
                continue;
            }
            planned.push(Planned {
                src: dir.clone(),
                dest_dir: false,
                chown: chown.clone().filter(|_| dir != "/tmp"),
                why: "a folder the application wrote in during the trace".into(),
            });
        }
        for path in &paths {
            if written.iter().chain(&kept_dirs).any(|w| covers(w, path)) {
                continue;
            }
            planned.push(Planned {
                src: path.clone(),
                dest_dir: true,
                chown: None,
                why: "the application opened, ran or mapped it during the trace".into(),
            });
        }
        let kept = planned.len();
        let total = count_files(root);
        warnings.push(Warning {
            code: "trace-coverage",
            message: format!(
                "the new image keeps {} of the original's {total} files ({:.1} %): what the trace and its probes did not exercise is left out; keep more with --keep PATH",
                paths.len(),
                100.0 * paths.len() as f64 / total.max(1) as f64
            ),
        });
        let mut text = style.line("FROM", "scratch");
        for kv in &traced.image.env {
            if let Some((k, v)) = kv.split_once('=') {
                text.push_str(&style.line("ENV", &format!("{k}={}", env_value(v))));
            }
        }
        // The target is `scratch`, which starts in `/`.
        let workdir = if traced.image.workdir.is_empty() {
            "/"
        } else {
            traced.image.workdir.as_str()
        };
        if workdir != "/" {
            text.push_str(&style.line("WORKDIR", workdir));
        }
        let (copy_text, mut copies) = copy_lines(
            style,
            self.model.tree.escape,
            root,
            &name,
            &planned,
            "traced",
        );
        for copy in &mut copies {
            copy.probe = traced.touched_by.get(&copy.src).cloned();
        }
        text.push_str(&copy_text);
        for port in &traced.image.exposed_ports {
            text.push_str(&style.line("EXPOSE", port));
        }
        if let Some(user) = &user {
            text.push_str(&style.line("USER", user));
        }
        if !traced.image.entrypoint.is_empty() {
            text.push_str(&style.line("ENTRYPOINT", &exec_form(&traced.image.entrypoint)));
        }
        if !traced.image.cmd.is_empty() {
            text.push_str(&style.line("CMD", &exec_form(&traced.image.cmd)));
        }
        edits.extend(self.append_edits(text));
        let scratch = ImageRef::parse("scratch").expect("scratch parses");
        let facts = self.model.catalogue.lookup(&scratch).ok_or_else(|| {
            Decline::new(DeclineCode::UnknownBase, "scratch is not in the catalogue")
        })?;
        // Only the program the command starts ran: the image holds the application and
        // what it needs (distroless, as `check` classifies `scratch`). Other programs it
        // ran stay too, as its own: binaryless.
        let level =
            if traced.executed.len() <= 1 {
                Level::Distroless
            } else {
                warnings.push(Warning {
                code: "programs-kept",
                message: format!(
                    "the application ran other programs during the trace, and they are kept: {}",
                    traced.executed.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            });
                Level::Binaryless
            };
        let mut plan = self.rewritten(Some(name), &scratch, &facts, copies, warnings, edits);
        plan.level_after = level;
        debug_assert!(kept >= written.len());
        Ok(plan)
    }
}

/// Whether `path` in the image is a link to a standard stream (`/dev/stdout`,
/// `/proc/self/fd/2`), as images link their log files.
fn links_to_stdio(root: &Path, path: &str) -> bool {
    std::fs::read_link(inside(root, path)).is_ok_and(|target| {
        let target = target.to_string_lossy();
        ["/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/"]
            .iter()
            .any(|s| target.starts_with(s))
    })
}

/// Files counted for the coverage figure at most: an image past it is reported as having
/// this many, which only makes the share kept look larger.
const COUNT_LIMIT: usize = 100_000;

/// The regular files of the image (for the coverage figure), not following links.
fn count_files(root: &Path) -> usize {
    crate::image::walk::files(root, "/", &["/proc", "/sys", "/dev"])
        .take(COUNT_LIMIT)
        .count()
}
