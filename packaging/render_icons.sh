#!/usr/bin/env bash
# Render the app icon's PNG sizes from its SVG master, only when they are stale: a PNG is missing, or the
# master's content differs from the one they were rendered from (its SHA-256, kept in $STAMP). Content, not
# file times: a fresh clone writes the files in any order, and must not look stale.
# Desktops pick the size nearest their need from hicolor/NxN/apps; the PNGs are committed so that building
# a wheel or a bundle never needs this tool. Needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin).
# Usage: packaging/render_icons.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."

APP_ID=io.github.newsdedup.NewsDedup
ICONS=resources/icons/hicolor
MASTER=$ICONS/scalable/apps/$APP_ID.svg
SIZES="16 32 48 64 128 256 512"
STAMP=packaging/icons-rendered-from.sha256

force=${1:-}
master_sum=$(sha256sum "$MASTER" | cut -d' ' -f1)
[ "$(cat "$STAMP" 2>/dev/null)" = "$master_sum" ] || force=--force
for size in $SIZES; do
  png=$ICONS/${size}x${size}/apps/$APP_ID.png
  if [ "$force" = "--force" ] || [ ! -e "$png" ]; then
    if ! command -v rsvg-convert >/dev/null; then
      echo "render_icons: $png is missing or stale and rsvg-convert is not installed" \
           "(apt-get install librsvg2-bin)" >&2
      exit 1
    fi
    mkdir -p "$(dirname "$png")"
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$MASTER" --output "$png"
    echo "rendered $png"
  fi
done
echo "$master_sum" > "$STAMP"
