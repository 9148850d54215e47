package wordbreak

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSegment(t *testing.T) {
	b := New("西宁市", "兰州市", "青海省", "西湖区")
	for _, tc := range []struct{ title, want string }{
		// The headline the issue was seen with: 迅速行/动 no more.
		{"全省民政系统迅速行动做好困难群众冬季保暖工作", "全省|民政系统|迅速|行动|做好|困难群众|冬季|保暖|工作"},
		// A name the vocabulary lacks stays whole, after one it has.
		{"西宁市城北区综合养老服务中心正式投入使用", "西宁市|城北区|综合|养老服务|中心|正式|投入使用"},
		// A number keeps its unit, and a unit that starts a word the word.
		{"青海省下拨1.26亿元冬春救助资金 保障困难群众温暖过冬", "青海省|下拨|1|.|26亿元|冬春|救助|资金| |保障|困难群众|温暖|过冬"},
		{"甘肃省部署2025—2026年度冬春困难群众基本生活保障工作", "甘肃省|部署|2025|—|2026年度|冬春|困难群众|基本生活|保障|工作"},
		{"浙江省民政厅部署2027年元旦春节期间走访慰问工作", "浙江省|民政厅|部署|2027年元旦|春节|期间|走访慰问|工作"},
		// A lone unknown character goes with the word before it, 在 with
		// the word after it.
		{"兰州市老年助餐点覆盖城市社区", "兰州市|老年助餐点|覆盖|城市|社区"},
		{"全省文明祭扫现场推进会在四平市召开", "全省|文明|祭扫|现场|推进会|在四平市|召开"},
		{"打造家门口的幸福共同体", "打造|家门口的|幸福|共同体"},
		// Nothing known: one word, which the browser breaks only if it must.
		{"甲乙丙丁", "甲乙丙丁"},
		{"", ""},
		{"Annual report 2024", "Annual| |report| |2024"},
	} {
		if got := strings.Join(b.Segment(tc.title), "|"); got != tc.want {
			t.Errorf("Segment(%q)\n got %s\nwant %s", tc.title, got, tc.want)
		}
	}
}

func TestHTML(t *testing.T) {
	b := New()
	for _, tc := range []struct{ title, want string }{
		{"迅速行动做好保暖工作", "迅速<wbr>行动<wbr>做好<wbr>保暖<wbr>工作"},
		// No <wbr> beside punctuation or a space: the browser breaks
		// there by itself, and must not before a closing mark.
		{"“暖心行动”取得成效", "“暖心<wbr>行动”取得<wbr>成效"},
		{"<script>alert(1)</script>救助", "&lt;script&gt;alert(1)&lt;/script&gt;救助"},
		{"A&B 养老服务", `<span class="clause">A&amp;B</span> <span class="clause">养老服务</span>`},
		{"覆盖城市社区 “小饭桌”托起幸福", `<span class="clause">覆盖<wbr>城市<wbr>社区</span> <span class="clause">“小饭桌”托起<wbr>幸福</span>`},
	} {
		if got := string(b.HTML(tc.title)); got != tc.want {
			t.Errorf("HTML(%q)\n got %s\nwant %s", tc.title, got, tc.want)
		}
	}
}

// FuzzSegment: the words of any text give the text back, and its HTML
// holds no markup but <wbr>.
func FuzzSegment(f *testing.F) {
	for _, s := range []string{"全省民政系统迅速行动做好困难群众冬季保暖工作", "1.26亿元", "2025年度", "<b>&", "在在在", "\xff\xfe救助"} {
		f.Add(s)
	}
	b := New("西宁市")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<12 {
			return
		}
		words := b.Segment(s)
		if got := strings.Join(words, ""); got != s {
			t.Fatalf("Segment(%q) joins to %q", s, got)
		}
		for _, w := range words {
			if w == "" {
				t.Fatalf("Segment(%q) has an empty word: %q", s, words)
			}
		}
		html := strings.NewReplacer("<wbr>", "", `<span class="clause">`, "", "</span>", "").Replace(string(b.HTML(s)))
		if strings.ContainsAny(html, "<>") {
			t.Fatalf("HTML(%q) = %q holds markup", s, html)
		}
		if utf8.ValidString(s) && strings.Contains(html, "\"") {
			t.Fatalf("HTML(%q) = %q holds a quote unescaped", s, html)
		}
	})
}

// BenchmarkHTML measures a headline's breaks, which every bulletin page
// and digest item pays once.
func BenchmarkHTML(b *testing.B) {
	br := New("西宁市", "青海省")
	for b.Loop() {
		br.HTML("西宁市城北区综合养老服务中心正式投入使用 全省民政系统迅速行动做好困难群众冬季保暖工作")
	}
}

// BenchmarkNew measures making a Breaker, once a build and a digest.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		New("西宁市", "青海省")
	}
}
