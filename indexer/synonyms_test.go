package indexer

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
)

// openWithSynonyms indexes the fixture with the site's synonyms.yaml.
func openWithSynonyms(t *testing.T, table string) (*Index, string) {
	t.Helper()
	s := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	opt := Options{Synonyms: func() ([]byte, error) {
		if table == "" {
			return nil, nil
		}
		return []byte(table), nil
	}}
	if _, err := UpdateWith(context.Background(), dir, s, opt); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

// TestSynonymsWiden: a word with synonyms finds their matches too, after
// its own, which stay exactly as exact=1 gives them and first; the note
// names what was added; a word the query finds nothing for is searched as
// its synonyms alone.
func TestSynonymsWiden(t *testing.T) {
	ix, _ := openWithSynonyms(t, "groups:\n  - [婚姻登记, 结婚登记]\nexpand:\n  殡改: [殡葬改革]\n")
	srv := NewServer(ix, ServerConfig{BasePath: "/", PageSize: 100})
	search := func(query string) apiResponse {
		t.Helper()
		return decodeAPI(t, get(t, srv.API(), "GET", "/api/search?"+query))
	}
	urls := func(r apiResponse) []string {
		var out []string
		for _, h := range r.Hits {
			out = append(out, h.URL)
		}
		return out
	}
	q := url.QueryEscape
	for _, tc := range []struct {
		query, other string // the query and the alternative it gains
		only         bool
	}{
		{"低保", "最低生活保障", false},
		{"最低生活保障", "低保", false},
		{"结婚登记", "婚姻登记", false}, // the site's own group
		{"殡改", "殡葬改革", true},    // the site's own expansion; no text says 殡改
	} {
		wide := search("q=" + q(tc.query))
		exact := search("exact=1&q=" + q(tc.query))
		other := search("exact=1&q=" + q(tc.other))
		if wide.Synonyms == nil || !slices.Contains(wide.Synonyms.Alternatives, tc.other) || wide.Synonyms.Only != tc.only {
			t.Errorf("%s: synonyms %+v, want %q added (only %v)", tc.query, wide.Synonyms, tc.other, tc.only)
			continue
		}
		if exact.Synonyms != nil {
			t.Errorf("%s with exact=1 widened: %+v", tc.query, exact.Synonyms)
		}
		// Its own first, in their order; then the others', each once.
		got := urls(wide)
		own := urls(exact)
		if tc.only {
			own = nil
		}
		if !slices.Equal(got[:len(own)], own) {
			t.Errorf("%s: the first hits %q, want its own %q", tc.query, got[:len(own)], own)
		}
		union := slices.Clone(own)
		for _, u := range urls(other) {
			if !slices.Contains(union, u) {
				union = append(union, u)
			}
		}
		if len(got) != len(union) || wide.Total != len(union) {
			t.Errorf("%s: %d hits (total %d), want the %d of %s and %s", tc.query, len(got), wide.Total, len(union), tc.query, tc.other)
		}
		for _, u := range union {
			if !slices.Contains(got, u) {
				t.Errorf("%s: lacks %s", tc.query, u)
			}
		}
	}
	for _, query := range []string{"养老服务", "兰州市"} {
		if r := search("q=" + q(query)); r.Synonyms != nil {
			t.Errorf("%s widened: %+v", query, r.Synonyms)
		}
	}
	// The page links to the words as typed.
	var data *PageData
	srv.Page(capture(&data)).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/search?q="+q("低保"), nil))
	if n := data.Results.Synonyms; n == nil || n.ExactURL != "/search?q="+q("低保")+"&exact=1" {
		t.Errorf("page note %+v", n)
	}
}

// TestSynonymsChangeWithoutReindex: a new synonyms.yaml is published as a
// new generation, with no bulletin indexed again, and searches use it.
func TestSynonymsChangeWithoutReindex(t *testing.T) {
	ix, dir := openWithSynonyms(t, "")
	srv := NewServer(ix, ServerConfig{BasePath: "/"})
	if r := decodeAPI(t, get(t, srv.API(), "GET", "/api/search?q="+url.QueryEscape("殡改"))); r.Synonyms != nil {
		t.Fatalf("widened before the table had the group: %+v", r.Synonyms)
	}
	st, err := UpdateWith(context.Background(), dir, loadFixture(t), Options{Synonyms: func() ([]byte, error) {
		return []byte("expand:\n  殡改: [殡葬改革]\n"), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Rebuilt || st.Added+st.Changed+st.Removed > 0 {
		t.Errorf("a new synonyms.yaml indexed bulletins again: %+v", st)
	}
	if _, err := ix.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := decodeAPI(t, get(t, srv.API(), "GET", "/api/search?q="+url.QueryEscape("殡改"))); r.Synonyms == nil || r.Total == 0 {
		t.Errorf("the new table is not used: %+v", r)
	}
}

func decodeAPI(t *testing.T, w *httptest.ResponseRecorder) apiResponse {
	t.Helper()
	var r apiResponse
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &r) != nil {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	return r
}
