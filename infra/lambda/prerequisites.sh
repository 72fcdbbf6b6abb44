#!/usr/bin/env bash
# Checks (and, as root with apt-get, installs) what a Native AOT build of the Lambda artifact needs beside the
# .NET SDK: a C toolchain to link the native binary and binutils to strip it, for the target architecture.
# usage: infra/lambda/prerequisites.sh arm64|x86_64
# Exit 0 when everything is there; otherwise it names every missing piece, the Debian package that provides
# it, and the fallback that needs none of them (LAMBDA_BUILD=r2r), and exits 1.
set -euo pipefail

arch="${1:?usage: prerequisites.sh arm64|x86_64}"
host="$(uname -m)"

# command|file to look for, then the Debian package that provides it.
checks=("clang|clang" "dotnet|(the .NET 10 SDK, see global.json)")
case "$arch" in
  x86_64)
    [ "$host" = x86_64 ] || { echo "Native AOT for x86_64 is built on an x86_64 machine (this one is $host); use LAMBDA_BUILD=r2r" >&2; exit 1; }
    checks+=("objcopy|binutils" "/usr/lib/x86_64-linux-gnu/crt1.o|libc6-dev")
    ;;
  arm64)
    if [ "$host" = x86_64 ]; then
      # Cross-compiled: clang targets aarch64 and links with the GNU cross binutils against Debian's arm64 libc.
      checks+=("aarch64-linux-gnu-ld|crossbuild-essential-arm64" "aarch64-linux-gnu-objcopy|crossbuild-essential-arm64" "/usr/aarch64-linux-gnu/lib/crt1.o|crossbuild-essential-arm64")
    elif [ "$host" = aarch64 ]; then
      checks+=("objcopy|binutils" "/usr/lib/aarch64-linux-gnu/crt1.o|libc6-dev")
    else
      echo "Native AOT for arm64 is built on x86_64 (cross) or aarch64 (this machine is $host); use LAMBDA_BUILD=r2r" >&2
      exit 1
    fi
    ;;
  *) echo "LAMBDA_ARCH must be arm64 or x86_64, not \"$arch\"" >&2; exit 1 ;;
esac

missing() {
  local found=()
  for check in "${checks[@]}"; do
    local what="${check%%|*}" package="${check#*|}"
    if [[ "$what" == /* ]]; then [ -e "$what" ] && continue; else command -v "$what" > /dev/null 2>&1 && continue; fi
    found+=("$what|$package")
  done
  printf '%s\n' "${found[@]}"
}

absent="$(missing)"
[ -z "$absent" ] && exit 0

# grep exits 1 when every missing piece is one apt cannot install (dotnet): that is no error here.
packages="$(printf '%s\n' "$absent" | cut -d'|' -f2 | { grep -v '^(' || true; } | sort -u | tr '\n' ' ')"
if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1 && [ -n "$packages" ]; then
  echo "installing the Native AOT toolchain for $arch: $packages" >&2
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages > /dev/null \
    || { apt-get update > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages > /dev/null; }
  absent="$(missing)"
  [ -z "$absent" ] && exit 0
fi

{
  echo "Native AOT for $arch needs what this machine lacks:"
  while IFS='|' read -r what package; do
    if [[ "$package" == \(* ]]; then echo "  - $what $package"; else echo "  - $what (Debian package: $package)"; fi
  done <<< "$absent"
  [ -n "$packages" ] && echo "install with: sudo apt-get install -y ${packages% }"
  echo "or build ReadyToRun for the dotnet10 runtime instead, which needs only the .NET SDK: LAMBDA_BUILD=r2r"
} >&2
exit 1
