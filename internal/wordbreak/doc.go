// Package wordbreak finds where a Chinese headline may break between
// lines: between words, never inside one (迅速行动, not 迅速行/动).
//
// The contract:
//
//   - A Breaker knows the words of government news (words.txt) and any
//     the site adds, such as its bureaus and regions. Segment splits a
//     headline into words by the longest match: characters it does not
//     know stay together with their unknown neighbours, so a name it has
//     never seen (城北区, 柳树湾村) is never split.
//   - A number stays with its unit (1.26亿元, 2025年, 94.2%), 的 with
//     the word before it, and 和, 与, 在, 为 and the like with the word
//     after them.
//   - HTML escapes a headline and puts <wbr> between its words. With CSS
//     word-break: keep-all the browser then breaks only there, at spaces
//     and at punctuation; text-wrap: balance picks among them. Clauses
//     parted by spaces come in <span class="clause">, which the theme
//     makes inline blocks, so that a line breaks between clauses first.
//   - The same headline gives the same breaks on every run.
package wordbreak
