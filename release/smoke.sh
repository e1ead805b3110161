#!/usr/bin/env bash
# release/smoke.sh VERSION: smoke-tests the release artefacts in dist/ (made
# by release/build.sh VERSION) themselves, not `go run`:
#   Linux    unpack the tar.xz; canvass version/demo/export/list; no stderr
#            under C locales; the window "Canvass" under Xvfb; install.sh.
#   Windows  under wine in a fresh prefix (with the test-only ProcessPrng
#            bridge, release/wine-bridge): canvass-cli.exe does the same;
#            Canvass.exe shows its window; the version resource matches
#            `canvass-cli.exe version`; the MSI installs and uninstalls.
# Each GUI test checks a screenshot's window title and size (not pixels);
# the screenshots are kept in dist/smoke-VERSION/. Uses $DISPLAY if it
# answers, else starts its own Xvfb. Ends with "N passed, N failed".
set -uo pipefail

[[ $# -eq 1 ]] || { echo "usage: release/smoke.sh VERSION" >&2; exit 2; }
VERSION=$1
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/dist"
python=${CANVASS_PYTHON:-/usr/bin/python3} # Debian's, with python3-openpyxl
for tool in "$python" xdotool xwininfo import identify wine wrestool strings x86_64-w64-mingw32-gcc unzip xz sha256sum go; do
	command -v "$tool" >/dev/null || { echo "smoke: $tool is missing (Debian: see the release section of .ci/run)" >&2; exit 2; }
done
"$python" -c "import openpyxl" 2>/dev/null || { echo "smoke: python3-openpyxl is missing" >&2; exit 2; }
shots="$dist/smoke-$VERSION"
rm -rf "$shots"
mkdir -p "$shots"
work=$(mktemp -d)
xvfb_pid=""
cleanup() {
	[[ -d $work/wine ]] && WINEPREFIX="$work/wine" wineserver -k 2>/dev/null
	[[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

if [[ -z ${DISPLAY:-} ]] || ! xdpyinfo >/dev/null 2>&1; then
	Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
	xvfb_pid=$!
	for _ in $(seq 50); do [[ -s $work/display ]] && break; sleep 0.2; done
	export DISPLAY=":$(cat "$work/display")"
fi
echo "smoke: Canvass $VERSION from $dist on display $DISPLAY"

zip="$dist/canvass-$VERSION-windows-amd64.zip"
msi="$dist/canvass-$VERSION-windows-amd64.msi"
tarball="$dist/canvass-$VERSION-linux-amd64.tar.xz"
sums="$dist/canvass-$VERSION-SHA256SUMS"
home="$work/home" # every program here runs with this HOME: nothing touches the real one
mkdir -p "$home"
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share"

fail() { echo "FAIL: $*"; exit 1; }

# expect_eq WHAT GOT WANT
expect_eq() { [[ $2 == "$3" ]] || fail "$1: got \"$2\", want \"$3\""; }

# cli_checks RUN: the command-line checks, for the Linux binary and for
# canvass-cli.exe; RUN is the command that runs Canvass (e.g. "wine x.exe").
cli_checks() {
	local run=$1 out
	out=$($run version 2>"$work/err" | tr -d '\r') || fail "version failed: $(cat "$work/err")"
	expect_eq "version" "$out" "canvass $VERSION"
	[[ ! -s $work/err ]] || fail "version wrote to stderr: $(cat "$work/err")"
	$run demo --survey engagement --responses 25 --seed 7 --db smoke.db >demo.txt 2>"$work/err" ||
		fail "demo failed: $(cat "$work/err")"
	echo "  demo: $(tr -d '\r' <demo.txt | head -1)"
	local made
	made=$(tr -d '\r' <demo.txt | sed -n 's/.*(\([0-9]*\) complete.*/\1/p')
	[[ -n $made ]] || fail "demo did not say how many complete responses it made: $(cat demo.txt)"
	$run list --db smoke.db 2>"$work/err" | tr -d '\r' >list.txt || fail "list failed: $(cat "$work/err")"
	for id in decision engagement sds; do
		grep -q "^$id " list.txt || fail "list has no survey $id: $(cat list.txt)"
	done
	local complete
	complete=$(awk '$1 == "engagement" {print $3}' list.txt)
	expect_eq "complete engagement responses in list" "$complete" "$made"
	echo "  list: engagement has $complete complete responses, as demo made"
	$run export --survey engagement --no-personal --out smoke.xlsx --db smoke.db >export.txt 2>"$work/err" ||
		fail "export failed: $(cat "$work/err")"
	echo "  export: $(tr -d '\r' <export.txt | head -1)"
	"$python" - smoke.xlsx <<'PY' || fail "the exported workbook does not open"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert "xl/workbook.xml" in names, names
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = sum(1 for _ in wb[wb.sheetnames[0]].iter_rows()) - 1
print(f"  export: openpyxl reads {len(wb.sheetnames)} sheets, {rows} data rows in {wb.sheetnames[0]}")
PY
	$run export --survey engagement --no-personal --out smoke.csv --db smoke.db >/dev/null 2>"$work/err" ||
		fail "CSV export failed: $(cat "$work/err")"
	[[ $(tr -d '\r' <smoke.csv | wc -l) -ge 2 ]] || fail "the CSV export has no rows"
}

# window_checks NAME PID: waits for the window "Canvass" of process PID,
# checks its title and size on a screenshot, then ends the process.
window_checks() {
	local name=$1 pid=$2 id="" geometry w h title
	for _ in $(seq 120); do
		id=$(xdotool search --onlyvisible --name '^Canvass$' 2>/dev/null | head -1) && [[ -n $id ]] && break
		kill -0 "$pid" 2>/dev/null || fail "the app exited before showing its window"
		sleep 1
	done
	[[ -n $id ]] || fail "no visible window named Canvass after 120s"
	sleep 3 # let it draw
	kill -0 "$pid" 2>/dev/null || fail "the app died after opening its window"
	title=$(xdotool getwindowname "$id")
	expect_eq "window title" "$title" "Canvass"
	import -window "$id" "$shots/$name.png" || fail "no screenshot"
	read -r w h < <(identify -format '%w %h\n' "$shots/$name.png")
	geometry=$(xwininfo -id "$id" | awk '/Width:/ {w=$2} /Height:/ {h=$2} END {print w, h}')
	expect_eq "screenshot size vs window size" "$w $h" "$geometry"
	((w >= 800 && h >= 500)) || fail "the window is ${w}x${h}, smaller than 800x500"
	echo "  window \"$title\" ${w}x${h}, screenshot $shots/$name.png"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true # its status is that of the signal
}

test_checksums() {
	for f in "$zip" "$msi" "$tarball" "$sums"; do [[ -s $f ]] || fail "missing $f"; done
	(cd "$dist" && sha256sum --check --strict "$sums")
}

test_linux_cli() {
	mkdir -p "$work/linux" && cd "$work/linux"
	tar -xJf "$tarball"
	cd "canvass-$VERSION-linux-amd64"
	for f in canvass canvass.desktop canvass.png install.sh uninstall.sh README.txt; do
		[[ -e $f ]] || fail "the tarball has no $f"
	done
	grep -q "Canvass $VERSION" README.txt || fail "README.txt does not name version $VERSION"
	# Built with the tests' build tags (none).
	if go version -m canvass | grep -E '^\s+build\s+-tags='; then fail "built with build tags"; fi
	cli_checks ./canvass
	# No stderr noise under C locales (the Fyne "Error parsing user locale C").
	for locale in LANG=C LANG=C.UTF-8 LC_ALL=C.UTF-8 LANG=POSIX ""; do
		env -i PATH="$PATH" HOME="$HOME" $locale ./canvass list --db smoke.db >/dev/null 2>"$work/err" || fail "list under '$locale' failed"
		[[ ! -s $work/err ]] || fail "stderr under '${locale:-no locale}': $(cat "$work/err")"
	done
	echo "  no stderr under LANG=C, LANG=C.UTF-8, LC_ALL=C.UTF-8, LANG=POSIX or no locale"
}

test_linux_gui() {
	cd "$work/linux/canvass-$VERSION-linux-amd64"
	./canvass --db gui.db >"$work/gui.log" 2>&1 &
	window_checks linux-gui $!
}

test_linux_install() {
	cd "$work/linux/canvass-$VERSION-linux-amd64"
	./install.sh
	local desktop="$XDG_DATA_HOME/applications/canvass.desktop"
	[[ -x $HOME/.local/bin/canvass ]] || fail "install.sh did not install ~/.local/bin/canvass"
	grep -qx "Exec=\"$HOME/.local/bin/canvass\"" "$desktop" || fail "menu entry: $(grep Exec "$desktop")"
	[[ -s $XDG_DATA_HOME/icons/hicolor/512x512/apps/canvass.png ]] || fail "icon not installed"
	expect_eq "installed version" "$("$HOME/.local/bin/canvass" version)" "canvass $VERSION"
	./uninstall.sh
	[[ ! -e $HOME/.local/bin/canvass && ! -e $desktop ]] || fail "uninstall.sh left files"
}

# wine in the fresh prefix of this run: no Mono/Gecko prompts, no menu
# entries written to the desktop, no debug chatter.
export WINEPREFIX="$work/wine" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"

test_wine_prefix() {
	timeout 300 wineboot --init >/dev/null 2>&1 || fail "wineboot failed"
	timeout 120 wineserver --wait
	# The test-only bridge: wine 8 lacks bcryptprimitives!ProcessPrng, which Go needs.
	x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
		"$root/release/wine-bridge/processprng.c" "$root/release/wine-bridge/bcryptprimitives.def" -ladvapi32
	echo "  fresh prefix $(wine --version), ProcessPrng bridge installed"
}

test_windows_cli() {
	mkdir -p "$work/windows" && cd "$work/windows"
	unzip -q "$zip"
	cd "canvass-$VERSION-windows-amd64"
	for f in Canvass.exe canvass-cli.exe README.txt; do [[ -e $f ]] || fail "the zip has no $f"; done
	for exe in Canvass.exe canvass-cli.exe; do
		if go version -m "$exe" | grep -E '^\s+build\s+-tags='; then fail "$exe built with build tags"; fi
	done
	cli_checks "timeout 120 wine canvass-cli.exe"
	local code=0
	timeout 120 wine canvass-cli.exe >/dev/null 2>"$work/err" || code=$?
	expect_eq "canvass-cli.exe without a command: exit code" "$code" 2
	grep -q "no window" "$work/err" || fail "canvass-cli.exe without a command says: $(cat "$work/err")"
}

# version_resource EXE: prints "FileVersion ProductVersion FIXED" as the
# file's Properties show them, read back with wrestool (icoutils).
version_resource() {
	wrestool --extract --raw --type=16 "$1" >"$work/version.res" || fail "no version resource in $1"
	[[ -s $work/version.res ]] || fail "no version resource in $1"
	"$python" - "$work/version.res" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
i = data.find(struct.pack("<I", 0xFEEF04BD))
assert i >= 0, "no VS_FIXEDFILEINFO"
ms, ls = struct.unpack_from("<II", data, i + 8)
fixed = f"{ms >> 16}.{ms & 0xFFFF}.{ls >> 16}.{ls & 0xFFFF}"
def value(key):
    k = key.encode("utf-16-le") + b"\0\0"
    j = data.find(k)
    assert j >= 0, f"no {key}"
    j += len(k)
    j += (-j) % 4  # values are 32-bit aligned from the start of the resource
    end = data.find(b"\0\0", j)
    while (end - j) % 2:
        end = data.find(b"\0\0", end + 1)
    return data[j:end].decode("utf-16-le")
print(value("FileVersion"), value("ProductVersion"), fixed)
PY
}

test_windows_version_resource() {
	cd "$work/windows/canvass-$VERSION-windows-amd64"
	local printed file product fixed
	printed=$(timeout 120 wine canvass-cli.exe version | tr -d '\r')
	printed=${printed#canvass }
	local base=${VERSION%%-*}
	for exe in canvass-cli.exe Canvass.exe; do
		local props
		props=$(version_resource "$exe") || fail "cannot read the version resource of $exe"
		read -r file product fixed <<<"$props"
		expect_eq "$exe ProductVersion vs canvass-cli.exe version" "$product" "$printed"
		expect_eq "$exe FileVersion" "$file" "$printed"
		expect_eq "$exe fixed file version" "$fixed" "$base.0"
		echo "  $exe Properties: FileVersion $file, ProductVersion $product ($fixed); canvass-cli.exe version: $printed"
	done
	strings -el -n 3 canvass-cli.exe | grep -qx "$VERSION" || fail "strings does not find $VERSION in canvass-cli.exe"
}

test_windows_gui() {
	cd "$work/windows/canvass-$VERSION-windows-amd64"
	wine Canvass.exe --db gui.db >"$work/wine-gui.log" 2>&1 &
	window_checks windows-gui $!
}

test_msi() {
	local pf="$WINEPREFIX/drive_c/Program Files/Canvass" lnk
	# The Start menu of all users, where Windows puts a per-machine shortcut; wine 8 puts it in the
	# current user's Start menu instead.
	local menus=("$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs"
		"$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming/Microsoft/Windows/Start Menu/Programs")
	timeout 300 wine msiexec /i "$msi" /qn || fail "msiexec /i failed"
	for f in Canvass.exe canvass-cli.exe README.txt; do [[ -s $pf/$f ]] || fail "not installed: $pf/$f"; done
	for m in "${menus[@]}"; do [[ -s $m/Canvass.lnk ]] && lnk="$m/Canvass.lnk"; done
	[[ -n ${lnk:-} ]] || fail "no Start-menu shortcut Canvass.lnk in ${menus[*]}"
	strings -el "$lnk" | grep -q 'Canvass.exe' || fail "the shortcut does not point to Canvass.exe"
	cmp -s "$pf/Canvass.exe" "$work/windows/canvass-$VERSION-windows-amd64/Canvass.exe" || fail "the installed Canvass.exe differs from the zip's"
	local out
	out=$(cd "$work/windows" && timeout 120 wine "C:\\Program Files\\Canvass\\canvass-cli.exe" version | tr -d '\r')
	expect_eq "installed canvass-cli.exe version" "$out" "canvass $VERSION"
	echo "  installed into C:\\Program Files\\Canvass, shortcut ${lnk#"$WINEPREFIX/drive_c/"}"
	timeout 300 wine msiexec /x "$msi" /qn || fail "msiexec /x failed"
	[[ ! -e $pf/Canvass.exe && ! -e $pf/canvass-cli.exe && ! -e $lnk ]] || fail "uninstall left files behind"
	echo "  uninstalled: no files and no shortcut left"
}

passed=0 failed=0
run() {
	local name=$1 t0=$SECONDS
	echo "=== $name"
	(set -e; "test_$name")
	if (($? == 0)); then
		echo "--- PASS $name ($((SECONDS - t0))s)"
		passed=$((passed + 1))
	else
		echo "--- FAIL $name ($((SECONDS - t0))s)"
		failed=$((failed + 1))
	fi
}
run checksums
run linux_cli
run linux_gui
run linux_install
run wine_prefix
run windows_cli
run windows_version_resource
run windows_gui
run msi
echo "smoke: $passed passed, $failed failed"
((failed == 0))
