// Package diag is how every part of bulletin reports what is wrong with
// the input: a Problem points at the file and line an editor has to
// change, and says whether it stops the build.
//
// The contract:
//
//   - A Problem's Path is slash-separated and relative to the site root
//     (content/qinghai/a.md, site.yaml); its Line is 1-based, and 0 only
//     when the problem is about a whole file (a missing file, a bad file
//     name), never because the line was not known.
//   - A Problem reads as "path:line: message", with "warning: " before
//     the message of a warning; Problems read one per line, and as an
//     error they stay a list (errors.As recovers it).
//   - Sort orders problems by path, line, severity and message, so that a
//     run reports them in the same order whatever the order of the work.
//   - A Sink collects the problems of one file; the packages that read
//     files report through it and never format "path:line" themselves.
//   - Suggest turns a likely typo into "; did you mean X?", ready to
//     append to a message.
//
// diag depends on the standard library only, so that any package may use
// it.
package diag
