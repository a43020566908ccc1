//! Phase 4, the user's home: the users a stage creates (`useradd -m -u 10001 app`) have a
//! home in the original image, and the target's passwd knows none of them. A named user
//! becomes the target's `nonroot` (home `/home/nonroot`), and a numeric one keeps its id
//! with no passwd entry at all (so `HOME=/`). Where the original shows the app uses that
//! home (files put in it for `$HOME` to find, `ENV HOME`), the rewrite declines.

use crate::analysis::env::normalize_path;
use crate::analysis::image_ref::ImageRef;
use crate::ecosystems::compiled::BY_NAME_LOOKUPS;
use crate::ecosystems::start::{App, covers};

use super::*;

/// A user that `useradd` or `adduser` made, with the uid it was given and the home it
/// made (`None` when none was: `--no-create-home`, `-M`, busybox's `-H`, a home of
/// `/nonexistent`).
#[derive(Debug, PartialEq)]
pub(super) struct CreatedUser {
    pub(super) name: String,
    pub(super) uid: Option<String>,
    pub(super) home: Option<String>,
}

impl Planner<'_, '_> {
    /// Declines when a kept numeric `USER` that the target's passwd lacks runs a program
    /// whose code looks that user up (Go's `user.Current()`): the original's passwd had
    /// the uid, the new image's has not, and the lookup fails.
    pub(super) fn check_user_lookup(&self, app: &App<'_>) -> Result<(), Decline> {
        let Some((file, call)) = &app.main.artifact().uses.looks_up_user else {
            return Ok(());
        };
        let span = self
            .stage
            .last(Keyword::User)
            .map_or_else(|| from_span(self.stage), |u| u.line_span);
        // Scratch has no passwd at all: every lookup fails (`user: unknown userid 65532`).
        if self.options.family == crate::analysis::catalogue::TargetFamily::Scratch {
            return Err(Decline::new(
                DeclineCode::UserFolder,
                format!(
                    "`{file}` looks its user up (`{}`), and scratch has no /etc/passwd, so the lookup fails",
                    call.trim_end_matches('(')
                ),
            )
            .at(span)
            .help("use --target-family distroless, whose images carry a passwd"));
        }
        if BY_NAME_LOOKUPS.contains(call) {
            return Err(Decline::new(
                DeclineCode::UserFolder,
                format!(
                    "`{file}` looks a user or group up by name (`{}`): the target's passwd and group hold only root, nonroot and nobody, so a name only the original image had (such as `www-data`) is not found",
                    call.trim_end_matches('(')
                ),
            )
            .at(span)
            .help("look the user up by id, or write the final stage by hand and copy the passwd and group entries it needs"));
        }
        let Some(user) = self.state().user.clone() else {
            return Ok(());
        };
        let uid = user.split(':').next().unwrap_or(&user);
        // The ids every distroless and Chainguard passwd has: root, nonroot, nobody.
        if !uid.chars().all(|c| c.is_ascii_digit()) || matches!(uid, "0" | "65532" | "65534") {
            return Ok(());
        }
        Err(Decline::new(
            DeclineCode::UserFolder,
            format!(
                "`USER {user}` has no entry in the target's passwd, and `{file}` looks the user up (`{call}`), which fails for a uid without one"
            ),
        )
        .at(span)
        .help("run as the target's non-root user (`USER nonroot`), or write the final stage by hand"))
    }

