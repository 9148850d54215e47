package main

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	// Registers -update, unused here, so that go test ./... -update
	// does not stop at this package with an unknown flag.
	_ "bulletin/internal/golden"
	"bulletin/internal/site"
)

// run calls Main in-process, as the binary would run.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// copySample copies the repository's sample site (site.yaml and content/)
// into a fresh folder, so tests never write into the repository.
func copySample(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	root := filepath.Join("..", "..")
	copyFile(t, filepath.Join(root, "site.yaml"), filepath.Join(dst, "site.yaml"))
	err := filepath.WalkDir(filepath.Join(root, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		copyFile(t, p, filepath.Join(dst, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(dst), 0o755)
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBuildSample(t *testing.T) {
	dir := copySample(t)
	out := filepath.Join(t.TempDir(), "public")
	code, stdout, stderr := run(t, "build", "-s", dir, "-o", out, "-now", "2026-01-01")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "built 14 bulletins") {
		t.Errorf("stdout = %q, want a count of 14 published bulletins", stdout)
	}
	if !strings.Contains(stdout, "1 draft left out (draft: true); --drafts builds drafts too") || !strings.Contains(stdout, "1 scheduled bulletin left out, dated after now; the next is due 2027-01-15 09:00") {
		t.Errorf("stdout = %q, want the draft and the next due date of the future bulletin", stdout)
	}
	for _, name := range []string{"index.html", "sitemap.xml", "robots.txt", "404.html", "bulletins/qinghai-dibao-standard-2025/relief-standard.pdf", "assets/style.css"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The live preview's script is serve's alone.
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, _ := os.ReadFile(p); bytes.Contains(data, []byte("__bulletin")) {
				t.Errorf("%s has the live reload script", p)
			}
		}
		return nil
	})
	// Quiet: nothing on stdout.
	code, stdout, _ = run(t, "build", "-s", dir, "-o", out, "-q", "-now", "2026-01-01")
	if code != 0 || stdout != "" {
		t.Errorf("-q: exit %d, stdout %q", code, stdout)
	}
}

func TestBuildDefaultOutput(t *testing.T) {
	dir := copySample(t)
	if code, _, stderr := run(t, "build", "-s", dir, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "index.html")); err != nil {
		t.Errorf("default output: %v", err)
	}
}

