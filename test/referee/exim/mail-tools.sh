#!/usr/bin/env bash
# Fetches Debian's Exim and Sendmail packages WITHOUT installing them and unpacks them under
# .cache/referee-tools/root, for the Exim and Sendmail referees. Installing them is not an option: every
# Debian MTA provides mail-transport-agent, so `apt-get install exim4-daemon-heavy` or `sendmail-bin` would
# remove Postfix, which the Postfix referee needs. Idempotent: does nothing when the same packages are there.
# exim4-daemon-heavy rather than -light: the light build refuses options of Debian's full feature set
# (acl_smtp_mime, content scanning), which real configurations use.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
cache="$repo/.cache/referee-tools"
packages=(exim4-daemon-heavy exim4-base exim4-config sendmail-bin sendmail-cf sendmail-base)
marker="$cache/root/.unpacked"
if [ -e "$marker" ] && [ "$(cat "$marker")" = "${packages[*]}" ]; then exit 0; fi
mkdir -p "$cache/debs"
cd "$cache/debs"
rm -f ./*.deb
# apt-get download needs the package lists; fetch them once if they are missing or stale.
if ! apt-get download "${packages[@]}" >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  apt-get download "${packages[@]}" >/dev/null
fi
rm -rf "$cache/root"
mkdir -p "$cache/root"
for deb in ./*.deb; do dpkg-deb -x "$deb" "$cache/root"; done
echo "${packages[*]}" > "$marker"
