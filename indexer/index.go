package indexer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/site"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// The index's fields. Text fields are analysed by tokenize; keyword fields
// hold whole names, for filters. (Facets are counted on the loaded site.)
const (
	fieldTitle    = "title"
	fieldSummary  = "summary"
	fieldText     = "text"
	fieldMeta     = "meta" // bureau, region, category and tags, so they match as words too
	fieldBureau   = "bureau"
	fieldRegion   = "region"
	fieldCategory = "category"
	fieldTag      = "tag"
	fieldDate     = "date"
)

// textFields are the fields a query word is looked up in, with their
// boosts: a word in the title says more about a bulletin than one in its
// body.
var textFields = [...]struct {
	name  string
	boost float64
}{
	{fieldTitle, 4},
	{fieldSummary, 1.5},
	{fieldMeta, 1.5},
	{fieldText, 1},
}

// document is what the index holds of a bulletin; bleve stores nothing,
// as hits are shown from the generation's document store.
type document struct {
	Title    string    `json:"title"`
	Summary  string    `json:"summary"`
	Text     string    `json:"text"`
	Meta     string    `json:"meta"`
	Bureau   string    `json:"bureau"`
	Region   string    `json:"region"`
	Category string    `json:"category,omitempty"`
	Tags     []string  `json:"tag"`
	Date     time.Time `json:"date"`
	// Body is the HTML the bulletin's page shows: kept in the store for
	// topic feeds, never indexed.
	Body string `json:"-"`
}

func newDocument(b *site.Bulletin) document {
	d := document{
		Title:   b.Title,
		Summary: b.Summary,
		Text:    b.Text,
		Body:    b.Body,
		Bureau:  b.Bureau.Name,
		Region:  b.Region.Name,
		Date:    b.Date,
	}
	meta := []string{d.Bureau, d.Region}
	if b.Category != nil {
		d.Category = b.Category.Name
		meta = append(meta, d.Category)
	}
	for _, t := range b.Tags {
		d.Tags = append(d.Tags, t.Name)
		meta = append(meta, t.Name)
	}
	d.Meta = strings.Join(meta, "\n")
	return d
}

// digest identifies what the index holds of a bulletin. It covers the
// source file's hash and everything that does not come from the file
// alone (a bureau's region comes from site.yaml, the date's zone from its
// time zone), so that any change to the indexed document re-indexes it.
// The text is not read: the bulletin's Hash stands for it (the file and
// how its links resolved), so that bulletins are digested without
// rendering their bodies, which a lean site does not hold.
func (d *document) digest(h hash.Hash, sourceHash string) string {
	h.Reset()
	for _, s := range []string{sourceHash, d.Title, d.Summary, d.Meta, d.Bureau, d.Region, d.Category, d.Date.Format(time.RFC3339)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write([]byte(strings.Join(d.Tags, "\x00")))
	h.Write([]byte{0})
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func newDigester() hash.Hash { return sha256.New() }

// newMapping describes the fields to bleve.
func newMapping() *mapping.IndexMappingImpl {
	text := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzerName
		// No term vectors: positions would triple the time and size of
		// the index; phrases are checked against the bulletin's text
		// instead (see pattern).
		f.Store, f.IncludeInAll, f.DocValues, f.IncludeTermVectors = false, false, false, false
		return f
	}
	// Filters only: facets and sorting are done on the loaded site, so
	// no field needs doc values.
	kw := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, false, false
		return f
	}
	date := mapping.NewDateTimeFieldMapping()
	date.Store, date.IncludeInAll, date.DocValues = false, false, false

	doc := mapping.NewDocumentStaticMapping()
	for _, f := range []string{fieldTitle, fieldSummary, fieldText, fieldMeta} {
		doc.AddFieldMappingsAt(f, text())
	}
	for _, f := range []string{fieldBureau, fieldRegion, fieldCategory, fieldTag} {
		doc.AddFieldMappingsAt(f, kw())
	}
	doc.AddFieldMappingsAt(fieldDate, date)

	m := mapping.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = analyzerName
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	return m
}

// schemaRevision is raised when what goes into documents changes in a way
// the mapping does not show (newDocument, digest).
const schemaRevision = 2

