// Package preview is the live half of bulletin serve: it watches a site's
// files (Watcher), rebuilds what an edit changed and tells the open pages
// (Rebuilder), and serves search over an index that follows the site
// (Search). The command parses flags, wires these together and prints
// what they report; nothing here writes to the terminal.
//
// The contract with serve:
//
//   - Watch is called before the site's first load, so that an edit made
//     while serve starts reaches the first rebuild instead of being lost.
//   - Watcher.Run calls its rebuild function with the paths that changed,
//     relative to the site folder and slash-separated, one call for a
//     burst of events; known is false when events may have been missed.
//     Calls never overlap, so Rebuilder.Rebuild runs one at a time.
//   - A rebuild that fails leaves the last good site served and shows why
//     over the open pages, with the machine's folders replaced (Private):
//     whoever has a page open reads it.
//   - The pages are updated before the search index: readers see an edit
//     first where they are looking.
//   - Search serves a generation of the index at a time and moves to each
//     one published, by a rebuild (live) or by bulletin build.
package preview
