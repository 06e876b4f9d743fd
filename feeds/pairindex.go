package feeds

import (
	"context"
	"math"
	"slices"
	"time"
)

// Content pairing thresholds, chosen on the fixtures of pair_test.go
// (precision first: a false pair hides a story, a missed one only repeats
// it). See docs/benchmarks.md for the figures.
const (
	sameScriptMin  = 0.40 // uk↔ru: cosine of the weighted features
	crossScriptMin = 0.40 // with English: share of the smaller side's names and numbers
	crossMinShared = 2    // ... and at least this many shared
	pairMargin     = 0.10 // the best candidate must beat the next story by this much
	maxPosting     = 3000 // features on more articles than this are not used to find candidates
	maxScored      = 32   // candidates scored, those sharing the most weight
)

// pairDoc is one stored article of an outlet as content pairing sees it.
type pairDoc struct {
	article int64
	story   int64
	lang    string
	cyr     bool
	pub     time.Time
	feats   []string // distinct
	names   []string // distinct name and number features
	nums    []string // numbers of title and summary
	tnums   []string // numbers of the title
}

// pairIndex is an outlet's recent articles, indexed by feature, for
// finding the article a new one translates. It is guarded by its outlet's
// mutex.
type pairIndex struct {
	window  time.Duration
	docs    map[int64]*pairDoc    // by article id
	post    map[string][]*pairDoc // feature → articles
	stories map[int64][]string    // story → its languages
	keyed   map[int64]bool        // stories with a key
	newest  time.Time
	oldest  time.Time
}

func newPairIndex(window time.Duration) *pairIndex {
	return &pairIndex{window: window, docs: map[int64]*pairDoc{}, post: map[string][]*pairDoc{},
		stories: map[int64][]string{}, keyed: map[int64]bool{}}
}

func isCyrillicLang(lang string) bool {
	switch lang {
	case "uk", "ru", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn":
		return true
	}
	return false
}

// makePairDoc reads an article's features.
func makePairDoc(a *Article) *pairDoc {
	d := &pairDoc{article: a.ID, lang: a.Lang, cyr: isCyrillicLang(a.Lang), pub: a.Published}
	title := textFeatures(nil, a.Title)
	all := textFeatures(slices.Clone(title), a.Summary)
	seen := map[string]bool{}
	for _, f := range all {
		if seen[f] {
			continue
		}
		seen[f] = true
		d.feats = append(d.feats, f)
		if f[0] == featName || f[0] == featNumber {
			d.names = append(d.names, f)
		}
		if f[0] == featNumber {
			d.nums = append(d.nums, f)
		}
	}
	for _, f := range title {
		if f[0] == featNumber && !slices.Contains(d.tnums, f) {
			d.tnums = append(d.tnums, f)
		}
	}
	return d
}

func (x *pairIndex) add(d *pairDoc, story int64, keyed bool) {
	d.story = story
	if _, dup := x.docs[d.article]; dup {
		return
	}
	x.docs[d.article] = d
	for _, f := range d.feats {
		x.post[f] = append(x.post[f], d)
	}
	if !slices.Contains(x.stories[story], d.lang) {
		x.stories[story] = append(x.stories[story], d.lang)
	}
	if keyed {
		x.keyed[story] = true
	}
	if d.pub.After(x.newest) {
		x.newest = d.pub
	}
	if x.oldest.IsZero() || d.pub.Before(x.oldest) {
		x.oldest = d.pub
	}
	x.evict()
}

// evict drops, now and then, articles published a window before the
// newest: the index holds about two windows at most.
func (x *pairIndex) evict() {
	cut := x.newest.Add(-x.window)
	if !x.oldest.Before(cut.Add(-x.window)) {
		return
	}
	x.oldest = x.newest
	for id, d := range x.docs {
		if d.pub.Before(cut) {
			delete(x.docs, id)
			continue
		}
		if d.pub.Before(x.oldest) {
			x.oldest = d.pub
		}
	}
	for f, ps := range x.post {
		kept := ps[:0]
		for _, d := range ps {
			if x.docs[d.article] == d {
				kept = append(kept, d)
			}
		}
		if len(kept) == 0 {
			delete(x.post, f)
		} else {
			clear(ps[len(kept):])
			x.post[f] = kept
		}
	}
	live := map[int64]bool{}
	for _, d := range x.docs {
		live[d.story] = true
	}
	for s := range x.stories {
		if !live[s] {
			delete(x.stories, s)
			delete(x.keyed, s)
		}
	}
}

// weight is a feature's inverse document frequency in the index.
func (x *pairIndex) weight(f string) float64 {
	n := float64(len(x.docs) + 1)
	return math.Log(1 + n/float64(len(x.post[f])+1))
}

// pairCandidate is the article a new one pairs with.
type pairCandidate struct {
	article, story int64
	score          float64
}