func TestBuildReportsProblems(t *testing.T) {
	dir := copySample(t)
	bad := filepath.Join(dir, "content", "bad.md")
	os.WriteFile(bad, []byte("---\ntitle: 错误示例\ndate: 2024-13-01\nbureau: 青海省民正厅\n---\n正文\n"), 0o644)
	out := filepath.Join(t.TempDir(), "public")
	code, _, stderr := run(t, "build", "-s", dir, "-o", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	want := []string{
		filepath.ToSlash(dir) + `/content/bad.md:3: date "2024-13-01" is not a valid date: month out of range`,
		filepath.ToSlash(dir) + `/content/bad.md:4: bureau "青海省民正厅" is not listed in site.yaml; did you mean "青海省民政厅"?`,
		"2 errors in " + dir,
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed build created the output")
	}
	if code, _, _ := run(t, "check", "-s", dir); code != 1 {
		t.Errorf("check: exit %d, want 1", code)
	}
}

func TestCheck(t *testing.T) {
	dir := copySample(t)
	code, stdout, stderr := run(t, "check", "-s", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "16 bulletins checked: no errors") {
		t.Errorf("stdout = %q", stdout)
	}
}

func TestNew(t *testing.T) {
	dir := copySample(t)
	code, stdout, stderr := run(t, "new", "-s", dir, "-bureau", "青海省民政厅", "-category", "社会救助", "-date", "2026-03-01 10:00", "全省低保标准再提高")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	path := strings.TrimSpace(stdout)
	if want := filepath.Join(dir, "content", "qinghai", "2026", "20260301-1.md"); path != want {
		t.Errorf("new wrote %q, want %q", path, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"title: 全省低保标准再提高\n", "date: 2026-03-01 10:00\n", "bureau: 青海省民政厅\n", "category: 社会救助\n", "（据青海省民政厅）"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("skeleton lacks %q:\n%s", want, data)
		}
	}
	// The skeleton must be a valid bulletin, and a second one must not
	// overwrite the first.
	if code, _, stderr := run(t, "check", "-s", dir); code != 0 {
		t.Errorf("check after new: exit %d: %s", code, stderr)
	}
	_, stdout2, _ := run(t, "new", "-s", dir, "-bureau", "青海省民政厅", "-date", "2026-03-01", "另一篇")
	if strings.TrimSpace(stdout2) == path {
		t.Errorf("second new reused %s", path)
	}
	if code, _, stderr := run(t, "new", "-s", dir, "-bureau", "青海省民正厅", "标题"); code != 1 || !strings.Contains(stderr, `did you mean "青海省民政厅"`) {
		t.Errorf("unknown bureau: exit %d, stderr %q", code, stderr)
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Commands:"},
		{[]string{"-h"}, 0, "Commands:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"build", "-h"}, 0, "Example:"},
		{[]string{"serve", "-h"}, 0, "Example:"},
		{[]string{"check", "-h"}, 0, "Example:"},
		{[]string{"new", "-h"}, 0, "Example:"},
		{[]string{"version", "-h"}, 0, "Example:"},
		{[]string{"build", "-nosuchflag"}, 2, "flag provided but not defined"},
		{[]string{"build", "-now", "yesterday"}, 1, `-now "yesterday"`},
	} {
		code, _, stderr := run(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	if code, stdout, _ := run(t, "version"); code != 0 || !strings.HasPrefix(stdout, "bulletin ") {
		t.Errorf("version: exit %d, %q", code, stdout)
	}
	// The commands' summaries start in one column, however long a name.
	_, _, stderr := run(t, "-h")
	_, list, _ := strings.Cut(stderr, "Commands:\n")
	list, _, _ = strings.Cut(list, "\n\n")
	column := -1
	for _, line := range strings.Split(list, "\n") {
		name := strings.Fields(line)[0]
		rest := line[strings.Index(line, name)+len(name):]
		at := len(line) - len(strings.TrimLeft(rest, " "))
		if column >= 0 && at != column {
			t.Errorf("the summary of %s starts at column %d, the others at %d:\n%s", name, at, column, list)
		}
		column = at
	}
}

func TestServe(t *testing.T) {
	dir := copySample(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base := "http://" + startServe(t, ctx, dir) + "/"
	client := &http.Client{Timeout: 5 * time.Second}
	for _, tc := range []struct {
		path   string
		status int
		ctype  string
	}{
		{"", 200, "text/html; charset=utf-8"},
		{"bulletins/qinghai-dibao-standard-2025/", 200, "text/html; charset=utf-8"},
		{"bulletins/qinghai-dibao-standard-2025/relief-standard.pdf", 200, "application/pdf"},
		{"sitemap.xml", 200, "application/xml; charset=utf-8"},
		{"no/such/page/", 404, "text/html; charset=utf-8"},
		{"../../etc/passwd", 400, "text/plain; charset=utf-8"},
		{"%2e%2e/%2e%2e/etc/passwd", 400, "text/plain; charset=utf-8"},
	} {
		resp, err := client.Get(base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.ctype {
			t.Errorf("GET /%s: %d %q, want %d %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status, tc.ctype)
		}
	}
}

// TestGeneratedBadBulletins runs check on the deliberately broken files of
// the shared corpus generator and expects exactly the problems, at the
// lines, that its MANIFEST.tsv lists. It skips where ../shared is absent.
func TestGeneratedBadBulletins(t *testing.T) {
	gen, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "bench", "gencorpus"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(gen, "main.go")); err != nil {
		t.Skip("../shared/bench/gencorpus not found; it comes with the shared folder")
	}
	if testing.Short() {
		t.Skip("compiles the generator; skipped with -short")
	}
	corpus := t.TempDir()
	cmd := exec.Command("go", "run", ".", "-n", "1000", "-seed", "7", "-bad", "0.02", "-q", "-out", corpus)
	cmd.Dir = gen
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gencorpus: %v\n%s", err, out)
	}
	bad := filepath.Join(corpus, "bad")
	copyFile(t, filepath.Join(corpus, "site.yaml"), filepath.Join(bad, "site.yaml"))
	manifest, err := os.ReadFile(filepath.Join(bad, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "check", "-s", bad)
	if code != 1 {
		t.Fatalf("check exit %d, want 1:\n%s", code, stderr)
	}
	files := map[string]bool{}
	for _, row := range strings.Split(strings.TrimSpace(string(manifest)), "\n")[1:] {
		f := strings.Split(row, "\t")
		path, problem, line := f[0], f[1], f[2]
		files[filepath.ToSlash(bad)+"/"+path] = true
		if line == "0" {
			continue // the first file of a duplicate pair is not at fault
		}
		prefix := filepath.ToSlash(bad) + "/" + path + ":" + line + ": "
		if !strings.Contains(stderr, prefix) {
			t.Errorf("%s (%s): no problem reported at %s\n", path, problem, prefix)
		}
	}
	// Every problem is about a file the manifest lists.
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		path, _, _ := strings.Cut(line, ":")
		if strings.HasSuffix(path, ".md") && !files[path] {
			t.Errorf("problem about a good file: %s", line)
		}
	}
}

// TestBuildRefusesOutput checks that an output the build could not swap
// in is refused before anything is written: a symbolic link (it failed
// only after writing the whole site) or a file.
func TestBuildRefusesOutput(t *testing.T) {
	dir := copySample(t)
	for _, tc := range []struct {
		name string
		make func(out, target string)
		want []string // in stderr
	}{
		{"link to a folder", func(out, target string) { os.Mkdir(target, 0o755); os.Symlink(target, out) },
			[]string{"is a symbolic link", "give TARGET as the output, or remove the link"}},
		{"link to nothing", func(out, target string) { os.Symlink(target, out) },
			[]string{"is a symbolic link to TARGET, which does not exist"}},
		{"file", func(out, target string) { os.WriteFile(out, []byte("x"), 0o644) },
			[]string{"exists and is not a folder"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			out, target := filepath.Join(parent, "public"), filepath.Join(parent, "www")
			tc.make(out, target)
			before := listDir(t, parent)
			code, _, stderr := run(t, "build", "-q", "-no-index", "-s", dir, "-o", out)
			if code == 0 {
				t.Fatalf("build -o %s succeeded", tc.name)
			}
			for _, w := range tc.want {
				if w = strings.ReplaceAll(w, "TARGET", target); !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if after := listDir(t, parent); after != before {
				t.Errorf("the refused build wrote beside the output: %s, before %s", after, before)
			}
		})
	}
}

// listDir names what dir holds, folders' contents included.
func listDir(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
		}
		return nil
	})
	return strings.Join(names, " ")
}

// TestSiteFlagsAlike: every command that takes a site folder registers -s
// and -q the one way, so their help reads the same everywhere.
func TestSiteFlagsAlike(t *testing.T) {
	var first string
	for _, cmd := range []string{"build", "serve", "check", "new", "import", "digest", "stats"} {
		_, _, help := run(t, cmd, "-h")
		var lines []string
		rows := strings.Split(help, "\n")
		for i, l := range rows {
			switch {
			case strings.HasPrefix(l, "  -q\t"): // a bool's help shares its line
				lines = append(lines, l)
			case strings.HasPrefix(l, "  -s ") && i+1 < len(rows):
				lines = append(lines, l, rows[i+1])
			}
		}
		got := strings.Join(lines, "\n")
		if len(lines) != 3 {
			t.Errorf("%s -h lists -s and -q as %q", cmd, got)
		}
		if first == "" {
			first = got
		} else if got != first {
			t.Errorf("%s -h: -s and -q read\n%s\nwant\n%s", cmd, got, first)
		}
	}
}

// TestWrongNamesListChoices checks that a bureau or category typed wrong on
// the command line is answered with the names site.yaml lists, and with a
// suggestion only for a likely typo.
func TestWrongNamesListChoices(t *testing.T) {
	dir := copySample(t)
	for _, tc := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"new", "-s", dir, "-bureau", "吉林省民政厅", "标题"},
			`bureau "吉林省民政厅" is not listed in site.yaml (site.yaml lists 青海省民政厅, 西宁市民政局, 海东市民政局, 甘肃省民政厅`, "did you mean"},
		{[]string{"new", "-s", dir, "-bureau", "青海省民正厅", "标题"},
			`; did you mean "青海省民政厅"? (site.yaml lists 青海省民政厅`, ""},
		{[]string{"new", "-s", dir, "-bureau", "青海省民政厅", "-category", "社会求助", "标题"},
			`category "社会求助" is not listed in site.yaml; did you mean "社会救助"? (site.yaml lists 工作动态, 社会救助`, ""},
	} {
		code, _, stderr := run(t, tc.args...)
		if code == 0 || !strings.Contains(stderr, tc.want) || tc.not != "" && strings.Contains(stderr, tc.not) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args[3:], code, stderr, tc.want)
		}
	}
}

