// Package stats counts, per bureau and month, the bulletins a site
// published and how many of them its briefing digest (简报) adopted: the
// monthly figures an office keeps for 信息报送 and scores bureaus by.
//
// What it promises:
//
//   - It counts what readers see: the published bulletins of a loaded
//     site.Site, so drafts and bulletins dated in the future are left out
//     exactly as the site leaves them out.
//   - A bulletin counts in the month of its publication date, in the
//     site's time zone, and so do its adoptions, whenever the issue that
//     adopted it was signed off.
//   - A bulletin is adopted once for every digest issue whose record lists
//     it; regular issues and supplements (增刊) are also counted apart.
//     Record entries naming a bulletin the site does not publish are not
//     counted and are reported, so that a total never silently shrinks.
//   - A row is a bureau and a month it published in: bureaus in
//     site.yaml's order, months ascending; a bureau without bulletins in
//     the period has no row. Categories come in site.yaml's order. The
//     output is the same bytes for the same input.
//   - Three renderings: an aligned table for the terminal (Chinese
//     characters taking two columns), CSV that spreadsheet software opens
//     as UTF-8 (BOM, CRLF, RFC 4180), and JSON with a fixed schema.
package stats
