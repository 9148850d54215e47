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
// name and the text without the attribution, for summaries.
func findAttribution(text string) (name, rest string, ok bool) {
	text = strings.TrimRight(text, " \n\t")
	lastStart := strings.LastIndexByte(text, '\n') + 1
	last := text[lastStart:]
	for _, re := range []*regexp.Regexp{attributionJu, attributionGongao} {
		if m := re.FindStringSubmatchIndex(last); m != nil {
			name = strings.TrimSpace(last[m[2]:m[3]])
			rest = strings.TrimRight(text[:lastStart+m[0]], " \n\t")
			return name, rest, true
		}
	}
	return "", text, false
}
