// Package notice renders and numbers the ranking notice (通报) of
// information reporting: how the bureaus did in a month, a quarter or a
// year, announced under the same red masthead as the briefing digest
// (简报), in HTML for print, Markdown and plain text, and published with
// the site at /notices/ when site.yaml asks for it. The standing it
// announces (reporting.Standing) is computed elsewhere; this package only
// words, numbers and keeps it.
//
// What it promises:
//
//   - Numbers never lie. Notices are numbered per year (2024年第1期, the
//     year of the sign-off day), a sequence of their own. Every issued
//     number has a record, SITE/reports/notices/2024-01.yaml (year and
//     number), kept with the content under version control.
//   - A notice is identified by its period. Running again for a recorded
//     period with the same figures and closing paragraphs reproduces the
//     notice, number and sign-off day included, so the outputs are byte
//     for byte the same. When the ranking, a bureau's figures, the
//     adoptions and instructions, the requests, the points table or the
//     closing paragraphs differ, the run revises the record under the
//     same number and sign-off day and lists what changed
//     (Record.changes). Any other period takes the next number, dated no
//     earlier than the last notice and no earlier than the period's end.
//   - Numbers are taken under the reporting lock (reporting.Lock, on
//     SITE/reports/.lock), so two runs at once never take the same one. A
//     run that fails, a dry run or bad arguments take none: the record is
//     written atomically and removed again when the outputs cannot be.
//   - The record keeps the standing as announced: the period, the points
//     table, each bureau's rank, points and figures, the adoptions and
//     instructions, and the requests — what the notice prints and nothing
//     else. Every rendering, the site's included, is made from the
//     record, never from the reports again: a notice once sent is
//     published as it was sent, although a late adoption would change
//     today's count.
//   - The outputs are SITE/reports/out/notice-2024-01.html, .md and .txt,
//     and .pdf when asked; the name is the record's with notice- before
//     it, since reports/out holds reporting's other outputs too.
//   - The words are the office's: the closing paragraphs are the -note
//     file's, or none; nothing is invented for them.
//   - The print HTML is standalone: its CSS is inline (the digest's
//     stylesheet, then the notice's), and it loads no fonts, images or
//     scripts. The ranking table has every bureau of the standing, those
//     without a report included, repeats its heads on every printed page
//     and never splits a row.
//
// The theme files are notice/notice.html, notice/notice.css and
// digest/print.css; the site's list of notices is templates/notices.html.
package notice
