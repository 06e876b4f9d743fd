package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Time zones as people name them: a city or a country in English,
// Ukrainian or Russian (Київ, Kyiv, Киев), a UTC offset (UTC+2, +02:00,
// GMT-5), or an IANA name in any case.

// zoneCity is one place people name, with the zone it is in. The first
// name of each language is how a button shows it.
type zoneCity struct {
	zone       string
	en, uk, ru []string
}

// zoneCities are the capitals of Europe and North America and the cities
// of the Ukrainian diaspora, with the countries that have one zone.
var zoneCities = []zoneCity{
	{"Europe/Kyiv", []string{"Kyiv", "Kiev", "Ukraine", "Kharkiv", "Odesa", "Odessa", "Lviv", "Dnipro", "Zaporizhzhia"},
		[]string{"Київ", "Україна", "Харків", "Одеса", "Львів", "Дніпро", "Запоріжжя", "Вінниця", "Полтава", "Чернігів", "Суми", "Житомир", "Черкаси", "Миколаїв", "Херсон", "Івано-Франківськ", "Тернопіль", "Ужгород", "Луцьк", "Рівне", "Чернівці", "Хмельницький", "Кропивницький"},
		[]string{"Киев", "Украина", "Харьков", "Одесса", "Львов", "Днепр", "Запорожье", "Винница", "Полтава", "Чернигов", "Николаев", "Херсон"}},
	{"Europe/Warsaw", []string{"Warsaw", "Poland", "Krakow", "Kraków", "Wroclaw", "Wrocław", "Gdansk", "Gdańsk", "Poznan", "Poznań", "Lodz", "Łódź", "Lublin", "Rzeszow", "Rzeszów"},
		[]string{"Варшава", "Польща", "Краків", "Вроцлав", "Гданськ", "Познань", "Лодзь", "Люблін", "Жешув"},
		[]string{"Варшава", "Польша", "Краков", "Вроцлав", "Гданьск", "Познань", "Лодзь", "Люблин", "Жешув"}},
	{"Europe/Berlin", []string{"Berlin", "Germany", "Munich", "Hamburg", "Frankfurt", "Cologne", "Leipzig", "Dresden", "Stuttgart", "Dusseldorf", "Düsseldorf"},
		[]string{"Берлін", "Німеччина", "Мюнхен", "Гамбург", "Франкфурт", "Кельн", "Лейпциг", "Дрезден", "Штутгарт", "Дюссельдорф"},
		[]string{"Берлин", "Германия", "Мюнхен", "Гамбург", "Франкфурт", "Кёльн", "Лейпциг", "Дрезден", "Штутгарт", "Дюссельдорф"}},
	{"Europe/Prague", []string{"Prague", "Czechia", "Czech Republic", "Brno"}, []string{"Прага", "Чехія", "Брно"}, []string{"Прага", "Чехия", "Брно"}},
	{"Europe/London", []string{"London", "United Kingdom", "UK", "Britain", "England", "Manchester", "Birmingham", "Edinburgh", "Glasgow"},
		[]string{"Лондон", "Велика Британія", "Британія", "Англія", "Манчестер", "Бірмінгем", "Единбург", "Глазго"},
		[]string{"Лондон", "Великобритания", "Британия", "Англия", "Манчестер", "Бирмингем", "Эдинбург", "Глазго"}},
	{"Europe/Dublin", []string{"Dublin", "Ireland", "Cork"}, []string{"Дублін", "Ірландія"}, []string{"Дублин", "Ирландия"}},
	{"Europe/Lisbon", []string{"Lisbon", "Portugal", "Porto"}, []string{"Лісабон", "Португалія", "Порту"}, []string{"Лиссабон", "Португалия", "Порту"}},
	{"Europe/Madrid", []string{"Madrid", "Spain", "Barcelona", "Valencia", "Malaga", "Málaga"}, []string{"Мадрид", "Іспанія", "Барселона", "Валенсія", "Малага"}, []string{"Мадрид", "Испания", "Барселона", "Валенсия", "Малага"}},
	{"Europe/Paris", []string{"Paris", "France", "Lyon", "Marseille", "Nice"}, []string{"Париж", "Франція", "Ліон", "Марсель", "Ніцца"}, []string{"Париж", "Франция", "Лион", "Марсель", "Ницца"}},
	{"Europe/Rome", []string{"Rome", "Italy", "Milan", "Naples", "Turin"}, []string{"Рим", "Італія", "Мілан", "Неаполь", "Турин"}, []string{"Рим", "Италия", "Милан", "Неаполь", "Турин"}},
	{"Europe/Vienna", []string{"Vienna", "Austria"}, []string{"Відень", "Австрія"}, []string{"Вена", "Австрия"}},
	{"Europe/Zurich", []string{"Bern", "Zurich", "Zürich", "Geneva", "Switzerland"}, []string{"Берн", "Цюрих", "Женева", "Швейцарія"}, []string{"Берн", "Цюрих", "Женева", "Швейцария"}},
	{"Europe/Brussels", []string{"Brussels", "Belgium", "Antwerp"}, []string{"Брюссель", "Бельгія", "Антверпен"}, []string{"Брюссель", "Бельгия", "Антверпен"}},
	{"Europe/Amsterdam", []string{"Amsterdam", "Netherlands", "The Hague", "Rotterdam"}, []string{"Амстердам", "Нідерланди", "Гаага", "Роттердам"}, []string{"Амстердам", "Нидерланды", "Гаага", "Роттердам"}},
	{"Europe/Luxembourg", []string{"Luxembourg"}, []string{"Люксембург"}, []string{"Люксембург"}},
	{"Europe/Copenhagen", []string{"Copenhagen", "Denmark"}, []string{"Копенгаген", "Данія"}, []string{"Копенгаген", "Дания"}},
	{"Europe/Oslo", []string{"Oslo", "Norway"}, []string{"Осло", "Норвегія"}, []string{"Осло", "Норвегия"}},
	{"Europe/Stockholm", []string{"Stockholm", "Sweden"}, []string{"Стокгольм", "Швеція"}, []string{"Стокгольм", "Швеция"}},
	{"Europe/Helsinki", []string{"Helsinki", "Finland"}, []string{"Гельсінкі", "Фінляндія"}, []string{"Хельсинки", "Финляндия"}},
	{"Europe/Tallinn", []string{"Tallinn", "Estonia"}, []string{"Таллінн", "Естонія"}, []string{"Таллин", "Эстония"}},
	{"Europe/Riga", []string{"Riga", "Latvia"}, []string{"Рига", "Латвія"}, []string{"Рига", "Латвия"}},
	{"Europe/Vilnius", []string{"Vilnius", "Lithuania"}, []string{"Вільнюс", "Литва"}, []string{"Вильнюс", "Литва"}},
	{"Europe/Bratislava", []string{"Bratislava", "Slovakia", "Kosice", "Košice"}, []string{"Братислава", "Словаччина", "Кошице"}, []string{"Братислава", "Словакия", "Кошице"}},
	{"Europe/Budapest", []string{"Budapest", "Hungary"}, []string{"Будапешт", "Угорщина"}, []string{"Будапешт", "Венгрия"}},
	{"Europe/Bucharest", []string{"Bucharest", "Romania"}, []string{"Бухарест", "Румунія"}, []string{"Бухарест", "Румыния"}},
	{"Europe/Chisinau", []string{"Chisinau", "Chișinău", "Moldova"}, []string{"Кишинів", "Молдова"}, []string{"Кишинёв", "Молдавия", "Молдова"}},
	{"Europe/Sofia", []string{"Sofia", "Bulgaria"}, []string{"Софія", "Болгарія"}, []string{"София", "Болгария"}},
	{"Europe/Athens", []string{"Athens", "Greece"}, []string{"Афіни", "Греція"}, []string{"Афины", "Греция"}},
	{"Europe/Istanbul", []string{"Istanbul", "Ankara", "Turkey", "Türkiye"}, []string{"Стамбул", "Анкара", "Туреччина"}, []string{"Стамбул", "Анкара", "Турция"}},
	{"Europe/Belgrade", []string{"Belgrade", "Serbia"}, []string{"Белград", "Сербія"}, []string{"Белград", "Сербия"}},
	{"Europe/Zagreb", []string{"Zagreb", "Croatia"}, []string{"Загреб", "Хорватія"}, []string{"Загреб", "Хорватия"}},
	{"Europe/Ljubljana", []string{"Ljubljana", "Slovenia"}, []string{"Любляна", "Словенія"}, []string{"Любляна", "Словения"}},
	{"Europe/Sarajevo", []string{"Sarajevo", "Bosnia"}, []string{"Сараєво", "Боснія"}, []string{"Сараево", "Босния"}},
	{"Europe/Podgorica", []string{"Podgorica", "Montenegro"}, []string{"Подгориця", "Чорногорія"}, []string{"Подгорица", "Черногория"}},
	{"Europe/Skopje", []string{"Skopje", "North Macedonia"}, []string{"Скоп’є", "Північна Македонія"}, []string{"Скопье", "Северная Македония"}},
	{"Europe/Tirane", []string{"Tirana", "Albania"}, []string{"Тирана", "Албанія"}, []string{"Тирана", "Албания"}},
	{"Europe/Belgrade", []string{"Pristina"}, []string{"Приштина"}, []string{"Приштина"}},
	{"Europe/Minsk", []string{"Minsk", "Belarus"}, []string{"Мінськ", "Білорусь"}, []string{"Минск", "Беларусь", "Белоруссия"}},
	{"Europe/Moscow", []string{"Moscow", "Saint Petersburg", "St Petersburg"}, []string{"Москва", "Санкт-Петербург"}, []string{"Москва", "Санкт-Петербург", "Питер"}},
	{"Asia/Tbilisi", []string{"Tbilisi"}, []string{"Тбілісі", "Грузія"}, []string{"Тбилиси", "Грузия"}},
	{"Asia/Yerevan", []string{"Yerevan", "Armenia"}, []string{"Єреван", "Вірменія"}, []string{"Ереван", "Армения"}},
	{"Asia/Baku", []string{"Baku", "Azerbaijan"}, []string{"Баку", "Азербайджан"}, []string{"Баку", "Азербайджан"}},
	{"Atlantic/Reykjavik", []string{"Reykjavik", "Iceland"}, []string{"Рейк’явік", "Ісландія"}, []string{"Рейкьявик", "Исландия"}},
	{"Europe/Malta", []string{"Valletta", "Malta"}, []string{"Валлетта", "Мальта"}, []string{"Валлетта", "Мальта"}},
	{"Asia/Nicosia", []string{"Nicosia", "Cyprus", "Limassol"}, []string{"Нікосія", "Кіпр", "Лімасол"}, []string{"Никосия", "Кипр", "Лимассол"}},
	{"Europe/Monaco", []string{"Monaco"}, []string{"Монако"}, []string{"Монако"}},
	{"Europe/Andorra", []string{"Andorra"}, []string{"Андорра"}, []string{"Андорра"}},
	{"Europe/Vaduz", []string{"Vaduz", "Liechtenstein"}, []string{"Вадуц", "Ліхтенштейн"}, []string{"Вадуц", "Лихтенштейн"}},
	{"Europe/San_Marino", []string{"San Marino"}, []string{"Сан-Марино"}, []string{"Сан-Марино"}},
	{"Europe/Vatican", []string{"Vatican"}, []string{"Ватикан"}, []string{"Ватикан"}},
	// North America.
	{"America/Toronto", []string{"Toronto", "Ottawa", "Montreal", "Montréal", "Quebec", "Hamilton", "Mississauga", "Oshawa"},
		[]string{"Торонто", "Оттава", "Монреаль", "Квебек", "Гамільтон", "Міссісага"}, []string{"Торонто", "Оттава", "Монреаль", "Квебек", "Гамильтон", "Миссиссога"}},
	{"America/Winnipeg", []string{"Winnipeg"}, []string{"Вінніпег"}, []string{"Виннипег"}},
	{"America/Regina", []string{"Regina", "Saskatoon"}, []string{"Реджайна", "Саскатун"}, []string{"Реджайна", "Саскатун"}},
	{"America/Edmonton", []string{"Edmonton", "Calgary"}, []string{"Едмонтон", "Калгарі"}, []string{"Эдмонтон", "Калгари"}},
	{"America/Vancouver", []string{"Vancouver", "Victoria"}, []string{"Ванкувер", "Вікторія"}, []string{"Ванкувер", "Виктория"}},
	{"America/Halifax", []string{"Halifax"}, []string{"Галіфакс"}, []string{"Галифакс"}},
	{"America/New_York", []string{"New York", "NYC", "Washington", "Washington DC", "Philadelphia", "Boston", "Miami", "Atlanta", "Detroit", "Cleveland", "Pittsburgh", "Baltimore"},
		[]string{"Нью-Йорк", "Вашингтон", "Філадельфія", "Бостон", "Маямі", "Атланта", "Детройт", "Клівленд", "Піттсбург", "Балтимор"},
		[]string{"Нью-Йорк", "Вашингтон", "Филадельфия", "Бостон", "Майами", "Атланта", "Детройт", "Кливленд", "Питтсбург", "Балтимор"}},
	{"America/Chicago", []string{"Chicago", "Houston", "Dallas", "Minneapolis", "St Louis", "Milwaukee"},
		[]string{"Чикаго", "Х’юстон", "Даллас", "Міннеаполіс", "Сент-Луїс", "Мілвокі"}, []string{"Чикаго", "Хьюстон", "Даллас", "Миннеаполис", "Сент-Луис", "Милуоки"}},
	{"America/Denver", []string{"Denver"}, []string{"Денвер"}, []string{"Денвер"}},
	{"America/Phoenix", []string{"Phoenix"}, []string{"Фінікс"}, []string{"Финикс"}},
	{"America/Los_Angeles", []string{"Los Angeles", "LA", "San Francisco", "Seattle", "Portland", "Sacramento", "San Diego"},
		[]string{"Лос-Анджелес", "Сан-Франциско", "Сіетл", "Портленд", "Сакраменто", "Сан-Дієго"}, []string{"Лос-Анджелес", "Сан-Франциско", "Сиэтл", "Портленд", "Сакраменто", "Сан-Диего"}},
	{"America/Anchorage", []string{"Anchorage"}, []string{"Анкоридж"}, []string{"Анкоридж"}},
	{"Pacific/Honolulu", []string{"Honolulu"}, []string{"Гонолулу"}, []string{"Гонолулу"}},
	{"America/Mexico_City", []string{"Mexico City", "Mexico"}, []string{"Мехіко", "Мексика"}, []string{"Мехико", "Мексика"}},
	{"America/Guatemala", []string{"Guatemala City", "Guatemala"}, []string{"Гватемала"}, []string{"Гватемала"}},
	{"America/Belize", []string{"Belmopan", "Belize"}, []string{"Бельмопан", "Беліз"}, []string{"Бельмопан", "Белиз"}},
	{"America/El_Salvador", []string{"San Salvador", "El Salvador"}, []string{"Сан-Сальвадор", "Сальвадор"}, []string{"Сан-Сальвадор", "Сальвадор"}},
	{"America/Tegucigalpa", []string{"Tegucigalpa", "Honduras"}, []string{"Тегусігальпа", "Гондурас"}, []string{"Тегусигальпа", "Гондурас"}},
	{"America/Managua", []string{"Managua", "Nicaragua"}, []string{"Манагуа", "Нікарагуа"}, []string{"Манагуа", "Никарагуа"}},
	{"America/Costa_Rica", []string{"San Jose", "San José", "Costa Rica"}, []string{"Сан-Хосе", "Коста-Рика"}, []string{"Сан-Хосе", "Коста-Рика"}},
	{"America/Panama", []string{"Panama City", "Panama"}, []string{"Панама"}, []string{"Панама"}},
	{"America/Havana", []string{"Havana", "Cuba"}, []string{"Гавана", "Куба"}, []string{"Гавана", "Куба"}},
	{"America/Jamaica", []string{"Kingston", "Jamaica"}, []string{"Кінгстон", "Ямайка"}, []string{"Кингстон", "Ямайка"}},
	{"America/Port-au-Prince", []string{"Port-au-Prince", "Haiti"}, []string{"Порт-о-Пренс", "Гаїті"}, []string{"Порт-о-Пренс", "Гаити"}},
	{"America/Santo_Domingo", []string{"Santo Domingo", "Dominican Republic"}, []string{"Санто-Домінго", "Домінікана"}, []string{"Санто-Доминго", "Доминикана"}},
	{"America/Nassau", []string{"Nassau", "Bahamas"}, []string{"Нассау", "Багами"}, []string{"Нассау", "Багамы"}},
	{"America/Puerto_Rico", []string{"San Juan", "Puerto Rico"}, []string{"Сан-Хуан", "Пуерто-Рико"}, []string{"Сан-Хуан", "Пуэрто-Рико"}},
	// Further diaspora.
	{"America/Sao_Paulo", []string{"Sao Paulo", "São Paulo", "Curitiba", "Rio de Janeiro", "Brazil"}, []string{"Сан-Паулу", "Куритиба", "Ріо-де-Жанейро", "Бразилія"}, []string{"Сан-Паулу", "Куритиба", "Рио-де-Жанейро", "Бразилия"}},
	{"America/Argentina/Buenos_Aires", []string{"Buenos Aires", "Argentina"}, []string{"Буенос-Айрес", "Аргентина"}, []string{"Буэнос-Айрес", "Аргентина"}},
	{"Australia/Sydney", []string{"Sydney", "Canberra"}, []string{"Сідней", "Канберра"}, []string{"Сидней", "Канберра"}},
	{"Australia/Melbourne", []string{"Melbourne"}, []string{"Мельбурн"}, []string{"Мельбурн"}},
	{"Asia/Jerusalem", []string{"Jerusalem", "Tel Aviv", "Haifa", "Israel"}, []string{"Єрусалим", "Тель-Авів", "Хайфа", "Ізраїль"}, []string{"Иерусалим", "Тель-Авив", "Хайфа", "Израиль"}},
	{"Asia/Dubai", []string{"Dubai", "Abu Dhabi", "UAE"}, []string{"Дубай", "Абу-Дабі", "ОАЕ"}, []string{"Дубай", "Абу-Даби", "ОАЭ"}},
	{"Asia/Almaty", []string{"Almaty", "Astana"}, []string{"Алмати", "Астана"}, []string{"Алматы", "Астана"}},
	{"Asia/Tokyo", []string{"Tokyo", "Japan"}, []string{"Токіо", "Японія"}, []string{"Токио", "Япония"}},
	{"UTC", []string{"UTC", "GMT", "Greenwich"}, []string{"Грінвіч"}, []string{"Гринвич"}},
}