// mappingVersion names the mapping and analysis an index was built with;
// an index with another version is rebuilt rather than updated.
func mappingVersion() string {
	data, err := json.Marshal(newMapping())
	if err != nil {
		panic(err) // the mapping is a constant value
	}
	sum := sha256.Sum256(data)
	return fmt.Sprintf("%d-%s", schemaRevision, hex.EncodeToString(sum[:6]))
}

// manifestKey is the bleve internal key of the manifest. Internal keys are
// written in the same batch as documents, so the manifest is always
// exactly as current as the documents, even after a kill.
var manifestKey = []byte("bulletin.manifest")

// manifest records what an index holds.
type manifest struct {
	Version string            `json:"version"`
	Docs    map[string]string `json:"docs"` // bulletin URL -> digest
}

// encodeManifest returns json.Marshal of the manifest of version and
// docs (each id once), encoded straight from them: on a site of a million
// bulletins, the map of their digests and the buffer its encoding grew
// held 300 MB at the end of a build, on top of everything else.
func encodeManifest(version string, docs []prepared) []byte {
	order := make([]int32, len(docs))
	size := len(`{"version":"","docs":{}}`) + len(version)
	for i, d := range docs {
		order[i] = int32(i)
		size += len(d.id) + len(d.digest) + 6 // "id":"digest", unless escaped
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(docs[a].id, docs[b].id) })
	out := make([]byte, 0, size)
	out = append(out, `{"version":`...)
	out = appendJSONString(out, version)
	out = append(out, `,"docs":{`...)
	for k, i := range order {
		if k > 0 {
			out = append(out, ',')
		}
		out = appendJSONString(out, docs[i].id)
		out = append(out, ':')
		out = appendJSONString(out, docs[i].digest)
	}
	return append(out, "}}"...)
}

// appendJSONString appends s as encoding/json writes it.
func appendJSONString(out []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(out, q...)
		}
	}
	out = append(out, '"')
	out = append(out, s...)
	return append(out, '"')
}

// readVersion returns the version of the index's manifest, "" when it
// has none, without the digests: a server opening a generation needs
// only the version, and decoding every bulletin's digest took a tenth of
// a second per 20,000 bulletins.
func readVersion(idx bleve.Index) (string, error) {
	data, err := idx.GetInternal(manifestKey)
	if err != nil || data == nil {
		return "", err
	}
	// The version is written first; the digests are skipped unread.
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err == nil && tok == json.Delim('{') {
		for {
			if !dec.More() {
				if _, err := dec.Token(); err == nil {
					return "", nil // complete, without a version
				}
				break
			}
			key, err := dec.Token()
			if err != nil {
				break
			}
			if key == "version" {
				var v string
				if dec.Decode(&v) != nil {
					break
				}
				return v, nil
			}
			if dec.Decode(new(json.RawMessage)) != nil {
				break
			}
		}
	}
	// Not as written: decoded whole, for its error.
	m, err := decodeManifest(data)
	if err != nil {
		return "", err
	}
	return m.Version, nil
}

func readManifest(idx bleve.Index) (*manifest, error) {
	data, err := idx.GetInternal(manifestKey)
	if err != nil {
		return nil, err
	}
	if data == nil {
		return nil, nil
	}
	return decodeManifest(data)
}

func decodeManifest(data []byte) (*manifest, error) {
	m := new(manifest)
	if err := json.Unmarshal(data, m); err != nil {
		return nil, diag.Errorf("reading the index's manifest: %w", err)
	}
	return m, nil
}

// lockTimeout is how long opening an index waits for bolt's lock on it.
// Published generations are only ever opened read-only, which share the
// lock, so a wait means something else holds the folder.
const lockTimeout = 2 * time.Second

func openBleve(dir string, readOnly bool) (bleve.Index, error) {
	cfg := map[string]any{"bolt_timeout": lockTimeout.String()}
	if readOnly {
		cfg["read_only"] = true
	}
	idx, err := bleve.OpenUsing(dir, cfg)
	if err != nil && strings.Contains(err.Error(), "timeout") {
		return nil, diag.Errorf("%s: another process holds the index open for writing", dir)
	}
	return idx, err
}

// isIndexDir reports whether dir holds a bleve index, which an update may
// replace as a whole. Anything else is left alone.
func isIndexDir(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "index_meta.json"))
	return err == nil
}
