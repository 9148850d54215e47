package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"bulletin/internal/axe"
)

// a11yPages are the pages the accessibility tests visit: one of every
// kind the theme renders, and the search page with results, without and
// before a query. Each path is served by bulletin serve from the sample
// site with its digest and a ranking notice published.
var a11yPages = []struct{ name, path string }{
	{"home", "/"},
	{"bulletin with a table", "/bulletins/qinghai-winter-relief-2024/"},
	{"bulletin with attachments", "/bulletins/qinghai-dibao-standard-2025/"},
	{"bureaus", "/bureaus/"},
	{"bureau", "/bureaus/qinghai/"},
	{"regions", "/regions/"},
	{"region", "/regions/qinghai/"},
	{"categories", "/categories/"},
	{"category", "/categories/shehuijiuzhu/"},
	{"tags", "/tags/"},
	{"tag", "/tags/dongchunjiuzhu/"},
	{"months", "/archive/"},
	{"month", "/archive/2025/01/"},
	{"subscribe", "/subscribe/"},
	{"digests", "/digests/"},
	{"notices", "/notices/"},
	{"search with results", "/search?q=%E4%BD%8E%E4%BF%9D"},
	{"search without results", "/search?q=%E9%87%8F%E5%AD%90%E8%AE%A1%E7%AE%97%E6%9C%BA"},
	{"search without a query", "/search"},
	{"404", "/no/such/page/"},
}

// a11yWidths are the viewports the pages are checked at: a desktop, a
// phone, and a desktop at 200% zoom (half its width and height in CSS
// pixels), where WCAG 1.4.4 and 1.4.10 ask that nothing breaks. axe runs
// at the first two; at 200% the page has the phone's layout (its media
// queries are in em of the browser's 16px), and the 关怀版's own checks
// look for sideways scrolling and overlaps there.
var a11yWidths = []struct {
	name string
	w, h int64
	axe  bool
}{
	{"desktop", 1280, 800, true},
	{"phone", 375, 740, true},
	{"zoom 200%", 640, 400, false},
}

// axeViolation is one failed axe rule, with the elements that fail it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n    %s\n", v.ID, v.Impact, v.Help, v.URL)
	for i, n := range v.Nodes {
		if i == 5 {
			fmt.Fprintf(&b, "    … and %d more\n", len(v.Nodes)-i)
			break
		}
		target, _ := json.Marshal(n.Target)
		fmt.Fprintf(&b, "    - %s\n      %s\n      %s\n", target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return b.String()
}

// runAxe checks the page loaded in ctx with axe-core against WCAG 2.1 A
// and AA and returns the serious and critical violations.
func runAxe(ctx context.Context) ([]axeViolation, error) {
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, err
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axe.Script)); err != nil {
			return nil, fmt.Errorf("loading axe: %w", err)
		}
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
		resultTypes: ["violations"],
	}).then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical"))`, chromedp.EvalAwaitPromise))
}

// a11ySite serves a copy of the sample site with its digest archive and a
// published ranking notice, and returns its address.
func a11ySite(t *testing.T, ctx context.Context) string {
	t.Helper()
	dir := copySample(t)
	if err := os.CopyFS(filepath.Join(dir, "digests"), os.DirFS(filepath.Join("..", "..", "digests"))); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "site.yaml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "publish_notice: false") {
		t.Fatal("the sample site.yaml no longer says publish_notice: false")
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(data), "publish_notice: false", "publish_notice: true", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "notice", "-s", dir, "-from", "2025-01", "-to", "2025-03", "-date", "2025-04-06", "-now", "2025-04-06"); code != 0 {
		t.Fatalf("notice: %s", stderr)
	}
	return "http://" + startServe(t, ctx, dir)
}

