// Package yamlnode reads the site's YAML files (site.yaml, front matter,
// wording.yaml, the folders of records of the digest, the notice and
// reporting) as node trees and reports what is wrong with them through a
// diag.Sink.
//
// The contract:
//
//   - YAML is read as a yaml.Node tree, never decoded into structs: nodes
//     keep their lines for messages, and aliases are never expanded, so
//     an anchor bomb costs nothing. Deref follows an alias a bounded
//     number of times; nothing here walks into one.
//   - Every problem carries a file line. Parse shifts the tree's lines by
//     where the document starts in its file (front matter starts on line
//     2), and a syntax error is reported at its line, or at the first line
//     of the document when the parser gives none.
//   - The helpers report and carry on: a wrong value is reported once and
//     read as its zero value, so one run lists every problem of a file.
//     What a value means (ranges, names, paths) is for the caller.
//   - Messages name the key as the caller gives it ("limits.tags",
//     "bureau "), and a node by Kind: a mapping, a list, "its text".
package yamlnode
