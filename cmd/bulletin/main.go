// Command bulletin builds a static news site from the Markdown bulletins
// that bureaus submit, serves it, and checks bulletins before they are
// published; it also keeps an office's information reporting: the inbox
// of Word and Markdown reports, the review decisions, adoptions,
// requests, points and the ranking notice.
//
// Usage:
//
//	bulletin build [-s SITE] [-o OUT]
//	bulletin serve [-s SITE] [-addr 127.0.0.1:8080]
//	bulletin check [-s SITE] [-fix] [-format json]
//	bulletin import [-s SITE] [-date D] [-category C] FILE...
//	bulletin new   [-s SITE] -bureau NAME "标题"
//	bulletin digest [-s SITE] -from DAY -to DAY [-region R] [-pdf]
//	bulletin inbox [-s SITE] [-format json]
//	bulletin review accept|return|decline [-by EDITOR] [-category C] [-reason R] FILE...
//	bulletin adopt [-s SITE] -by PUBLICATION (-issue I | -instruction TEXT) [-level province|state] FILE
//	bulletin request [-s SITE] -bureau B -topic T -due DAY
//	bulletin stats [-s SITE] [-from MONTH] [-to MONTH] [-format text|csv|json] [-ranking]
//	bulletin notice [-s SITE] -from MONTH -to MONTH [-note FILE] [-pdf]
//	bulletin version
//
// Run bulletin COMMAND -h for the flags of each.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"

	"bulletin/internal/diag"
	"bulletin/internal/i18n"
	"bulletin/internal/searchserver"

	"go.yaml.in/yaml/v3"
	"golang.org/x/term"
)

func main() {
	// A build holds the whole site (about 12 KB a bulletin) and makes much
	// short-lived garbage rendering pages and feeds; collecting at 70%
	// growth instead of 100% cuts the peak memory of a 10,000-bulletin
	// build by a fifth for about 3% more time. GOGC, when set, wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(70)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand: its name, a line for the overview, and its
// function, which parses its own flags.
type command struct {
	name, summary string
	run           func(ctx context.Context, env *env, args []string) error
}

var commands = []command{
	{"init", "start a new site in a new or empty folder", runInit},
	{"build", "build the site into a folder of static files", runBuild},
	{"serve", "build the site and serve it over HTTP", runServe},
	{"search-server", "serve search from the search index alone, for production behind nginx", runSearchServer},
	{"check", "check site.yaml and every bulletin, reporting all problems", runCheck},
	{"audit", "run a government website inspection's checks on the site, before the inspectors do", runAudit},
	{"new", "write a new bulletin from a filled-in skeleton", runNew},
	{"import", "turn the text of a compilation (简报) into bulletins", runImport},
	{"digest", "compile a numbered briefing (简报) of a period's bulletins", runDigest},
	{"inbox", "list the reports (信息) that bureaus sent, waiting for review", runInbox},
	{"review", "accept, return (退修) or decline (退稿) reports in the inbox", runReview},
	{"adopt", "record a higher office's adoption of a bulletin, or a leader's instruction", runAdopt},
	{"request", "ask bureaus for reports on a topic by a day (约稿)", runRequest},
	{"stats", "count bulletins published and adopted, and rank the bureaus by points", runStats},
	{"notice", "write the ranking notice (通报) of a period's reporting, for print", runNotice},
	{"version", "print the version", runVersion},
}

// env is what a command may touch of the outside world, so tests can run
// commands in-process.
type env struct {
	stdout, stderr io.Writer
	// stdin is where a command asks a person at a terminal for what they
	// left out; nil when no one is there to answer (a pipe, a test).
	stdin io.Reader
	// p reads messages in the person's language (see language).
	p *i18n.Printer
	// setErr is the error a flag's Set function returned last (see
	// setFailed): package flag prints only its text, which setErr lets
	// read in the person's language.
	setErr error
}

// setFailed remembers the error a flag's Set function returns and
// returns it.
func (e *env) setFailed(err error) error {
	if err != nil {
		e.setErr = err
	}
	return err
}

// printf writes a message to stderr in the person's language.
func (e *env) printf(format string, args ...any) { e.fprintf(e.stderr, format, args...) }

// outf writes a message to stdout in the person's language.
func (e *env) outf(format string, args ...any) { e.fprintf(e.stdout, format, args...) }

// fprintf writes a message to w, stdout or stderr or where a command's
// -q sends it, in the person's language.
func (e *env) fprintf(w io.Writer, format string, args ...any) {
	fmt.Fprint(w, e.p.Sprintf(format, args...))
}

// text reads a key the scan of the catalog finds where it is written (a
// command's summary, a flag's usage) in the person's language.
func (e *env) text(key string) string {
	return e.p.Sprintf("%v", &diag.Message{Format: key})
}

// errUsage marks errors whose message was already printed with the usage.
var errUsage = errors.New("usage")

// exitError carries an exit status that is not 1.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs the command line args and returns the exit status: 0 on
// success, 1 when the site has errors or the work failed, 2 for a usage
// mistake.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	lang, langErr := language(args)
	if langErr == nil {
		e.p, langErr = i18n.New(lang)
	}
	if langErr != nil {
		fmt.Fprintf(stderr, "bulletin: %s\n", e.p.Error(langErr))
		return 2
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) && term.IsTerminal(int(os.Stdin.Fd())) {
		e.stdin = os.Stdin
	}
	// -lang may come before the command too (bulletin -lang zh build):
	// language has read it, so it goes.
	for len(args) > 0 && (args[0] == "-lang" || args[0] == "--lang" || strings.HasPrefix(args[0], "-lang=") || strings.HasPrefix(args[0], "--lang=")) {
		if strings.Contains(args[0], "=") || len(args) == 1 {
			args = args[1:]
		} else {
			args = args[2:]
		}
	}
	// bulletin help COMMAND is bulletin COMMAND -h.
	if len(args) == 2 && args[0] == "help" {
		args = []string{args[1], "-h"}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(e)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var ee exitError
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		case errors.As(err, &ee):
			return ee.code
		case errors.Is(err, context.Canceled):
			e.printf("bulletin: interrupted\n")
			return 130
		default:
			e.printf("bulletin %s: %v\n", c.name, err)
			return 1
		}
	}
	e.printf("bulletin: unknown command %q\n\n", args[0])
	usage(e)
	return 2
}

