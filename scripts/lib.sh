# Shared by scripts/serve and scripts/test: find Python 3.12+ and keep .venv in step with a requirements file.
# shellcheck shell=bash

find_python() {
    local candidate root version
    local candidates=()
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    candidates+=(python3.14 python3.13 python3.12)
    for root in "$(pyenv root 2>/dev/null || true)" "$HOME/.pyenv"; do
        [ -d "$root/versions" ] || continue
        for version in "$root"/versions/3.1[2-9]*/bin/python3; do
            [ -x "$version" ] && candidates+=("$version")
        done
    done
    candidates+=(python3)
    for candidate in "${candidates[@]}"; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "BVNTD needs Python 3.12 or newer. Install it (e.g. 'pyenv install 3.12'), or set" >&2
    echo "PYTHON=/path/to/python3.12 and run this command again." >&2
    return 1
}

# ensure_venv REQUIREMENTS_FILE: create .venv if missing; install only when the requirements changed.
ensure_venv() {
    local requirements="$1" python stamp wanted
    if [ ! -x .venv/bin/python ]; then
        python=$(find_python) || exit 1
        echo "Creating .venv with $python"
        "$python" -m venv .venv
    fi
    stamp=".venv/.installed-$(basename "$requirements")"
    wanted=$(cat "$requirements" requirements.txt | sha256sum | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        echo "Installing $requirements into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
        echo "$wanted" > "$stamp"
    fi
}
