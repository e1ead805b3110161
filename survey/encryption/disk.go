package encryption

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// DiskStatus is what the operating system says about the encryption of the
// disk the database is on. SQLite files are not encrypted by Canvass: the
// laptop's disk must be (BitLocker, FileVault, LUKS).
type DiskStatus struct {
	Known     bool   // the system answered
	Encrypted bool   // meaningful only when Known
	Detail    string // how it was found out, or why it is not known
}

// String is a one-line statement for Settings.
func (d DiskStatus) String() string {
	switch {
	case !d.Known:
		return "Not known (" + d.Detail + "): check that the disk is encrypted with BitLocker, FileVault or LUKS."
	case d.Encrypted:
		return "Encrypted (" + d.Detail + ")."
	}
	return "NOT encrypted (" + d.Detail + "): turn on BitLocker, FileVault or LUKS before collecting personal data."
}

// diskCheckTime bounds every command CheckDisk runs.
const diskCheckTime = 5 * time.Second

// CheckDisk asks the operating system, best effort and within a few
// seconds, whether the disk holding path is encrypted: manage-bde on
// Windows, fdesetup on macOS, lsblk (a crypt device under the mount) on
// Linux. It never fails: what it cannot find out is reported as not known.
func CheckDisk(ctx context.Context, path string) DiskStatus {
	ctx, cancel := context.WithTimeout(ctx, diskCheckTime)
	defer cancel()
	run := func(name string, args ...string) (string, error) {
		out, err := exec.CommandContext(ctx, name, args...).Output()
		return string(out), err
	}
	switch runtime.GOOS {
	case "windows":
		vol := filepath.VolumeName(absOr(path))
		if vol == "" {
			vol = "C:"
		}
		out, err := run("manage-bde", "-status", vol)
		if err != nil {
			return DiskStatus{Detail: "manage-bde -status needs an administrator"}
		}
		return parseManageBDE(out)
	case "darwin":
		out, err := run("fdesetup", "status")
		if err != nil {
			return DiskStatus{Detail: "fdesetup status did not answer"}
		}
		return parseFdesetup(out)
	case "linux":
		src, err := run("findmnt", "-n", "-o", "SOURCE", "--target", absOr(path))
		if err != nil {
			return DiskStatus{Detail: "findmnt did not answer"}
		}
		dev := strings.TrimSpace(src)
		if i := strings.IndexByte(dev, '['); i > 0 { // btrfs subvolume: /dev/x[/sub]
			dev = dev[:i]
		}
		if !strings.HasPrefix(dev, "/dev/") {
			return DiskStatus{Detail: "the folder is on " + dev + ", not on a disk lsblk knows"}
		}
		out, err := run("lsblk", "--json", "--inverse", "-o", "NAME,TYPE", dev)
		if err != nil {
			return DiskStatus{Detail: "lsblk did not answer"}
		}
		return parseLsblk(out)
	}
	return DiskStatus{Detail: "no check for " + runtime.GOOS}
}

func absOr(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// parseManageBDE reads `manage-bde -status X:` (English output).
func parseManageBDE(out string) DiskStatus {
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(k) != "Protection Status" {
			continue
		}
		v = strings.TrimSpace(v)
		return DiskStatus{Known: true, Encrypted: strings.HasPrefix(v, "Protection On"), Detail: "BitLocker: " + v}
	}
	return DiskStatus{Detail: "manage-bde gave no protection status"}
}

// parseFdesetup reads `fdesetup status`: "FileVault is On." or "FileVault is Off.".
func parseFdesetup(out string) DiskStatus {
	switch {
	case strings.Contains(out, "FileVault is On"):
		return DiskStatus{Known: true, Encrypted: true, Detail: "FileVault is on"}
	case strings.Contains(out, "FileVault is Off"):
		return DiskStatus{Known: true, Detail: "FileVault is off"}
	}
	return DiskStatus{Detail: "fdesetup gave no status"}
}

// parseLsblk reads `lsblk --json --inverse -o NAME,TYPE DEV`: the device
// and, nested, what it is built on; a "crypt" anywhere means LUKS/dm-crypt.
func parseLsblk(out string) DiskStatus {
	type dev struct {
		Name     string `json:"name"`
		Type     string `json:"type"`
		Children []dev  `json:"children"`
	}
	var doc struct {
		Devices []dev `json:"blockdevices"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Devices) == 0 {
		return DiskStatus{Detail: "lsblk gave no devices"}
	}
	var walk func([]dev) (string, bool)
	walk = func(ds []dev) (string, bool) {
		for _, d := range ds {
			if d.Type == "crypt" {
				return d.Name, true
			}
			if name, ok := walk(d.Children); ok {
				return name, true
			}
		}
		return "", false
	}
	if name, ok := walk(doc.Devices); ok {
		return DiskStatus{Known: true, Encrypted: true, Detail: "LUKS/dm-crypt device " + name}
	}
	return DiskStatus{Known: true, Detail: "no LUKS/dm-crypt device under " + doc.Devices[0].Name}
}
