#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing (a fresh machine has only
# Python, git and apt). Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail
need=()
command -v make >/dev/null 2>&1 || need+=(make)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Please install: ${need[*]} (for example: sudo apt-get install ${need[*]})" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
