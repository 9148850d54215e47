// Package synonyms is the search's table of equivalent words: a built-in
// list of civil-affairs abbreviations, full forms and old names (低保 and
// 最低生活保障, 五保 and 特困人员救助供养), and the site's own
// synonyms.yaml.
//
// The contract:
//
//   - The table expands queries, never the index: editing it takes effect
//     when the search next loads it, with no re-index.
//   - A group lists terms that mean the same: each finds the others.
//     An expansion (expand:) goes one way, for an abbreviation that is
//     ambiguous or names several things (两项补贴 finds 困难残疾人生活补贴
//     and 重度残疾人护理补贴, not the other way round). disable: drops
//     built-in terms a site does not want.
//   - A site's group that shares a term with a built-in group joins it;
//     a term in two of the site's own groups is an error (merge them).
//   - Variants of a query word replace one term found in it (leftmost,
//     longest) by each of its alternatives; a variant that contains the
//     word itself finds nothing more and is left out, and a word has at
//     most MaxVariants of them.
//   - Terms are compared in the form the caller's normalize gives (the
//     search folds case, full-width letters and traditional characters):
//     the query is normalized the same way.
//   - Every problem of synonyms.yaml is reported with its line, all at
//     once, and the rest of the file still applies.
package synonyms
