#!/bin/sh
# Installs Canvass for the current user: the program in ~/.local/bin, the menu
# entry and the icon in ~/.local/share. No administrator rights needed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin="$HOME/.local/bin"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/512x512/apps"
mkdir -p "$bin" "$apps" "$icons"
install -m 0755 "$here/canvass" "$bin/canvass"
install -m 0644 "$here/canvass.png" "$icons/canvass.png"
sed "s|^Exec=.*|Exec=\"$bin/canvass\"|" "$here/canvass.desktop" >"$apps/canvass.desktop.tmp"
chmod 0644 "$apps/canvass.desktop.tmp"
mv "$apps/canvass.desktop.tmp" "$apps/canvass.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" >/dev/null 2>&1 || true
echo "Canvass is installed: open it from your applications menu."
