//go:build !windows

package i18n

// systemLocale is empty: outside Windows the environment says it all.
func systemLocale() string { return "" }
