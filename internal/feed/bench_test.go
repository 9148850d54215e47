package feed

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bulletin/internal/site"
)

// benchSite makes a site of n bulletins shaped like a province's news:
// 200 bureaus in 31 regions, 10 categories, 100 tags, two tags a
// bulletin, bodies of about 3 KB with an image and links.
func benchSite(n int) *site.Site {
	loc := time.FixedZone("CST", 8*3600)
	base, _ := site.ParseBase("https://news.example.org/")
	s := &site.Site{
		Config: &site.Config{Title: "民政信息网", Base: base, Language: "zh-CN",
			Location: loc, Feeds: site.FeedSettings{Limit: 50, ListingLimit: 20, Content: "full"}},
		Bureaus:    &site.Taxonomy{Kind: "bureaus", Title: "来源单位", URL: "/bureaus/"},
		Regions:    &site.Taxonomy{Kind: "regions", Title: "地区", URL: "/regions/"},
		Categories: &site.Taxonomy{Kind: "categories", Title: "栏目分类", URL: "/categories/"},
		Tags:       &site.Taxonomy{Kind: "tags", Title: "标签", URL: "/tags/"},
		Months:     &site.Taxonomy{Kind: "archive", Title: "按月归档", URL: "/archive/"},
	}
	terms := func(tax *site.Taxonomy, k int, name string) {
		for i := range k {
			slug := fmt.Sprintf("%s-%03d", tax.Kind, i)
			tax.Terms = append(tax.Terms, &site.Term{Kind: tax.Kind, Name: fmt.Sprintf("%s%d", name, i), Slug: slug, URL: tax.URL + slug + "/"})
		}
	}
	terms(s.Bureaus, 200, "民政局")
	terms(s.Regions, 31, "省")
	terms(s.Categories, 10, "分类")
	terms(s.Tags, 100, "标签")
	para := "<p>" + strings.Repeat("会议要求，要加强殡葬服务机构安全管理，推行节地生态安葬，落实惠民殡葬政策。", 6) + "</p>\n"
	start := time.Date(2025, 6, 1, 9, 0, 0, 0, loc)
	for i := range n {
		slug := fmt.Sprintf("b%05d", i)
		b := &site.Bulletin{Slug: slug, URL: "/bulletins/" + slug + "/", Title: fmt.Sprintf("第%d条工作动态", i),
			Date: start.Add(-time.Duration(i) * 7 * time.Hour), Summary: "会议要求，要加强殡葬服务机构安全管理。",
			Body: para + `<p><img src="photo.jpg" alt="现场"></p>` + "\n" + para + para +
				`<p>详见<a href="notice.pdf">附件</a>，另见<a href="../b00001/">此前报道</a>。</p>` + "\n" + para + para}
		b.Updated = b.Date
		b.Bureau = s.Bureaus.Terms[i%200]
		b.Region = s.Regions.Terms[i%200%31]
		b.Category = s.Categories.Terms[i%10]
		b.Tags = []*site.Term{s.Tags.Terms[i%100], s.Tags.Terms[(i*7+3)%100]}
		for _, t := range append([]*site.Term{b.Bureau, b.Region, b.Category}, b.Tags...) {
			t.Bulletins = append(t.Bulletins, b)
		}
		s.Bulletins = append(s.Bulletins, b)
	}
	return s
}

// BenchmarkWrite renders every feed of a 10,000-bulletin site, without
// writing files: the feeds step of a build less its disk time.
func BenchmarkWrite(b *testing.B) {
	s := benchSite(10000)
	var size atomic.Int64
	for b.Loop() {
		size.Store(0)
		err := Write(context.Background(), s, Channels(s), func(_ string, data []byte) error {
			size.Add(int64(len(data)))
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size.Load())/1e6, "MB/op")
}
