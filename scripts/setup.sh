#!/usr/bin/env bash
# VptSp machine setup: idempotent, prints each step, safe to run twice.
#   scripts/setup.sh                 native prerequisites for TorchSharp + npm (demo data)
#   scripts/setup.sh --with-browser  also Debian's chromium (browser tests)
#   scripts/setup.sh --with-latex    also pdflatex + booktabs (the results-table LaTeX export test compiles it)
#   scripts/setup.sh --with-postgres also Debian's PostgreSQL server binaries (the tests start their own cluster)
set -euo pipefail

with_browser=0
with_latex=0
with_postgres=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=1 ;;
    --with-latex) with_latex=1 ;;
    --with-postgres) with_postgres=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "setup: unknown option '$arg' (use --with-browser, --with-latex, --with-postgres)" >&2; exit 2 ;;
  esac
done

changed=0
apt_updated=0
step() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; return; fi
  echo "[setup] this step needs root; run as root: $*" >&2
  return 1
}

apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    step "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
}

# every package install goes through here: one apt-get update per run, quiet, non-interactive, counted as a change
apt_install() {
  apt_update_once
  step "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  changed=1
}

find_libstdcxx() {
  local f
  for f in /lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 \
           /lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6; do
    [ -e "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

has_glibcxx_3432() {
  local lib
  lib=$(find_libstdcxx) || return 1
  grep -aq 'GLIBCXX_3\.4\.32' "$lib"
}

# 1. libstdc++ with GLIBCXX_3.4.32 (TorchSharp 0.107's native library needs it)
step "checking libstdc++ for GLIBCXX_3.4.32 (needed by TorchSharp's native library)"
if has_glibcxx_3432; then
  step "ok: libstdc++ already provides GLIBCXX_3.4.32"
else
  if [ "$(id -u)" -ne 0 ]; then
    cat >&2 <<'MSG'
[setup] libstdc++ lacks GLIBCXX_3.4.32 and this script is not running as root. Run as root:
sudo bash -c 'cat > /etc/apt/sources.list.d/trixie.sources <<EOT
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
printf "Package: *\nPin: release n=trixie\nPin-Priority: 100\n" > /etc/apt/preferences.d/trixie-low
apt-get update && apt-get install -y -t trixie libstdc++6'
MSG
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "[setup] libstdc++ lacks GLIBCXX_3.4.32 and this is not a Debian system: install GCC 13+'s libstdc++" >&2
    exit 1
  fi
  step "adding the Debian 13 (trixie) source with a low pin (priority 100) for libstdc++6 only"
  cat > /etc/apt/sources.list.d/trixie.sources <<'EOT'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/trixie-low
  apt_install -t trixie libstdc++6
  has_glibcxx_3432 || { echo "[setup] libstdc++6 from trixie installed but GLIBCXX_3.4.32 still missing" >&2; exit 1; }
  step "installed: libstdc++ now provides GLIBCXX_3.4.32"
fi

# 2. npm (fetches the emoji demo data with npm pack)
step "checking npm (used to fetch the emoji demo data)"
if command -v npm >/dev/null 2>&1; then
  step "ok: npm $(npm --version 2>/dev/null)"
else
  apt_install npm
fi

# 3. Chromium for browser tests (optional)
if [ "$with_browser" -eq 1 ]; then
  step "checking Debian's chromium (browser tests)"
  if [ -x /usr/bin/chromium ]; then
    step "ok: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  else
    apt_install chromium fonts-liberation
  fi
fi

# 3b. pdflatex with booktabs for the LaTeX export test (optional)
if [ "$with_latex" -eq 1 ]; then
  step "checking pdflatex and booktabs (LaTeX export test)"
  if command -v pdflatex >/dev/null 2>&1 && kpsewhich booktabs.sty >/dev/null 2>&1; then
    step "ok: $(pdflatex --version 2>/dev/null | head -1)"
  else
    apt_install --no-install-recommends texlive-latex-base texlive-latex-recommended
  fi
fi

# 3c. PostgreSQL server binaries (optional). The tests (VptSp.Tests/Support/PostgresServer.cs) and
# scripts/postgres-dev.sh initdb their own throwaway clusters on loopback ports; nothing here starts a server.
# Debian's postgresql package would create and start a default cluster "main" on port 5432. We prevent that the
# way postgresql-common documents: install postgresql-common first and set create_main_cluster = false in
# /etc/postgresql-common/createcluster.conf before the server package is configured, so no default cluster exists
# (nothing listens now or after a reboot). Should one still come up (e.g. one left from an earlier install), it is
# stopped and its start.conf set to manual. The package is the default release's (Debian 12: PostgreSQL 15; the
# trixie source above is pinned low, so it does not win).
# shellcheck source=scripts/postgres-lib.sh
. "$(dirname "$0")/postgres-lib.sh"

pg_report() {
  local bin ver
  bin=$(pg_bin_dir) || return 1
  ver=$(basename "$(dirname "$bin")")
  step "ok: PostgreSQL $ver at $bin ($("$bin/postgres" --version 2>/dev/null | head -1))"
}

if [ "$with_postgres" -eq 1 ]; then
  step "checking Debian's PostgreSQL server binaries (the tests start their own cluster)"
  if pg_bin_dir >/dev/null; then
    pg_report
    # left as found: a default cluster the machine's owner runs is theirs; the tests never use it
    if command -v pg_lsclusters >/dev/null 2>&1; then
      pg_lsclusters -h 2>/dev/null | while read -r ver name port status _; do
        case "$status" in online*) step "note: cluster $ver/$name is running on port $port (VptSp's tests do not use it)" ;; esac
      done
    fi
  else
    apt_install --no-install-recommends postgresql-common
    step "create_main_cluster = false in /etc/postgresql-common/createcluster.conf (no default cluster on 5432)"
    as_root pg_conftool /etc/postgresql-common/createcluster.conf set create_main_cluster false
    # postgresql-NN depends on `locales`. After step 1 libc6/libc-bin may come from trixie; Debian 12's `locales`
    # then cannot install (it wants libc-bin 2.36) and apt does not look past candidates by itself, so name the
    # locales (and libc-l10n) of the installed libc's version.
    pg_extra=()
    if ! dpkg-query -W -f='${Status}' locales locales-all 2>/dev/null | grep -q 'install ok installed'; then
      libc_ver=$(dpkg-query -W -f='${Version}' libc-bin)
      if [ "$(apt-cache policy locales | awk '/Candidate:/ {print $2}')" != "$libc_ver" ]; then
        pg_extra=("locales=$libc_ver" "libc-l10n=$libc_ver")
      fi
    fi
    apt_install --no-install-recommends postgresql "${pg_extra[@]}"
    if command -v pg_lsclusters >/dev/null 2>&1; then
      pg_lsclusters -h 2>/dev/null | while read -r ver name port status _; do
        case "$status" in
          online*)
            step "stopping cluster $ver/$name on port $port and setting it to start manually"
            as_root pg_ctlcluster "$ver" "$name" stop
            echo manual | as_root tee "/etc/postgresql/$ver/$name/start.conf" >/dev/null ;;
        esac
      done
    fi
    pg_report || { echo "[setup] postgresql installed but no initdb/pg_ctl/postgres under /usr/lib/postgresql/*/bin" >&2; exit 1; }
  fi
fi

# 4. .NET SDK
step "checking the .NET SDK"
if command -v dotnet >/dev/null 2>&1; then
  step "ok: dotnet $(dotnet --version 2>/dev/null)"
else
  echo "[setup] the .NET 10 SDK is missing: install it (https://dot.net) and run this script again" >&2
  exit 1
fi

if [ "$changed" -eq 0 ]; then
  step "everything was already in place; nothing changed"
else
  step "done"
fi
