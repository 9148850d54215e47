// Package docx reads a report (信息) that a bureau sent as a Word or WPS
// file, in pure Go, and turns it into a Markdown bulletin body with its
// title, its 报送单 fields, its closing attribution and its pictures.
// Convert turns an old .doc or .wps into a .docx first, with LibreOffice.
//
// # What Read promises
//
// Read takes any bytes. A file that is no readable Word report gives a
// *FormatError whose Reason says in one line what is wrong, and what the
// file is when that is easy to tell ("it is a PDF file, not a Word
// document", "the document is protected by a password; …", "the document
// holds macros; save it as a plain .docx"). Otherwise it gives a Report,
// whose Notes say what was dropped or is doubtful. It never panics, and
// its work is bounded whatever the file:
//
//   - the file is refused before anything is read when it is over
//     Limits.FileBytes (50 MB), and when its zip directory has more than
//     Limits.Entries (5000) records, counted before archive/zip reads
//     them;
//   - entries are unpacked through a budget of Limits.Uncompressed
//     (200 MB) for all the entries read, counted on the bytes actually
//     read, never on the sizes the headers claim; a picture over
//     Limits.ImageBytes (20 MB) is dropped with a note;
//   - XML is read as a stream, never whole; elements nested deeper than
//     Limits.XMLDepth (256) are refused, and so is a document type
//     declaration (encoding/xml expands no entity but the five of XML
//     itself, and a part with <!DOCTYPE> is refused outright);
//     invalid UTF-8 is refused as not well-formed;
//   - an XML part over 32 MB is refused (encoding/xml holds a token
//     whole, and one comment or text can be the whole part), and so are
//     more than 4 million XML tokens in all the parts read: decoding
//     costs about half a microsecond a token, so that a few hundred
//     kilobytes zipped cannot keep the reader busy for more than about
//     two seconds; a report of 2 MB of text, the most a body may have,
//     has about a million;
//   - the body is refused when its Markdown would be over 2 MB, and the
//     reading stops as soon as the text read passes that;
//   - ctx is checked while reading, between parts and pictures.
//
// Entry names that could leave a folder (../, absolute paths,
// backslashes) and two entries of the same name are refused, whichever
// entries they are. Relationship targets are resolved inside the
// package and must stay in the document's folder (word/); pictures and
// other targets marked External are never fetched: they are dropped with
// a note. Password-protected files, old .doc and .wps files saved under
// a .docx name (both OLE compound files), files with macros
// (vbaProject.bin, a macro-enabled content type), and other zip-based
// formats (.xlsx, .pptx, .odt) are told apart and refused.
//
// # The body
//
// The body is Markdown in which every character of the document's text
// that could start Markdown or HTML syntax is escaped: a report cannot
// inject a link, an image, raw HTML or a heading. Its only syntax is what
// this package writes:
//
//   - paragraphs, separated by blank lines; line breaks inside one
//     (w:br) are joined, without a space between Chinese characters and
//     with one between words; the indentation of each line (full-width
//     or ordinary spaces) and empty paragraphs are dropped;
//   - ## for a short paragraph numbered 一、 (typed, or shown by Word's
//     automatic numbering, which is written as the number it shows), or
//     all in 黑体; ### for one numbered （一）; styled headings (heading 1,
//     2, …) the same way, the highest level used written ##;
//   - **bold** for bold runs, adjacent ones merged; punctuation at the
//     ends of bold text goes outside the markers where CommonMark's
//     flanking rules would otherwise keep them from making bold text, so
//     that **一是加强组织领导**。其他 is bold in any renderer;
//   - pipe tables, the first row as the head (or the second when the first
//     is a caption across the table, written as a paragraph above it),
//     merged cells left empty where they continue, | escaped; a table of
//     one cell is written as its content; a table inside a table is
//     flattened to its text, with a note;
//   - ![description](image1.png) for pictures, in order of appearance.
//
// Kept as text: hyperlinks (their text), inserted text of tracked
// changes, the shown result of fields (w:fldSimple, and the part of a
// complex field after its separator). Dropped: deleted text of tracked
// changes, field instructions (w:instrText), hidden text (w:vanish),
// soft hyphens, zero-width characters and direction marks. Dropped with
// a note: text boxes (they hold stamps, marks and captions laid over the
// page, seldom the report's text; the note quotes their start),
// footnotes, endnotes, comments, formulas, charts, SmartArt, embedded
// objects, characters of symbol fonts, pictures in the title's line or
// above the title, and pictures that are linked,
// missing, too large, or in a format a web page cannot show (EMF, WMF,
// BMP, TIFF: only PNG, JPEG, GIF and WebP are kept, told by their first
// bytes, not by their names).
//
// # Title, fields and attribution
//
// The title is the first paragraph styled Title (标题); else a
// paragraph styled heading 1 at the top of the document; else the
// centred paragraph at the top with the largest font, when it is larger
// than the text or in the title font (方正小标宋); else the first centred
// line at the top; else, with a note, the first short line. The top ends
// where the text starts: a sentence, a long or a numbered paragraph, or a
// table other than a 报送单. The lines that follow the title and look the
// same (same style, alignment and size, no empty line between) are
// joined to it, up to three; lines above the title are dropped with a
// note.
//
// The fields come from a 报送单 table anywhere (label cells followed by
// their value, or cells of label：value), from lines made only of
// label：value pairs (full-width or ASCII colons, spaces or full-width
// spaces between them), and, for fields the document lacks, from the
// page headers and footers, which are otherwise ignored. A 报送单 table
// is a table with two fields, one of them with a label used for nothing
// else (报送单位, 签发人, 执笔人, 联系电话, 约稿, 报送日期…), or fields in
// two rows; weak labels (单位, 日期, 电话) alone make a field line only
// near either end of the document. Tables and lines taken as fields
// leave the body; what they held that is no field is noted.
//
// The attribution is the last paragraph, or the end of it after a
// sentence, when it reads （据…）, （…供稿）, （…报送）, （供稿：…） or
// （来源：…）, with ASCII brackets too.
//
// # Convert
//
// Convert runs LibreOffice headless with a profile of its own, removed
// afterwards, under a time limit (ctx and 60 seconds); on Linux the
// whole process group is killed at the limit and dies with the caller.
package docx
