package reporting

import (
	"fmt"
	"time"

	"bulletin/internal/site"
)

// Standing is the ranking of the registry's bureaus for one period: what
// stats prints and the notice (通报) announces.
type Standing struct {
	// From and To are the first and last day of the period, midnight in
	// the site's zone.
	From, To time.Time
	// Points is the table the scores were counted with.
	Points site.Points

	// Rows has a row for every bureau of the registry, also those that
	// reported nothing (the bureaus an office must chase): by points,
	// highest first, then in the registry's order. Equal points share a
	// rank (1, 2, 2, 4).
	Rows []Score
	// Total sums the rows; its Rank is 0 and its Bureau "".
	Total Score

	// Higher lists the adoptions by higher offices' publications (上级采用)
	// and the leaders' instructions (领导批示) dated in the period, by date.
	Higher []Higher
	// Requests lists the requests (约稿) due in the period, and those
	// answered in it, by due date.
	Requests []RequestState
}

// Score is one bureau's figures for the period.
type Score struct {
	Rank           int
	Bureau, Region string

	// Submitted counts the reports the bureau sent in the period: each
	// report once however often it was revised, and each bulletin
	// published without going through the inbox.
	Submitted int
	// Taken counts those of the Submitted reports that have been published
	// (by the time of counting): the numerator of the adoption rate, so
	// that a report sent at a period's end and published in the next
	// counts for the period it was sent in, and a rate never passes 100%.
	Taken int
	// Declined and Returned count the reports declined (退稿) and still
	// awaiting revision (退修) at the end of the period; Pending those
	// not yet reviewed.
	Declined, Returned, Pending int

	// Adoptions by kind, each counted as often as it happened.
	Site, Digest, Province, State         int
	InstructionProvince, InstructionState int
	RequestsAnswered, RequestsMissed      int

	Points int
}

// Rate is the adoption rate, the reports sent in the period that were
// published over all sent in it, as a percentage with one decimal
// ("66.7%"), or "—" when nothing was submitted.
func (s Score) Rate() string {
	if s.Submitted == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", float64(s.Taken)*100/float64(s.Submitted))
}

// Level is the rank of a higher office: a provincial one or the State
// Council's (national).
type Level string

const (
	Province Level = "province"
	State    Level = "state"
)

// Name is the level as offices write it.
func (l Level) Name() string {
	if l == State {
		return "国家级"
	}
	return "省级"
}

// Higher is one adoption by a higher office, or a leader's instruction.
type Higher struct {
	Instruction bool  // a 批示, not a publication's adoption
	Level       Level // province or state
	By          string
	Issue       string // the publication's issue, 2024年第5期; "" for an instruction
	Text        string // the instruction's words; "" for an adoption
	Date        time.Time

	Bureau, Title string
	Source        string // the bulletin, site-relative, when it is on the site
	Record        string // the record that holds it, site-relative
}

// RequestState is what became of one request (约稿).
type RequestState struct {
	ID     string // 2024-003
	Bureau string
	Topic  string
	Due    time.Time // the last day, midnight in the site's zone
	// Status is "answered" (a report came by the due date), "late" (one
	// came after it), "missed" (none came and the date is past) or "open".
	Status string
	// Answered is when the answering report arrived; zero when none did.
	Answered time.Time
	Report   string // the record of the answering report, "" when none
}
