// Package theme holds the default templates and assets, embedded in the
// binary; bulletin build --theme DIR overrides any file by path.
package theme

import "embed"

// FS holds templates/ (base.html, one file per page kind, partials/) and
// assets/ (published at /assets/<name>).
//
//go:embed templates assets
var FS embed.FS
