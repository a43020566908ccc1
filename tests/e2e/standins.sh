# shellcheck shell=bash
# Stand-in base images for the e2e suite, built on this machine from Debian packages, because
# no registry is reachable. Sourced by run.sh, which provides: B (buildah on the suite's own
# storage root), say, CACHE, WORK, MIRROR.
#
# Every stand-in is honest about what it is: a label `dfslim.e2e.standin` on the image says
# which Debian packages it holds, and a tag is only the real image's name when the Debian
# version matches the real tag (Go 1.24, Rust 1.85, Python 3.13, JDK 21). Where it cannot match
# (Node: trixie has nodejs 20, distroless/debian13 has nodejs22/24/26) the stand-in is named
# for what it is, under localhost/dfslim-standin/.
#
# A stand-in's root filesystem is cached as a tarball in $CACHE/<id>-<hash>.tar, where <hash>
# covers the recipe's code (the functions below, as bash prints them), its package list and its
# parent's hash. The tarball is then imported into the run's storage root.

SI_IDS=()
declare -A SI_REFS SI_PARENT SI_RECIPE SI_ARGS SI_NOTE
# si ID "REF..." PARENT RECIPE "ARGS" "NOTE"
si() {
  SI_IDS+=("$1"); SI_REFS[$1]=$2; SI_PARENT[$1]=$3; SI_RECIPE[$1]=$4; SI_ARGS[$1]=$5; SI_NOTE[$1]=$6
}

# --- build images (what the fixtures' Dockerfiles start FROM) ---------------------------------
si debian-bookworm "docker.io/library/debian:bookworm" "" debootstrap "bookworm" \
  "stand-in: debootstrap --variant=minbase bookworm"
si debian-bookworm-slim "docker.io/library/debian:bookworm-slim" debian-bookworm slim "" \
  "stand-in: debian:bookworm stand-in with the -slim dpkg path excludes applied"
si debian-trixie "docker.io/library/debian:trixie" "" debootstrap "trixie" \
  "stand-in: debootstrap --variant=minbase trixie"
si golang "docker.io/library/golang:1.24-trixie" debian-trixie apt \
  "golang-1.24-go golang-go gcc libc6-dev make pkgconf ca-certificates" \
  "stand-in: debian:trixie + Debian golang-1.24 (not the upstream tarball), gcc, libc6-dev; /usr/local/go -> /usr/lib/go-1.24; no git"
si rust "docker.io/library/rust:1.85-slim-trixie" debian-trixie apt \
  "rustc cargo gcc libc6-dev ca-certificates" \
  "stand-in: debian:trixie + Debian rustc/cargo 1.85 in /usr/bin (no rustup), gcc"
si python "docker.io/library/python:3.13-slim-trixie" debian-trixie apt \
  "python3.13 python3.13-venv ca-certificates" \
  "stand-in: debian:trixie + Debian python3.13 in /usr/bin (python/python3 linked from /usr/local/bin), venv; no global pip, no gcc"
si node "docker.io/library/node:20-trixie" debian-trixie apt \
  "nodejs ca-certificates" \
  "stand-in: debian:trixie + Debian nodejs 20 (no npm, no yarn), user node 1000, docker-entrypoint.sh as upstream"
si jdk "docker.io/library/eclipse-temurin:21-jdk" debian-trixie apt \
  "openjdk-21-jdk-headless ca-certificates" \
  "stand-in: debian:trixie + Debian openjdk-21-jdk-headless (not Temurin, not Ubuntu), JAVA_HOME=/opt/java/openjdk linked to it"
si jre "docker.io/library/eclipse-temurin:21-jre" debian-trixie apt \
  "openjdk-21-jre-headless ca-certificates" \
  "stand-in: debian:trixie + Debian openjdk-21-jre-headless (not Temurin, not Ubuntu), JAVA_HOME=/opt/java/openjdk linked to it"
