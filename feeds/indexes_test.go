package feeds

import (
	"context"
	"strings"
	"testing"
)

// queryPlan is SQLite's EXPLAIN QUERY PLAN of q, one step a line.
func queryPlan(t *testing.T, r *rig, q string, args ...any) string {
	t.Helper()
	rows, err := r.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(steps, "\n")
}

// The feed-health view (every 30 s) and the daily prune read indexes, not
// every article or dedup key. Timings are in docs/benchmarks.md
// (BenchmarkHealth, BenchmarkPrune); this checks the plans.
func TestQueriesUseIndexes(t *testing.T) {
	r := newRig(t, nil)
	for _, c := range []struct {
		name, query, want string
		avoid             []string
	}{
		{"health", healthQuery, "USING COVERING INDEX articles_feed", []string{"SCAN articles", "SCAN a\n", "SCAN a "}},
		{"prune unlink keys", pruneUnlinkKeys, "USING INDEX article_keys_article", []string{"SCAN article_keys"}},
		{"prune articles", pruneArticles, "USING INDEX articles_seen", []string{"SCAN articles"}},
		{"prune keys", pruneKeys, "USING INDEX article_keys_seen", []string{"SCAN article_keys"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var args []any
			if strings.Contains(c.query, "?") {
				args = []any{1}
			}
			plan := queryPlan(t, r, c.query, args...)
			if !strings.Contains(plan, c.want) {
				t.Errorf("plan does not say %q:\n%s", c.want, plan)
			}
			for _, bad := range c.avoid {
				if strings.Contains(plan+"\n", bad) {
					t.Errorf("plan reads the whole table (%q):\n%s", strings.TrimSpace(bad), plan)
				}
			}
		})
	}
}
