package bot

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/newsalert/newsalert/bot/delivery"
	"github.com/newsalert/newsalert/subscriptions"
)

// Routes decides, as an alert is queued, whether it goes now or waits for a
// digest, and leaves out muted topics. It keeps in memory only the chats
// whose alerts do not simply go at once (a digest, quiet hours, a muted
// topic), read from the database at start and again by the bot after every
// change of those settings; any other chat costs one map lookup.
type Routes struct {
	Subs     *subscriptions.Service
	Location *time.Location // the bot's default zone
	// DefaultLocation, when set, is the default zone in force (a config
	// reload may change it); it takes precedence over Location.
	DefaultLocation func() *time.Location
	Now             func() time.Time

	mu    sync.RWMutex
	chats map[int64]*route
}

type route struct {
	loc    *time.Location
	digest bool // the chat's own digest
	quiet  Quiet
	hasQ   bool
	subs   map[string]subRoute // by label, as the matcher names topics
}

type subRoute struct {
	id     int64
	digest bool
	muted  time.Time
}

// NewRoutes returns Routes; Load fills them.
func NewRoutes(subs *subscriptions.Service, loc *time.Location, now func() time.Time) *Routes {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Routes{Subs: subs, Location: loc, Now: now, chats: map[int64]*route{}}
}

// Load reads every chat with delivery settings.
func (r *Routes) Load(ctx context.Context) error {
	ids, err := r.Subs.WithDeliverySettings(ctx, r.Now())
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := r.Reload(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// Reload reads one chat's settings again.
func (r *Routes) Reload(ctx context.Context, chatID int64) error {
	chat, err := r.Subs.Chat(ctx, chatID)
	if err == subscriptions.ErrChatNotFound {
		r.set(chatID, nil)
		return nil
	}
	if err != nil {
		return err
	}
	subs, err := r.Subs.List(ctx, chatID)
	if err != nil {
		return err
	}
	rt := &route{loc: zoneOf(chat, defaultZone(r.DefaultLocation, r.Location)), subs: map[string]subRoute{}}
	sc, _ := ParseSchedule(chat.Digest)
	rt.digest = sc.Every != Instant
	rt.quiet, rt.hasQ = ParseQuiet(chat.Quiet)
	now := r.Now()
	for _, s := range subs {
		ssc, _ := ParseSchedule(s.Digest)
		sr := subRoute{id: s.ID, digest: ssc.Every != Instant}
		if s.MutedUntil.After(now) {
			sr.muted = s.MutedUntil
		}
		if sr.digest || !sr.muted.IsZero() {
			rt.subs[s.Label()] = sr
		}
	}
	if !rt.digest && !rt.hasQ && len(rt.subs) == 0 {
		rt = nil
	}
	r.set(chatID, rt)
	return nil
}

func (r *Routes) set(id int64, rt *route) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rt == nil {
		delete(r.chats, id)
	} else {
		r.chats[id] = rt
	}
}

// Route returns the alert as it is to be queued: muted topics left out,
// Batch set when it waits for a digest. false: nothing to queue (every
// topic muted).
func (r *Routes) Route(a delivery.Alert) (delivery.Alert, bool) {
	r.mu.RLock()
	rt := r.chats[a.ChatID]
	r.mu.RUnlock()
	if rt == nil {
		return a, true
	}
	now := r.Now()
	var topics []string
	subBatch := ""
	allSub := true
	for _, t := range a.Topics {
		sr, ok := rt.subs[t]
		if ok && sr.muted.After(now) {
			continue
		}
		topics = append(topics, t)
		if ok && sr.digest {
			if subBatch == "" {
				subBatch = "sub:" + strconv.FormatInt(sr.id, 10)
			}
		} else {
			allSub = false
		}
	}
	if len(topics) == 0 && len(a.Topics) > 0 {
		return a, false
	}
	a.Topics = topics
	switch {
	case allSub && subBatch != "":
		a.Batch = subBatch
	case rt.digest:
		a.Batch = batchDigest
	case rt.hasQ && rt.quiet.Hold && rt.quiet.In(now, rt.loc):
		a.Batch = batchQuiet
	}
	return a, true
}

// Batch names.
const (
	batchDigest = "digest"
	batchQuiet  = "quiet"
)

func defaultZone(live func() *time.Location, loc *time.Location) *time.Location {
	if live != nil {
		if l := live(); l != nil {
			return l
		}
	}
	return loc
}

func zoneOf(c subscriptions.Chat, def *time.Location) *time.Location {
	if c.Timezone != "" {
		if l, err := time.LoadLocation(c.Timezone); err == nil {
			return l
		}
	}
	return def
}