    /// Declines when the new image's user would lose the home the original's had and the
    /// original shows the app uses it.
    pub(super) fn check_user_home(&self, target: &ImageFacts) -> Result<(), Decline> {
        let Some(user) = self.state().user.clone() else {
            return Ok(());
        };
        let name = user.split(':').next().unwrap_or(&user).to_string();
        if super::user::is_root_user(Some(&name)) {
            return Ok(());
        }
        let users = self.created_users();
        let span = self
            .stage
            .last(Keyword::User)
            .map_or_else(|| from_span(self.stage), |u| u.line_span);
        // A HOME the stage sets elsewhere than the user's home (`ENV HOME=/tmp`) is where
        // the app writes its dotfiles either way.
        let home_elsewhere = self
            .state()
            .value("HOME")
            .is_some_and(|h| !h.is_empty() && h != "/" && !h.starts_with("/home/"));
        if name.chars().all(|c| c.is_ascii_digit()) {
            if matches!(name.as_str(), "65532" | "65534") || home_elsewhere {
                return Ok(());
            }
            // The image's own user of that id: node's `node` (1000, /home/node).
            let image_user = self
                .model
                .root_image(self.stage.index)
                .filter(|image: &&ImageRef| image.repository.ends_with("node") && name == "1000")
                .map(|_| ("node".to_string(), "/home/node".to_string()));
            let made = users
                .iter()
                .find(|u| u.uid.as_deref() == Some(name.as_str()))
                .and_then(|u| Some((u.name.clone(), u.home.clone()?)))
                .or(image_user);
            if let Some((owner, home)) = made {
                return Err(Decline::new(
                    DeclineCode::UserFolder,
                    format!("`USER {user}` is `{owner}`, whose home is {home} in the original; the target's passwd has no user {name}, so the app would run with HOME=/ and no home it may write (nor a user name for getpass or os.userInfo)"),
                )
                .at(span)
                .help("run as the target's non-root user (`USER nonroot`), or write the final stage by hand"));
            }
            return Ok(());
        }
        if target.has_user(&name) {
            return Ok(());
        }
        // A named user the rewrite replaces by the target's non-root user.
        let home = users
            .iter()
            .find(|u| u.name == name)
            .and_then(|u| u.home.clone())
            .unwrap_or_else(|| format!("/home/{name}"));
        if let Some(value) = self.state().value("HOME")
            && covers(&home, &value)
        {
            return Err(Decline::new(
                DeclineCode::UserFolder,
                format!("`HOME={value}` is the home of `{name}`, whom the new image replaces by its non-root user: that folder would not exist, nor be the new user's to write"),
            )
            .at(span)
            .help("set HOME to a folder the app's files are copied into with `COPY --chown`, or write the final stage by hand"));
        }
        // A dotfile or dot-folder of the home (`~/.ssh/known_hosts`, `~/.config/app`) is
        // found through $HOME, which is now another folder. Not a shell's or an editor's
        // own dotfiles, nor npm's and yarn's build settings, which the application does
        // not read.
        const UNREAD: &[&str] = &[
            ".bashrc",
            ".bash_profile",
            ".profile",
            ".zshrc",
            ".vimrc",
            ".inputrc",
            ".npmrc",
            ".yarnrc",
            ".yarnrc.yml",
        ];
        for (_, copy, args, state) in self.model.chain_copies(self.stage.index) {
            let Some(dest) = args.dest.as_deref() else {
                continue;
            };
            let dest = if dest.starts_with('/') {
                normalize_path(dest)
            } else {
                let workdir = state.workdir.as_deref().unwrap_or("/");
                normalize_path(&format!("{}/{dest}", workdir.trim_end_matches('/')))
            };
            let dotted = dest
                .strip_prefix(home.trim_end_matches('/'))
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rest| rest.starts_with('.') && !UNREAD.contains(&rest));
            if dotted {
                return Err(Decline::new(
                    DeclineCode::UserFolder,
                    format!("the file copied to {dest} is in the home of `{name}`, whom the new image replaces by its non-root user, whose home is another folder: the app would not find it through $HOME"),
                )
                .at(copy.line_span)
                .help("copy it where the app reads it without $HOME, or write the final stage by hand"));
            }
        }
        Ok(())
    }

    /// The users the final stage (and the stages it is built on) create.
    pub(super) fn created_users(&self) -> Vec<CreatedUser> {
        super::leftovers::path_commands(self.model, self.stage.index, &["useradd", "adduser"])
            .iter()
            .filter_map(|c| {
                let words: Vec<String> =
                    c.command.words.iter().filter_map(|w| w.literal()).collect();
                created_user(&words)
            })
            .collect()
    }
}

