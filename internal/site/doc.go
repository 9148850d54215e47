// Package site loads a bulletin site — site.yaml and the Markdown bulletins
// under content/ — into one typed, validated, read-only model.
//
// Load is the only way in. It reads everything through an fs.FS, reports every
// problem of the input at once (each as path:line: message, sorted), and
// returns a *Site that the later stages — pages, feeds, the search index and
// the briefing digest — read without changing. Everything a reader can see is
// decided here: which bulletins are published, their URLs, summaries and
// listings, so that all stages agree. Given a Cache, a Load reads and
// renders again only the files that changed since the last one, and
// returns a site equal to what a fresh Load would; a Cache of lean loads
// can be kept in a file for the next process (cachefile.go).
//
// A lean load (Options.Lean) keeps of each bulletin what listings, feeds'
// item lists, the sitemap and navigation need, not its body: a million
// bodies do not fit in memory. Site.Content renders a body again where it
// is needed, resolving its links as the load did; code that may be given
// a lean site reads bodies only through it.
package site
