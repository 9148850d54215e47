package indexer

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"bulletin/internal/fsutil"
	"bulletin/internal/suggest"
	"bulletin/internal/wordbreak"
)

// suggestFile is a generation's dictionary of the site's terms, made from
// the bulletins it holds: completions for the search box, and what a
// query with a slip probably meant.
const suggestFile = "suggest.txt"

// maxSuggestRunes bounds the prefix /api/suggest completes.
const maxSuggestRunes = 32

// suggestions is how many completions /api/suggest gives.
const suggestions = 8

// writeSuggest writes the dictionary of docs' terms into the generation in
// dir.
func writeSuggest(ctx context.Context, dir string, docs []prepared) error {
	var names []string
	seen := map[string]bool{}
	for i := range docs {
		b := docs[i].b
		for _, name := range []string{termName(b.Bureau), termName(b.Region)} {
			if name != "" && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	builder := suggest.NewBuilder(foldText, wordbreak.New(names...))
	for i := range docs {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		b := docs[i].b
		bl := suggest.Bulletin{Title: b.Title, Summary: b.Summary, Category: termName(b.Category),
			Bureau: termName(b.Bureau), Rank: b.Date.Unix()}
		if r := termName(b.Region); r != "" {
			bl.Places = []string{r}
		}
		for _, t := range b.Tags {
			bl.Tags = append(bl.Tags, t.Name)
		}
		builder.Add(bl)
	}
	return fsutil.ReplaceFileFrom(filepath.Join(dir, suggestFile), 0o644, func(w io.Writer) error {
		_, err := builder.Dictionary().WriteTo(w)
		return err
	})
}

// readSuggest reads the dictionary of the generation in dir; a generation
// written before there were dictionaries has none, and suggests nothing.
func readSuggest(dir string) (*suggest.Dictionary, error) {
	f, err := os.Open(filepath.Join(dir, suggestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return suggest.Read(bufio.NewReader(f), filepath.Join(dir, suggestFile))
}

// Suggest returns up to n completions of prefix, from the current
// generation's dictionary.
func (ix *Index) Suggest(prefix string, n int) []suggest.Entry {
	sn := ix.cur.Load()
	if sn == nil || sn.gen.words == nil {
		return nil
	}
	prefix = strings.TrimSpace(prefix)
	if utf8.RuneCountInString(prefix) > maxSuggestRunes {
		return nil // no term is that long
	}
	return sn.gen.words.Complete(foldText(prefix), n)
}

type apiSuggestions struct {
	Query       string          `json:"query"`
	Suggestions []apiSuggestion `json:"suggestions"`
}

type apiSuggestion struct {
	Text string `json:"text"`
	Kind string `json:"kind"`
}

var kindNames = map[suggest.Kind]string{
	suggest.KindTag: "tag", suggest.KindCategory: "category", suggest.KindBureau: "bureau",
	suggest.KindPlace: "place", suggest.KindTitle: "title", suggest.KindPhrase: "phrase",
}

// SuggestAPI returns the handler of /api/suggest?q=PREFIX: up to eight
// completions, in JSON, for the search box to offer while the reader
// types.
func (s *Server) SuggestAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		// Completions change only with a new generation; a minute of
		// caching spares the server the same prefix typed by many.
		h.Set("Cache-Control", "public, max-age=60")
		if !allowGet(w, r) {
			writeJSON(w, r, http.StatusMethodNotAllowed, apiError{"use GET"})
			return
		}
		q := r.URL.Query().Get("q")
		out := apiSuggestions{Query: q, Suggestions: []apiSuggestion{}}
		for _, e := range s.ix.Suggest(q, suggestions) {
			out.Suggestions = append(out.Suggestions, apiSuggestion{Text: e.Display, Kind: kindNames[e.Kind]})
		}
		writeJSON(w, r, http.StatusOK, out)
	})
}
