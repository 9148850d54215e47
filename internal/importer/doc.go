// Package importer turns the plain text of a printed compilation — a 简报 or
// 信息专报 as offices have it, usually text extracted from a PDF — into
// bulletins.
//
// Parse reads the layout of a printed briefing: it skips the masthead
// (publication name, issue line, compiling office and date, contents) and
// the closing block (报：送：发：, copies printed), takes section headings
// that name a category as the category of the items under them, finds each
// item's title and its closing attribution （据…） or （…供稿）, and rejoins
// paragraphs that a page break or the PDF's line wrapping split, in the
// middle of a sentence or of a word. What it cannot decide — an
// attribution naming no bureau of site.yaml, an item without one, a line
// that may or may not be a title — it reports as a Note instead of
// guessing silently.
//
// Items are identified by their bureau and title, so importing the same
// text twice gives the same files.
package importer
