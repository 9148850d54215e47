package hanzi

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/longbridgeapp/opencc"
)

func newFolder(t testing.TB) *Folder {
	t.Helper()
	f, err := NewFolder()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFold(t *testing.T) {
	f := newFolder(t)
	for _, tc := range []struct{ in, want string }{
		{"臨時救助", "临时救助"},
		{"養老服務", "养老服务"},
		{"最低生活保障", "最低生活保障"},
		{"省民政廳關於提高城鄉低保標準的通知", "省民政厅关于提高城乡低保标准的通知"},
		// Phrases decide a character with two simplified forms.
		{"乾燥", "干燥"},
		{"乾坤", "乾坤"},
		{"頭髮", "头发"},
		{"反覆", "反复"},
		{"覆盖", "覆盖"},
		// Letters, digits, punctuation and other scripts pass through.
		{"2025年第3季度 COVID-19，（臨時）", "2025年第3季度 COVID-19，（临时）"},
		{"", ""},
		{"abc", "abc"},
		{"\xff臨\xfe", "\xff临\xfe"},
	} {
		got := f.Fold(tc.in)
		if got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if b := f.FoldBytes([]byte(tc.in)); string(b) != tc.want {
			t.Errorf("FoldBytes(%q) = %q, want %q", tc.in, b, tc.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(tc.in) {
			t.Errorf("Fold(%q) = %q: %d runes for %d", tc.in, got, utf8.RuneCountInString(got), utf8.RuneCountInString(tc.in))
		}
	}
}

// TestFoldSimplifiedUnchanged: simplified text comes back as the very same
// string, without a copy.
func TestFoldSimplifiedUnchanged(t *testing.T) {
	f := newFolder(t)
	s := strings.Repeat("为进一步做好困难群众基本生活保障工作，市民政局召开专题会议。", 20)
	if got := f.Fold(s); unsafe.StringData(got) != unsafe.StringData(s) {
		t.Errorf("simplified text was copied")
	}
	if n := testing.AllocsPerRun(100, func() { f.Fold(s) }); n != 0 {
		t.Errorf("Fold of simplified text allocates %v times", n)
	}
	b := []byte(s)
	if got := f.FoldBytes(b); &got[0] != &b[0] {
		t.Errorf("simplified bytes were copied")
	}
}

// TestFoldAgreesWithOpenCC: Fold gives what OpenCC's own conversion gives.
func TestFoldAgreesWithOpenCC(t *testing.T) {
	f := newFolder(t)
	cc, err := opencc.New("t2s")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range foldSamples {
		want, err := cc.Convert(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Fold(s); got != want {
			t.Errorf("Fold(%q) = %q; OpenCC gives %q", s, got, want)
		}
	}
}

var foldSamples = []string{
	"臨時救助", "乾燥的天氣裡，他一目瞭然地回覆了函覆。", "沈默是金，沈船",
	"香港特別行政區社會福利署發佈長者生活津貼調整公告",
	"臺灣地區的養老服務機構與社區照顧關懷據點",
	"後來皇后一隻隻身發展頭髮乾部幹部著名著作",
	"2025年第3季度（臨時）COVID-19 防疫",
}

func FuzzFold(f *testing.F) {
	for _, s := range foldSamples {
		f.Add(s)
	}
	folder := newFolder(f)
	cc, err := opencc.New("t2s")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := folder.Fold(s)
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(s) {
			t.Fatalf("Fold(%q) = %q changes the rune count", s, got)
		}
		// OpenCC's own loop mistakes a control character before a key
		// for part of it ("\x01晉" gives "晋晋"): compare on text only.
		if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) || strings.ContainsFunc(s, unicode.IsControl) {
			return
		}
		if want, err := cc.Convert(s); err == nil && utf8.RuneCountInString(want) == utf8.RuneCountInString(s) && got != want {
			t.Fatalf("Fold(%q) = %q; OpenCC gives %q", s, got, want)
		}
	})
}

func BenchmarkFold(b *testing.B) {
	f := newFolder(b)
	simplified := strings.Repeat("为进一步做好困难群众基本生活保障工作，市民政局召开专题会议。", 60)
	traditional := strings.Repeat("為進一步做好困難群眾基本生活保障工作，市民政局召開專題會議。", 60)
	for _, tc := range []struct{ name, text string }{{"simplified", simplified}, {"traditional", traditional}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.text)))
			for b.Loop() {
				f.Fold(tc.text)
			}
		})
	}
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			newFolder(b)
		}
	})
}
