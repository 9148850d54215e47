// Package linkcheck checks that external links still lead where a
// bulletin meant them to: the external half of bulletin audit -links.
// It knows nothing of sites or pages; the caller gives it absolute URLs
// and reports the results against the pages that hold them.
//
// The contract:
//
//   - Check takes absolute http and https URLs and returns one Result per
//     URL given, in the order given. The same URL given twice (or with
//     two #fragments, which never reach the server) is checked once.
//     Other schemes (mailto:, ftp:, javascript:) and relative URLs are
//     Skipped: reported, never fetched.
//   - A link is asked for with HEAD, and again with GET when HEAD fails
//     or is refused (400, 403, 404, 405, 501, or a broken connection):
//     many government servers answer HEAD wrongly. A GET reads at most
//     MaxBody bytes of the body and closes it. Once a host refused HEAD
//     with 405 or 501, its later links are asked for with GET alone.
//     A timeout, an unknown host, a refused connection or a failed TLS
//     handshake is not asked again with GET: the method is not the cause.
//   - Redirects are followed by hand, up to MaxRedirects, each hop
//     reported in Result.Hops, with the cookies the chain sets (some
//     firewalls bounce a first visit through a cookie check).
//   - Classes: OK (2xx, no redirect); Redirected (2xx after redirects
//     within the same site: fine, reported so that the link can be
//     updated); Moved (the redirects end on another registrable domain,
//     by the public suffix list: www.mca.gov.cn and mca.gov.cn are one
//     site, mca.gov.cn and www.gov.cn two; http to https is no move);
//     Broken (the final answer is 400 or more: Code says which); Timeout
//     (no answer within Timeout); Error (unknown host, refused
//     connection, TLS failure, too many redirects, a redirect without a
//     usable Location). Moved, Broken, Timeout and Error are Bad. Moved
//     wins over Broken: a lapsed government domain sold on and turned
//     into another site (gambling, as inspections warn) must be named as
//     such, whatever its pages answer.
//   - Result.Reason says why, for a person, as a diag message with
//     Chinese text in internal/i18n/zh/linkcheck.yaml; nil for OK.
//   - Politeness: at most Workers requests at once in all (8), at most
//     PerHost (1, never more than 2) at once to one host (host and
//     port), and at least Interval (1 s) between the starts of two
//     requests to one host (real time, not the Now clock). A slow host holds at most PerHost of the Workers, so
//     the other hosts go on. Each request, its body included, is limited
//     to Timeout; the caller's context ends the whole run promptly.
//     Requests carry the User-Agent "bulletin-linkcheck/1 (+Site)".
//   - The cache file (Options.Cache; none when empty) keeps each
//     checked link's result and when it was checked. A good result (OK,
//     Redirected) is used for GoodFor, a bad one for BadFor; after that,
//     or when dated after Now, the link is checked again, so a daily run
//     asks only for what is due. Results from it have Cached set. The
//     file is JSON, sorted by URL, written atomically (fsutil.WriteFile)
//     after each Check, and keeps only entries that are still fresh.
//     A missing, unreadable, corrupt or other-format file is ignored
//     (the run starts afresh and rewrites it), and so is an entry that
//     does not make sense: the file is one a person may edit.
//   - Check returns an error only when ctx ends (ctx.Err(); the results
//     of links not finished have an empty Status, and what was finished
//     is still cached) or when the cache file cannot be written (the
//     results are then complete).
package linkcheck
