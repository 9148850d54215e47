//go:build windows

package i18n

import "golang.org/x/sys/windows"

// systemLocale is the first of the user's display languages, such as
// zh-CN: Windows sets no LANG.
func systemLocale() string {
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		return ""
	}
	return langs[0]
}
