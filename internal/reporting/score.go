package reporting

import (
	"cmp"
	"slices"
	"time"

	"bulletin/internal/digest"
	"bulletin/internal/site"
)

// Period is the days counted, both inclusive, midnight in the site's zone.
type Period struct{ From, To time.Time }

func (p Period) contains(t time.Time) bool {
	return !t.Before(p.From) && t.Before(p.To.AddDate(0, 0, 1))
}

// Compute scores the bureaus of s for the period under the site's points
// table. What counts, and when:
//
//   - A published bulletin is a site adoption (网站采用) on its date,
//     whether it came through the inbox or was written into content/.
//   - A digest issue's record listing a published bulletin is a digest
//     adoption (简报采用), counted on the bulletin's date as bulletin
//     stats counts it.
//   - A higher office's adoption and a leader's instruction count on the
//     date recorded with them.
//   - A report is submitted when it first arrived (a revision sent again
//     is the same report); a bulletin that did not come through the
//     inbox was submitted on its date. Reports still waiting in the
//     inbox (pending) count too.
//   - A request (约稿) counts on its due day: answered if a report naming
//     it arrived by the end of that day, missed if one came later or
//     none has come; one not yet due is open and counts nothing.
func Compute(s *site.Site, digests []*digest.Record, book *Book, pending []*Item, p Period, now time.Time) *Standing {
	cfg := s.Config
	pts := cfg.Reporting.Points
	st := &Standing{From: p.From, To: p.To, Points: pts}
	rows := map[string]*Score{}
	for _, b := range cfg.Bureaus {
		st.Rows = append(st.Rows, Score{Bureau: b.Name, Region: b.Region})
	}
	for i := range st.Rows {
		rows[st.Rows[i].Bureau] = &st.Rows[i]
	}
	row := func(bureau string) *Score {
		if r, ok := rows[bureau]; ok {
			return r
		}
		return &Score{} // a bureau no longer in the registry: not ranked
	}

	bySource := map[string]*site.Bulletin{}
	for _, b := range s.Bulletins {
		bySource[b.Source] = b
	}
	for _, b := range s.Bulletins {
		if !p.contains(b.Date) {
			continue
		}
		r := row(b.Bureau.Name)
		r.Site++
		if t := book.ThreadOf(b.Source); t == nil || len(t.Submissions) == 0 {
			r.Submitted++
			r.Taken++
		}
	}
	for _, rec := range digests {
		seen := map[string]bool{}
		for _, src := range rec.Bulletins {
			b := bySource[src]
			if b == nil || seen[src] || !p.contains(b.Date) {
				continue
			}
			seen[src] = true
			row(b.Bureau.Name).Digest++
		}
	}
	end := p.To.AddDate(0, 0, 1)
	for _, t := range book.Threads {
		r := row(t.Bureau)
		if len(t.Submissions) > 0 {
			if p.contains(t.Submissions[0].Received) {
				r.Submitted++
				if t.Bulletin != "" && bySource[t.Bulletin] != nil {
					r.Taken++
				}
			}
			// What became of the report by the period's end.
			var last *Submission
			for i := range t.Submissions {
				if t.Submissions[i].At.Before(end) {
					last = &t.Submissions[i]
				}
			}
			if last != nil && !t.Submissions[0].Received.Before(p.From) {
				switch last.Decision {
				case Decline:
					r.Declined++
				case Return:
					r.Returned++
				}
			}
		}
		for _, a := range t.Adoptions {
			if !p.contains(a.Date) {
				continue
			}
			switch {
			case a.Instruction && a.Level == State:
				r.InstructionState++
			case a.Instruction:
				r.InstructionProvince++
			case a.Level == State:
				r.State++
			default:
				r.Province++
			}
			h := Higher{Instruction: a.Instruction, Level: a.Level, By: a.By, Issue: a.Issue, Text: a.Text, Date: a.Date,
				Bureau: t.Bureau, Title: t.Title, Record: t.Path}
			if b := bySource[t.Bulletin]; b != nil {
				h.Source, h.Title = b.Source, b.Title
			}
			st.Higher = append(st.Higher, h)
		}
	}
	for _, it := range pending {
		if it.Err != "" || !p.contains(it.Received) {
			continue
		}
		r := row(it.Bureau)
		r.Pending++
		if it.Thread == nil {
			r.Submitted++
		}
	}
	for _, q := range book.Requests {
		rs := requestState(q, book, pending, now)
		if !p.contains(q.Due) {
			continue
		}
		switch rs.Status {
		case "answered":
			row(q.Bureau).RequestsAnswered++
		case "late", "missed":
			row(q.Bureau).RequestsMissed++
		}
		st.Requests = append(st.Requests, rs)
	}
	slices.SortStableFunc(st.Higher, func(a, b Higher) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Bureau, b.Bureau), cmp.Compare(a.Title, b.Title))
	})
	slices.SortStableFunc(st.Requests, func(a, b RequestState) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID))
	})
	for i := range st.Rows {
		r := &st.Rows[i]
		r.Points = r.Site*pts.Site + r.Digest*pts.Digest + r.Province*pts.Province + r.State*pts.State +
			r.InstructionProvince*pts.InstructionProvince + r.InstructionState*pts.InstructionState +
			r.RequestsAnswered*pts.RequestAnswered + r.RequestsMissed*pts.RequestMissed
		st.Total.add(*r)
	}
	// Stable: equal points keep the registry's order.
	slices.SortStableFunc(st.Rows, func(a, b Score) int { return cmp.Compare(b.Points, a.Points) })
	for i := range st.Rows {
		st.Rows[i].Rank = i + 1
		if i > 0 && st.Rows[i].Points == st.Rows[i-1].Points {
			st.Rows[i].Rank = st.Rows[i-1].Rank
		}
	}
	return st
}

