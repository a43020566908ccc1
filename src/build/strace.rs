//! Reads what `strace -f` wrote while an engine ran an image: which files the application's
//! processes opened, executed, mapped or looked at, which folders they wrote in, and
//! whether they listened on a port. Only the application's processes count: the engine's
//! own (buildah before its `chroot`) are left out. The application is the first program
//! executed after buildah's `buildah-chroot-exec`, and everything it starts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::analysis::env::normalize_path as normalize;

/// The system calls dfslim asks strace for (`-e trace=`).
pub const SYSCALLS: &str = "execve,execveat,open,openat,openat2,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat,chdir,mkdir,mkdirat,clone,clone3,fork,vfork,bind";

/// What the application did with the file system.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// Paths (inside the image) that a successful call named.
    pub touched: BTreeSet<String>,
    /// Programs executed.
    pub executed: BTreeSet<String>,
    /// Folders the application created files or folders in.
    pub written: BTreeSet<String>,
    /// Ports bound (TCP or UDP, IPv4 or IPv6).
    pub ports: BTreeSet<u16>,
    /// Paths named relative to a folder descriptor dfslim cannot follow.
    pub unresolved: usize,
    /// When each touched path was first named (seconds since the epoch, from `-ttt`).
    pub first_seen: BTreeMap<String, f64>,
}

/// One call, as strace prints it once resumed: `PID [TIME] name(args) = result`.
struct Call<'a> {
    pid: u32,
    /// `-ttt`'s timestamp, when strace printed one.
    time: Option<f64>,
    name: &'a str,
    args: &'a str,
    result: i64,
}

/// Reads strace's output (`-f`, one line per call, `<unfinished ...>` joined to its
/// `<... resumed>` line). `workdir` is where the application starts.
pub fn read(text: &str, workdir: &str) -> Trace {
    let mut trace = Trace::default();
    let mut pending: HashMap<u32, String> = HashMap::new();
    let mut app: BTreeSet<u32> = BTreeSet::new();
    let mut cwd: HashMap<u32, String> = HashMap::new();
    let mut chroot_exec = false;
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some((pid, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(pid_n) = pid.parse::<u32>() else {
            continue;
        };
        // strace pads the pid column: `4081  execve(…)`; `-ttt` puts a time after it.
        let rest = rest.trim_start();
        let rest = match rest.split_once(' ') {
            Some((stamp, after)) if stamp.contains('.') && stamp.parse::<f64>().is_ok() => {
                if after.starts_with("<... ") {
                    after
                } else {
                    rest
                }
            }
            _ => rest,
        };
        if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
            pending.insert(pid_n, head.to_string());
            continue;
        }
        if let Some(resumed) = rest.strip_prefix("<... ") {
            let tail = resumed.split_once(" resumed>").map_or("", |(_, t)| t);
            if let Some(head) = pending.remove(&pid_n) {
                lines.push(format!("{pid} {head}{tail}"));
            }
            continue;
        }
        lines.push(line.to_string());
    }
    // First the process tree: a child's calls may be printed before its parent's
    // `clone` returns, so who belongs to the application is settled before any call counts.
    let calls: Vec<Call<'_>> = lines.iter().filter_map(|l| parse(l)).collect();
    let mut parent_of: HashMap<u32, u32> = HashMap::new();
    let mut root = None;
    for call in &calls {
        if call.name == "execve" && call.args.contains("\"buildah-chroot-exec\"") {
            chroot_exec = true;
            continue;
        }
        if matches!(call.name, "clone" | "clone3" | "fork" | "vfork") && call.result > 0 {
            parent_of.insert(call.result as u32, call.pid);
        }
        // The first program the chroot helper runs is the application.
        if root.is_none()
            && chroot_exec
            && call.name == "execve"
            && call.result == 0
            && first_string(call.args).as_deref() != Some("/proc/self/exe")
        {
            root = Some(call.pid);
        }
    }
    let Some(root) = root else {
        return trace;
    };
    app.insert(root);
    cwd.insert(root, workdir.to_string());
    let belongs = |pid: u32| {
        let mut at = pid;
        for _ in 0..64 {
            if at == root {
                return true;
            }
            match parent_of.get(&at) {
                Some(&p) => at = p,
                None => return false,
            }
        }
        false
    };
    for call in &calls {
        if !belongs(call.pid) {
            continue;
        }
        if !cwd.contains_key(&call.pid) {
            let inherited = parent_of
                .get(&call.pid)
                .and_then(|p| cwd.get(p))
                .cloned()
                .unwrap_or_else(|| workdir.to_string());
            cwd.insert(call.pid, inherited);
        }
        if matches!(call.name, "clone" | "clone3" | "fork" | "vfork") {
            continue;
        }
        if call.result < 0 {
            continue;
        }
        let here = cwd.get(&call.pid).cloned().unwrap_or_else(|| "/".into());
        if call.name == "bind" {
            if let Some(port) = bound_port(call.args) {
                trace.ports.insert(port);
            }
            continue;
        }
        let (path, at) = match call.name {
            "openat" | "openat2" | "newfstatat" | "statx" | "faccessat" | "faccessat2"
            | "readlinkat" | "mkdirat" | "execveat" => {
                let (dirfd, rest) = call.args.split_once(", ").unwrap_or(("", call.args));
                (first_string(rest), dirfd)
            }
            _ => (first_string(call.args), "AT_FDCWD"),
        };
        let Some(path) = path else { continue };
        let path = if path.starts_with('/') {
            normalize(&path)
        } else if at == "AT_FDCWD" {
            normalize(&format!("{here}/{path}"))
        } else {
            trace.unresolved += 1;
            continue;
        };
        match call.name {
            "chdir" => {
                cwd.insert(call.pid, path);
            }
            "execve" | "execveat" => {
                trace.executed.insert(path.clone());
                seen(&mut trace, &path, call.time);
                trace.touched.insert(path);
            }
            "mkdir" | "mkdirat" => {
                trace.written.insert(parent(&path));
                trace.written.insert(path);
            }
            "open" | "openat" | "openat2"
                if call.args.contains("O_CREAT")
                    || call.args.contains("O_WRONLY")
                    || call.args.contains("O_RDWR") =>
            {
                trace.written.insert(parent(&path));
                seen(&mut trace, &path, call.time);
                trace.touched.insert(path);
            }
            _ => {
                seen(&mut trace, &path, call.time);
                trace.touched.insert(path);
            }
        }
    }
    trace
}

