package store

import (
	"context"
	"fmt"

	"canvass/survey/encryption"
)

// ExportSealedBundle writes a bundle (see ExportBundle) to dest encrypted
// with lock: the plain bundle is built in a private temporary folder and
// only its encrypted form reaches dest. The zero Lock writes it plain.
func (s *Store) ExportSealedBundle(ctx context.Context, dest, eventID string, lock encryption.Lock) (BundleInfo, error) {
	if lock.IsZero() {
		return s.ExportBundle(ctx, dest, eventID)
	}
	if err := s.RefuseOwnFile(dest); err != nil {
		return BundleInfo{}, fmt.Errorf("export bundle to %s: %w", dest, err)
	}
	var info BundleInfo
	err := encryption.WriteSealed(dest, lock, func(plain string) error {
		var err error
		info, err = s.ExportBundle(ctx, plain, eventID)
		return err
	})
	info.Path = dest
	return info, err
}

// SealedBackup writes a backup (see Backup) to dest encrypted with lock,
// the same way; the zero Lock writes it plain. Like Backup it never
// replaces an existing file (fs.ErrExist).
func (s *Store) SealedBackup(ctx context.Context, dest string, lock encryption.Lock) error {
	if lock.IsZero() {
		return s.Backup(ctx, dest)
	}
	if err := s.RefuseOwnFile(dest); err != nil {
		return fmt.Errorf("back up to %s: %w", dest, err)
	}
	if err := encryption.CheckNew(dest); err != nil {
		return fmt.Errorf("back up to %s: %w", dest, err)
	}
	return encryption.WriteSealed(dest, lock, func(plain string) error { return s.Backup(ctx, plain) })
}
