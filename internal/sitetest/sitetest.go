// Package sitetest generates sites of any size in memory, for benchmarks
// and tests of the stages that read a site. The bulletins are plausible
// Chinese news text from a fixed vocabulary, so sizes and the mix of
// Markdown features stay close to real submissions; the same n always
// gives the same files. Small sites that a test needs exactly are written
// in it as txtar archives instead, read with FS.
package sitetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing/fstest"
)

var (
	provinces = []struct{ name, slug, city string }{
		{"青海省", "qinghai", "西宁市"}, {"甘肃省", "gansu", "兰州市"}, {"浙江省", "zhejiang", "杭州市"},
		{"四川省", "sichuan", "成都市"}, {"河南省", "henan", "郑州市"}, {"广东省", "guangdong", "广州市"},
	}
	categories = []string{"工作动态", "社会救助", "养老服务", "儿童福利", "社区治理", "慈善事业"}
	tags       = []string{"低保", "冬春救助", "老年助餐", "困境儿童", "社区减负", "慈善信托", "婚姻登记", "地名文化", "防汛救灾", "临时救助"}
	openings   = []string{"近日，", "为深入贯彻落实党中央、国务院决策部署，", "今年以来，", "日前，"}
	phrases    = []string{
		"全面排查困难群众基本生活情况", "及时将符合条件的困难群众纳入救助范围", "加快推进居家社区养老服务网络建设",
		"持续深化社区减负增效", "规范救助资金发放", "推动慈善事业高质量发展", "做好困境儿童关爱保护工作",
		"落实最低生活保障标准动态调整机制", "加强基层民政服务能力建设", "切实兜牢民生底线",
	}
)

// Site returns a site of n bulletins: site.yaml and content/<region>/<year>/bNNNNN.md.
func Site(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	var cfg strings.Builder
	cfg.WriteString("title: 基准测试民政信息网\nbase_url: https://bench.example.org/\ncategories: [" + strings.Join(categories, ", ") + "]\nbureaus:\n")
	for _, p := range provinces {
		fmt.Fprintf(&cfg, "  - {name: %s民政厅, region: %s, slug: %s}\n  - {name: %s民政局, region: %s, slug: %s-city}\n",
			p.name, p.name, p.slug, p.city, p.name, p.slug)
	}
	fsys["site.yaml"] = &fstest.MapFile{Data: []byte(cfg.String())}
	for i := range n {
		r := rand.New(rand.NewPCG(uint64(i), 1))
		p := provinces[r.IntN(len(provinces))]
		bureau := p.name + "民政厅"
		if r.IntN(2) == 0 {
			bureau = p.city + "民政局"
		}
		year, month, day := 2019+r.IntN(7), 1+r.IntN(12), 1+r.IntN(28)
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %s%s\ndate: %04d-%02d-%02d %02d:%02d\nbureau: %s\ncategory: %s\ntags: [%s, %s]\n---\n\n",
			bureau, phrases[r.IntN(len(phrases))], year, month, day, 8+r.IntN(10), r.IntN(60),
			bureau, categories[r.IntN(len(categories))], tags[r.IntN(len(tags))], tags[r.IntN(len(tags))])
		for para := range 4 + r.IntN(8) {
			if para == 1 {
				fmt.Fprintf(&b, "**一是%s。**", phrases[r.IntN(len(phrases))])
			}
			b.WriteString(openings[r.IntN(len(openings))])
			for range 4 + r.IntN(6) {
				b.WriteString(phrases[r.IntN(len(phrases))])
				b.WriteString("，")
			}
			b.WriteString(phrases[r.IntN(len(phrases))] + "。\n\n")
		}
		fmt.Fprintf(&b, "（据%s）\n", bureau)
		fsys[fmt.Sprintf("content/%s/%d/b%05d.md", p.slug, year, i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}
