package morphology

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// suffix is one SFX rule: a word of the dictionary whose stem ends as cond
// says, and whose entry carries flag, has a form with strip removed from
// its end and add appended.
type suffix struct {
	flag  byte
	strip string
	cond  []condPart // matched against the end of the dictionary word
}

// condPart is one position of a rule's condition: a letter, a class of
// letters ([аеи]), a negated class ([^аеи]) or any letter (.).
type condPart struct {
	set string // the letters; empty with any
	neg bool
	any bool
}

func (c condPart) match(r rune) bool {
	if c.any {
		return true
	}
	return strings.ContainsRune(c.set, r) != c.neg
}

// condMatches reports whether word ends the way cond asks.
func condMatches(cond []condPart, word string) bool {
	i := len(word)
	for k := len(cond) - 1; k >= 0; k-- {
		if i == 0 {
			return false
		}
		r, size := lastRune(word[:i])
		if !cond[k].match(r) {
			return false
		}
		i -= size
	}
	return true
}

// parseCond reads a condition such as "[^аеи]ок" or ".".
func parseCond(s string) ([]condPart, error) {
	var out []condPart
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '.':
			out = append(out, condPart{any: true})
		case '[':
			j := i + 1
			neg := j < len(rs) && rs[j] == '^'
			if neg {
				j++
			}
			k := j
			for k < len(rs) && rs[k] != ']' {
				k++
			}
			if k == len(rs) {
				return nil, fmt.Errorf("condition %q: [ without ]", s)
			}
			out = append(out, condPart{set: normalize(string(rs[j:k])), neg: neg})
			i = k
		default:
			out = append(out, condPart{set: normalize(string(rs[i]))})
		}
	}
	return out, nil
}

// affixes is what the .aff file says that lookup needs: the suffix rules,
// grouped by what they append, so that a word is compared only with the
// rules its ending allows.
type affixes struct {
	byAdd  map[string][]suffix
	maxAdd int // bytes of the longest add
	ignore string
	isSFX  [256]bool // the flags of suffix rules
}

// readAff reads the SFX rules of a hunspell .aff file in UTF-8 with
// one-character flags (the FLAG default), which is what the uk and ru
// dictionaries use. Prefix rules and compounding are not read: uk and ru
// have none, and en_US's (re-, un-) make words of their own (unhappy is
// not a form of happy).
func readAff(r io.Reader) (*affixes, error) {
	a := &affixes{byAdd: make(map[string][]suffix)}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch f[0] {
		case "SET":
			if len(f) < 2 || !strings.EqualFold(f[1], "UTF-8") {
				return nil, fmt.Errorf("morphology: aff line %d: only SET UTF-8 is read", line)
			}
		case "FLAG":
			return nil, fmt.Errorf("morphology: aff line %d: FLAG %v is not read (one-character flags only)", line, f[1:])
		case "IGNORE":
			if len(f) >= 2 {
				a.ignore = f[1]
			}
		case "SFX":
			if len(f) == 4 { // the header: SFX flag cross count
				if _, err := strconv.Atoi(f[3]); err == nil {
					continue
				}
			}
			if len(f) < 5 || len(f[1]) != 1 {
				return nil, fmt.Errorf("morphology: aff line %d: SFX rule needs a one-byte flag, strip, add and condition", line)
			}
			cond, err := parseCond(f[4])
			if err != nil {
				return nil, fmt.Errorf("morphology: aff line %d: %w", line, err)
			}
			add, _, _ := strings.Cut(f[3], "/") // continuation flags: none in uk, ru
			s := suffix{flag: f[1][0], strip: zero(f[2]), cond: cond}
			a.isSFX[s.flag] = true
			add = normalize(zero(add))
			s.strip = normalize(s.strip)
			a.byAdd[add] = append(a.byAdd[add], s)
			a.maxAdd = max(a.maxAdd, len(add))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("morphology: aff: %w", err)
	}
	return a, nil
}

// zero reads hunspell's "0", which means nothing.
func zero(s string) string {
	if s == "0" {
		return ""
	}
	return s
}