// TestNewAsksForTheDate answers new's question as a person at a terminal
// would: the day typed names the file, its year's folder and so its URL;
// Enter keeps today.
func TestNewAsksForTheDate(t *testing.T) {
	dir := copySample(t)
	today := time.Now().In(shanghaiZone(t)).Format("20060102")
	for _, tc := range []struct{ answer, want string }{
		{"2024-01-08\n", "content/qinghai/2024/20240108-1.md"},
		{"\n", "content/qinghai/" + today[:4] + "/" + today + "-1.md"},
		// A mistyped day is asked again.
		{"2024-13-40\n2024-01-09\n", "content/qinghai/2024/20240109-1.md"},
	} {
		var stdout, stderr strings.Builder
		e := &env{stdout: &stdout, stderr: &stderr, stdin: strings.NewReader(tc.answer)}
		if err := runNew(context.Background(), e, []string{"-s", dir, "-bureau", "青海省民政厅", "全省冬春救助工作启动"}); err != nil {
			t.Fatalf("answering %q: %v\n%s", tc.answer, err, stderr.String())
		}
		if got := strings.TrimSpace(stdout.String()); got != filepath.Join(dir, filepath.FromSlash(tc.want)) {
			t.Errorf("answering %q wrote %s, want %s", tc.answer, got, tc.want)
		}
		if !strings.Contains(stderr.String(), "date of the bulletin") {
			t.Errorf("new did not ask: %q", stderr.String())
		}
	}
	if code, out, errs := run(t, "check", "-s", dir); code != 0 || strings.Contains(out+errs, "not the day in the file's name") {
		t.Errorf("check: exit %d\n%s%s", code, out, errs)
	}
}

