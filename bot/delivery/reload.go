package delivery

import "time"

// live is what a config reload changes on a running queue.
type live struct {
	Limits
	MaxAlertsPerHour int
}

// SetLimits applies changed rate limits and flood cap (a config reload) to
// the running queue: the next send is admitted under them. Zero values take
// the defaults, as in Config; MaxInFlight stays what New set.
func (q *Queue) SetLimits(lim Limits, maxAlertsPerHour int) error {
	c := Config{Limits: lim, MaxAlertsPerHour: maxAlertsPerHour, MaxInFlight: 1}
	if err := c.defaults(); err != nil {
		return err
	}
	q.lim.SetLimits(c.Limits)
	q.live.Store(&live{Limits: c.Limits, MaxAlertsPerHour: c.MaxAlertsPerHour})
	return nil
}

// limits are the rate limits in force.
func (q *Queue) limits() Limits { return q.live.Load().Limits }

func (q *Queue) maxAlertsPerHour() int { return q.live.Load().MaxAlertsPerHour }

// SetLimits changes the limits of every window, those of chats already seen
// included. Calls that count in a window keep counting; a lower limit makes
// the next calls wait until enough have left it.
func (l *Limiter) SetLimits(lim Limits) {
	lim = NewLimiter(lim).lim // the same defaults
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lim = lim
	l.global.limit, l.global.span = lim.GlobalPerSecond, time.Second+lim.Margin
	for _, cw := range l.chats {
		cw.second.limit, cw.second.span = lim.PerChatPerSecond, time.Second+lim.Margin
		cw.minute.limit, cw.minute.span = lim.PerGroupPerMinute, time.Minute+lim.Margin
	}
}
