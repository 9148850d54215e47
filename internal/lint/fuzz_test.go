package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzLint checks any file: no panic; every hit points into the file; a
// fix keeps every line and line ending, stays valid UTF-8, and leaves
// nothing that another fix would change.
func FuzzLint(f *testing.F) {
	for _, seed := range []string{
		front + "事故发生后,青海省民政厅立即行动;各县(市、区) 迅速响应。\n",
		front + "青海 省\u3000民政厅， 西宁市“文明祭扫 平安清明”《条例\n",
		front + "**一是加快**,要求[通知](a,b.md)`青海,省`https://x.cn/?a=1,b 好?!?!\n",
		"\uFEFF---\r\ntitle: 发生后,青海\r\n---\r\n\r\n青海 省\r\n中华人民共合国\r",
		"---\ntitle: x\n---\n```\n青海,省\n```\n    青海,省\n<div>青海,省</div>\n[青海,省]: /x\n",
		"省(直辖市、自治区)(青海),省",
	} {
		f.Add([]byte(seed))
	}
	if src, err := os.ReadFile(filepath.Join("testdata", "pasted.md")); err == nil {
		f.Add(src)
	}
	// Long runs of what makes a scanner go back over a line (TestLinear's
	// shapes), made here rather than kept as large files.
	for _, p := range pathological {
		f.Add([]byte(front + p.body(2000) + "\n"))
	}
	l := New(NewRules(Builtin()))
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := splitLines(src)
		for _, h := range l.File("a.md", src) {
			if h.Line < 1 || h.Line > len(lines) || h.Column < 1 {
				t.Fatalf("hit outside the file: %+v", h)
			}
			for _, e := range h.edits {
				if e.start < 0 || e.end > len(src) || e.start > e.end || bytes.ContainsAny(src[e.start:e.end], "\r\n") {
					t.Fatalf("edit %+v of %+v reaches outside a line", e, h)
				}
			}
		}
		fixed, applied := l.Fix(src)
		if len(applied) == 0 && !bytes.Equal(fixed, src) {
			t.Fatalf("Fix changed the file without a hit")
		}
		if utf8.Valid(src) && !utf8.Valid(fixed) {
			t.Fatalf("Fix made invalid UTF-8: %q", fixed)
		}
		if got, want := terminators(fixed), terminators(src); got != want {
			t.Fatalf("Fix changed the line endings: %q, want %q", got, want)
		}
		if again, more := l.Fix(fixed); len(more) != 0 || !bytes.Equal(again, fixed) {
			t.Fatalf("a second Fix changed %q to %q (%v)", fixed, again, hitLines(more))
		}
	})
}

// terminators returns the line endings of src in order, and whether it
// starts with a byte order mark.
func terminators(src []byte) string {
	var b bytes.Buffer
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		b.WriteString("BOM")
	}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			b.WriteByte('n')
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				b.WriteByte('c')
				i++
			} else {
				b.WriteByte('r')
			}
		}
	}
	return b.String()
}
