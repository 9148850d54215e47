// Package published keeps the record of each bulletin's first publication,
// so that a date changed to an earlier day after publication (伪造发稿日期,
// back-dating, a veto item of government website inspections) can be
// told from a bulletin that was always dated so.
//
// The record is a folder of YAML files under version control in the site
// folder, published/<year>.yaml by the year of first publication, one line
// per bulletin, keyed by its slug (the bulletin's address, which does not
// change when its file moves):
//
//	winter-relief: {date: 2024-01-05T10:00:00+08:00, first: 2024-01-06T08:12:00+08:00, hash: 9c1f…}
//
// date is the bulletin's date when it was first published, first the
// moment a build first published it, hash the content it had then. A build
// adds the bulletins it publishes for the first time and never rewrites a
// line; the files only grow, so their history shows every change. An
// editor who corrects a date that was wrong from the start edits the line
// by hand, where the change stays visible under version control.
package published