// TestReorder checks that flags may come before or after the other
// arguments, and that a yes/no flag takes no value with it.
func TestReorder(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Bool("q", false, "")
	fs.String("bureau", "", "")
	fs.String("category", "", "")
	for _, tc := range []struct{ args, want string }{
		{"-q -bureau 青海省民政厅 -category 工作动态 标题", "-q -bureau 青海省民政厅 -category 工作动态 标题"},
		{"标题 -bureau 青海省民政厅 -q", "-bureau 青海省民政厅 -q 标题"},
		{"-bureau=青海省民政厅 标题 -q=false", "-bureau=青海省民政厅 -q=false 标题"},
		{"-h 标题", "-h 标题"},
		{"标题 -- -不是参数", "标题 -不是参数"},
	} {
		if got := strings.Join(reorder(fs, strings.Fields(tc.args)), " "); got != tc.want {
			t.Errorf("reorder(%s) = %s, want %s", tc.args, got, tc.want)
		}
	}
	dir := copySample(t)
	if code, _, stderr := run(t, "new", "-q", "-s", dir, "-bureau", "青海省民政厅", "-category", "社会救助", "-date", "2024-01-08", "标题"); code != 0 {
		t.Errorf("new with -q first: %s", stderr)
	}
}

// TestNewNamesAreSiteWide writes bulletins of two bureaus on one day: the
// names, and so the URLs, differ, and the site still builds.
func TestNewNamesAreSiteWide(t *testing.T) {
	dir := copySample(t)
	var paths []string
	for _, bureau := range []string{"西宁市民政局", "青海省民政厅", "西宁市民政局"} {
		code, stdout, stderr := run(t, "new", "-s", dir, "-bureau", bureau, "-date", "2024-01-08", "标题")
		if code != 0 {
			t.Fatalf("new -bureau %s: %s", bureau, stderr)
		}
		paths = append(paths, filepath.Base(strings.TrimSpace(stdout)))
	}
	if strings.Join(paths, " ") != "20240108-1.md 20240108-2.md 20240108-3.md" {
		t.Errorf("new named them %v", paths)
	}
	code, _, stderr := run(t, "new", "-s", dir, "-bureau", "甘肃省民政厅", "-slug", "20240108-2", "标题")
	if code == 0 || !strings.Contains(stderr, "20240108-2 is the name of") {
		t.Errorf("a -slug taken in another bureau's folder: exit %d, %s", code, stderr)
	}
	// Published, not drafts: their URLs must not clash.
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), "20240108-") {
			src, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(strings.Replace(string(src), "draft: true\n", "", 1), site.Placeholder, "正文。", 1)), 0o644)
		}
		return nil
	})
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", filepath.Join(t.TempDir(), "public")); code != 0 {
		t.Errorf("build: %s", stderr)
	}
}

