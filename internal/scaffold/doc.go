// Package scaffold writes a new site for bulletin init: a commented
// site.yaml with the registry of bureaus, a wording.yaml starter, an
// empty content/ and a .gitignore for what bulletin builds beside a site.
//
// The contract:
//
//   - Write never writes into a folder that holds anything but a .git: a
//     site is started once, and an editor's files are never overwritten.
//     The files are written into a temporary folder (beside a new target,
//     inside an empty one) and renamed into place, so an interrupted run
//     leaves nothing or all.
//   - What Write produces loads with site.Load and passes check as it
//     stands; the comments say what to fill in before going live.
//   - The registry comes from the caller (bulletin init -bureau) or from
//     the bulletins of an existing corpus (Corpus), which is read, never
//     changed. Slugs are proposed from regions (site.BureauSlug) and made
//     unique.
//   - The same options give byte-identical files.
package scaffold
