#!/usr/bin/env bash
# Build the bundle and check it the way a person gets it: unpacked from its archive somewhere else.
#   1. the bundled CLI says the package's version;
#   2. its cluster and pairs CSVs of seeds/, and of a small HTML page (trafilatura and its data files), are
#      byte for byte those of the source install;
#   3. the GUI starts offscreen on the sample it carries and is still running after STAY seconds;
#   4. install-desktop-integration.sh installs a menu entry (into a throwaway folder) that validates.
# Prints the bundle's size and how long each step took. Usage: packaging/check_bundle.sh
# (PYTHON as for build_bundle.sh; STAY=10 by default; SKIP_BUILD=1 reuses the last archive.)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
STAY=${STAY:-10}
source_cli() { PYTHONPATH="$PWD/src" "$PYTHON" -m newsdedup "$@"; }
fail() { echo "check_bundle: FAIL: $*" >&2; exit 1; }
step() { printf '%-52s %4ss\n' "$1" "$(( $(date +%s) - t0 ))"; t0=$(date +%s); }

t_start=$(date +%s); t0=$t_start
[ "${SKIP_BUILD:-}" = 1 ] || packaging/build_bundle.sh >/dev/null
version=$(source_cli --version | cut -d' ' -f2)
archive=dist/newsdedup-$version-linux-$(uname -m).tar.gz
step "build (PyInstaller, archive)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/unpacked dir"  # a space in the path, as in a user's "Downloads/my apps"
tar -C "$work/unpacked dir" -xzf "$archive"
app="$work/unpacked dir/newsdedup-$version"
step "unpack"

[ "$("$app/newsdedup" --version)" = "newsdedup $version" ] || fail "bundled CLI's --version"
mkdir -p "$work/html"
cat > "$work/html/storm.html" <<'HTML'
<!doctype html><html lang="en"><head><title>Storm closes the port of Rotterdam for two days</title>
<meta property="og:site_name" content="Harbour News"><meta name="date" content="2024-03-05"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Storm closes the port of Rotterdam</h1>
<p>ROTTERDAM (Reuters) - A strong storm forced the port of Rotterdam to halt all container traffic on Tuesday,
the port authority said, with ships waiting offshore until the winds ease on Thursday.</p>
<p>The authority said the closure was a precaution after gusts of more than 120 kilometres per hour were
recorded along the Dutch coast overnight, and that pilots would resume work as soon as it was safe.</p>
</article><footer>Copyright Harbour News. All rights reserved.</footer></body></html>
HTML
for input in seeds "$work/html"; do
  name=$(basename "$input")
  "$app/newsdedup" scan "$input" --csv "$work/$name.bundle.csv" --pairs-csv "$work/$name.bundle.pairs.csv" \
    --quiet || fail "bundled CLI scan of $input"
  source_cli scan "$input" --csv "$work/$name.source.csv" --pairs-csv "$work/$name.source.pairs.csv" --quiet
  cmp "$work/$name.bundle.csv" "$work/$name.source.csv" || fail "cluster CSVs of $input differ"
  cmp "$work/$name.bundle.pairs.csv" "$work/$name.source.pairs.csv" || fail "pairs CSVs of $input differ"
  [ "$(wc -l < "$work/$name.bundle.csv")" -gt 1 ] || fail "the cluster CSV of $input has no story"
done
step "bundled CLI: CSVs identical to the source install's"

sample="$app/_internal/newsdedup/data/seeds"
[ -n "$(ls "$sample"/*.txt)" ] || fail "the bundle carries no sample articles"
set +e
QT_QPA_PLATFORM=offscreen timeout "$STAY" "$app/newsdedup-gui" "$sample" > "$work/gui.log" 2>&1
status=$?
set -e
[ "$status" = 124 ] || { cat "$work/gui.log" >&2; fail "the GUI exited with $status before ${STAY}s"; }
! grep -q Traceback "$work/gui.log" || { cat "$work/gui.log" >&2; fail "the GUI printed a traceback"; }
step "bundled GUI: up ${STAY}s offscreen, scanning the sample"

XDG_DATA_HOME="$work/share" "$app/install-desktop-integration.sh" >/dev/null
entry="$work/share/applications/io.github.newsdedup.NewsDedup.desktop"
grep -q "^Exec=\"$work/unpacked dir/newsdedup-$version/newsdedup-gui\" %F$" "$entry" || fail "menu entry's Exec"
[ -f "$work/share/icons/hicolor/256x256/apps/io.github.newsdedup.NewsDedup.png" ] || fail "menu icon"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$entry" || fail "the installed menu entry does not validate"
fi
step "desktop integration installed into a scratch folder"

echo "bundle: $(du -sh "$app" | cut -f1) unpacked, $(du -sh "$archive" | cut -f1) archived"
echo "check_bundle: OK in $(( $(date +%s) - t_start ))s"
