// Package suggest is the search's dictionary of the site's own words:
// titles, tags, categories, bureau and place names, and the phrases that
// recur in titles and summaries. It completes what a reader is typing
// (/api/suggest) and proposes what a reader probably meant when a query
// finds little: the same pinyin typed with a wrong character
// (最低生活保樟 for 最低生活保障, 养老服物 for 养老服务), or one character
// off (临时求助 for 临时救助).
//
// The contract:
//
//   - A Builder takes the site's bulletins one at a time and holds a
//     bounded count of phrases however many it is given (lossy counting:
//     phrases seen once are dropped when the table fills); Dictionary
//     keeps the most frequent terms, up to a fixed number, in a byte-
//     identical order for the same input.
//   - A Dictionary is written as a small text file in each index
//     generation and read back with every line checked: a damaged or
//     hostile file is an error naming its line, never a panic.
//   - Terms are kept in the caller's normal form (folded as the search
//     folds queries) and shown in the form first seen.
//   - Complete gives the terms that begin with a prefix, most frequent
//     first, titles after shorter terms. Corrections gives, for a word,
//     rewritings where one stretch of it is replaced by a dictionary term
//     of the same length and the same pinyin, or one character off, best
//     first; whether a rewriting finds anything is for the search to say.
//   - A Dictionary is read-only once made and safe for concurrent use.
package suggest
