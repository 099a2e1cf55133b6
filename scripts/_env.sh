# Shared by scripts/render-all and scripts/test: a virtual environment with the project installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${LSCB_VENV:-$ROOT/.venv}"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "lscb-reports: need root or sudo to run: $*" >&2; exit 1; fi
}

ensure_python() {
  if ! command -v python3 >/dev/null; then
    as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends python3 python3-venv python3-pip
  fi
  python3 - <<'PY' || { echo "lscb-reports needs Python 3.11 or newer" >&2; exit 1; }
import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" 2>/dev/null || {
      as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends python3-venv
      python3 -m venv "$VENV"
    }
  fi
}

install_project() {   # $1: pip extras, e.g. "[test]" or ""
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".$1"
}
