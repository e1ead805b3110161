#!/usr/bin/env bash
# release/build.sh VERSION: builds Canvass's release artefacts into dist/:
#   canvass-VERSION-windows-amd64.zip   Canvass.exe (the app), canvass-cli.exe (the command line), README.txt
#   canvass-VERSION-windows-amd64.msi   installer: Program Files\Canvass and a Start-menu shortcut
#   canvass-VERSION-linux-amd64.tar.xz  canvass, menu entry, icon, install.sh/uninstall.sh, README.txt
#   canvass-VERSION-SHA256SUMS          SHA-256 of the three
#
# VERSION (e.g. 1.2.0 or 1.2.0-rc1) is given only here and feeds the code
# (`canvass version`, exports), the staged FyneApp.toml, the Windows version
# resources (file Properties) and the installer.
#
# It builds from a staged copy of the tree (tracked and new, not ignored,
# files), so the working tree is left exactly as it was. Build tags: none,
# the same as `go test ./...` and the smoke test (release/smoke.sh runs these
# very artefacts). Needs go, gcc, x86_64-w64-mingw32-gcc/-windres, wixl
# (msitools), ImageMagick's convert, zip, xz, git.
set -euo pipefail

die() { echo "build.sh: $*" >&2; exit 2; }

[[ $# -eq 1 ]] || die "usage: release/build.sh VERSION (for example release/build.sh 1.0.0)"
VERSION=$1
[[ $VERSION =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)(-[0-9A-Za-z.]+)?$ ]] ||
	die "VERSION \"$VERSION\" is not MAJOR.MINOR.PATCH with an optional -label (1.0.0, 1.1.0-rc1)"
major=$((10#${BASH_REMATCH[1]})) minor=$((10#${BASH_REMATCH[2]})) patch=$((10#${BASH_REMATCH[3]}))
((major <= 255 && minor <= 255 && patch <= 65535)) ||
	die "VERSION $VERSION: Windows installers need MAJOR and MINOR at most 255 and PATCH at most 65535"
numeric="$major.$minor.$patch"

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for tool in go gcc x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres wixl convert zip xz sha256sum git; do
	command -v "$tool" >/dev/null || die "$tool is missing (Debian: see the release section of .ci/run)"
done
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "run it in a git checkout of Canvass"

# The build tags of the shipped binaries: none, as for the tests. Never add a
# tag here that `go test ./...` does not use.
tags=""
ldflags="-s -w -X canvass/app/cli.Version=$VERSION"

before=$(git status --porcelain --untracked-files=all)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
src="$stage/src" win="$stage/canvass-$VERSION-windows-amd64" lin="$stage/canvass-$VERSION-linux-amd64"
mkdir -p "$src" "$win" "$lin" "$stage/res"

echo "build.sh: staging the tree"
git ls-files -z --cached --others --exclude-standard |
	tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$src"
sed -i "s/^Version = .*/Version = \"$VERSION\"/" "$src/FyneApp.toml"
grep -q "^Version = \"$VERSION\"$" "$src/FyneApp.toml" || die "FyneApp.toml has no Version line to set"

echo "build.sh: Windows resources (icon, manifest, version $VERSION)"
convert assets/icon.png -define icon:auto-resize=256,64,48,32,16 "$stage/res/canvass.ico"
cp release/windows/canvass.manifest "$stage/res/"
# resource PKG DESCRIPTION FILENAME: compiles the .rc into PKG's .syso in the stage.
resource() {
	sed -e "s/@VERSION@/$VERSION/g" -e "s/@VERSION_COMMAS@/$major,$minor,$patch,0/g" \
		-e "s/@DESCRIPTION@/$2/g" -e "s/@FILENAME@/$3/g" -e "s/@INTERNAL@/${3%.exe}/g" \
		release/windows/canvass.rc.in >"$stage/res/${3%.exe}.rc"
	x86_64-w64-mingw32-windres -I "$stage/res" -O coff -o "$src/$1/rsrc_windows_amd64.syso" "$stage/res/${3%.exe}.rc"
}
resource . "Canvass" Canvass.exe
resource app/cli/canvass-cli "Canvass command line" canvass-cli.exe

build() { # GOOS CGO OUT PKG [extra ldflags]
	local t0=$SECONDS
	(cd "$src" && GOOS=$1 GOARCH=amd64 CGO_ENABLED=$2 CC=$([[ $1 == windows ]] && echo x86_64-w64-mingw32-gcc || echo gcc) \
		go build -trimpath -buildvcs=false -tags "$tags" -ldflags "$ldflags ${5:-}" -o "$3" "$4")
	echo "build.sh: built $(basename "$3") for $1 in $((SECONDS - t0))s"
}
echo "build.sh: compiling (the first Windows build takes several minutes; later ones seconds)"
build linux 1 "$lin/canvass" .
build windows 1 "$win/Canvass.exe" . -H=windowsgui
build windows 0 "$win/canvass-cli.exe" ./app/cli/canvass-cli

echo "build.sh: packaging"
mkdir -p dist
rm -f "dist/canvass-$VERSION-"*
sed "s/@VERSION@/$VERSION/g" release/windows/README.txt | sed 's/$/\r/' >"$win/README.txt"
sed "s/@VERSION@/$VERSION/g" release/linux/README.txt >"$lin/README.txt"
cp release/linux/canvass.desktop assets/icon.png release/linux/install.sh release/linux/uninstall.sh "$lin/"
mv "$lin/icon.png" "$lin/canvass.png"
sed -i "s/^Comment=.*/&\nX-Canvass-Version=$VERSION/" "$lin/canvass.desktop"
chmod 0755 "$lin/canvass" "$lin/install.sh" "$lin/uninstall.sh"
chmod 0644 "$lin/canvass.desktop" "$lin/canvass.png" "$lin/README.txt"

touch -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}" "$win"/* "$lin"/*
(cd "$stage" && zip -q -X -9 -r "$root/dist/canvass-$VERSION-windows-amd64.zip" "$(basename "$win")")
(cd "$stage" && tar --sort=name --owner=0 --group=0 --numeric-owner -cJf \
	"$root/dist/canvass-$VERSION-linux-amd64.tar.xz" "$(basename "$lin")")
cp "$stage/res/canvass.ico" release/windows/canvass.wxs "$win/"
(cd "$win" && wixl -a x64 -D Version="$numeric" -o "$root/dist/canvass-$VERSION-windows-amd64.msi" canvass.wxs)
(cd dist && sha256sum "canvass-$VERSION-windows-amd64.zip" "canvass-$VERSION-windows-amd64.msi" \
	"canvass-$VERSION-linux-amd64.tar.xz" >"canvass-$VERSION-SHA256SUMS")

after=$(git status --porcelain --untracked-files=all)
[[ $before == "$after" ]] || die "the working tree changed during the build:
$(diff <(echo "$before") <(echo "$after"))"

echo "build.sh: artefacts of Canvass $VERSION:"
(cd dist && for f in "canvass-$VERSION-"*; do printf '  %-44s %6s MB\n' "$f" "$(awk "BEGIN{printf \"%.1f\", $(stat -c %s "$f")/1048576}")"; done)
(cd dist && cat "canvass-$VERSION-SHA256SUMS")