func (s *Score) add(o Score) {
	s.Submitted += o.Submitted
	s.Taken += o.Taken
	s.Declined += o.Declined
	s.Returned += o.Returned
	s.Pending += o.Pending
	s.Site += o.Site
	s.Digest += o.Digest
	s.Province += o.Province
	s.State += o.State
	s.InstructionProvince += o.InstructionProvince
	s.InstructionState += o.InstructionState
	s.RequestsAnswered += o.RequestsAnswered
	s.RequestsMissed += o.RequestsMissed
	s.Points += o.Points
}

// RequestStates tells what became of every request by now, by due date.
func RequestStates(book *Book, pending []*Item, now time.Time) []RequestState {
	var out []RequestState
	for _, q := range book.Requests {
		out = append(out, requestState(q, book, pending, now))
	}
	slices.SortStableFunc(out, func(a, b RequestState) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func requestState(q *Request, book *Book, pending []*Item, now time.Time) RequestState {
	rs := RequestState{ID: q.ID, Bureau: q.Bureau, Topic: q.Topic, Due: q.Due}
	for _, t := range book.Threads {
		// Only the bureau asked answers a request.
		if t.Request != q.ID || t.Bureau != q.Bureau || len(t.Submissions) == 0 {
			continue
		}
		if at := t.Submissions[0].Received; rs.Answered.IsZero() || at.Before(rs.Answered) {
			rs.Answered, rs.Report = at, t.Path
		}
	}
	for _, it := range pending {
		if it.Request == q.ID && it.Bureau == q.Bureau && it.Err == "" && (rs.Answered.IsZero() || it.Received.Before(rs.Answered)) {
			rs.Answered, rs.Report = it.Received, it.File
		}
	}
	deadline := q.Due.AddDate(0, 0, 1)
	switch {
	case !rs.Answered.IsZero() && rs.Answered.Before(deadline):
		rs.Status = "answered"
	case !rs.Answered.IsZero():
		rs.Status = "late"
	case !now.Before(deadline):
		rs.Status = "missed"
	default:
		rs.Status = "open"
	}
	return rs
}