# busybox's uclibc variant is one static busybox and no C library; Debian's busybox-static is
# one static busybox (linked against glibc, inside the binary) and no C library either.
si busybox "docker.io/library/busybox:1.37-uclibc" "" busybox "" \
  "stand-in: scratch + Debian trixie busybox-static 1.37 (static, glibc inside) and its applet links; no C library, as the uclibc variant"

# --- distroless targets (what the rewrite emits) ----------------------------------------------
# static = exactly these packages (no closure: base-files would pull in gawk and libc);
# the others add the transitive Depends of their packages, minus SI_DENY.
si distroless-static "gcr.io/distroless/static-debian13:latest gcr.io/distroless/static-debian13:nonroot" \
  "" distroless "exact base-files netbase tzdata media-types" \
  "stand-in: dpkg-deb -x of trixie base-files netbase tzdata media-types + CA bundle + passwd/group"
# base leaves out libgcc-s1 (which trixie's libc6 Depends on), as distroless does: libgcc_s is
# what `cc` adds, and a binary that needs it (Rust, C++) must fail on `base` here too.
si distroless-base "gcr.io/distroless/base-debian13:latest gcr.io/distroless/base-debian13:nonroot" \
  distroless-static distroless "closure libc6 libssl3t64 -libgcc-s1 -gcc-14-base" \
  "stand-in: static + trixie libc6 libssl3t64 and their Depends but libgcc-s1"
si distroless-cc "gcr.io/distroless/cc-debian13:latest gcr.io/distroless/cc-debian13:nonroot" \
  distroless-base distroless "closure libgcc-s1 libstdc++6 libgomp1" \
  "stand-in: base + trixie libgcc-s1 libstdc++6 libgomp1 and their Depends"
si distroless-python3 "gcr.io/distroless/python3-debian13:latest gcr.io/distroless/python3-debian13:nonroot" \
  distroless-base distroless "closure python3.13" \
  "stand-in: base + trixie python3.13 and its Depends (Debian CPython 3.13)"
si distroless-java21 "gcr.io/distroless/java21-debian13:latest gcr.io/distroless/java21-debian13:nonroot" \
  distroless-base distroless "closure openjdk-21-jre-headless" \
  "stand-in: base + trixie openjdk-21-jre-headless and its Depends (Debian OpenJDK, not Temurin)"
si distroless-nodejs20 "localhost/dfslim-standin/nodejs20-debian13:latest localhost/dfslim-standin/nodejs20-debian13:nonroot" \
  distroless-cc distroless "closure nodejs" \
  "stand-in, no real counterpart: cc + trixie nodejs 20 and its Depends; distroless has only nodejs22/24/26 on debian13"

# Never in a distroless stand-in, and not followed when resolving Depends: shells, coreutils,
# package managers and the scripts-only packages that maintainer scripts need.
SI_DENY=" dash bash coreutils busybox debconf debconf-2.0 perl-base perl util-linux dpkg apt
 debianutils sed grep gzip tar findutils diffutils login passwd adduser init-system-helpers
 sensible-utils mount bsdutils hostname ncurses-bin libc-bin ucf openssl ca-certificates
 lsb-base sysvinit-utils procps libpam-runtime install-info base-passwd systemd dbus "
