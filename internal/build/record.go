package build

import (
	"bytes"
	"crypto/rand"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"bulletin/internal/fsutil"
)

// A Builder with Config.Record keeps the record of the files it wrote
// (path and fingerprint, see incremental.go) in a file, so that the next
// process's first build can update the output in place, writing only
// what changed and removing only what the last build wrote and this one
// does not, as serve's later builds do; without it, a one-off build writes
// the whole site into a scratch folder and swaps it in.
//
// The record is trusted only for the output it was made for, as the last
// build left it. Every build, with a record or without, removes the
// output's stamp (a sibling file, .OUT.built) when it starts and writes a
// new one, with a new random ID, when it succeeds; the record holds the
// ID it was written with, and the output folder's modification time. A
// build that failed part way, another process's build of the same output
// (serve, or a build without the record), a program that swapped another
// folder in, or files added or removed at the top of the output all show
// as a missing or different stamp or time, and the next build is whole.
// Files changed by hand deeper in the output do not show: delete the
// record (it is safe to delete) after changing the output by hand.

// recordFormat changes whenever the record's layout or the fingerprints'
// meaning does.
const recordFormat = "bulletin-build-record-1"

type savedRecord struct {
	Format, Key, ID, Out string
	OutModTime           time.Time
	Files                map[string]uint64
	Pages                []string
}

// stampPath is the output's stamp file.
func stampPath(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".built")
}

// readRecord returns the record of the last build of out, when it can be
// trusted; nil otherwise.
func readRecord(cfg Config, out string) (fileRecord, map[string]bool) {
	if cfg.Record == "" {
		return nil, nil
	}
	data, err := os.ReadFile(cfg.Record)
	if err != nil {
		return nil, nil
	}
	var r savedRecord
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&r); err != nil {
		return nil, nil
	}
	stamp, err := os.ReadFile(stampPath(out))
	if err != nil || r.Format != recordFormat || r.Key != cfg.RecordKey || r.Out != out || r.ID == "" || strings.TrimSpace(string(stamp)) != r.ID {
		return nil, nil
	}
	info, err := os.Stat(out)
	if err != nil || !info.IsDir() || !info.ModTime().Equal(r.OutModTime) {
		return nil, nil
	}
	pages := make(map[string]bool, len(r.Pages))
	for _, p := range r.Pages {
		pages[p] = true
	}
	return r.Files, pages
}

// unstamp removes the output's stamp before anything is written: until
// the build succeeds, no record matches the output.
func unstamp(out string) error {
	err := os.Remove(stampPath(out))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// stamp marks the output as written by this build, and keeps its record
// when cfg asks for one.
func stamp(cfg Config, out string, files fileRecord, pages map[string]bool) error {
	var id [16]byte
	rand.Read(id[:])
	r := savedRecord{Format: recordFormat, Key: cfg.RecordKey, ID: hex.EncodeToString(id[:]), Out: out, Files: files}
	if cfg.Record != "" {
		info, err := os.Stat(out)
		if err != nil {
			return err
		}
		r.OutModTime = info.ModTime()
		for p := range pages {
			r.Pages = append(r.Pages, p)
		}
		slices.Sort(r.Pages)
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(&r); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(cfg.Record), 0o755); err != nil {
			return err
		}
		// The record first: a stamp without its record is harmless.
		if err := fsutil.ReplaceFile(cfg.Record, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	// Written in place, not through a temporary file that a kill would
	// leave beside the output: a stamp cut short matches no record.
	return os.WriteFile(stampPath(out), []byte(r.ID+"\n"), 0o644)
}
