package docx

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Markdown writing. Text from a report is untrusted: every character
// that could start Markdown or HTML syntax is escaped, so that the body
// reads as the text the document shows and nothing else. The only
// syntax in a body is what this file writes: headings, bold, images of
// the report, and tables.

var (
	// URLs are left unescaped (but for what would break out of them) so
	// that linkify still sees them whole.
	urlRE = regexp.MustCompile(`(?i)(?:https?://|www\.)[A-Za-z0-9\-._:/?#@!$&'()+,;=%]+`)
	// What makes a line something else than a paragraph in Markdown,
	// beyond the characters escapeInline escapes everywhere.
	blockStartRE = regexp.MustCompile(`^(?:[-+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|-+[ \t]*$|=+[ \t]*$)`)
	// An entity reference, which & starts.
	entityRE = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)
)

// escapeText makes plain text read as itself in Markdown.
func escapeText(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range urlRE.FindAllStringIndex(s, -1) {
		escapeInline(&b, s[last:loc[0]])
		u := s[loc[0]:loc[1]]
		for i := 0; i < len(u); i++ {
			if u[i] == '&' && entityRE.MatchString(u[i:]) {
				b.WriteByte('\\')
			}
			b.WriteByte(u[i])
		}
		last = loc[1]
	}
	escapeInline(&b, s[last:])
	return b.String()
}

func escapeInline(b *strings.Builder, s string) {
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>~&|#", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
}

// escapeLineStart escapes what would make a paragraph's line a list or a
// rule: the marker, or the . or ) after a list number.
func escapeLineStart(line string) string {
	if !blockStartRE.MatchString(line) {
		return line
	}
	at := 0
	for at < len(line) && line[at] >= '0' && line[at] <= '9' {
		at++
	}
	return line[:at] + `\` + line[at:]
}

// flankOK reports a character beside which a ** may touch punctuation
// inside it: a space, punctuation, or the start or end of the line (-1).
func flankOK(r rune) bool {
	return r < 0 || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

func isOpener(r rune) bool { return unicode.In(r, unicode.Ps, unicode.Pi) }
func isCloser(r rune) bool { return unicode.In(r, unicode.Pe, unicode.Pf) }

// writeBold writes s bold; before and after are the characters around it
// on the line, -1 at its ends.
//
// CommonMark lets ** open before punctuation only when a space or
// punctuation comes before it, and close after punctuation only when a
// space or punctuation follows: **一是加强组织领导。**其他 is not bold,
// since the closing ** follows 。 and precedes 其. In such places the
// punctuation at the end of the bold text is moved outside the markers,
// **一是加强组织领导**。其他, so that they touch a letter or a Han character
// on their inner side, which lets them open and close whatever is
// outside: bold in any CommonMark renderer, the project's CJK-aware one
// included. The punctuation loses its boldness, which in a Chinese font
// barely shows. Spaces at either end always go outside: ** a** is no
// emphasis anywhere.
func writeBold(b *strings.Builder, s string, before, after rune) {
	lead := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
	if lead > 0 {
		before = ' '
	}
	if !flankOK(before) {
		lead = len(s) - len(strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isPunct(r) }))
	}
	rest := s[lead:]
	core := strings.TrimRightFunc(rest, unicode.IsSpace)
	if len(core) < len(rest) {
		after = ' '
	}
	if !flankOK(after) {
		core = strings.TrimRightFunc(core, func(r rune) bool { return unicode.IsSpace(r) || isPunct(r) })
	}
	// A bracket or quotation mark whose partner was moved out goes out
	// too: “**双千兆**”, not **“双千兆**”.
	for {
		r, n := utf8.DecodeRuneInString(core)
		if n == 0 || !unicode.In(r, unicode.Ps, unicode.Pi) || strings.IndexFunc(core, isCloser) >= 0 {
			break
		}
		lead += n
		core = core[n:]
	}
	for {
		r, n := utf8.DecodeLastRuneInString(core)
		if n == 0 || !isCloser(r) || strings.IndexFunc(core, isOpener) >= 0 {
			break
		}
		core = core[:len(core)-n]
	}
	if strings.TrimFunc(core, func(r rune) bool { return unicode.IsSpace(r) || isPunct(r) }) == "" {
		// Nothing but punctuation and spaces: not worth the markers,
		// and ** around them could not always open and close.
		b.WriteString(escapeText(s))
		return
	}
	b.WriteString(escapeText(s[:lead]))
	b.WriteString("**")
	b.WriteString(escapeText(core))
	b.WriteString("**")
	b.WriteString(escapeText(s[lead+len(core):]))
}

// escapeAlt escapes the description of an image for ![…](…).
func escapeAlt(s string) string {
	var b strings.Builder
	escapeInline(&b, s)
	return b.String()
}
