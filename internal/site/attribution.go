package site

import (
	"regexp"
	"strings"
)

// A bulletin traditionally closes with its source in full-width
// parentheses: （据青海省民政厅） or （青海省民政厅供稿）. Editors also type
// ASCII parentheses, so both are accepted.
var (
	attributionJu     = regexp.MustCompile(`[（(]\s*据\s*([^（）()]{2,40}?)\s*[）)]\s*$`)
	attributionGongao = regexp.MustCompile(`[（(]\s*([^（）()]{2,40}?)\s*供稿\s*[）)]\s*$`)
)

// findAttribution looks at the last line of text. It returns the source's
// name and the text without the attribution, for summaries; alone says the
// closing line is the whole of the last block, a paragraph of its own.
func findAttribution(text string) (name, rest string, alone, ok bool) {
	text = strings.TrimRight(text, " \n\t")
	lastStart := strings.LastIndexByte(text, '\n') + 1
	last := text[lastStart:]
	for _, re := range []*regexp.Regexp{attributionJu, attributionGongao} {
		if m := re.FindStringSubmatchIndex(last); m != nil {
			name = strings.TrimSpace(last[m[2]:m[3]])
			rest = strings.TrimRight(text[:lastStart+m[0]], " \n\t")
			return name, rest, strings.TrimSpace(last[:m[0]]) == "", true
		}
	}
	return "", text, false, false
}

// markClosingLine gives the body's last paragraph, the closing line when
// it stands alone, the class attribution, so that the page sets it at the
// right margin as the printed digest does. A body that ends otherwise (a
// list, a table) is returned as it is.
func markClosingLine(body string) string {
	trimmed := strings.TrimRight(body, "\n")
	i := strings.LastIndex(trimmed, "<p>")
	if i < 0 || !strings.HasSuffix(trimmed, "</p>") || strings.Contains(trimmed[i+3:], "<p") {
		return body
	}
	return body[:i] + `<p class="attribution">` + body[i+3:]
}
