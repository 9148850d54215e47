package site

import (
	"bytes"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/yamlnode"
)

// frontMatter is what a bulletin's YAML header says, before it is checked
// against the registry.
type frontMatter struct {
	Title, Bureau, Region, Category, Summary, Slug string
	Tags                                           []string
	Date, Updated                                  time.Time
	Draft                                          bool
	// Relay marks a bulletin carried from another office (转载): its
	// closing line may name an office outside the registry.
	Relay     bool
	Reporting Reporting

	// Lines of the keys, for messages about their values.
	titleLine, bureauLine, regionLine, categoryLine, slugLine, dateLine, updatedLine, summaryLine int
}

var frontMatterKeys = []string{
	"title", "date", "bureau", "region", "category", "tags", "summary", "slug",
	"draft", "updated", "signer", "author", "contact", "urgency", "relay",
}

var urgencies = []string{"一般", "紧急", "特急"}

// BureauMissing is the problem of a bulletin that names no bureau, which
// the inbox words its own way for a Word report.
const BureauMissing = "bureau is missing: name the submitting bureau as listed in site.yaml"

// SplitFrontMatter separates the YAML header from the body. It returns the
// YAML, the body and the file line on which the body starts; the header must
// open on the first line with --- and close with a line --- (or ...).
func SplitFrontMatter(src []byte, sink *diag.Sink) (yamlSrc, body []byte, bodyLine int, ok bool) {
	lines := bytes.SplitAfter(src, []byte("\n"))
	if delimiter(lines[0]) != "---" {
		sink.Errorf(1, "no front matter: a bulletin starts with a line --- followed by title:, date: and bureau: lines and another ---")
		return nil, nil, 0, false
	}
	off := len(lines[0])
	for i := 1; i < len(lines); i++ {
		if d := delimiter(lines[i]); d == "---" || d == "..." {
			return src[len(lines[0]):off], src[off+len(lines[i]):], i + 2, true
		}
		off += len(lines[i])
	}
	sink.Errorf(1, "front matter opened on line 1 is never closed: add a line --- after the last key")
	return nil, nil, 0, false
}

func delimiter(line []byte) string {
	return strings.TrimRight(string(line), " \t\r\n")
}

// parseFrontMatter reads the header's keys. Dates that carry no time zone
// are in the site's, and the lengths are held to the site's limits.
// It returns nil when the YAML cannot be read at all; otherwise the keys
// it could read, with their problems in sink.
func parseFrontMatter(src []byte, cfg *Config, sink *diag.Sink) *frontMatter {
	loc, lim := cfg.Location, cfg.Limits
	root, ok := yamlnode.Mapping(src, 2, sink)
	if !ok {
		return nil
	}
	fm := &frontMatter{}
	var dateSeen bool
	yamlnode.Pairs(root, frontMatterKeys, "", diag.Warning, sink, func(key string, v *yaml.Node) {
		switch key {
		case "title":
			fm.Title, _ = yamlnode.Scalar(key, v, sink)
			fm.titleLine = v.Line
			checkLength(&diag.Message{Format: "title"}, fm.Title, lim.TitleLength, "title_length", v.Line, sink)
			warnInvisible(&diag.Message{Format: "title"}, fm.Title, v.Line, sink)
		case "date":
			fm.dateLine, dateSeen = v.Line, true
			if s, ok := yamlnode.Scalar(key, v, sink); ok {
				fm.Date, ok = parseDate(key, s, loc, v.Line, sink)
			}
		case "updated":
			fm.updatedLine = v.Line
			if s, ok := yamlnode.Scalar(key, v, sink); ok && s != "" {
				fm.Updated, _ = parseDate(key, s, loc, v.Line, sink)
			}
		case "bureau":
			fm.Bureau, _ = yamlnode.Scalar(key, v, sink)
			fm.bureauLine = v.Line
		case "region":
			fm.Region, _ = yamlnode.Scalar(key, v, sink)
			fm.regionLine = v.Line
		case "category":
			fm.Category, _ = yamlnode.Scalar(key, v, sink)
			fm.categoryLine = v.Line
		case "tags":
			fm.Tags = parseTags(v, lim, sink)
		case "summary":
			fm.Summary, _ = yamlnode.Scalar(key, v, sink)
			fm.summaryLine = v.Line
			checkLength(&diag.Message{Format: "summary"}, fm.Summary, lim.SummaryLength, "summary_length", v.Line, sink)
			warnInvisible(&diag.Message{Format: "summary"}, fm.Summary, v.Line, sink)
		case "slug":
			fm.Slug, _ = yamlnode.Scalar(key, v, sink)
			fm.slugLine = v.Line
		case "draft":
			fm.Draft = yamlnode.Bool(key, v, sink)
		case "relay":
			fm.Relay = yamlnode.Bool(key, v, sink)
		case "signer":
			fm.Reporting.Signer, _ = yamlnode.Scalar(key, v, sink)
		case "author":
			fm.Reporting.Author, _ = yamlnode.Scalar(key, v, sink)
		case "contact":
			fm.Reporting.Contact, _ = yamlnode.Scalar(key, v, sink)
		case "urgency":
			s, _ := yamlnode.Scalar(key, v, sink)
			if s != "" && !slices.Contains(urgencies, s) {
				sink.Errorf(v.Line, "urgency %q must be one of 一般, 紧急, 特急%s", s, diag.Suggest(s, urgencies))
			}
			fm.Reporting.Urgency = s
		}
	})
	if fm.Title == "" {
		sink.Errorf(lineOr(fm.titleLine, 1), "title is missing")
	}
	if !dateSeen {
		sink.Errorf(1, "date is missing: add a line such as date: 2024-03-05")
	} else if fm.Date.IsZero() && !sink.Failed() {
		sink.Errorf(fm.dateLine, "date is empty: use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339")
	}
	if fm.Bureau == "" {
		sink.Errorf(lineOr(fm.bureauLine, 1), BureauMissing)
	}
	if !fm.Updated.IsZero() && !fm.Date.IsZero() && fm.Updated.Before(fm.Date) {
		sink.Errorf(fm.updatedLine, "updated %s is before date %s", fm.Updated.Format(time.DateOnly), fm.Date.Format(time.DateOnly))
	}
	return fm
}

