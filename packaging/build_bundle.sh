#!/usr/bin/env bash
# Build the desktop bundle with one command:  packaging/build_bundle.sh
# Makes dist/newsdedup-VERSION/ (newsdedup-gui, newsdedup, install-desktop-integration.sh, _internal/) and
# dist/newsdedup-VERSION-linux-ARCH.tar.gz, the folder a person unpacks and runs.
# Needs PyInstaller in the Python that runs newsdedup: pip install -e '.[bundle]'. PYTHON picks that Python
# (default .venv/bin/python, else python3).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
if ! "$PYTHON" -m PyInstaller --version >/dev/null 2>&1; then
  echo "build_bundle: PyInstaller is missing; install it with: $PYTHON -m pip install -e '.[bundle]'" >&2
  exit 1
fi

packaging/render_icons.sh
version=$(PYTHONPATH=src "$PYTHON" -c 'import newsdedup; print(newsdedup.__version__)')
bundle=dist/newsdedup-$version
archive=dist/newsdedup-$version-linux-$(uname -m).tar.gz

"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --workpath build/pyinstaller --distpath dist \
  packaging/newsdedup.spec
# A Python built from source (pyenv) carries ~30 MB of debug info in libpython and its extension
# modules; a distribution's Python has none, and then this does nothing. Only these files: stripping
# the wheels' patched libraries breaks them.
find "$bundle/_internal" -maxdepth 1 -name 'libpython3*.so*' -type f -print0 | xargs -0 -r strip --strip-debug
find "$bundle/_internal" -path '*/lib-dynload/*.so' -type f -print0 | xargs -0 -r strip --strip-debug
cp packaging/linux/install-desktop-integration.sh "$bundle/"
tar -C dist -czf "$archive" "newsdedup-$version"

echo "built $bundle ($(du -sh "$bundle" | cut -f1)) and $archive ($(du -sh "$archive" | cut -f1))"
echo "run it: $bundle/newsdedup-gui    menu entry: $bundle/install-desktop-integration.sh"
