package site

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/yamlnode"
)

// ReportingSettings is the reporting: section of site.yaml: how the office
// receives, reviews and scores the reports bureaus send (信息报送).
type ReportingSettings struct {
	// Inbox is the site-relative folder where bureaus' reports arrive;
	// default inbox.
	Inbox string
	// PublishNotice puts the ranking notices (通报) on the site at
	// /notices/; false by default, since offices circulate them
	// internally.
	PublishNotice bool
	// NoticeTitle is the masthead of the notice; default 信息工作通报.
	NoticeTitle string
	Points      Points
}

// Points is the published table of points a bureau earns (reporting.points
// in site.yaml). Each figure is per adoption; RequestMissed is usually
// negative.
type Points struct {
	Site     int // 网站采用: a bulletin published on the site
	Digest   int // 简报采用: once for every digest issue that carries it
	Province int // 上级采用 by a provincial publication
	State    int // 上级采用 by a State Council publication
	// Instructions (领导批示) by a provincial and by a national leader.
	InstructionProvince, InstructionState int
	// A request (约稿) answered by its due date, and one missed or late.
	RequestAnswered, RequestMissed int
}

// DefaultPoints is the table used where site.yaml gives none: the scale
// many provincial offices publish.
func DefaultPoints() Points {
	return Points{Site: 1, Digest: 3, Province: 10, State: 40,
		InstructionProvince: 10, InstructionState: 20, RequestAnswered: 5, RequestMissed: -10}
}

// pointKeys are the keys of reporting.points, in the table's order.
var pointKeys = []string{"site", "digest", "province", "state",
	"instruction_province", "instruction_state", "request_answered", "request_missed"}

func (p *Points) field(key string) *int {
	return map[string]*int{"site": &p.Site, "digest": &p.Digest, "province": &p.Province, "state": &p.State,
		"instruction_province": &p.InstructionProvince, "instruction_state": &p.InstructionState,
		"request_answered": &p.RequestAnswered, "request_missed": &p.RequestMissed}[key]
}

func defaultReporting() ReportingSettings {
	return ReportingSettings{Inbox: "inbox", NoticeTitle: "信息工作通报", Points: DefaultPoints()}
}

func parseReporting(v *yaml.Node, r *ReportingSettings, sink *diag.Sink) {
	if v.Kind != yaml.MappingNode {
		sink.Errorf(v.Line, "reporting must be a mapping with inbox, publish_notice, notice_title and points, not %s", yamlnode.Kind(v))
		return
	}
	yamlnode.Pairs(v, []string{"inbox", "publish_notice", "notice_title", "points"}, "reporting.", diag.Error, sink, func(key string, v *yaml.Node) {
		switch key {
		case "inbox":
			s, ok := yamlnode.Scalar("reporting.inbox", v, sink)
			if !ok {
				return
			}
			if msg := checkInbox(s); msg != nil {
				sink.Errorf(v.Line, "reporting.inbox %q %s", s, msg)
				return
			}
			r.Inbox = path.Clean(s)
		case "publish_notice":
			r.PublishNotice = yamlnode.Bool("reporting.publish_notice", v, sink)
		case "notice_title":
			if s, ok := yamlnode.Scalar("reporting.notice_title", v, sink); ok && s != "" {
				r.NoticeTitle = s
			}
		case "points":
			if v.Kind != yaml.MappingNode {
				sink.Errorf(v.Line, "reporting.points must be a mapping of %s to whole numbers, not %s", diag.List(pointKeys), yamlnode.Kind(v))
				return
			}
			yamlnode.Pairs(v, pointKeys, "reporting.points.", diag.Error, sink, func(key string, v *yaml.Node) {
				n, ok := yamlnode.Int("reporting.points."+key, v, sink)
				if !ok {
					return
				}
				if n < -1000 || n > 1000 {
					sink.Errorf(v.Line, "reporting.points.%s must be between -1000 and 1000, not %d", key, n)
					return
				}
				*r.Points.field(key) = n
			})
		}
	})
}

// checkInbox says what is wrong with an inbox folder, nil when nothing: it
// must be a folder inside the site, and not one whose files are published.
func checkInbox(s string) *diag.Message {
	if s == "" || strings.Contains(s, `\`) || path.IsAbs(s) || strings.Contains(s, ":") {
		return &diag.Message{Format: "must be a folder inside the site, written with /, such as inbox"}
	}
	c := path.Clean(s)
	if c == "." || c == ".." || strings.HasPrefix(c, "../") {
		return &diag.Message{Format: "must be a folder inside the site, such as inbox"}
	}
	top := strings.SplitN(c, "/", 2)[0]
	switch top {
	case ContentDir, "reports", "digests", "theme":
		return &diag.Message{Format: "must not be inside %s/: reports waiting for review are neither published nor records", Args: []any{top}}
	}
	return nil
}
