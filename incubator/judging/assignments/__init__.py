"""Which judge scores which application in a round. board.py reads a round's judges, applications,
assignments, sheets and conflicts once per request (the conflicts page, the automatic assignment);
board_page.py reads the overview page in SQL (loads as aggregates, one page of applications, and
the round's counts, which tallies.py stores as their one writer); checks.py holds the rules every
write shares (a decided round no longer changes, only the applications the round decides get
judges);
manual.py assigns by hand (and sets the focus areas a judge knows), bulk.py in bulk, automatic.py
previews and applies the automatic assignment computed by allocation.py (pure maths: balanced load,
k judges each, a cap, focus areas matched, conflicts skipped). routes.py and board_view.py are the
director's pages on the `assignments` blueprint."""
