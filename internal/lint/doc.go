// Package lint checks the wording and typography of bulletin source files
// and applies the fixes that cannot change their meaning.
//
// It looks for what government website inspections fail a site for:
// misspelt names of the country and of state bodies, fixed formulas in the
// wrong order and common misspellings (the wording rules: a built-in list
// plus the site's wording.yaml), and for the marks of text pasted from
// PDFs and office software: half-width punctuation and stray spaces between
// Chinese characters, ideographic spaces typed as an indent, straight
// quotes, spaces beside bold that other Markdown tools need, and brackets
// and quotation marks left open.
//
// The checker reads the Markdown source line by line and knows enough of
// Markdown to leave code, link destinations, URLs and HTML alone, so every
// hit points at a file line (front matter included) and every fix edits
// prose only. A fix never adds or removes a line, and keeps the file's
// line endings and byte order mark.
//
// Checking and fixing take time in proportion to the file, whatever it
// holds: no mark sends the scanner back over a line, so a hostile file of
// unclosed links or a line of 100,000 hits costs what its size does.
package lint
