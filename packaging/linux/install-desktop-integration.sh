#!/bin/sh
# Put newsdedup in your application menu, for you alone: a .desktop entry that starts this folder's
# newsdedup-gui, and its icon, under ~/.local/share (or $XDG_DATA_HOME). Nothing needs root.
# Run it again after moving the folder. Usage: ./install-desktop-integration.sh [--uninstall]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
id=io.github.newsdedup.NewsDedup
sizes="16 32 48 64 128 256 512"

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$data/applications/$id.desktop" "$data/metainfo/$id.metainfo.xml" \
        "$data/icons/hicolor/scalable/apps/$id.svg"
  for n in $sizes; do rm -f "$data/icons/hicolor/${n}x${n}/apps/$id.png"; done
  echo "removed newsdedup from the application menu"
  exit 0
fi

linux=$here/_internal/linux
icons=$here/_internal/newsdedup/data/resources/icons/hicolor
if [ ! -x "$here/newsdedup-gui" ] || [ ! -d "$linux" ] || [ ! -d "$icons" ]; then
  echo "install-desktop-integration: run the copy inside the unpacked newsdedup folder" >&2
  exit 1
fi

# The desktop entry spec wants the Exec path quoted, with \ " ` $ escaped as \\\\ \\" \\` \\$ (a folder name
# may hold spaces). awk reads it from the environment, where nothing unescapes it again.
NEWSDEDUP_EXEC=$(printf '%s' "$here/newsdedup-gui" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g')
export NEWSDEDUP_EXEC
mkdir -p "$data/applications" "$data/metainfo"
awk '/^Exec=newsdedup-gui/ { sub(/^Exec=newsdedup-gui/, ""); $0 = "Exec=\"" ENVIRON["NEWSDEDUP_EXEC"] "\"" $0 } 1' \
    "$linux/$id.desktop" > "$data/applications/$id.desktop"
cp "$linux/$id.metainfo.xml" "$data/metainfo/"
for n in $sizes; do
  mkdir -p "$data/icons/hicolor/${n}x${n}/apps"
  cp "$icons/${n}x${n}/apps/$id.png" "$data/icons/hicolor/${n}x${n}/apps/"
done
mkdir -p "$data/icons/hicolor/scalable/apps"
cp "$icons/scalable/apps/$id.svg" "$data/icons/hicolor/scalable/apps/"

# Menus notice new entries by themselves; these caches only make it quicker where the tools exist.
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "newsdedup is in your application menu ($data/applications/$id.desktop)"
