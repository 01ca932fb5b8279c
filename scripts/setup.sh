#!/usr/bin/env bash
# VptSp machine setup: idempotent, prints each step, safe to run twice.
#   scripts/setup.sh                 native prerequisites for TorchSharp + npm (demo data)
#   scripts/setup.sh --with-browser  also Debian's chromium (browser tests)
#   scripts/setup.sh --with-latex    also pdflatex + booktabs (the results-table LaTeX export test compiles it)
set -euo pipefail

with_browser=0
with_latex=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=1 ;;
    --with-latex) with_latex=1 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "setup: unknown option '$arg' (use --with-browser, --with-latex)" >&2; exit 2 ;;
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
  apt_update_once
  step "apt-get install -t trixie libstdc++6"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  has_glibcxx_3432 || { echo "[setup] libstdc++6 from trixie installed but GLIBCXX_3.4.32 still missing" >&2; exit 1; }
  step "installed: libstdc++ now provides GLIBCXX_3.4.32"
  changed=1
fi

# 2. npm (fetches the emoji demo data with npm pack)
step "checking npm (used to fetch the emoji demo data)"
if command -v npm >/dev/null 2>&1; then
  step "ok: npm $(npm --version 2>/dev/null)"
else
  apt_update_once
  step "apt-get install npm"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  changed=1
fi

# 3. Chromium for browser tests (optional)
if [ "$with_browser" -eq 1 ]; then
  step "checking Debian's chromium (browser tests)"
  if [ -x /usr/bin/chromium ]; then
    step "ok: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  else
    apt_update_once
    step "apt-get install chromium fonts-liberation"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
    changed=1
  fi
fi

# 3b. pdflatex with booktabs for the LaTeX export test (optional)
if [ "$with_latex" -eq 1 ]; then
  step "checking pdflatex and booktabs (LaTeX export test)"
  if command -v pdflatex >/dev/null 2>&1 && kpsewhich booktabs.sty >/dev/null 2>&1; then
    step "ok: $(pdflatex --version 2>/dev/null | head -1)"
  else
    apt_update_once
    step "apt-get install texlive-latex-base texlive-latex-recommended"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends texlive-latex-base texlive-latex-recommended >/dev/null
    changed=1
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
