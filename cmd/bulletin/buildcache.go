package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"bulletin/internal/fsutil"
	"bulletin/internal/site"
)

// bulletin build keeps what it learned for the next run in SITE/.bulletin/build/:
// what the load read of every bulletin file (site.gob, see site.Cache.Save)
// and, for each output folder, the record of the files it wrote
// (output-HASH.gob, see build.Config.Record). A build after an edit then
// reads and renders only what changed and updates the output in place.
// The folder is never published (it is not in the output) and is safe to
// delete: the next build is then whole. Everything in it is made under
// one key, buildKey; a different key, a file that cannot be read, or an
// output not as the last build left it makes the build whole again.

// buildCacheDir is the folder of a site's build cache.
func buildCacheDir(siteDir string) string {
	return filepath.Join(siteDir, ".bulletin", "build")
}

// buildKey names everything the cache's contents depend on besides the
// bulletin files themselves: this program, the theme's files and
// site.yaml.
func buildKey(siteDir string, theme fs.FS) string {
	h := sha256.New()
	h.Write([]byte(programID()))
	h.Write([]byte{0})
	if data, err := os.ReadFile(filepath.Join(siteDir, "site.yaml")); err == nil {
		h.Write(data)
	}
	h.Write([]byte{0})
	fs.WalkDir(theme, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(theme, p)
		if err != nil {
			data = []byte{0xff} // unreadable: a key no cache has
		}
		h.Write([]byte(p + "\x00"))
		sum := sha256.Sum256(data)
		h.Write(sum[:])
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// readSiteCache returns the load cache the last build kept, or an empty
// one.
func readSiteCache(siteDir, key string) *site.Cache {
	f, err := os.Open(filepath.Join(buildCacheDir(siteDir), "site.gob"))
	if err != nil {
		return site.NewCache()
	}
	defer f.Close()
	c, err := site.ReadCache(bufio.NewReaderSize(f, 1<<16), key, siteLocation(siteDir))
	if err != nil {
		return site.NewCache()
	}
	return c
}

// saveSiteCache keeps c for the next build, replacing the last one in one
// step. It is written as it is encoded: held in memory whole first, a
// large site's cache cost more to grow than to write. A cache that cannot
// be written (a read-only site folder) only makes the next build read
// everything again.
func saveSiteCache(siteDir, key string, c *site.Cache) {
	dir := buildCacheDir(siteDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	fsutil.ReplaceFileFrom(filepath.Join(dir, "site.gob"), 0o644, func(w io.Writer) error { return c.Save(w, key) })
}

// outputRecord is the file of the record of the output folder out.
func outputRecord(siteDir, out string) string {
	if abs, err := filepath.Abs(out); err == nil {
		out = abs
	}
	sum := sha256.Sum256([]byte(out))
	return filepath.Join(buildCacheDir(siteDir), "output-"+hex.EncodeToString(sum[:8])+".gob")
}