// best finds the article of another language, in a story without an
// edition in a's language and published within the window, that a's text
// pairs with; ok is false when there is none or the choice is not clear.
// With unkeyedOnly (a has a key of its own), only stories without a key
// are candidates: a keyed story would have been found by its key.
func (x *pairIndex) best(a *Article, unkeyedOnly bool) (pairCandidate, bool) {
	d := makePairDoc(a)
	c, ok := x.bestDoc(d, unkeyedOnly)
	return c, ok
}

func (x *pairIndex) bestDoc(d *pairDoc, unkeyedOnly bool) (pairCandidate, bool) {
	type acc struct {
		doc    *pairDoc
		shared float64
		n      int
	}
	cands := map[int64]*acc{}
	for _, f := range d.feats {
		ps := x.post[f]
		if len(ps) == 0 || len(ps) > maxPosting {
			continue
		}
		w := x.weight(f)
		for _, o := range ps {
			if o.lang == d.lang {
				continue
			}
			if o.cyr != d.cyr && f[0] == featRoot {
				continue // roots do not survive translation into another script
			}
			if dt := d.pub.Sub(o.pub); dt > x.window || dt < -x.window {
				continue
			}
			c := cands[o.article]
			if c == nil {
				if slices.Contains(x.stories[o.story], d.lang) || unkeyedOnly && x.keyed[o.story] {
					continue
				}
				c = &acc{doc: o}
				cands[o.article] = c
			}
			c.shared += w
			c.n++
		}
	}
	// Score only the candidates sharing the most: the others cannot win.
	top := make([]*acc, 0, len(cands))
	for _, c := range cands {
		top = append(top, c)
	}
	slices.SortFunc(top, func(a, b *acc) int {
		switch {
		case a.shared > b.shared:
			return -1
		case a.shared < b.shared:
			return 1
		}
		return int(a.doc.article - b.doc.article)
	})
	if len(top) > maxScored {
		top = top[:maxScored]
	}
	sd := scoreSums{all: x.sum(d.feats), names: x.sum(d.names)}
	var best, second pairCandidate
	for _, c := range top {
		s := x.score(d, c.doc, c.shared, c.n, sd)
		if s <= 0 {
			continue
		}
		switch {
		case s > best.score:
			if best.story != c.doc.story {
				second = best
			}
			best = pairCandidate{article: c.doc.article, story: c.doc.story, score: s}
		case s > second.score && c.doc.story != best.story:
			second = pairCandidate{article: c.doc.article, story: c.doc.story, score: s}
		}
	}
	if best.story == 0 || best.score-second.score < pairMargin {
		return pairCandidate{}, false
	}
	return best, true
}

// score is how surely d and o are one story (0: not), given the summed
// weight and count of the features they share.
// scoreSums are the new article's feature weights, summed once.
type scoreSums struct{ all, names float64 }

func (x *pairIndex) score(d, o *pairDoc, shared float64, n int, sd scoreSums) float64 {
	if numbersConflict(d, o) {
		return 0
	}
	if d.cyr == o.cyr {
		s := shared / math.Sqrt(sd.all*x.sum(o.feats))
		if s < sameScriptMin {
			return 0
		}
		return s
	}
	if n < crossMinShared {
		return 0
	}
	s := shared / math.Min(sd.names, x.sum(o.names))
	if s > 1 {
		s = 1
	}
	if s < crossScriptMin {
		return 0
	}
	return s
}

func (x *pairIndex) sum(fs []string) float64 {
	t := 0.0
	for _, f := range fs {
		t += x.weight(f)
	}
	if t == 0 {
		return 1
	}
	return t
}

// numbersConflict: two reports that differ in their numbers (yesterday's
// and today's casualty figures) are different stories, however alike
// their words.
func numbersConflict(d, o *pairDoc) bool {
	if len(d.tnums) > 0 && len(o.tnums) > 0 && !intersects(d.tnums, o.tnums) {
		return true
	}
	if len(d.nums) == 0 || len(o.nums) == 0 {
		return false
	}
	shared := 0
	for _, n := range d.nums {
		if slices.Contains(o.nums, n) {
			shared++
		}
	}
	return float64(shared) < 0.5*float64(min(len(d.nums), len(o.nums)))
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// index returns the outlet's content index, loading the articles of the
// last two windows from the database on first use. The caller holds o.mu.
func (s *Store) index(ctx context.Context, o *outletState) (*pairIndex, error) {
	if o.idx != nil {
		return o.idx, nil
	}
	x := newPairIndex(o.Window)
	since := s.Now().Add(-2 * o.Window)
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.lang, a.title, a.summary, a.published, e.story_id, s.key IS NOT NULL
		FROM story_editions e JOIN articles a ON a.id = e.article_id JOIN stories s ON s.id = e.story_id
		WHERE e.outlet = ? AND e.published >= ? ORDER BY a.id`, o.Name, since.Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a Article
		var pub, story int64
		var keyed bool
		if err := rows.Scan(&a.ID, &a.Lang, &a.Title, &a.Summary, &pub, &story, &keyed); err != nil {
			return nil, err
		}
		a.Published = time.Unix(pub, 0)
		x.add(makePairDoc(&a), story, keyed)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	o.idx = x
	return x, nil
}
