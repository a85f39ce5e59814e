#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing (a fresh machine has only
# Python, git and apt). Safe to run repeatedly; does nothing when everything is present.
# Debian's chromium (and a font for its screenshots) is for the browser test: Playwright drives
# /usr/bin/chromium and never downloads a browser of its own.
set -euo pipefail
need=()
command -v make >/dev/null 2>&1 || need+=(make)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
for_tests=()
[ -x /usr/bin/chromium ] || for_tests+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || for_tests+=(fonts-dejavu-core)
if [ "$(id -u)" != 0 ]; then
  if [ "${#for_tests[@]}" -gt 0 ]; then
    echo "The browser test needs: ${for_tests[*]} (for example: sudo apt-get install ${for_tests[*]})" >&2
  fi
  if [ "${#need[@]}" -gt 0 ]; then
    echo "Please install: ${need[*]} (for example: sudo apt-get install ${need[*]})" >&2
    exit 2
  fi
  exit 0
fi
need+=("${for_tests[@]}")
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
