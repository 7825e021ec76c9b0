package sqlstore

import "context"

// A case team membership is live while its case is open (migration 0133):
// the work lists reach a person's open cases through the live memberships'
// index alone. The store keeps the flag wherever a case's openness can
// change or a membership begins: a live append that closes or reopens a
// case (writeProjection), an import that adds events to an existing case,
// a rebuild, and a member added.

// membersLiveSQL sets live from the case's row for the memberships its
// caller's WHERE names.
const membersLiveSQL = `UPDATE case_members SET live = CASE WHEN EXISTS (SELECT 1 FROM cases c WHERE c.ref = case_members.case_ref AND c.closed_on IS NOT NULL) THEN 0 ELSE 1 END`

// syncMembersLive sets the liveness of case ref's memberships, or of every
// membership when ref is "".
func (s *Store) syncMembersLive(ctx context.Context, tx querier, ref string) error {
	if ref == "" {
		_, err := tx.ExecContext(ctx, membersLiveSQL)
		return err
	}
	return s.execLater(ctx, tx, s.d.rebind(membersLiveSQL+` WHERE case_ref = ?`), ref)
}
