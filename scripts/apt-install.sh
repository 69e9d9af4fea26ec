# Sourced by the setup scripts: `apt_install "<what>" <debian packages...>` installs the packages with apt-get (through
# password-less sudo when not root), or fails with a clear message saying how to install them by hand.
apt_install() {
  local what=$1
  shift
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "error: cannot install $what: not root and no password-less sudo." >&2
      echo "       Install them by hand: apt-get install -y --no-install-recommends $*" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: apt-get not found; install $* with this system's package manager" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y --no-install-recommends "$@"
}