fn seen(trace: &mut Trace, path: &str, time: Option<f64>) {
    if let Some(t) = time {
        trace.first_seen.entry(path.to_string()).or_insert(t);
    }
}

fn parse(line: &str) -> Option<Call<'_>> {
    let (pid, rest) = line.split_once(' ')?;
    let mut rest = rest.trim_start();
    let mut time = None;
    if let Some((stamp, after)) = rest.split_once(' ')
        && stamp.contains('.')
        && let Ok(t) = stamp.parse::<f64>()
    {
        time = Some(t);
        rest = after.trim_start();
    }
    let open = rest.find('(')?;
    let name = &rest[..open];
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    // `) = 0`, or `)             = 0` once a call resumed: strace pads the result.
    let eq = rest.rfind(" = ")?;
    let result = rest[eq + 3..].split_whitespace().next()?;
    let close = rest[..eq].trim_end().len().checked_sub(1)?;
    if rest.as_bytes().get(close) != Some(&b')') || close < open + 1 {
        return None;
    }
    Some(Call {
        pid: pid.parse().ok()?,
        time,
        name,
        args: &rest[open + 1..close],
        result: result.parse().ok()?,
    })
}

/// The first double-quoted argument, with strace's escapes undone.
fn first_string(args: &str) -> Option<String> {
    let start = args.find('"')? + 1;
    let mut out = Vec::new();
    let bytes = args.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return String::from_utf8(out).ok(),
            b'\\' if i + 1 < bytes.len() => {
                i += 1;
                match bytes[i] {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'x' if i + 2 < bytes.len() => {
                        let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                        out.push(u8::from_str_radix(hex, 16).ok()?);
                        i += 2;
                    }
                    other => out.push(other),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    None
}

/// `bind(3, {sa_family=AF_INET, sin_port=htons(80), …}, 16)` → 80.
fn bound_port(args: &str) -> Option<u16> {
    let at = args.find("_port=htons(")? + "_port=htons(".len();
    let end = args[at..].find(')')?;
    args[at..at + end].parse().ok()
}

fn parent(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

/// How many times each traced path was named, for reports: the folders with most files.
pub fn by_folder(paths: &BTreeSet<String>) -> BTreeMap<String, usize> {
    let mut folders = BTreeMap::new();
    for path in paths {
        *folders.entry(parent(path)).or_insert(0) += 1;
    }
    folders
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"100 execve("/usr/bin/buildah", ["buildah", "run"], 0x7 /* 3 vars */) = 0
100 openat(AT_FDCWD, "/etc/containers/storage.conf", O_RDONLY|O_CLOEXEC) = 3
101 execve("/proc/self/exe", ["buildah-chroot-exec", "/usr/sbin/nginx"], 0xc /* 4 vars */ <unfinished ...>
101 <... execve resumed>)             = 0
101 chroot("/var/lib/x/rootfs") = 0
102 execve("/usr/sbin/nginx", ["/usr/sbin/nginx", "-g", "daemon off;"], 0xc /* 3 vars */ <unfinished ...>
100 openat(AT_FDCWD, "/etc/containers/x", O_RDONLY) = 5
99  openat(AT_FDCWD, "/etc/containers/y", O_RDONLY) = 5
102 <... execve resumed>)             = 0
102 1733400000.500000 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 4
102 openat(AT_FDCWD, "/etc/nginx/nginx.conf", O_RDONLY) = 4
102 openat(AT_FDCWD, "/etc/nginx/missing.conf", O_RDONLY) = -1 ENOENT (No such file or directory)
102 newfstatat(AT_FDCWD, "conf.d/a.conf", {st_mode=S_IFREG|0644, st_size=1}, 0) = 0
102 bind(6, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = 0
102 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD <unfinished ...>
103 openat(AT_FDCWD, "/var/log/nginx/access.log", O_WRONLY|O_CREAT|O_APPEND, 0644) = 7
102 <... clone resumed>, child_tidptr=0x7) = 103
103 chdir("/srv") = 0
103 stat("www/index.html", {st_mode=S_IFREG|0644, st_size=5}) = 0
103 openat(5, "x", O_RDONLY) = 8
103 openat(AT_FDCWD, "/usr/lib/libyaml-0.so.2", O_RDONLY|O_CLOEXEC) = 9
100 openat(AT_FDCWD, "/proc/self/mountinfo", O_RDONLY|O_CLOEXEC) = 4
"#;

    #[test]
    fn only_the_application_counts() {
        let trace = read(SAMPLE, "/etc/nginx");
        let touched: Vec<&str> = trace.touched.iter().map(String::as_str).collect();
        assert_eq!(
            touched,
            [
                "/etc/ld.so.cache",
                "/etc/nginx/conf.d/a.conf",
                "/etc/nginx/nginx.conf",
                "/srv/www/index.html",
                "/usr/lib/libyaml-0.so.2",
                "/usr/sbin/nginx",
                "/var/log/nginx/access.log",
            ]
        );
        assert!(trace.executed.contains("/usr/sbin/nginx"));
        assert!(trace.written.contains("/var/log/nginx"));
        assert_eq!(trace.ports.iter().copied().collect::<Vec<_>>(), [80]);
        assert_eq!(trace.unresolved, 1);
        assert_eq!(
            trace.first_seen.get("/etc/ld.so.cache"),
            Some(&1733400000.5)
        );
    }

    #[test]
    fn escapes_are_undone() {
        assert_eq!(
            first_string(r#"AT_FDCWD, "/a\"b\x41", 0"#).as_deref(),
            Some("/a\"bA")
        );
        assert_eq!(normalize("/a/./b/../c//d"), "/a/c/d");
    }
}
