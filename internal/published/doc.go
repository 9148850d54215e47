// Package published keeps the record of each bulletin's first publication,
// so that a date changed to an earlier day after publication (伪造发稿日期,
// back-dating, a veto item of government website inspections) can be
// told from a bulletin that was always dated so.
//
// The record is a folder of YAML files under version control in the site
// folder, published/<year>.yaml by the year a build wrote the line, one
// line per bulletin, keyed by its slug:
//
//	winter-relief: {date: 2024-01-05T10:00:00+08:00, first: 2024-01-06T08:12:00+08:00, hash: 9c1f…, body: 77ab…}
//
// date is the bulletin's date when it was first published, first the
// moment a build first published it, hash the file it was then and body
// its title and text. A build adds the bulletins it publishes for the
// first time at the end of the year's file and never changes a line:
// the files only grow, so their history shows every change, and a build
// adds nothing while the record has a problem. A bulletin renamed (its
// file or slug) has the body of a recorded one no longer on the site: its
// line keeps that one's date and first publication (from: names it), so
// that renaming does not clear a date moved earlier. Dates are compared by
// the day, in the site's zone. An editor who corrects a date that was
// wrong from the start edits the line by hand, where the change stays
// visible under version control.
package published
