package docx

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
)

func TestChildrenAndWalk(t *testing.T) {
	const doc = `<a><b><c><d/></c>x<e/></b>y<f><g/></f></a>`
	// read reads doc's root with each (children or walk), where fn reads
	// the element named read (partly, to depth 3, or whole), and returns
	// the elements fn saw and the tokens left after the root.
	read := func(walk bool, read string, partly bool) (seen []string, left int) {
		tokens := 100
		x := newXMLReader(context.Background(), strings.NewReader(doc), "test.xml", 10, &tokens)
		if _, err := x.next(); err != nil { // <a>
			t.Fatal(err)
		}
		each := x.children
		if walk {
			each = x.walk
		}
		err := each(func(se xml.StartElement) error {
			seen = append(seen, se.Name.Local)
			if se.Name.Local != read {
				return nil
			}
			if partly {
				_, err := x.next() // the child's first child, left open
				return err
			}
			return x.skip()
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.next(); err == nil || x.depth != 0 {
			t.Fatalf("after the root: %v at depth %d, want the end of the part", err, x.depth)
		}
		return seen, tokens
	}
	const all = 17 // 7 starts, 7 ends, 2 texts, the end of the part, all read whatever fn reads
	for _, c := range []struct {
		walk   bool
		read   string
		partly bool
		want   string
	}{
		{false, "", false, "b f"},
		{false, "b", true, "b f"},
		{true, "", false, "b c d e f g"},
		{true, "b", false, "b f g"},
		{true, "c", false, "b c e f g"},
	} {
		seen, left := read(c.walk, c.read, c.partly)
		if got := strings.Join(seen, " "); got != c.want {
			t.Errorf("walk %v, reading %q: saw %q, want %q", c.walk, c.read, got, c.want)
		}
		if used := 100 - left; used != all {
			t.Errorf("walk %v, reading %q: %d tokens, want %d", c.walk, c.read, used, all)
		}
	}
}

func TestChildrenErrors(t *testing.T) {
	reader := func(s string) *xmlReader {
		tokens := 100
		return newXMLReader(context.Background(), strings.NewReader(s), "test.xml", 10, &tokens)
	}
	// At the top of a part the end of the part is the end.
	x := reader(`<a/><!-- -->`)
	n := 0
	if err := x.children(func(xml.StartElement) error { n++; return nil }); err != nil || n != 1 {
		t.Errorf("top: %v, %d roots", err, n)
	}
	// Inside an element it is an error, whoever reads.
	for _, fn := range []func(xml.StartElement) error{
		func(xml.StartElement) error { return nil },
		func(xml.StartElement) error { return x.skip() },
	} {
		x = reader(`<a><b><c>`)
		x.next()
		var fe *FormatError
		if err := x.children(fn); !errors.As(err, &fe) || !strings.Contains(err.Error(), "test.xml is not well-formed XML") {
			t.Errorf("a part cut short: %v", err)
		}
	}
	// An error of fn ends the reading as it is.
	x = reader(`<a><b/><c/></a>`)
	x.next()
	stop := errors.New("stop")
	n = 0
	if err := x.walk(func(xml.StartElement) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("fn's error: %v after %d elements", err, n)
	}
}
