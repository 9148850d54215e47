// Package reporting is information reporting (信息报送): the reports
// bureaus send, the editors' decisions on them, what higher offices make
// of the published ones, requests for reports (约稿), and the points and
// ranking that follow.
//
// Everything is files, under version control with the content:
//
//   - The inbox (inbox/, or reporting.inbox in site.yaml) is where
//     reports arrive, by whatever way an office uses: Word files (.docx
//     read in pure Go by internal/docx; .doc and .wps through LibreOffice
//     when it is installed) and Markdown, in the inbox itself or in a
//     folder per bureau. A report's arrival is its file's modification
//     time. Scan reads each report into the bulletin it would become and
//     runs check's rules on it (the site loaded with the drafts laid over
//     it), without writing anything.
//   - Each report has one record, reports/<year>/<id>.yaml (a Thread):
//     every sending with the decision on it (accept 采用, return 退修,
//     decline 退稿; who, when, why), the bulletin it became and the
//     report as it came, kept beside the bulletin and never published,
//     and the adoptions by higher offices and leaders' instructions
//     (批示). A report sent again after it was returned continues its
//     thread: same bureau and title, or replaces: naming the record. The
//     id is the bulletin's file name (bureau slug and a hash of bureau and
//     title), so a thread and its bulletin are found by each other's name.
//   - Requests are reports/requests/<year>-<NNN>.yaml, numbered per year.
//   - Every change takes Lock (reports/.lock) and writes each record
//     whole and atomically; a decision that fails part way removes what
//     it wrote, and a file is never both in the inbox and published.
//   - A bulletin written straight into content/ counts as submitted and
//     adopted for the site on its date; digest adoptions come from the
//     digest's own records, never from a copy.
//
// Compute turns all this into a Standing: every bureau of the registry
// with its counts and points under site.yaml's reporting.points, ranked.
package reporting