// careCheckJS measures the page as the 关怀版 promises it: reading text of
// 24px (18pt) or more and everything else of 20px or more, line spacing of
// 1.5 or more, a contrast of 7:1 or more for all visible text (WCAG 2.x
// relative luminance, from the computed colours, with translucent
// backgrounds composited), controls and navigation links of 44×44 CSS px
// or more, no sideways scrolling and no overlapping controls or text
// running out of a control's box. It returns
// one line per problem.
const careCheckJS = `(() => {
	const problems = [];
	const px = v => parseFloat(v);
	const rgba = s => {
		const m = s.match(/rgba?\(([^)]+)\)/);
		if (!m) return [0, 0, 0, 0];
		const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
		return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
	};
	const over = (top, under) => {
		const a = top[3];
		return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat(1);
	};
	const background = el => {
		const layers = [];
		for (let e = el; e; e = e.parentElement) {
			const c = rgba(getComputedStyle(e).backgroundColor);
			if (c[3] > 0) layers.push(c);
			if (c[3] >= 1) break;
		}
		let bg = [255, 255, 255, 1];
		for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
		return bg;
	};
	// WCAG 2.x: relative luminance and contrast ratio.
	const channel = c => {
		c /= 255;
		return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
	};
	const luminance = c => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
	const contrast = (a, b) => {
		const la = luminance(a), lb = luminance(b);
		return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
	};
	const visible = el => {
		const r = el.getBoundingClientRect();
		const cs = getComputedStyle(el);
		return r.width > 1 && r.height > 1 && cs.visibility === "visible" && cs.opacity !== "0";
	};
	const name = el => {
		let s = el.tagName.toLowerCase();
		if (el.id) s += "#" + el.id;
		if (el.classList.length) s += "." + [...el.classList].join(".");
		const p = el.parentElement;
		return (p && p !== document.body ? name(p) + " > " : "") + s;
	};
	const text = el => (el.value || el.textContent).trim().replace(/\s+/g, " ").slice(0, 24);
	const reading = new Set(document.querySelectorAll(
		".prose p, .prose li, .prose td, .prose th, .item-title, .item-summary, .term-name a, .list-info, " +
		".subscribe-help p, .search-none p, .search-none li, .notfound p, .prev-next p, .empty"));
	const texts = [...document.body.querySelectorAll("*")].filter(el =>
		(el.matches("input:not([type=hidden]):not([type=date])") && el.value) ||
		[...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
	for (const el of texts) {
		if (!visible(el)) continue;
		const cs = getComputedStyle(el);
		const size = px(cs.fontSize);
		const inReading = [...reading].some(r => r.contains(el));
		const min = inReading ? 24 : 20;
		if (size < min - 0.01) problems.push("text of " + size + "px, want " + min + "px or more: " + name(el) + " “" + text(el) + "”");
		if (inReading) {
			const lh = cs.lineHeight === "normal" ? 0 : px(cs.lineHeight);
			if (lh < 1.5 * size - 0.01) problems.push("line height " + cs.lineHeight + " for " + size + "px text, want 1.5 or more: " + name(el) + " “" + text(el) + "”");
		}
		const bg = background(el);
		const fg = over(rgba(cs.color), bg);
		const ratio = contrast(fg, bg);
		if (ratio < 7) problems.push("contrast " + ratio.toFixed(2) + ":1 (" + cs.color + " on rgb(" + bg.slice(0, 3).map(Math.round) + ")), want 7:1: " + name(el) + " “" + text(el) + "”");
	}
	// Text that CSS adds, as the breadcrumb's › between steps.
	for (const el of document.body.querySelectorAll("*")) {
		for (const pseudo of ["::before", "::after"]) {
			const ps = getComputedStyle(el, pseudo);
			if (!/^".*\S.*"$/.test(ps.content) || !visible(el)) continue;
			const bg = background(el);
			const ratio = contrast(over(rgba(ps.color), bg), bg);
			if (ratio < 7) problems.push("contrast " + ratio.toFixed(2) + ":1 (" + ps.color + " on rgb(" + bg.slice(0, 3).map(Math.round) + ")), want 7:1: " + name(el) + pseudo + " " + ps.content);
		}
	}
	const targets = [...document.querySelectorAll(
		"button, input:not([type=hidden]), .care-switch, .site-nav a, .pager a, .pager-step, .breadcrumb a, .prev-next a, .tags a")].filter(visible);
	for (const el of targets) {
		const r = el.getBoundingClientRect();
		if (r.width < 43.99 || r.height < 43.99) problems.push("target of " + r.width.toFixed(1) + "×" + r.height.toFixed(1) + "px, want 44×44: " + name(el) + " “" + text(el) + "”");
	}
	const root = document.documentElement;
	if (root.scrollWidth > root.clientWidth) {
		const wide = [...document.body.querySelectorAll("*")].filter(el => visible(el) && el.getBoundingClientRect().right > root.clientWidth + 0.5);
		problems.push("the page scrolls sideways: " + root.scrollWidth + "px wide in " + root.clientWidth + "px, past the edge: " + wide.slice(-3).map(name).join("; "));
	}
	for (const el of targets) {
		if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible") problems.push("text runs out of its box (" + el.scrollWidth + "px in " + el.clientWidth + "px) over its neighbours: " + name(el) + " “" + text(el) + "”");
	}
	const controls = [...document.querySelectorAll(".site-header a, .site-header button, .site-header input")].filter(visible);
	for (let i = 0; i < controls.length; i++) {
		for (let j = i + 1; j < controls.length; j++) {
			const a = controls[i].getBoundingClientRect(), b = controls[j].getBoundingClientRect();
			const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
			const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
			if (w > 1 && h > 1) problems.push("overlapping: " + name(controls[i]) + " “" + text(controls[i]) + "” and " + name(controls[j]) + " “" + text(controls[j]) + "”");
		}
	}
	return problems;
})()`

