// Package digest compiles the briefing digest (简报): numbered issues that
// gather the period's selected bulletins for print, in HTML, Markdown and
// plain text, and the archive of issues published with the site.
//
// What it promises:
//
//   - Numbers never lie. Regular issues are numbered per year (第N期, the
//     year of the sign-off date) and cumulatively (总第M期); supplements
//     (增刊) have their own per-year sequence. Every issued number has a
//     record, SITE/digests/issues/2024-003.yaml (增刊 2024-zk01.yaml),
//     kept with the content under version control.
//   - An issue is identified by its kind (regular or supplement) and the
//     set of its bulletins; their order is not part of it (Record.sameIssue).
//     Running again with the same bulletins and nothing else changed
//     reproduces the recorded issue, number and sign-off date included, so
//     the output is byte for byte the same. When the period, the region or
//     category filter, the grouping, the order of the items, the summaries
//     switch or the 按语 differ, the run revises the record under the same
//     number and sign-off date and lists what changed (Record.changes). Any
//     other selection takes the next number. The user's view of these
//     rules is docs/digest.md.
//   - Numbers are taken under an exclusive lock on SITE/digests/.lock, so
//     two runs at once never take the same one. A run that fails, a dry
//     run, an empty selection or bad arguments take none: the record is
//     written atomically and removed again when the outputs cannot be.
//   - Each item closes with exactly one attribution line: the body's own
//     （据…） or （…供稿）, else （据<bureau>）.
//   - The print HTML is standalone: its CSS is inline, images are
//     embedded, and it loads no fonts or scripts. An image that cannot be
//     embedded (one on another server) is left out with a note and a
//     warning, and PrintPDF's browser reaches no network.
package digest
