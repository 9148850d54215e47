// Package searchserver serves search from an index folder alone: the
// /search page in the site's look and /api/search, for bulletin
// search-server, which runs on machines that hold a copy of the index
// and nothing else of the site.
//
// The contract with the index's writers (bulletin build and serve):
//
//   - Each generation stores, beside its bulletins, the site's
//     description that Describe makes (indexer.Options.SiteInfo): the
//     settings, navigation, sections and feeds the search page shows
//     around the results. A generation is therefore complete on its own:
//     copy its folder and CURRENT to another machine and it is served.
//   - The server opens generations read-only and moves to each new one
//     it finds in CURRENT (polling), with the look that generation
//     stores; searches in flight finish on the generation they began on.
//   - The page's stylesheet, script and icon are the theme's assets/,
//     served here too so that the page is whole without a static server;
//     behind nginx they come from the built site like every other page.
package searchserver