func lineOr(line, fallback int) int {
	if line > 0 {
		return line
	}
	return fallback
}

// parseTags reads tags: as a list or a single name, dropping repeats.
// Every tag is a listing page with three feeds, so their number and
// length are held to the site's limits.
func parseTags(v *yaml.Node, lim Limits, sink *diag.Sink) []string {
	items := []*yaml.Node{v}
	switch v.Kind {
	case yaml.ScalarNode:
	case yaml.SequenceNode:
		items = v.Content
	default:
		sink.Errorf(v.Line, "tags must be a list, not %s", yamlnode.Kind(v))
		return nil
	}
	if len(items) > lim.Tags {
		sink.Errorf(v.Line, "%d tags; a bulletin may have at most %d (limits.tags in site.yaml)", len(items), lim.Tags)
		return nil
	}
	var out []string
	for _, item := range items {
		item = yamlnode.Deref(item)
		t, ok := yamlnode.Scalar("tags item", item, sink)
		if !ok || t == "" || slices.Contains(out, t) {
			continue
		}
		checkLength(&diag.Message{Format: "tag"}, t, lim.TagLength, "tag_length", item.Line, sink)
		warnInvisible(&diag.Message{Format: "tag"}, t, item.Line, sink)
		out = append(out, t)
	}
	return out
}

// checkLength reports a value longer than limit characters; what names
// the value for the reader ("title").
func checkLength(what *diag.Message, s string, limit int, setting string, line int, sink *diag.Sink) {
	if n := utf8.RuneCountInString(s); n > limit {
		sink.Errorf(line, "%s is %d characters long; at most %d (limits.%s in site.yaml)", what, n, limit, setting)
	}
}

// warnInvisible warns of characters that change how text around them is
// shown without being seen: a right-to-left override makes
// "通知\u202Efdp.exe" read as 通知exe.pdf. In a file name they are an
// error (see checkFileName).
func warnInvisible(what *diag.Message, s string, line int, sink *diag.Sink) {
	if r, ok := invisibleRune(s); ok {
		sink.Warnf(line, "%s contains the invisible character U+%04X, which can change how the text reads; delete it", what, r)
	}
}

// checkFileName refuses a path with an invisible character: a reader
// would download 通知\u202Efdp.exe believing it is 通知exe.pdf.
func checkFileName(p string) error {
	if r, ok := invisibleRune(p); ok {
		return diag.Errorf("the file name %q contains the invisible character U+%04X, which can disguise its type; rename the file", p, r)
	}
	return nil
}

// invisibleRune returns the first bidirectional control or zero-width
// character in s.
func invisibleRune(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, // embeddings, overrides, isolates
			r >= 0x200B && r <= 0x200F, // zero-width space, joiners, direction marks
			r == 0x061C, r == 0x2060, r == 0xFEFF, r == 0x180E, r == 0x00AD:
			return r, true
		}
	}
	return 0, false
}

// dateLayouts are the forms editors write; RFC 3339 carries its own offset,
// the others are read in the site's time zone.
var dateLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	time.DateOnly,
}

func parseDate(key, s string, loc *time.Location, line int, sink *diag.Sink) (time.Time, bool) {
	var firstErr error
	for _, layout := range dateLayouts {
		t, err := time.ParseInLocation(layout, s, loc)
		if err == nil {
			return t, true
		}
		// The error for a layout of the same length explains the problem
		// best ("month out of range" rather than "cannot parse").
		if firstErr == nil || len(layout) == len(s) {
			firstErr = err
		}
	}
	field := &diag.Message{Format: "date"}
	if key == "updated" {
		field = &diag.Message{Format: "updated"}
	}
	if pe, ok := firstErr.(*time.ParseError); ok && strings.HasPrefix(pe.Message, ": ") {
		// The time package's reason, such as "month out of range", which
		// zh/system.yaml translates.
		reason := &diag.Message{Format: strings.TrimPrefix(pe.Message, ": ")}
		sink.Errorf(line, "%v %q is not a valid date: %v; use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339", field, s, reason)
	} else {
		sink.Errorf(line, "%v %q is not a valid date: use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339", field, s)
	}
	return time.Time{}, false
}

// Reporting holds the internal fields of information reporting (信息报送).
// They are kept for statistics and the digest but never rendered publicly.
type Reporting struct {
	Signer  string // 签发人
	Author  string // 执笔人
	Contact string
	Urgency string // 一般, 紧急 or 特急
}
