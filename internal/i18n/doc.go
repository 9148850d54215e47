// Package i18n puts the messages bulletin prints for a person (problems,
// errors, progress, help) into the language of the person reading them:
// Chinese when the site's language or the user's locale is Chinese,
// English otherwise.
//
// The contract:
//
//   - The English text of a message is its key, written in the Go code as
//     a constant format string, as with fmt: diag.Errorf, diag.At, a
//     diag.Sink, Printer.Sprintf, a flag's usage, a *diag.Message.
//     The Chinese text is in zh/*.yaml, one mapping of English format to
//     Chinese format per area, files a translator edits without touching
//     Go. A translation may reorder the arguments with %[n]s.
//   - diag.Errorf makes an error that stays a message: Error() reads in
//     English (logs, tests, JSON output), Printer.Error reads it in the
//     printer's language, its arguments too when they are messages,
//     problems, lists (diag.List) or common system errors. %w wraps as
//     with fmt.Errorf. Counted things pick their message with Plural.
//   - Choose picks the language: -lang, else BULLETIN_LANG, else Chinese
//     when the site or the locale is Chinese, else English.
//   - Numbers are formatted as fmt formats them (no digit grouping): line
//     numbers and counts read the same in both languages.
//   - A test fails when a message in the code has no Chinese text, when a
//     translation's verbs do not match its key's, and when an entry is
//     no longer used; another fails when person-facing text bypasses the
//     catalog (fmt.Errorf, errors.New or fmt.Fprintf with words in it).
//   - Reader-facing text (what a page says) is never here: it lives in
//     the theme.
//
// The catalog is built from embedded files with golang.org/x/text's
// catalog, which also matches the language tags a locale gives (zh_CN,
// zh-Hans-CN, zh_SG) to the Chinese it holds.
package i18n
