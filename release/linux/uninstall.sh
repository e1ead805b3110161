#!/bin/sh
# Removes what install.sh added. Surveys and answers (~/.config/fyne/uk.org.canvass.app) stay.
set -eu
rm -f "$HOME/.local/bin/canvass" \
	"${XDG_DATA_HOME:-$HOME/.local/share}/applications/canvass.desktop" \
	"${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/512x512/apps/canvass.png"
echo "Canvass is removed. Your surveys and answers are kept in ~/.config/fyne/uk.org.canvass.app."
