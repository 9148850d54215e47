// Package indexer is the site's search: a bleve index of the published
// bulletins, written after a build and updated incrementally (or kept
// open and updated as the site changes, while it is searched), and the
// HTTP handlers that search it (/search, a page in the theme, and
// /api/search, JSON).
//
// Each generation of the index is complete on its own: beside the bleve
// index it holds a document store (store.go) with what hits show and what
// phrases are checked against, and the caller's description of the site
// (Options.SiteInfo), so that a process searching it needs nothing of the
// site, and a copy of the generation's folder serves on another machine.
//
// Search is made for Chinese. Text is indexed as character bigrams (see
// tokenize), and queries are built in code, never parsed as bleve query
// strings: every word the reader types must appear as written, and when
// no bulletin has them all, the bulletins with most of their parts are
// shown instead, marked as such. Any input is safe: queries are cut to a
// maximum length, searches are limited in number and time, and all text
// shown back is escaped.
package indexer