// language picks the language of the run's messages from the -lang flag,
// wherever it stands among the arguments (so that -h reads in it too),
// the BULLETIN_LANG variable, the site's language and the locale. The
// site's language is site.yaml's, or, where there is none (a search
// server in production has only the index), the one the -index folder's
// current generation stores.
func language(args []string) (string, error) {
	flagLang, siteDir, indexDir := "", ".", ""
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") || (name != "lang" && name != "s" && name != "index") {
			continue
		}
		if !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		switch name {
		case "lang":
			flagLang = value
		case "s":
			siteDir = value
		default:
			indexDir = value
		}
	}
	envLang := os.Getenv("BULLETIN_LANG")
	for _, l := range []string{flagLang, envLang} {
		if l != "" && l != "en" && l != "zh" {
			return "", diag.Errorf("unknown language %q: use en or zh", l)
		}
	}
	siteLang := siteLanguage(siteDir)
	if siteLang == "" && indexDir != "" && flagLang == "" && envLang == "" {
		siteLang = searchserver.Language(indexDir)
	}
	return i18n.Choose(flagLang, envLang, siteLang, i18n.Locale(os.Getenv)), nil
}

// siteLanguage is the language site.yaml in dir declares, "" when it
// cannot be read: loading the site reports that in its place.
func siteLanguage(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "site.yaml"))
	if err != nil {
		return ""
	}
	var cfg struct {
		Language string `yaml:"language"`
	}
	if yaml.Unmarshal(data, &cfg) != nil {
		return ""
	}
	return cfg.Language
}

func usage(e *env) {
	e.printf(`bulletin turns the bulletins that bureaus submit into a static news site, and keeps the
office's information reporting: reports in, review, adoptions, points and the ranking notice.

Usage:
  bulletin COMMAND [flags]

Commands:
`)
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(e.stderr, "  %-*s %s\n", width, c.name, e.text(c.summary))
	}
	e.printf(`
Example:
  bulletin serve            build the site in this folder and serve it at http://127.0.0.1:8080/
  bulletin build -o public  write the site to public/

Run bulletin COMMAND -h for a command's flags.
`)
}