SI_DENY=${SI_DENY//$'\n'/ }

SI_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Image configuration: the real image's inherited defaults (TARGETS.md), where honest.
si_configure() { # ID REF CONTAINER
  local id=$1 ref=$2 c=$3
  local a=(--label "dfslim.e2e.standin=${SI_NOTE[$id]}" --env "PATH=$SI_PATH")
  case $id in
    debian-*) a+=(--cmd '["bash"]') ;;
    golang) a+=(--env GOTOOLCHAIN=local --env GOPATH=/go
                --env "PATH=/go/bin:/usr/local/go/bin:$SI_PATH" --workingdir /go --cmd '["bash"]') ;;
    rust) a+=(--env RUSTUP_HOME=/usr/local/rustup --env CARGO_HOME=/usr/local/cargo
              --env "PATH=/usr/local/cargo/bin:$SI_PATH" --cmd '["bash"]') ;;
    python) a+=(--env LANG=C.UTF-8 --cmd '["python3"]') ;;
    node) a+=(--entrypoint '["docker-entrypoint.sh"]' --cmd '["node"]') ;;
    jdk) a+=(--env JAVA_HOME=/opt/java/openjdk --env "PATH=/opt/java/openjdk/bin:$SI_PATH"
             --env LANG=en_US.UTF-8 --entrypoint '["/__cacert_entrypoint.sh"]' --cmd '["jshell"]') ;;
    jre) a+=(--env JAVA_HOME=/opt/java/openjdk --env "PATH=/opt/java/openjdk/bin:$SI_PATH"
             --env LANG=en_US.UTF-8 --entrypoint '["/__cacert_entrypoint.sh"]') ;;
    busybox) a+=(--env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" --cmd '["sh"]') ;;
    distroless-*)
      a+=(--env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt)
      case $ref in
        *:nonroot) a+=(--user 65532:65532 --workingdir /home/nonroot) ;;
        *) a+=(--user 0:0 --workingdir /) ;;
      esac
      case $id in
        distroless-python3) a+=(--env LANG=C.UTF-8 --entrypoint '["/usr/bin/python3.13"]') ;;
        distroless-java21) a+=(--env LANG=C.UTF-8 --entrypoint '["/usr/bin/java","-jar"]') ;;
        distroless-nodejs20) a+=(--entrypoint '["/nodejs/bin/node"]') ;;
      esac ;;
  esac
  B config "${a[@]}" "$c"
}

# --- recipes: each fills the directory $1 (the parent's root filesystem is already in it) ------

rc_debootstrap() { # ROOTFS SUITE
  debootstrap --variant=minbase "$2" "$1" "$MIRROR"
  si_util_tidy_apt "$1"
}

