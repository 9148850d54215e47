// Package build writes a loaded site as static files: a page per bulletin,
// paginated listings per bureau, region, category, tag and month, an index
// page of each, the home page, sitemap.xml, robots.txt, 404.html, the theme's
// assets and the bulletins' attachments.
//
// A build never leaves a half-written site: it writes into a fresh folder
// beside the output and swaps it in only when everything is written, and
// it holds a lock so that two builds of the same output cannot interleave.
//
// A Builder builds the same site again and again, as the development
// server does after every edit: after its first, whole build it renders
// only the files whose inputs changed (incremental.go) and replaces them
// in the live folder one by one, each atomically. With Config.Record it
// keeps the record of what it wrote in a file, so that a Builder of the
// next process, such as the next run of bulletin build, does the same
// from its first build (record.go).
//
// A build holds what the site holds, and one page per core: a site loaded
// lean (site.Options.Lean) has each body rendered again for its page and
// its feeds' entries (site.Site.Content), a batch of feeds at a time, so
// that memory grows with the bulletins' metadata, not with their text.
package build
