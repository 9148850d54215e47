// Package hanzi folds traditional Chinese characters to simplified ones,
// for search: a reader who types 臨時救助 or 養老服務 finds 临时救助 and
// 养老服务, and a bulletin written in traditional characters is found by
// the simplified words.
//
// The contract:
//
//   - Fold converts with OpenCC's traditional-to-simplified dictionaries
//     (github.com/longbridgeapp/opencc), phrases first, so that a
//     character with two simplified forms takes the one its phrase needs
//     (乾燥 is 干燥, 乾坤 stays 乾坤).
//   - Fold keeps one rune for one rune: the folded text has as many runes
//     as the original, the n-th of one standing for the n-th of the other,
//     so that a match found in folded text is highlighted on the right
//     characters of the original. A conversion that would change the count
//     falls back to character by character.
//   - Simplified text, nearly all text, costs one table lookup a rune and
//     comes back as the same string, unallocated.
//   - A Folder is made once (NewFolder reads the dictionaries, a few
//     milliseconds) and is safe for concurrent use.
package hanzi
