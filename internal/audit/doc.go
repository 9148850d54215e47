// Package audit runs the checks of a government website inspection
// (政府网站抽查) on a site and its built pages, so that editors find what
// an inspector would before the inspector does.
//
// The contract:
//
//   - Run takes the loaded site (its Now is the moment judged), the
//     built output and the site folder, and returns a Report: the veto
//     items (单项否决) first, each passing or failing with its evidence,
//     then the deductions (扣分) with their counts and locations, then
//     the accessibility findings. Every finding names the file and line
//     an editor changes (a bulletin's source, site.yaml) or the page it
//     is on.
//   - Veto items: the home page not updated for two weeks; five or more
//     columns (categories with a cadence) stale, or ten or more of the
//     columns judged only yearly; five or more empty columns; serious
//     wording errors (the wording rules of error severity that check
//     has); a bulletin dated earlier than it was first published (the
//     record of internal/published); listed items without a date.
//   - Deductions: broken links, anchors and attachments of the built
//     pages, home page and other pages counted apart; with Options.Links,
//     external links through internal/linkcheck; the site's identity
//     (网站标识码, ICP and 公安 filing, 主办 and 承办, contact, the meta
//     tags monitoring tools read, search, site map).
//   - Accessibility without a browser: images without alt text, headings
//     that skip a level, links named only 点击这里 or 更多, tables
//     without a header row, in bulletins' bodies.
//   - The same site, output and Now give the same report; Run reads the
//     network only for Options.Links.
package audit
