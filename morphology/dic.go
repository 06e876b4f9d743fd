package morphology

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Dictionary maps the word forms of one language to their lemmas. It holds
// the dictionary's words (its headwords) in one sorted string table and the
// affix rules of the .aff file; a form is found by stripping each suffix
// rule its ending allows and looking the stem up, as hunspell does, so the
// millions of forms are never spelt out in memory. Safe for concurrent
// use once loaded.
type Dictionary struct {
	blob     string   // every distinct headword key, concatenated
	ents     []entry  // sorted by key; equal keys adjacent
	flagsets []string // distinct flag strings of the .dic
	suffixed []bool   // by flagsets index: the flags include a suffix rule's
	groups   map[string][]stripGroup
	maxAdd   int
	aliases  int // headwords joined to another by the dropped-vowel rule
}

// entry is one line of the .dic: 12 bytes.
type entry struct {
	off    uint32 // key in blob
	lemma  uint32 // index of the entry whose key is the lemma
	flags  uint16 // index in flagsets
	n      uint8  // key length in bytes
	proper bool   // the headword is capitalized (a name, an abbreviation)
}

// stripGroup is the rules that append one ending and strip the same
// letters: one stem to look up for all of them.
type stripGroup struct {
	strip string
	rules []rule
}

type rule struct {
	flag byte
	cond []condPart
}

// Lemma is one reading of a word form.
type Lemma struct {
	Word     string // the lemma's key: its headword, normalized
	Proper   bool   // the headword is capitalized: a name or an abbreviation
	Headword bool   // the form is this lemma's own dictionary word, not one made by a rule
	Inflects bool   // with Headword: the dictionary word has suffix rules (a paradigm of its own)
}

func (d *Dictionary) key(i int) string {
	e := &d.ents[i]
	return d.blob[e.off : e.off+uint32(e.n)]
}

// Words reports the number of headwords.
func (d *Dictionary) Words() int { return len(d.ents) }

// Read builds a dictionary from a hunspell .aff and .dic pair (UTF-8,
// one-character flags, suffix rules).
func Read(aff, dic io.Reader) (*Dictionary, error) {
	a, err := readAff(aff)
	if err != nil {
		return nil, err
	}
	d := &Dictionary{groups: make(map[string][]stripGroup, len(a.byAdd)), maxAdd: a.maxAdd}
	for add, sfx := range a.byAdd {
		var gs []stripGroup
		for _, s := range sfx {
			i := slices.IndexFunc(gs, func(g stripGroup) bool { return g.strip == s.strip })
			if i < 0 {
				gs = append(gs, stripGroup{strip: s.strip})
				i = len(gs) - 1
			}
			gs[i].rules = append(gs[i].rules, rule{s.flag, s.cond})
		}
		d.groups[add] = gs
	}
	if err := d.readDic(dic, a.ignore); err != nil {
		return nil, err
	}
	d.suffixed = make([]bool, len(d.flagsets))
	for i, fs := range d.flagsets {
		for j := 0; j < len(fs); j++ {
			d.suffixed[i] = d.suffixed[i] || a.isSFX[fs[j]]
		}
	}
	d.joinDroppedVowels()
	return d, nil
}

type rawEntry struct {
	key    string
	flags  uint16
	proper bool
}

func (d *Dictionary) readDic(r io.Reader, ignore string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	flagIDs := map[string]uint16{"": 0}
	d.flagsets = []string{""}
	var raw []rawEntry
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first { // the count of lines
			first = false
			if _, err := fmt.Sscanf(line, "%d", new(int)); err == nil {
				continue
			}
		}
		line, _, _ = strings.Cut(line, "\t") // morphological fields
		word, flags, _ := strings.Cut(strings.TrimSpace(line), "/")
		if word == "" || strings.HasPrefix(word, "#") {
			continue
		}
		for _, ig := range ignore {
			word = strings.ReplaceAll(word, string(ig), "")
		}
		key := normalize(word)
		if len(key) > 255 || key == "" {
			continue
		}
		id, ok := flagIDs[flags]
		if !ok {
			if len(d.flagsets) >= 1<<16 {
				return fmt.Errorf("morphology: dic: more than %d flag sets", 1<<16)
			}
			id = uint16(len(d.flagsets))
			flagIDs[flags] = id
			d.flagsets = append(d.flagsets, flags)
		}
		r, _ := utf8.DecodeRuneInString(word)
		raw = append(raw, rawEntry{key: key, flags: id, proper: unicode.IsUpper(r)})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("morphology: dic: %w", err)
	}
	slices.SortFunc(raw, func(a, b rawEntry) int { return strings.Compare(a.key, b.key) })
	var blob strings.Builder
	d.ents = make([]entry, len(raw))
	for i, re := range raw {
		e := entry{flags: re.flags, n: uint8(len(re.key)), proper: re.proper, lemma: uint32(i)}
		if i > 0 && raw[i-1].key == re.key { // one key, one lemma
			e.off, e.lemma = d.ents[i-1].off, d.ents[i-1].lemma
		} else {
			e.off = uint32(blob.Len())
			blob.WriteString(re.key)
		}
		d.ents[i] = e
	}
	d.blob = blob.String()
	return nil
}

// find returns the index of the first entry with key k, or -1.
func (d *Dictionary) find(k string) int {
	lo, hi := 0, len(d.ents)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if d.key(m) < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(d.ents) && d.key(lo) == k {
		return lo
	}
	return -1
}

// Lemmas appends to dst the lemmas of form, a word normalized as
// normalize does (lower case, ё as е, the apostrophe as '), each lemma
// once. It returns dst unchanged for a word the dictionary does not know.
func (d *Dictionary) Lemmas(dst []Lemma, form string) []Lemma {
	start := len(dst)
	add := func(i int, head bool) {
		l := Lemma{Word: d.key(int(d.ents[i].lemma)), Proper: d.ents[i].proper, Headword: head,
			Inflects: head && d.suffixed[d.ents[i].flags]}
		for k := start; k < len(dst); k++ {
			if dst[k].Word == l.Word {
				dst[k].Proper = dst[k].Proper || l.Proper
				dst[k].Headword = dst[k].Headword || head
				dst[k].Inflects = dst[k].Inflects || l.Inflects
				return
			}
		}
		dst = append(dst, l)
	}
	for i := d.find(form); i >= 0 && i < len(d.ents) && d.key(i) == form; i++ {
		add(i, true)
	}
	var buf [128]byte
	for cut := len(form); cut >= 0 && len(form)-cut <= d.maxAdd; cut-- {
		if cut < len(form) && !utf8.RuneStart(form[cut]) {
			continue
		}
		for _, g := range d.groups[form[cut:]] {
			stem := append(append(buf[:0], form[:cut]...), g.strip...)
			if len(stem) == 0 {
				continue
			}
			s := unsafe.String(&stem[0], len(stem)) // only compared, never kept
			for i := d.find(s); i >= 0 && i < len(d.ents) && d.key(i) == s; i++ {
				flags := d.flagsets[d.ents[i].flags]
				for _, r := range g.rules {
					if strings.IndexByte(flags, r.flag) >= 0 && condMatches(r.cond, s) {
						add(i, false)
						break
					}
				}
			}
		}
	}
	return dst
}

// Known reports whether the dictionary has form.
func (d *Dictionary) Known(form string) bool {
	var buf [4]Lemma
	return len(d.Lemmas(buf[:0], form)) > 0
}
