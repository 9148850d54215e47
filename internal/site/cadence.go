package site

import (
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/yamlnode"
)

// Cadence is how often a column must show something new, as government
// website inspections judge it: 2w for news (动态、要闻), 6m for notices
// and policy documents (通知公告、政策文件), 1y for the other columns that
// should be kept up. The zero Cadence is none: the column is not judged.
type Cadence struct {
	N    int
	Unit byte // 'd', 'w', 'm' or 'y'
}

// ParseCadence reads 2w, 6m, 1y, 30d or none.
func ParseCadence(s string) (Cadence, bool) {
	s = strings.TrimSpace(s)
	if s == "none" {
		return Cadence{}, true
	}
	if len(s) < 2 || !strings.ContainsRune("dwmy", rune(s[len(s)-1])) {
		return Cadence{}, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 1 || n > 999 {
		return Cadence{}, false
	}
	return Cadence{N: n, Unit: s[len(s)-1]}, true
}

// None reports whether the column is not judged.
func (c Cadence) None() bool { return c.N == 0 }

// String is the cadence as site.yaml writes it.
func (c Cadence) String() string {
	if c.None() {
		return "none"
	}
	return strconv.Itoa(c.N) + string(c.Unit)
}

// Stale reports whether a column last updated at last is overdue at now,
// by the calendar in last's zone (the site's), as the inspection counts:
// updated on the 10th with a cadence of 2w, it is stale from the 25th.
func (c Cadence) Stale(last, now time.Time) bool {
	if c.None() {
		return false
	}
	if last.IsZero() {
		return true
	}
	ly, lm, ld := last.Date()
	ny, nm, nd := now.In(last.Location()).Date()
	from, today := time.Date(ly, lm, ld, 0, 0, 0, 0, time.UTC), time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)
	var due time.Time
	switch c.Unit {
	case 'd':
		due = from.AddDate(0, 0, c.N)
	case 'w':
		due = from.AddDate(0, 0, 7*c.N)
	case 'm':
		due = from.AddDate(0, c.N, 0)
	default:
		due = from.AddDate(c.N, 0, 0)
	}
	return today.After(due)
}

// Column kinds for the inspection's counts.
const (
	ColumnNews   = "news"   // 动态、要闻: 2 weeks
	ColumnNotice = "notice" // 通知公告、政策文件: 6 months
	ColumnOther  = "other"  // the rest that should be kept up: 1 year
	// ColumnTimed is a column whose update: site.yaml sets, shorter than
	// a year: counted with the news and notices.
	ColumnTimed = "timed"
)

// DefaultCadence is a category's cadence when site.yaml gives none, by
// the words of its name, and the kind it is counted as.
func DefaultCadence(name string) (Cadence, string) {
	for _, w := range []string{"动态", "要闻", "工作", "新闻", "快讯", "信息"} {
		if strings.Contains(name, w) {
			return Cadence{N: 2, Unit: 'w'}, ColumnNews
		}
	}
	for _, w := range []string{"通知", "公告", "政策", "文件", "法规", "解读"} {
		if strings.Contains(name, w) {
			return Cadence{N: 6, Unit: 'm'}, ColumnNotice
		}
	}
	return Cadence{N: 1, Unit: 'y'}, ColumnOther
}

// AuditSettings is the audit: section of site.yaml.
type AuditSettings struct {
	// BureauUpdate is how often each bureau is expected to report; a
	// bureau quiet for longer is listed for the editors, not counted
	// against the site. Default 1m.
	BureauUpdate Cadence
}

func parseAudit(v *yaml.Node, a *AuditSettings, sink *diag.Sink) {
	if v.Kind != yaml.MappingNode {
		sink.Errorf(v.Line, "audit must be a mapping with bureau_update, not %s", yamlnode.Kind(v))
		return
	}
	yamlnode.Pairs(v, []string{"bureau_update"}, "audit.", diag.Error, sink, func(key string, v *yaml.Node) {
		s, ok := yamlnode.Scalar("audit."+key, v, sink)
		if !ok {
			return
		}
		c, ok := ParseCadence(s)
		if !ok {
			sink.Errorf(v.Line, "audit.%s %q is not a cadence: write 2w, 6m, 1y, 30d or none", key, s)
			return
		}
		a.BureauUpdate = c
	})
}
