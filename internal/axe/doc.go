// Package axe holds axe-core, Deque's accessibility rules engine, vendored
// so that the browser tests can check every page of the theme against WCAG
// 2.1 AA without a download (see README.md for its version and how to
// update it). It is for tests: no page the site publishes loads it.
//
// axe-core is MPL-2.0 (LICENSE), with MIT-licensed parts
// (LICENSE-3RD-PARTY.txt); axe.min.js is the npm package's file unchanged.
package axe

import _ "embed"

// Script is axe.min.js: evaluated in a page, it defines window.axe.
//
//go:embed axe.min.js
var Script string

// Version is the axe-core release Script is, checked by the tests against
// the file's own banner.
const Version = "4.14.1"