# The -slim variants of the Debian images: the same dpkg path excludes, applied to what is
# already installed too.
rc_slim() { # ROOTFS
  local r=$1
  mkdir -p "$r/etc/dpkg/dpkg.cfg.d"
  printf '%s\n' \
    'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/info/*' \
    'path-exclude /usr/share/linda/*' 'path-exclude /usr/share/lintian/overrides/*' \
    'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' \
    'path-exclude /usr/share/man/*' > "$r/etc/dpkg/dpkg.cfg.d/docker"
  find "$r/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$r/usr/share/locale" -mindepth 1 ! -type d ! -name locale.alias -delete
  rm -rf "$r"/usr/share/{groff,info,linda,man}/* "$r"/usr/share/lintian/overrides/*
  find "$r/usr/share/doc" "$r/usr/share/locale" -mindepth 1 -type d -empty -delete
}

rc_apt() { # ROOTFS PACKAGE...
  local r=$1; shift
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  si_util_mount_proc "$r"
  si_util_chroot "$r" apt-get update -q
  si_util_chroot "$r" apt-get install -y -q --no-install-recommends "$@"
  if declare -F "post_$SI_CURRENT" >/dev/null; then "post_$SI_CURRENT" "$r"; fi
  si_util_chroot "$r" apt-get clean
  si_util_umount_proc "$r"
  si_util_tidy_apt "$r"
}

# distroless: dpkg-deb -x of the packages into the folder (no maintainer script ever runs, none
# is kept), a status.d entry per package as distroless has, no shell.
rc_distroless() { # ROOTFS exact|closure PACKAGE... [-PACKAGE...]
  local r=$1 mode=$2; shift 2
  local roots=() a
  for a in "$@"; do [[ $a == -* ]] && SI_DENY+="${a#-} " || roots+=("$a"); done
  set -- "${roots[@]}"
  local h; h=$(si_util_helper)
  local have=() pkgs=() p
  mkdir -p "$r/var/lib/dpkg/status.d"
  mapfile -t have < <(ls "$r/var/lib/dpkg/status.d")
  if [[ $mode == closure ]]; then
    mapfile -t pkgs < <(si_util_closure "$h" "$@")
  else
    pkgs=("$@")
  fi
  local want=()
  for p in "${pkgs[@]}"; do
    [[ " ${have[*]} " == *" $p "* ]] || want+=("$p")
  done
  echo "distroless packages: ${want[*]}"
  rm -rf "$h/tmp/debs"; mkdir -p "$h/tmp/debs"
  si_util_chroot "$h" sh -c 'cd /tmp/debs && apt-get download "$@"' sh "${want[@]}"
  local deb
  for deb in "$h"/tmp/debs/*.deb; do
    dpkg-deb -x "$deb" "$r"
    p=$(dpkg-deb -f "$deb" Package)
    dpkg-deb -f "$deb" > "$r/var/lib/dpkg/status.d/$p"
  done
  if declare -F "post_$SI_CURRENT" >/dev/null; then "post_$SI_CURRENT" "$r"; fi
  # what distroless leaves out: documentation (but the copyright files), manuals, motd scripts
  find "$r/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete 2>/dev/null || true
  rm -rf "$r"/usr/share/{man,info,lintian,bug} "$r/etc/update-motd.d"
  local bad
  bad=$(si_util_find_shell_or_pm "$r")
  if [[ -n $bad ]]; then echo "a shell or package manager slipped in: $bad" >&2; return 1; fi
}

post_golang() {
  [[ -x $1/usr/lib/go-1.24/bin/go ]] || { echo "Debian's golang is not 1.24: fix the tag" >&2; return 1; }
  mkdir -p "$1/usr/local/go" "$1/go/src" "$1/go/bin"
  ln -s /usr/lib/go-1.24/bin "$1/usr/local/go/bin"
  chmod -R 1777 "$1/go"
}
post_rust() {
  si_util_chroot "$1" rustc --version | grep -q '^rustc 1\.85\.' || { echo "rustc is not 1.85: fix the tag" >&2; return 1; }
  mkdir -p "$1/usr/local/cargo/bin" "$1/usr/local/rustup"
  chmod -R a+w "$1/usr/local/cargo" "$1/usr/local/rustup"
}
post_python() {
  [[ -x $1/usr/bin/python3.13 ]] || { echo "no python3.13: fix the tag" >&2; return 1; }
  # upstream's interpreter is /usr/local/bin/python3.13; here those names lead to Debian's
  ln -s /usr/bin/python3.13 "$1/usr/local/bin/python3.13"
  ln -s python3.13 "$1/usr/local/bin/python3"
  ln -s python3.13 "$1/usr/local/bin/python"
}
post_node() {
  si_util_chroot "$1" node --version | grep -q '^v20\.' || { echo "nodejs is not 20: fix the tag" >&2; return 1; }
  ln -s /usr/bin/node "$1/usr/local/bin/node"
  si_util_chroot "$1" groupadd --gid 1000 node
  si_util_chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  # upstream's docker-entrypoint.sh, as the node images ship it
  cat > "$1/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e

# Run command with node if the first argument contains a "-" or is not a system command. The last
# part inside the "{}" is a workaround for the following bug in ash/dash:
# https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=874264
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
EOF
  chmod 0755 "$1/usr/local/bin/docker-entrypoint.sh"
}
post_jdk() {
  [[ -x $1/usr/lib/jvm/java-21-openjdk-amd64/bin/javac ]] || { echo "no JDK 21: fix the tag" >&2; return 1; }
  si_util_temurin "$1"
}
post_jre() {
  [[ -x $1/usr/lib/jvm/java-21-openjdk-amd64/bin/java ]] || { echo "no JRE 21: fix the tag" >&2; return 1; }
  si_util_temurin "$1"
}

# busybox: the static binary alone, its applets as links in /bin as upstream's, and the
# passwd and group files upstream ships.
rc_busybox() { # ROOTFS
  local r=$1 h; h=$(si_util_helper)
  rm -rf "$h/tmp/debs" "$h/tmp/busybox"; mkdir -p "$h/tmp/debs" "$h/tmp/busybox"
  si_util_chroot "$h" sh -c 'cd /tmp/debs && apt-get download busybox-static'
  dpkg-deb -x "$h"/tmp/debs/busybox-static_*.deb "$h/tmp/busybox"
  mkdir -p "$r/bin" "$r/etc" "$r/root" "$r/tmp" "$r/home" "$r/var/www" "$r/usr/sbin" "$r/usr/bin"
  install -m 0755 "$h/tmp/busybox/usr/bin/busybox" "$r/bin/busybox"
  # runs in a root with no C library and no loader, or fails: static, or the recipe stops here
  chroot "$r" /bin/busybox --install -s /bin
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'daemon:x:1:1:daemon:/usr/sbin:/bin/false' \
    'nobody:x:65534:65534:nobody:/home:/bin/false' > "$r/etc/passwd"
  printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'nogroup:x:65534:' > "$r/etc/group"
  chmod 1777 "$r/tmp"; chmod 0700 "$r/root"
}
post_distroless-static() {
  local r=$1 h; h=$(si_util_helper)
  mkdir -p "$r/etc/ssl/certs"
  cp "$h/etc/ssl/certs/ca-certificates.crt" "$r/etc/ssl/certs/ca-certificates.crt"
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' \
    'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' > "$r/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'tty:x:5:' 'staff:x:50:' 'nonroot:x:65532:' > "$r/etc/group"
  printf '%s\n' 'passwd:         files' 'group:          files' 'shadow:         files' \
    'hosts:          files dns' 'networks:       files' 'protocols:      files' \
    'services:       files' 'ethers:         files' 'rpc:            files' > "$r/etc/nsswitch.conf"
  mkdir -p "$r/tmp" "$r/root" "$r/home/nonroot"
  chmod 1777 "$r/tmp"; chmod 0700 "$r/root" "$r/home/nonroot"
  chown 65532:65532 "$r/home/nonroot"
}
post_distroless-python3() {
  [[ -x $1/usr/bin/python3.13 ]] || { echo "no /usr/bin/python3.13" >&2; return 1; }
}
post_distroless-java21() {
  local java=/usr/lib/jvm/java-21-openjdk-amd64/bin/java
  [[ -x $1$java ]] || { echo "no $java" >&2; return 1; }
  # dpkg's update-alternatives makes this link in a postinst; no postinst runs here
  ln -sf "$java" "$1/usr/bin/java"
}
post_distroless-nodejs20() {
  [[ -x $1/usr/bin/node ]] || { echo "no /usr/bin/node" >&2; return 1; }
  mkdir -p "$1/nodejs/bin"
  ln -s /usr/bin/node "$1/nodejs/bin/node"
}

# --- utilities used by the recipes (part of every recipe's hash) -------------------------------

# eclipse-temurin's JAVA_HOME, and its entrypoint: a bash script that may import extra CA
# certificates into the JVM's truststore (USE_SYSTEM_CA_CERTS), then runs the command; this
# one only runs it.
si_util_temurin() { # ROOTFS
  mkdir -p "$1/opt/java"
  ln -s /usr/lib/jvm/java-21-openjdk-amd64 "$1/opt/java/openjdk"
  cat > "$1/__cacert_entrypoint.sh" <<'EOF'
#!/usr/bin/env bash
# Stand-in for eclipse-temurin's /__cacert_entrypoint.sh (CA import not implemented).
set -e
if [ -n "${USE_SYSTEM_CA_CERTS:-}" ]; then
  echo "stand-in: USE_SYSTEM_CA_CERTS is not implemented here" >&2
fi
exec "$@"
EOF
  chmod 0755 "$1/__cacert_entrypoint.sh"
}

si_util_chroot() { # ROOTFS CMD...
  local r=$1; shift
  chroot "$r" /usr/bin/env -i PATH="$SI_PATH" HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

si_util_mount_proc() {
  mkdir -p "$1/proc"
  mount -t proc proc "$1/proc"
}

si_util_umount_proc() {
  umount "$1/proc"
}

si_util_umount_under() { # unmounts whatever is still mounted under DIR (deepest first)
  local d m
  d=$(realpath -m "$1")
  awk -v d="$d/" 'index($2 "/", d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount "$m" || umount -l "$m"
  done
}

si_util_tidy_apt() { # what the Docker images leave out: apt lists and caches, logs
  rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb \
    "$1"/var/log/apt/* "$1"/var/log/dpkg.log "$1"/var/log/bootstrap.log
  mkdir -p "$1/var/lib/apt/lists/partial"
  : > "$1/etc/resolv.conf"   # buildah provides one at run time
}

# The helper: a debian:trixie root filesystem with apt lists and ca-certificates (for the CA
# bundle), where the distroless recipes resolve Depends and download packages. One per run.
si_util_helper() {
  local h=$WORK/helper
  if [[ ! -e $h/.ready ]]; then
    si_util_rmtree "$h"; mkdir -p "$h"
    tar -C "$h" --numeric-owner -xpf "$(si_tar debian-trixie)"
    cp /etc/resolv.conf "$h/etc/resolv.conf"
    si_util_chroot "$h" apt-get update -q >&2
    si_util_chroot "$h" apt-get install -y -q --no-install-recommends ca-certificates >&2
    touch "$h/.ready"
  fi
  echo "$h"
}

# Transitive Depends/Pre-Depends of the packages: the first of each group of alternatives,
# the first provider of a virtual package; SI_DENY is neither included nor followed.
si_util_closure() { # HELPER PACKAGE...
  local h=$1; shift
  local -A seen=()
  local queue=("$@") p next
  for p in "$@"; do seen[$p]=1; done
  while ((${#queue[@]})); do
    next=$(si_util_chroot "$h" apt-cache depends --no-recommends --no-suggests --no-conflicts \
      --no-breaks --no-replaces --no-enhances "${queue[@]}" | awk '
      /^[^ ]/ { inalt = 0; want = 0; next }
      /^ [ |](Pre)?Depends:/ {
        if (!inalt) { if ($2 ~ /^</) want = 1; else { print $2; want = 0 } }
        inalt = ($0 ~ /^ \|/); next }
      /^    / { if (want) { print $1; want = 0 } next }')
    queue=()
    for p in $next; do
      [[ -n ${seen[$p]:-} || $SI_DENY == *" $p "* ]] && continue
      seen[$p]=1; queue+=("$p")
    done
  done
  printf '%s\n' "${!seen[@]}" | sort
}

si_util_find_shell_or_pm() { # ROOTFS: prints any shell or package manager found in a bin dir
  find "$1" -xdev \( -type f -o -type l \) \( -path '*/bin/*' -o -path '*/sbin/*' \) \
    \( -name sh -o -name bash -o -name dash -o -name ash -o -name zsh -o -name busybox \
       -o -name apt -o -name apt-get -o -name dpkg -o -name apk -o -name microdnf -o -name dnf \
       -o -name yum -o -name rpm \) -printf '/%P\n' | sort
}

si_util_rmtree() { # refuses to remove a tree that still has something mounted in it
  [[ -e $1 ]] || return 0
  if awk -v d="$(realpath -m "$1")/" 'index($2 "/", d) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    echo "refusing to remove $1: something is mounted under it" >&2; return 1
  fi
  rm -rf "$1"
}

# --- cache and import ---------------------------------------------------------------------------

declare -A SI_HASH_MEMO
si_hash() { # ID -> hash of the recipe that builds its root filesystem
  local id=$1
  if [[ -z ${SI_HASH_MEMO[$id]:-} ]]; then
    local parent=${SI_PARENT[$id]} ph=""
    [[ -n $parent ]] && ph=$(si_hash "$parent")
    SI_HASH_MEMO[$id]=$(
      {
        echo "recipe=${SI_RECIPE[$id]} args=${SI_ARGS[$id]} parent=$ph deny=$SI_DENY"
        declare -f "rc_${SI_RECIPE[$id]}"
        declare -f "post_$id" 2>/dev/null || true
        # shellcheck disable=SC2046  # one word per function name
        declare -f $(compgen -A function si_util_)
      } | sha256sum | cut -c1-16)
  fi
  echo "${SI_HASH_MEMO[$id]}"
}

si_tar() { # ID -> path of the cached root filesystem tarball (built when missing)
  local id=$1 h; h=$(si_hash "$id")
  local tar=$CACHE/$id-$h.tar
  if [[ ! -s $tar ]]; then
    local parent=${SI_PARENT[$id]} ptar=""
    [[ -n $parent ]] && ptar=$(si_tar "$parent")
    local r=$WORK/rootfs-$id t0=$SECONDS
    si_util_rmtree "$r"; mkdir -p "$r"
    [[ -n $ptar ]] && tar -C "$r" --numeric-owner -xpf "$ptar"
    local args
    read -r -a args <<<"${SI_ARGS[$id]}"
    local rc=0
    set +e
    (
      set -e
      SI_CURRENT=$id
      "rc_${SI_RECIPE[$id]}" "$r" "${args[@]}"
    ) >"$WORK/$id.log" 2>&1
    rc=$?
    set -e
    si_util_umount_under "$WORK"
    if ((rc != 0)); then
      echo "stand-in $id: recipe failed ($rc), see $WORK/$id.log:" >&2
      tail -n 20 "$WORK/$id.log" >&2
      return 1
    fi
    mkdir -p "$CACHE"
    tar -C "$r" --numeric-owner -cf "$tar.tmp.$$" .
    mv "$tar.tmp.$$" "$tar"
    si_util_rmtree "$r"
    # drop tarballs of older recipes for this stand-in
    find "$CACHE" -maxdepth 1 -name "$id-*.tar" ! -name "$id-$h.tar" -delete
    say "stand-in $id: built $(basename "$tar") ($(du -m "$tar" | cut -f1) MB) in $((SECONDS - t0))s" >&2
  fi
  echo "$tar"
}

# Import into the run's storage root, unless the same tarball and configuration are already
# there (label dfslim.e2e.key).
si_import() { # ID
  local id=$1 tar; tar=$(si_tar "$id")
  local key; key=$(printf '%s\n' "$(basename "$tar")" "${SI_REFS[$id]}" "$(declare -f si_configure)" \
    | sha256sum | cut -c1-16)
  local ref ok=1
  for ref in ${SI_REFS[$id]}; do
    [[ $(B inspect --type image "$ref" 2>/dev/null | jq -r '.OCIv1.config.Labels["dfslim.e2e.key"] // ""') == "$key" ]] || ok=0
  done
  ((ok)) && return 0
  local c m
  c=$(B from --pull=never scratch)
  m=$(B mount "$c")
  tar -C "$m" --numeric-owner -xpf "$tar"
  B umount "$c" >/dev/null
  for ref in ${SI_REFS[$id]}; do
    si_configure "$id" "$ref" "$c"
    B config --label "dfslim.e2e.key=$key" "$c"
    B commit -q --rm=false "$c" "$ref" >/dev/null
  done
  B rm "$c" >/dev/null
  if [[ $id == distroless-* ]]; then  # the no-shell check, through buildah as the suite uses it
    local ref1=${SI_REFS[$id]%% *} c2
    c2=$(B from --pull=never "$ref1")
    if B run --isolation chroot "$c2" -- /bin/sh -c true >/dev/null 2>&1; then
      B rm "$c2" >/dev/null; echo "stand-in $id has a /bin/sh" >&2; return 1
    fi
    B rm "$c2" >/dev/null
  fi
}
