//go:build unix

package fsutil

import (
	"os"
)

// SyncDir makes the entries of dir durable: a rename is on disk only
// once its folder is synced.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