// TestMissingThemeFolder: a -theme that names no folder is a usage
// mistake, not a build with the built-in theme.
func TestMissingThemeFolder(t *testing.T) {
	dir := copySample(t)
	missing := filepath.Join(t.TempDir(), "no-theme")
	for _, args := range [][]string{
		{"build", "-s", dir, "-q", "-theme", missing},
		{"serve", "-s", dir, "-theme", missing},
		{"digest", "-s", dir, "-from", "2024-01-01", "-to", "2024-01-31", "-dry-run", "-theme", missing},
		{"notice", "-s", dir, "-from", "2024-01", "-to", "2024-03", "-dry-run", "-theme", missing},
	} {
		code, _, stderr := run(t, args...)
		if code != 2 || !strings.Contains(stderr, "-theme "+missing+" is not a folder") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the folder named", args, code, stderr)
		}
	}
}

// TestHelpCommand: bulletin help COMMAND shows the command's flags.
func TestHelpCommand(t *testing.T) {
	code, _, stderr := run(t, "help", "digest")
	if code != 0 || !strings.Contains(stderr, "-page-break") {
		t.Errorf("help digest: exit %d, stderr lacks digest's flags:\n%s", code, stderr)
	}
}

// TestServeBadRate: a rate or burst that would refuse every request is a
// usage mistake, said before anything is built.
func TestServeBadRate(t *testing.T) {
	dir := copySample(t)
	for _, args := range [][]string{{"-rate", "-1"}, {"-rate", "0"}, {"-burst", "0"}} {
		code, _, stderr := run(t, append([]string{"serve", "-s", dir}, args...)...)
		if code != 2 || !strings.Contains(stderr, "-rate must be above 0 and -burst at least 1") {
			t.Errorf("serve %v: exit %d, stderr %q; want 2", args, code, stderr)
		}
	}
}
