// Package indexer is the site's search: a bleve index of the published
// bulletins, written after a build and updated incrementally (or kept
// open and updated as the site changes, while it is searched), and the
// HTTP handlers that search it (/search, a page in the theme, and
// /api/search, JSON).
//
// Search is made for Chinese. Text is indexed as character bigrams (see
// tokenize), and queries are built in code, never parsed as bleve query
// strings: every word the reader types must appear as written, and when
// no bulletin has them all, the bulletins with most of their parts are
// shown instead, marked as such. Any input is safe: queries are cut to a
// maximum length, searches are limited in number and time, and all text
// shown back is escaped.
package indexer
