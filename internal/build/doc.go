// Package build writes a loaded site as static files: a page per bulletin,
// paginated listings per bureau, region, category, tag and month, an index
// page of each, the home page, sitemap.xml, robots.txt, 404.html, the theme's
// assets and the bulletins' attachments.
//
// A build never leaves a half-written site: it writes into a fresh folder
// beside the output and swaps it in only when everything is written, and
// it holds a lock so that two builds of the same output cannot interleave.
package build