// newFlags makes a command's flag set with its help text. Parse errors are
// printed with the help and returned as errUsage.
func newFlags(e *env, name, synopsis, example string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(flagOutput{e})
	fs.String("lang", "", "the language of messages: `zh|en` (default: Chinese when the site or the locale is Chinese; BULLETIN_LANG sets it too)")
	fs.Usage = func() {
		e.printf("%s\n\nExample:\n%s\n\nFlags:\n", e.p.Sprintf(synopsis), e.p.Sprintf(example))
		printDefaults(e, fs)
	}
	return fs
}

// printDefaults is flag.PrintDefaults with each flag's usage in the
// person's language.
func printDefaults(e *env, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		local := *f
		local.Usage = e.text(f.Usage)
		name, usage := flag.UnquoteUsage(&local)
		line := "  -" + f.Name
		if name != "" {
			line += " " + name
		}
		// One-letter boolean flags fit on the line, as flag prints them.
		if len(line) <= 4 {
			line += "\t"
		} else {
			line += "\n    \t"
		}
		line += strings.ReplaceAll(usage, "\n", "\n    \t")
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "0s" {
			if fmt.Sprintf("%T", f.Value) == "*flag.stringValue" {
				line += e.p.Sprintf(" (default %q)", f.DefValue)
			} else {
				line += e.p.Sprintf(" (default %v)", f.DefValue)
			}
		}
		fmt.Fprintln(e.stderr, line)
	})
}

// flagOutput is where a flag set writes why it could not read the command
// line, one message a write; it writes the message in the person's
// language.
type flagOutput struct{ e *env }

func (w flagOutput) Write(b []byte) (int, error) {
	w.e.printf("%v\n", flagMessage(strings.TrimSuffix(string(b), "\n"), w.e.setErr))
	return len(b), nil
}

// The messages of package flag, with a quoted value (%q) or not.
var (
	flagUndefined   = regexp.MustCompile(`^flag provided but not defined: -(.*)$`)
	flagNoArgument  = regexp.MustCompile(`^flag needs an argument: -(.*)$`)
	flagBadSyntax   = regexp.MustCompile(`^bad flag syntax: (.*)$`)
	flagBadValue    = regexp.MustCompile(`^invalid value ("(?:[^"\\]|\\.)*") for flag -([^:]*): (.*)$`)
	flagBadBool     = regexp.MustCompile(`^invalid boolean value ("(?:[^"\\]|\\.)*") for -([^:]*): (.*)$`)
	flagBadBoolFlag = regexp.MustCompile(`^invalid boolean flag ([^:]*): (.*)$`)
)

// flagMessage is a message of package flag as a message to translate; one
// it does not know stays as it is. setErr is the error a flag's Set
// returned last, if any.
func flagMessage(text string, setErr error) *diag.Message {
	unquote := func(s string) string {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
		return s
	}
	if m := flagUndefined.FindStringSubmatch(text); m != nil {
		return &diag.Message{Format: "flag provided but not defined: -%s", Args: []any{m[1]}}
	}
	if m := flagNoArgument.FindStringSubmatch(text); m != nil {
		return &diag.Message{Format: "flag needs an argument: -%s", Args: []any{m[1]}}
	}
	if m := flagBadSyntax.FindStringSubmatch(text); m != nil {
		return &diag.Message{Format: "bad flag syntax: %s", Args: []any{m[1]}}
	}
	if m := flagBadValue.FindStringSubmatch(text); m != nil {
		return &diag.Message{Format: "invalid value %q for flag -%s: %v", Args: []any{unquote(m[1]), m[2], flagReason(m[3], setErr)}}
	}
	if m := flagBadBool.FindStringSubmatch(text); m != nil {
		return &diag.Message{Format: "invalid boolean value %q for -%s: %v", Args: []any{unquote(m[1]), m[2], flagReason(m[3], setErr)}}
	}
	if m := flagBadBoolFlag.FindStringSubmatch(text); m != nil {
		return &diag.Message{Format: "invalid boolean flag %s: %v", Args: []any{m[1], flagReason(m[2], setErr)}}
	}
	return &diag.Message{Format: "%s", Args: []any{text}}
}

// flagReason is why package flag refused a value: its own words, the
// error a flag's Set returned (setErr, when text is its text), or that
// error's text, which the catalog may hold.
func flagReason(text string, setErr error) any {
	if setErr != nil && setErr.Error() == text {
		return setErr
	}
	switch text {
	case "parse error":
		return &diag.Message{Format: "parse error"}
	case "value out of range":
		return &diag.Message{Format: "value out of range"}
	}
	return errors.New(text)
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
