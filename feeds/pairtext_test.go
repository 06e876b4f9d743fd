package feeds

import (
	"slices"
	"testing"
)

func TestTextNumbers(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"1 750 окупантів", []string{"1750"}},
		{"1,750 invaders", []string{"1750"}},
		{"1750", []string{"1750"}},
		{"близько 870 450 осіб", []string{"870450"}},
		{"понад 40 тисяч абонентів", []string{"40000"}},
		{"over 40,000 customers", []string{"40000"}},
		{"транш у 1,1 млрд доларів", []string{"1100000000"}},
		{"$1.1 billion tranche", []string{"1100000000"}},
		{"SAMP/T, F-16 and 5 tanks", []string{"16"}},
		{"станом на 20 листопада 2026 року", []string{"20", "2026"}},
		{"2.5 per cent", []string{"2.5"}},
	} {
		if got := textNumbers(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("textNumbers(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSkeletonsOfNames(t *testing.T) {
	for _, group := range [][]string{
		{"Сибіга", "Сибига", "Sybiha"},
		{"Київ", "Киев", "Kyiv"},
		{"Рютте", "Rutte"},
		{"Зеленський", "Зеленский", "Zelensky", "Зеленського"},
		{"Харкові", "Kharkiv", "Харькове"},
		{"Кличко", "Klitschko"},
		{"Україна", "України", "Украина", "Ukraine"},
	} {
		var feats []string
		for _, w := range group {
			f := textFeatures(nil, w)
			if len(f) < 2 {
				t.Fatalf("%q: features %q", w, f)
			}
			feats = append(feats, f[1])
		}
		for i := range feats {
			if feats[i] != feats[0] {
				t.Errorf("%q: name features %q differ", group, feats)
				break
			}
		}
	}
}
