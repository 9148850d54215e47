package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Choose picks the language of a run's messages, "zh" or "en": the -lang
// flag when given, else the BULLETIN_LANG variable, else Chinese when the
// site is written in Chinese or the user's locale is Chinese, else
// English. flag and env must be "", "en" or "zh"; Choose does not check.
func Choose(flag, env, siteLanguage, locale string) string {
	switch {
	case flag != "":
		return flag
	case env != "":
		return env
	case IsChinese(siteLanguage), IsChinese(locale):
		return "zh"
	}
	return "en"
}

// IsChinese reports whether a language tag or POSIX locale names Chinese:
// zh-CN, zh_CN.UTF-8, zh-Hans, zh_TW.
func IsChinese(tag string) bool {
	tag, _, _ = strings.Cut(tag, ".") // zh_CN.UTF-8
	tag, _, _ = strings.Cut(tag, "@") // zh_CN@pinyin
	if tag == "" || tag == "C" || tag == "POSIX" {
		return false
	}
	t, err := language.Parse(strings.ReplaceAll(tag, "_", "-"))
	if err != nil {
		return false
	}
	base, _ := t.Base()
	zh, _ := language.Chinese.Base()
	return base == zh
}

// Locale is the user's language as the environment gives it: LC_ALL,
// then LC_MESSAGES, then LANG, as POSIX orders them, and on Windows the
// display language when none is set.
func Locale(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return v
		}
	}
	return systemLocale()
}
