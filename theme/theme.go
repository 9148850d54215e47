// Package theme holds the default templates and assets, embedded in the
// binary; bulletin build --theme DIR overrides any file by path.
package theme

import "embed"

// FS holds templates/ (base.html, one file per page kind, partials/),
// assets/ (published at /assets/<name>) and digest/ (the print template and
// stylesheet of the briefing digest).
//
//go:embed templates assets digest
var FS embed.FS
