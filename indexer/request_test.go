package indexer

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseRequest(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, loc)
		return d
	}
	long := strings.Repeat("低", 6000)
	tests := []struct {
		query   string
		want    Request
		wantErr string // part of the error, "" for none
	}{
		{"", Request{Page: 1}, ""},
		{"q=低保", Request{Query: "低保", Page: 1}, ""},
		{"q=%20%E4%BD%8E%E4%BF%9D%E3%80%80", Request{Query: "低保", Page: 1}, ""},
		{"q=" + long, Request{Query: strings.Repeat("低", MaxQueryRunes), Page: 1, Cut: true}, ""},
		{"q=a%00b%FF", Request{Query: "a b", Page: 1}, ""},
		{"bureau=青海省民政厅&region=青海省&category=社会救助&tag=低保", Request{Bureau: "青海省民政厅", Region: "青海省", Category: "社会救助", Tag: "低保", Page: 1}, ""},
		{"from=2024-01-01&to=2024-12-31", Request{From: day("2024-01-01"), To: day("2024-12-31"), Page: 1}, ""},
		{"from=2024-1-1", Request{Page: 1}, "from: \"2024-1-1\" is not a date"},
		{"to=tomorrow", Request{Page: 1}, "to: \"tomorrow\" is not a date"},
		{"from=0001-01-01&to=0099-12-31", Request{From: day("0001-01-01"), To: day("0099-12-31"), Page: 1}, ""},
		{"from=2024-02-01&to=2024-01-01", Request{From: day("2024-02-01"), To: day("2024-01-01"), Page: 1}, "to is before from"},
		{"sort=date", Request{Sort: SortDate, Page: 1}, ""},
		{"sort=relevance", Request{Sort: SortRelevance, Page: 1}, ""},
		{"sort=random", Request{Page: 1}, "sort \"random\": use relevance or date"},
		{"page=3", Request{Page: 3}, ""},
		{"page=0", Request{Page: 1}, "page \"0\""},
		{"page=-1", Request{Page: 1}, "page \"-1\""},
		{"page=abc", Request{Page: 1}, "page \"abc\""},
		{"page=101", Request{Page: 1}, "use a number from 1 to 100"},
		{"page=99999999999999999999", Request{Page: 1}, "page"},
	}
	for _, tt := range tests {
		v, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseRequest(v, loc)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ParseRequest(%.40q): %v", tt.query, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseRequest(%.40q) error = %v, want one with %q", tt.query, err, tt.wantErr)
		}
		if !equalRequests(got, tt.want) {
			t.Errorf("ParseRequest(%.40q) = %+v, want %+v", tt.query, got, tt.want)
		}
	}
}

func equalRequests(a, b Request) bool {
	return a.Query == b.Query && a.Bureau == b.Bureau && a.Region == b.Region && a.Category == b.Category &&
		a.Tag == b.Tag && a.From.Equal(b.From) && a.To.Equal(b.To) && a.Sort == b.Sort && a.Page == b.Page && a.Cut == b.Cut
}

func TestRequestEncode(t *testing.T) {
	loc := time.UTC
	r := Request{Query: "低保 标准&x=1", Bureau: "青海省民政厅", From: time.Date(2024, 1, 1, 0, 0, 0, 0, loc), Sort: SortDate, Page: 2}
	want := "q=%E4%BD%8E%E4%BF%9D+%E6%A0%87%E5%87%86%26x%3D1&bureau=%E9%9D%92%E6%B5%B7%E7%9C%81%E6%B0%91%E6%94%BF%E5%8E%85&from=2024-01-01&sort=date&page=2"
	if got := r.Encode(); got != want {
		t.Errorf("Encode = %s, want %s", got, want)
	}
	// And back.
	v, _ := url.ParseQuery(r.Encode())
	back, err := ParseRequest(v, loc)
	if err != nil || !equalRequests(back, r) {
		t.Errorf("ParseRequest(Encode()) = %+v, %v; want %+v", back, err, r)
	}
	if got := (Request{Page: 1}).Encode(); got != "" {
		t.Errorf("Encode of the empty request = %q, want nothing", got)
	}
}
