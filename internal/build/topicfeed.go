package build

import (
	"io"
	"strings"

	"bulletin/indexer"
	"bulletin/internal/feed"
	"bulletin/internal/site"
)

// TopicFeed writes a search's feed (data, from indexer.Server.Feed) for
// s: its items as the site's own feeds give them, ids, dates and bodies
// (or only summaries, with feeds.content: summary).
func TopicFeed(w io.Writer, s *site.Site, data *indexer.FeedData) error {
	items := make([]feed.Item, len(data.Items))
	for i, it := range data.Items {
		items[i] = feed.Item{Title: it.Title, URL: it.URL, Date: it.Date, Updated: it.Updated, Summary: it.Summary, Author: it.Bureau}
		if it.Category != "" {
			items[i].Terms = append(items[i].Terms, it.Category)
		}
		items[i].Terms = append(items[i].Terms, it.Tags...)
		if s.Config.Feeds.Content != "summary" {
			items[i].Content = it.Body
		}
	}
	title := topicTitle(data.Request)
	c := feed.Channel{Dir: "/search/", Query: data.Params, Page: "/search?" + data.Params,
		Title: title + " - " + s.Config.Title, Description: s.Config.Title + "：" + title + "，最新发布的信息"}
	out, err := feed.Render(s.Config, data.File, c, items)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// TopicFeeds are the feed links of a search page: its own three feeds,
// when it searched for something, before the site's.
func TopicFeeds(data *indexer.PageData, siteFeeds []FeedLink) []FeedLink {
	if data == nil || data.FeedParams == "" {
		return siteFeeds
	}
	title := topicTitle(data.Request)
	out := make([]FeedLink, 0, 3+len(siteFeeds))
	for _, f := range []struct{ file, typ, name string }{
		{feed.RSSFile, feed.RSSType, " RSS"}, {feed.AtomFile, feed.AtomType, " Atom"}, {feed.JSONFile, feed.JSONType, " JSON Feed"},
	} {
		out = append(out, FeedLink{Title: title + f.name, Type: f.typ, URL: "/search/" + f.file + "?" + data.FeedParams})
	}
	return append(out, siteFeeds...)
}

// topicTitle names a search: “低保”（地区：海东市）的搜索结果.
func topicTitle(r indexer.Request) string {
	var b strings.Builder
	if r.Query != "" {
		b.WriteString("“" + r.Query + "”")
	}
	var filters []string
	for _, f := range []struct{ name, value string }{
		{"来源单位", r.Bureau}, {"地区", r.Region}, {"栏目", r.Category}, {"标签", r.Tag},
	} {
		if f.value != "" {
			filters = append(filters, f.name+"："+f.value)
		}
	}
	if !r.From.IsZero() || !r.To.IsZero() {
		d := "发布日期："
		if !r.From.IsZero() {
			d += r.From.Format("2006-01-02")
		}
		d += "至"
		if !r.To.IsZero() {
			d += r.To.Format("2006-01-02")
		}
		filters = append(filters, d)
	}
	if len(filters) > 0 {
		b.WriteString("（" + strings.Join(filters, "，") + "）")
	}
	b.WriteString("的搜索结果")
	return b.String()
}