// commonZones are the /timezone buttons.
var commonZones = []string{"Europe/Kyiv", "Europe/Warsaw", "Europe/Berlin", "Europe/Prague", "Europe/London",
	"Europe/Lisbon", "America/Toronto", "America/New_York", "America/Chicago", "America/Vancouver"}

var cityIndex = func() map[string]string {
	m := map[string]string{}
	for _, c := range zoneCities {
		for _, names := range [][]string{c.en, c.uk, c.ru} {
			for _, n := range names {
				if _, dup := m[placeKey(n)]; !dup {
					m[placeKey(n)] = c.zone
				}
			}
		}
	}
	return m
}()

// placeKey folds a place name as people type it: any case, ё as е, with
// or without apostrophes, hyphens, diacritics of the Latin names we list,
// a leading "м."/"г."/"місто"/"город".
func placeKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"м. ", "г. ", "м.", "г.", "місто ", "город ", "city of "} {
		s = strings.TrimPrefix(s, p)
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == 'ё':
			r = 'е'
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == '.':
			continue
		case r == '-' || r == '_' || r == '/' || unicode.IsSpace(r):
			space = true
			continue
		}
		if f, ok := latinFold[r]; ok {
			r = f
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

var latinFold = map[rune]rune{'á': 'a', 'é': 'e', 'ó': 'o', 'ü': 'u', 'ö': 'o', 'ł': 'l', 'ś': 's', 'ń': 'n', 'ź': 'z', 'ż': 'z', 'ș': 's', 'ă': 'a', 'â': 'a', 'í': 'i', 'ã': 'a', 'š': 's', 'č': 'c'}

// resolveZone turns what a user typed into a zone name for SetTimezone.
// fixed is true for a UTC offset, which follows no daylight saving time.
func resolveZone(arg string) (zone string, fixed, ok bool) {
	if z, ok := cityIndex[placeKey(arg)]; ok {
		return z, false, true
	}
	if z, ok := offsetZone(arg); ok {
		return z, true, true
	}
	if z, ok := canonicalZone(arg); ok {
		return z, strings.HasPrefix(z, "Etc/"), true
	}
	return "", false, false
}

// offsetZone maps "UTC+2", "GMT-5", "+02:00", "+3", "UTC+05:30" to a zone
// of that fixed offset: Etc/GMT-2 for whole hours (the Etc sign is the
// opposite of ISO's), and for the half hours in use, a zone of that
// offset without daylight saving.
func offsetZone(s string) (string, bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "UTC"), "GMT")
	s = strings.ReplaceAll(s, "−", "-") // a minus sign
	if s == "" || s == "+0" || s == "-0" || s == "+00:00" || s == "0" {
		return "UTC", s != ""
	}
	if s[0] != '+' && s[0] != '-' {
		return "", false
	}
	sign, rest := s[0], s[1:]
	h, m := rest, "0"
	if i := strings.IndexAny(rest, ":."); i >= 0 {
		h, m = rest[:i], rest[i+1:]
	} else if len(rest) == 4 { // +0530
		h, m = rest[:2], rest[2:]
	}
	hours, err1 := strconv.Atoi(h)
	mins, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hours > 14 || mins >= 60 || len(h) > 2 {
		return "", false
	}
	if mins == 0 {
		if hours == 0 {
			return "UTC", true
		}
		if sign == '+' {
			return fmt.Sprintf("Etc/GMT-%d", hours), hours <= 14
		}
		return fmt.Sprintf("Etc/GMT+%d", hours), hours <= 12
	}
	half := map[string]string{"+3:30": "Asia/Tehran", "+4:30": "Asia/Kabul", "+5:30": "Asia/Kolkata",
		"+5:45": "Asia/Kathmandu", "+6:30": "Asia/Yangon", "+9:30": "Australia/Darwin", "-9:30": "Pacific/Marquesas"}
	z, ok := half[fmt.Sprintf("%c%d:%02d", sign, hours, mins)]
	return z, ok
}

// zoneButtonName is a common zone's city as lang writes it ("Київ").
func zoneButtonName(lang, zone string) string {
	for _, c := range zoneCities {
		if c.zone != zone {
			continue
		}
		names := map[string][]string{"en": c.en, "uk": c.uk, "ru": c.ru}[lang]
		if len(names) == 0 {
			names = c.en
		}
		return names[0]
	}
	return zone
}

// validZone reports whether time.LoadLocation knows zone.
func validZone(zone string) bool {
	_, err := time.LoadLocation(zone)
	return err == nil
}
