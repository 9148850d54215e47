// Package theme holds the default templates and assets, embedded in the
// binary; bulletin build --theme DIR overrides any file by path.
package theme

import "embed"

// FS holds templates/ (base.html, one file per page kind, partials/),
// assets/ (published at /assets/<name>), digest/ (the print template and
// stylesheet of the briefing digest) and notice/ (the print template and
// stylesheet of the ranking notice, which prints with digest/print.css).
//
//go:embed templates assets digest notice
var FS embed.FS
