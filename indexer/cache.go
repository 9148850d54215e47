package indexer

import (
	"container/list"
	"sync"
)

// resultCache keeps the result sets of recent searches, the least recently
// used going first when it is full. Each snapshot of the index has its
// own, and a snapshot never changes, so a kept set stays right: a
// repeated search (a popular word, the next page of the last one) costs
// only its page's snippets. Readers' searches repeat a lot; a search that
// has to run takes a few milliseconds of CPU, which is what limits how
// many a server answers.
type resultCache struct {
	mu      sync.Mutex
	maxHits int // hits held by all sets together
	hits    int
	order   *list.List // of *cached, most recent first
	byKey   map[string]*list.Element
}

type cached struct {
	key string
	asked
	set *resultSet
}

// asked is what a result set answers: a request (its first page; all
// pages share the set) and whether it is the loose fallback.
type asked struct {
	req   Request
	loose bool
}

func (s asked) key() string {
	s.req.Page = 1
	key := s.req.Encode()
	if s.loose {
		key += "#loose" // never part of an encoded request
	}
	return key
}

func newResultCache(maxHits int) *resultCache {
	return &resultCache{maxHits: maxHits, order: list.New(), byKey: map[string]*list.Element{}}
}

// cost is what a set counts against maxHits: its hits, and one for the
// entry, so that many empty results are bounded too.
func cost(set *resultSet) int {
	if set.later != nil {
		return 2*set.later.size + 1 // its queue, and the hits shown as they are checked
	}
	return len(set.hits) + 1
}

func (c *resultCache) get(s asked) *resultSet {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.byKey[s.key()]
	if el == nil {
		return nil
	}
	c.order.MoveToFront(el)
	return el.Value.(*cached).set
}

func (c *resultCache) put(s asked, set *resultSet) {
	if cost(set) > c.maxHits {
		return
	}
	key := s.key()
	c.mu.Lock()
	defer c.mu.Unlock()
	if el := c.byKey[key]; el != nil {
		// Two searches for the same, at once: keep the first.
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&cached{key, s, set})
	c.hits += cost(set)
	for c.hits > c.maxHits {
		old := c.order.Remove(c.order.Back()).(*cached)
		delete(c.byKey, old.key)
		c.hits -= cost(old.set)
	}
}

// recent returns at most n of the searches kept, the most recently used
// first.
func (c *resultCache) recent(n int) []asked {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []asked
	for el := c.order.Front(); el != nil && len(out) < n; el = el.Next() {
		out = append(out, el.Value.(*cached).asked)
	}
	return out
}
