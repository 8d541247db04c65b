#!/usr/bin/env bash
# Installs Vigil, or builds its Debian package, from a built binary:
#   scripts/package.sh install BINARY PREFIX [DESTDIR]   binary, completions, man page
#   scripts/package.sh deb BINARY OUTDIR                 OUTDIR/vigil_VERSION_ARCH.deb
# The man page comes from the command's own help, through swift-argument-parser's
# generate-manual plugin (MANPAGE=path skips the plugin and uses that file).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() { echo "usage: $0 install BINARY PREFIX [DESTDIR] | deb BINARY OUTDIR" >&2; exit 4; }
[ $# -ge 3 ] || usage
mode=$1 binary=$2
[ -x "$binary" ] || { echo "error: $binary is not an executable" >&2; exit 2; }

manpage() {
  if [ -n "${MANPAGE:-}" ]; then echo "$MANPAGE"; return; fi
  (cd "$ROOT" && swift package plugin generate-manual --configuration debug >&2)
  echo "$ROOT/.build/plugins/GenerateManual/outputs/vigil/vigil.1"
}

# install_tree ROOTDIR PREFIX: the binary, completions in each shell's standard place, the man page.
install_tree() {
  local dest=$1$2
  install -d "$dest/bin" "$dest/share/bash-completion/completions" "$dest/share/zsh/site-functions" \
    "$dest/share/fish/vendor_completions.d" "$dest/share/man/man1"
  install -m 0755 "$binary" "$dest/bin/vigil"
  strip "$dest/bin/vigil"   # symbols are half the binary
  "$binary" --generate-completion-script bash > "$dest/share/bash-completion/completions/vigil"
  "$binary" --generate-completion-script zsh > "$dest/share/zsh/site-functions/_vigil"
  "$binary" --generate-completion-script fish > "$dest/share/fish/vendor_completions.d/vigil.fish"
  gzip -9n < "$(manpage)" > "$dest/share/man/man1/vigil.1.gz"
  chmod 0644 "$dest"/share/*/*/vigil* "$dest"/share/*/*/_vigil "$dest"/share/fish/vendor_completions.d/vigil.fish
}

# depends BINARY: the Debian packages of the shared libraries BINARY needs (its NEEDED entries,
# found by ldd, owned per dpkg -S), without libc6 and libgcc-s1, which every Debian system has.
# A library no package owns (the Swift runtime of a debug build) is left out with a warning.
depends() {
  local lib path real pkg
  for lib in $(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -v '^ld-linux'); do
    path=$(ldd "$1" | awk -v l="$lib" '$1 == l { print $3 }')
    real=$([ -n "$path" ] && readlink -f "$path")
    # With merged /usr, dpkg may know the file under /lib or under /usr/lib.
    pkg=$([ -n "$real" ] && { dpkg -S "$real" || dpkg -S "${real#/usr}" || dpkg -S "/usr$real"; } 2>/dev/null | head -1 | cut -d: -f1)
    if [ -z "$pkg" ]; then echo "warning: $lib ($path) belongs to no Debian package: not a dependency" >&2; continue; fi
    echo "$pkg"
  done | grep -vxE 'libc6|libgcc-s1' | sort -u | paste -sd, | sed 's/,/, /g'
}

case $mode in
install)
  install_tree "${4:-}" "$3"
  echo "Installed $3/bin/vigil, its completions (bash, zsh, fish) and man page${4:+ under $4}"
  ;;
deb)
  out=$3
  version=$("$binary" --version)
  arch=$(dpkg --print-architecture)
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  chmod 0755 "$stage"
  install_tree "$stage" /usr
  install -d "$stage/DEBIAN" "$stage/usr/share/doc/vigil"
  gzip -9n < "$ROOT/README.md" > "$stage/usr/share/doc/vigil/README.md.gz"
  cat > "$stage/DEBIAN/control" <<CONTROL
Package: vigil
Version: $version
Architecture: $arch
Maintainer: The Vigil engineers <vigil@localhost>
Depends: $(depends "$binary")
Section: devel
Priority: optional
Installed-Size: $(du -sk "$stage/usr" | cut -f1)
Homepage: https://github.com/vigil/vigil
Description: runs YAML HTTP request collections against Milestone XProtect and other JSON APIs
 Vigil runs collections of HTTP requests written in YAML, with captures, assertions,
 JSON Schema and OpenAPI checks, and reports (JUnit, JSON, HTML, Markdown). It signs in to
 Milestone XProtect and ships an XProtect API Gateway emulator.
CONTROL
  mkdir -p "$out"
  # DEB_OPTIONS: more dpkg-deb options (the tests pass -Znone: no compression, fast).
  dpkg-deb --build --root-owner-group ${DEB_OPTIONS:-} "$stage" "$out/vigil_${version}_${arch}.deb" >/dev/null
  echo "$out/vigil_${version}_${arch}.deb"
  ;;
*) usage ;;
esac