/// The user a `useradd` or `adduser` command line creates.
pub(super) fn created_user(words: &[String]) -> Option<CreatedUser> {
    let program = crate::analysis::command::basename(words.first()?);
    let useradd = program == "useradd";
    // Options that take a value: useradd's, Debian adduser's and busybox adduser's.
    const VALUED: &[&str] = &[
        "-u",
        "--uid",
        "-d",
        "--home",
        "--home-dir",
        "-g",
        "--gid",
        "-G",
        "--groups",
        "-s",
        "--shell",
        "-c",
        "--comment",
        "-k",
        "--skel",
        "-e",
        "--expiredate",
        "-f",
        "--inactive",
        "-K",
        "--key",
        "-p",
        "--password",
        "-R",
        "--root",
        "-P",
        "--prefix",
        "-b",
        "--base-dir",
        "-Z",
        "--selinux-user",
        "--gecos",
        "--ingroup",
        "--firstuid",
        "--lastuid",
        "--conf",
        "-h",
    ];
    let mut uid = None;
    let mut home_dir = None;
    let mut create = !useradd; // adduser makes the home unless told not to
    let mut operands = Vec::new();
    let mut i = 1;
    while i < words.len() {
        let word = words[i].as_str();
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (word, None),
        };
        if VALUED.contains(&flag) {
            let value = inline.or_else(|| words.get(i + 1).cloned());
            i += if word.contains('=') { 1 } else { 2 };
            match flag {
                "-u" | "--uid" => uid = value,
                // busybox adduser's `-h DIR` is the home; useradd's `-h` is help.
                "-d" | "--home" | "--home-dir" | "-h" => home_dir = value,
                _ => {}
            }
            continue;
        }
        match flag {
            "-m" | "--create-home" => create = true,
            "-M" | "--no-create-home" | "-H" => create = false,
            // Debian adduser's system users get /nonexistent unless given a home.
            "--system" if !useradd => create = home_dir.is_some(),
            _ if flag.starts_with('-') => {}
            _ => operands.push(word.to_string()),
        }
        i += 1;
    }
    // `adduser USER GROUP` adds an existing user to a group.
    if !useradd && operands.len() > 1 {
        return None;
    }
    let name = operands.last()?.clone();
    let home = home_dir.unwrap_or_else(|| format!("/home/{name}"));
    let made = create && home != "/nonexistent" && home != "/dev/null";
    Some(CreatedUser {
        name,
        uid,
        home: made.then_some(home),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(line: &str) -> Option<CreatedUser> {
        created_user(
            &line
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn reads_useradd_and_adduser() {
        let u = user("useradd -m -u 10001 app").unwrap();
        assert_eq!(
            (u.name.as_str(), u.uid.as_deref(), u.home.as_deref()),
            ("app", Some("10001"), Some("/home/app"))
        );
        assert_eq!(user("useradd -r -u 999 svc").unwrap().home, None);
        assert_eq!(
            user("useradd -m -d /srv/svc svc").unwrap().home.as_deref(),
            Some("/srv/svc")
        );
        // Docker's `docker init` templates.
        let u = user("adduser --disabled-password --gecos x --home /nonexistent --shell /sbin/nologin --no-create-home --uid 10001 appuser").unwrap();
        assert_eq!((u.uid.as_deref(), u.home), (Some("10001"), None));
        let u = user("adduser -D -u 1000 -h /app app").unwrap();
        assert_eq!(u.home.as_deref(), Some("/app"));
        assert_eq!(user("adduser -D -H -u 1000 app").unwrap().home, None);
        assert_eq!(user("adduser app sudo"), None);
    }
}