// careStateJS tells the 关怀版's state on the page: the class site.js
// sets, the switch and its aria-pressed, and the root font size.
const careStateJS = `(() => {
	const b = document.querySelector("[data-care]");
	return [document.documentElement.classList.contains("care") ? "on" : "off",
		b.hidden ? "hidden" : "shown", "pressed " + b.getAttribute("aria-pressed"),
		getComputedStyle(document.documentElement).fontSize].join(", ");
})()`

// TestBrowserA11y checks every kind of page with axe-core at a desktop's,
// a phone's and 200% zoom's width, in the standard look and in the 关怀版
// (the elderly-friendly mode), and measures the 关怀版 on each (see
// careCheckJS); then the 关怀版's switch and its memory across pages, the
// read-aloud button, and the mode without script. One browser and one
// served site for all of it.
func TestBrowserA11y(t *testing.T) {
	ctx := chromium(t)
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := a11ySite(t, sctx)
	shots := os.Getenv("BULLETIN_SCREENSHOTS")

	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	careOn := func(t *testing.T, ctx context.Context) bool {
		t.Helper()
		on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.classList.contains("care")`))
		must(t, err)
		return on
	}
	shoot := func(t *testing.T, ctx context.Context, name string) {
		t.Helper()
		if shots == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(t, err)
		must(t, os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644))
	}

	// Each page is loaded once and checked at every width in both modes,
	// the mode switched by its button: the standard look first on one
	// page, the 关怀版 first on the next (remembered from the page before).
	t.Run("pages", func(t *testing.T) {
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.Evaluate[chromedp.Void](`localStorage.clear()`)))
		care := false
		for i, p := range a11yPages {
			must(t, chromedp.Do(ctx, chromedp.Navigate(base+p.path)))
			if on := careOn(t, ctx); on != care {
				t.Fatalf("%s: opened with the 关怀版 %v, after the page before left it %v", p.path, on, care)
			}
			widths := slices.Clone(a11yWidths)
			if i%2 == 1 {
				slices.Reverse(widths)
			}
			for m := range 2 {
				mode := "standard"
				if care {
					mode = "关怀版"
				}
				for _, vp := range widths {
					where := fmt.Sprintf("%s (%s), %s, %s", p.name, p.path, mode, vp.name)
					must(t, chromedp.Do(ctx, chromedp.EmulateViewport(vp.w, vp.h)))
					if vp.axe {
						found, err := runAxe(ctx)
						if err != nil {
							t.Fatalf("%s: %v", where, err)
						}
						for _, v := range found {
							t.Errorf("%s: %s", where, v)
						}
					}
					if care {
						problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](careCheckJS))
						if err != nil {
							t.Fatalf("%s: %v", where, err)
						}
						for _, pr := range problems {
							t.Errorf("%s: %s", where, pr)
						}
					}
					if p.name == "home" || p.name == "bulletin with a table" {
						shoot(t, ctx, strings.ReplaceAll(fmt.Sprintf("%s-%s-%s", p.name, mode, vp.name), " ", "-"))
					}
				}
				if m == 1 {
					break // the next page opens in this page's last mode
				}
				slices.Reverse(widths)
				must(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("[data-care]").click()`)))
				care = !care
				if on := careOn(t, ctx); on != care {
					t.Fatalf("%s: the 关怀版 switch left the mode %v", p.path, on)
				}
			}
		}
	})

	// The switch as a reader uses it: a click turns the mode on, the next
	// page opens in it, another click turns it off for the pages after.
	// ?care=1 and ?care=0 in an address, and #care_mode, do the same.
	t.Run("switch", func(t *testing.T) {
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+"/"), chromedp.Evaluate[chromedp.Void](`localStorage.clear()`)))
		state := func(t *testing.T, path string) string {
			t.Helper()
			must(t, chromedp.Do(ctx, chromedp.Navigate(base+path)))
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](careStateJS))
			must(t, err)
			return got
		}
		click := func(t *testing.T) {
			t.Helper()
			must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-care]`))))
		}
		for _, step := range []struct {
			path  string
			click bool
			want  string
		}{
			{"/", false, "off, shown, pressed false, 17px"},
			{"", true, "on, shown, pressed true, 24px"},
			{"/bureaus/qinghai/", false, "on, shown, pressed true, 24px"},
			{"/bulletins/qinghai-winter-relief-2024/", false, "on, shown, pressed true, 24px"},
			{"", true, "off, shown, pressed false, 17px"},
			{"/categories/", false, "off, shown, pressed false, 17px"},
			{"/tags/?care=1", false, "on, shown, pressed true, 24px"},
			{"/archive/", false, "on, shown, pressed true, 24px"},
			{"/archive/?care=0", false, "off, shown, pressed false, 17px"},
			{"/subscribe/#care_mode", false, "on, shown, pressed true, 24px"},
			{"/regions/", false, "on, shown, pressed true, 24px"},
			// Off on a page opened at #care_mode: the address's html:target
			// must not keep the mode on.
			{"/digests/#care_mode", false, "on, shown, pressed true, 24px"},
			{"", true, "off, shown, pressed false, 17px"},
			{"/bureaus/", false, "off, shown, pressed false, 17px"},
		} {
			var got string
			if step.click {
				click(t)
				var err error
				got, err = chromedp.Run(ctx, chromedp.Evaluate[string](careStateJS))
				must(t, err)
			} else {
				got = state(t, step.path)
			}
			if got != step.want {
				t.Errorf("%s: %s, want %s", cmp.Or(step.path, "click"), got, step.want)
			}
		}
		// ?care= leaves the address once done, the rest of it stays.
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/search?care=1&q=%E4%BD%8E%E4%BF%9D&sort=date")))
		if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.HasSuffix(loc, "/search?q=%E4%BD%8E%E4%BF%9D&sort=date") {
			t.Errorf("after ?care=1 the address is %s (%v), want it without care=", loc, err)
		}
	})

	// 朗读全文 on a bulletin, with speech synthesis stubbed: it reads the
	// title and the body in zh-CN, turns into 停止朗读, stops, and turns
	// back when the reading ends. Where the browser has no speech
	// synthesis it stays hidden; other pages have none.
	t.Run("read aloud", func(t *testing.T) {
		const bulletin = "/bulletins/qinghai-winter-relief-2024/"
		tab := func(t *testing.T, stub string) context.Context {
			t.Helper()
			tab, cancel := chromedp.NewContext(ctx)
			t.Cleanup(cancel)
			_, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: stub})
			must(t, err)
			must(t, chromedp.Do(tab, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+bulletin)))
			return tab
		}
		button := func(t *testing.T, tab context.Context) string {
			t.Helper()
			got, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
				const b = document.querySelector("[data-read-aloud]");
				return b.offsetParent === null ? "hidden" : b.textContent;
			})()`))
			must(t, err)
			return got
		}
		type speech struct {
			Spoken  []struct{ Text, Lang string }
			Cancels int
		}
		spoken := func(t *testing.T, tab context.Context) speech {
			t.Helper()
			got, err := chromedp.Run(tab, chromedp.Evaluate[speech](`({spoken: __speech.spoken, cancels: __speech.cancels})`))
			must(t, err)
			return got
		}

		speaking := tab(t, `window.__speech = {spoken: [], cancels: 0, last: null};
			Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
				speak(u) { __speech.spoken.push({text: u.text, lang: u.lang}); __speech.last = u; },
				cancel() { __speech.cancels++; },
				getVoices() { return []; },
			}});`)
		if got := button(t, speaking); got != "朗读全文" {
			t.Fatalf("the read-aloud button reads %q, want 朗读全文", got)
		}
		must(t, chromedp.Do(speaking, chromedp.Click(chromedp.CSS(`[data-read-aloud]`))))
		s := spoken(t, speaking)
		var read strings.Builder
		for _, u := range s.Spoken {
			if u.Lang != "zh-CN" {
				t.Errorf("a piece is read in %q, want zh-CN: %q", u.Lang, u.Text)
			}
			read.WriteString(u.Text)
		}
		title, err := chromedp.Run(speaking, chromedp.Text(chromedp.CSS(`#bulletin_title`)))
		must(t, err)
		last, err := chromedp.Run(speaking, chromedp.Evaluate[string](`[...document.querySelectorAll("article.prose p")].pop().textContent`))
		must(t, err)
		flat := strings.Join(strings.Fields(read.String()), "")
		if !strings.HasPrefix(flat, strings.Join(strings.Fields(title), "")) || !strings.Contains(flat, strings.Join(strings.Fields(last), "")) {
			t.Errorf("read aloud %q, want the title %q and the body to its last paragraph %q", flat, title, last)
		}
		if len(s.Spoken) < 2 {
			t.Errorf("the bulletin is read in %d piece(s), want it in sentences", len(s.Spoken))
		}
		if got := button(t, speaking); got != "停止朗读" {
			t.Errorf("while reading the button reads %q, want 停止朗读", got)
		}
		must(t, chromedp.Do(speaking, chromedp.Click(chromedp.CSS(`[data-read-aloud]`))))
		if got, s2 := button(t, speaking), spoken(t, speaking); got != "朗读全文" || s2.Cancels <= s.Cancels {
			t.Errorf("after 停止朗读 the button reads %q and speech was cancelled %d times, want 朗读全文 and a cancel", got, s2.Cancels-s.Cancels)
		}
		must(t, chromedp.Do(speaking, chromedp.Click(chromedp.CSS(`[data-read-aloud]`)),
			chromedp.Evaluate[chromedp.Void](`__speech.last.onend && __speech.last.onend(new Event("end"))`)))
		if got := button(t, speaking); got != "朗读全文" {
			t.Errorf("when the reading ends the button reads %q, want 朗读全文", got)
		}
		must(t, chromedp.Do(speaking, chromedp.Navigate(base+"/")))
		if n, err := chromedp.Run(speaking, chromedp.Evaluate[int](`document.querySelectorAll("[data-read-aloud]").length`)); err != nil || n != 0 {
			t.Errorf("the home page has %d read-aloud buttons (%v)", n, err)
		}

		mute := tab(t, `Object.defineProperty(window, "speechSynthesis", {configurable: true, value: undefined});
			delete window.SpeechSynthesisUtterance;`)
		if got := button(t, mute); got != "hidden" {
			t.Errorf("without speech synthesis the read-aloud button shows %q", got)
		}
		if shown, err := chromedp.Run(mute, chromedp.Evaluate[bool](`document.querySelector("[data-print]").offsetParent !== null`)); err != nil || !shown {
			t.Errorf("without speech synthesis the print button is hidden too (%v)", err)
		}
	})

	// Without script the switch is a link to #care_mode, which turns the
	// mode on for that page through html:target, with all its measures.
	t.Run("without script", func(t *testing.T) {
		tab, cancel := chromedp.NewContext(ctx)
		defer cancel()
		_, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		must(t, err)
		const bulletin = "/bulletins/qinghai-dibao-standard-2025/"
		look := func(t *testing.T) string {
			t.Helper()
			got, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
				const shown = sel => { const e = document.querySelector(sel); return e && e.offsetParent !== null; };
				return [getComputedStyle(document.querySelector(".prose p")).fontSize,
					shown("a.care-on") ? "关怀版 link" : "", shown("a.care-off") ? "退出关怀版 link" : "",
					shown("[data-care]") ? "button" : ""].filter(Boolean).join(", ");
			})()`))
			must(t, err)
			return got
		}
		must(t, chromedp.Do(tab, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+bulletin)))
		if got, want := look(t), "18.02px, 关怀版 link"; got != want {
			t.Errorf("without script: %s, want %s", got, want)
		}
		must(t, chromedp.Do(tab, chromedp.Click(chromedp.CSS(`a.care-on`))))
		if got, want := look(t), "25.44px, 退出关怀版 link"; got != want {
			t.Errorf("without script, after 关怀版: %s, want %s", got, want)
		}
		for _, vp := range a11yWidths {
			must(t, chromedp.Do(tab, chromedp.EmulateViewport(vp.w, vp.h)))
			problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](careCheckJS))
			must(t, err)
			for _, p := range problems {
				t.Errorf("without script, %s: %s", vp.name, p)
			}
			shoot(t, tab, "noscript-"+strings.ReplaceAll(vp.name, " ", "-"))
		}
		must(t, chromedp.Do(tab, chromedp.EmulateViewport(1280, 800), chromedp.Click(chromedp.CSS(`a.care-off`))))
		if got, want := look(t), "18.02px, 关怀版 link"; got != want {
			t.Errorf("without script, after 退出关怀版: %s, want %s", got, want)
		}
	})
}
