package delivery

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// floodWindow is a chat's flood-control window: it opens with the first
// alert sent and lasts Config.FloodWindow; alerts over the cap wait in
// status held for the digest sent when it ends.
type floodWindow struct {
	started time.Time
	sent    int
}

func readWindow(ctx context.Context, db *sql.DB, chat int64) (floodWindow, bool, error) {
	var started int64
	var w floodWindow
	err := db.QueryRowContext(ctx, `SELECT started, sent FROM outbox_windows WHERE chat_id = ?`, chat).Scan(&started, &w.sent)
	if errors.Is(err, sql.ErrNoRows) {
		return w, false, nil
	}
	if err != nil {
		return w, false, err
	}
	w.started = time.UnixMilli(started)
	return w, true, nil
}

func countHeld(ctx context.Context, db *sql.DB, chat int64) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE chat_id = ? AND status = 'held'`, chat).Scan(&n)
	return n, err
}

// holdPending moves the chat's pending alerts created before until into
// its digest.
func holdPending(ctx context.Context, db *sql.DB, chat int64, until time.Time) error {
	_, err := db.ExecContext(ctx, `UPDATE outbox SET status = 'held' WHERE chat_id = ? AND status = 'pending' AND created < ?`,
		chat, until.UnixMilli())
	return err
}

func closeWindow(ctx context.Context, db *sql.DB, chat int64) error {
	_, err := db.ExecContext(ctx, `DELETE FROM outbox_windows WHERE chat_id = ?`, chat)
	return err
}

// snapshot is what the outbox holds for one chat.
type snapshot struct {
	window    floodWindow
	hasWindow bool
	held      int
	head      row // oldest pending row
	hasHead   bool
	part      partRow // oldest pending digest part (digest_parts.go)
	hasPart   bool
}

// readSnapshot reads one chat's snapshot.
func readSnapshot(ctx context.Context, db *sql.DB, chat int64) (snapshot, error) {
	var sn snapshot
	var err error
	if sn.window, sn.hasWindow, err = readWindow(ctx, db, chat); err != nil {
		return sn, err
	}
	if sn.held, err = countHeld(ctx, db, chat); err != nil {
		return sn, err
	}
	if sn.head, sn.hasHead, err = headRow(ctx, db, chat); err != nil {
		return sn, err
	}
	return sn, readPartHead(ctx, db, chat, &sn)
}

// readSnapshots reads the snapshot of every chat with waiting rows, in three
// queries whatever the number of chats.
func readSnapshots(ctx context.Context, db *sql.DB) (map[int64]*snapshot, error) {
	out := make(map[int64]*snapshot)
	get := func(chat int64) *snapshot {
		sn := out[chat]
		if sn == nil {
			sn = &snapshot{}
			out[chat] = sn
		}
		return sn
	}
	heads, err := queryRows(ctx, db, `SELECT o.id, o.chat_id, o.article_id, o.topics, o.words, o.attempts, o.next_attempt
		FROM outbox o JOIN (SELECT min(id) AS id FROM outbox WHERE status = 'pending' GROUP BY chat_id) h ON o.id = h.id`)
	if err != nil {
		return nil, err
	}
	for _, r := range heads {
		sn := get(r.chat)
		sn.head, sn.hasHead = r, true
	}
	if err := readPartHeads(ctx, db, get); err != nil {
		return nil, err
	}
	if err := scanEach(ctx, db, `SELECT chat_id, count(*) FROM outbox WHERE status = 'held' GROUP BY chat_id`, func(rs *sql.Rows) error {
		var chat int64
		var n int
		if err := rs.Scan(&chat, &n); err != nil {
			return err
		}
		get(chat).held = n
		return nil
	}); err != nil {
		return nil, err
	}
	err = scanEach(ctx, db, `SELECT chat_id, started, sent FROM outbox_windows`, func(rs *sql.Rows) error {
		var chat, started int64
		var n int
		if err := rs.Scan(&chat, &started, &n); err != nil {
			return err
		}
		if sn := out[chat]; sn != nil {
			sn.window, sn.hasWindow = floodWindow{started: time.UnixMilli(started), sent: n}, true
		}
		return nil
	})
	return out, err
}

func scanEach(ctx context.Context, db *sql.DB, query string, f func(*sql.Rows) error, args ...any) error {
	rs, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := f(rs); err != nil {
			return err
		}
	}
	return rs.Err()
}

// nextItem decides what the chat gets next: its digest when its window is
// over and alerts are held, nothing until the window ends when the cap is
// reached, else its oldest pending alert. nil: nothing to send.
func (q *Queue) nextItem(ctx context.Context, chat int64, sn snapshot) (*item, error) {
	now := q.now()
	if sn.hasPart { // a digest already rendered goes first
		return &item{kind: kindPart, chat: chat, prow: sn.part, due: sn.part.due}, nil
	}
	end := sn.window.started.Add(q.cfg.FloodWindow)
	open := sn.hasWindow && now.Before(end)
	if sn.held > 0 && !open {
		return &item{kind: kindDigest, chat: chat, due: now, windowEnd: end}, nil
	}
	if capN := q.maxAlertsPerHour(); open && capN > 0 && sn.window.sent >= capN {
		if sn.hasHead {
			if err := holdPending(ctx, q.db, chat, end); err != nil {
				return nil, err
			}
		} else if sn.held == 0 {
			return nil, nil
		}
		return &item{kind: kindDigest, chat: chat, due: end, windowEnd: end}, nil
	}
	if sn.hasWindow && !open {
		if err := closeWindow(ctx, q.db, chat); err != nil {
			return nil, err
		}
	}
	if !sn.hasHead {
		return nil, nil
	}
	return &item{kind: kindAlert, chat: chat, row: sn.head, due: sn.head.nextAttempt}, nil
}
