"""Who judges what: the automatic assignment of judges to applications, over plain data.

No Flask and no database here: `allocate` takes ids and sets and returns the pairs to add,
so its rules are tested with plain numbers (tests/test_allocation.py), and the preview and
the confirmed assignment compute exactly the same thing.

The rules, strongest first:
1. A conflicted pair is never added. An existing pair is never removed; one that is now
   conflicted is reported in `conflicted` (it does not count) for the director to decide.
2. Each application reaches `k` judges wherever the judges, their conflicts and the cap
   allow it: the fill is maximal (augmenting paths, as in a flow network), so no other
   choice would fill more places.
3. No judge goes over `cap` (None: no cap).
4. Loads end within one of each other, counting the existing pairs. When the existing
   pairs already make that impossible, the new places go to the judges with the least work.
5. A judge whose focus areas include the application's is preferred whenever that keeps
   the loads balanced.
6. Ties are broken by id, so the same input always gives the same answer.

Pairs are (judge id, application id) throughout, like `conflicts.detect`'s keys. A judge's
load counts their non-conflicted pairs over the given applications only.

Written by hand: a min-cost flow library would express rules 2-5 in one model, but none is
small and pure-Python, and a few hundred applications by a few dozen judges are handled in
milliseconds by this greedy fill, its augmenting-path repair and its balancing moves.
"""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Pair = tuple[int, int]  # (judge id, application id)

# Why an application could not reach k judges (translated by the caller).
TOO_FEW_JUDGES = "too_few_judges"  # fewer judges in the pool than places, conflicts aside
CONFLICTS = "conflicts"  # enough judges, but too many of them have a conflict
CAP = "cap"  # enough judges without a conflict, but they have reached the cap


@dataclass(frozen=True)
class Unfilled:
    application_id: int
    missing: int  # places left empty
    reason: str  # TOO_FEW_JUDGES | CONFLICTS | CAP


@dataclass(frozen=True)
class Allocation:
    add: list[Pair]  # the pairs to add, by application then judge
    conflicted: list[Pair]  # existing pairs that are now conflicted: kept, not counted
    unfilled: list[Unfilled]  # by application id
    loads: dict[int, int] = field(default_factory=dict)  # each judge's load afterwards


def allocate(
    applications: Mapping[int, int | None],
    judges: Mapping[int, Iterable[int]],
    existing: Iterable[Pair],
    conflicts: Iterable[Pair],
    k: int,
    cap: int | None = None,
) -> Allocation:
    """The pairs to add so that each application has `k` judges (see the module's rules).

    `applications`: application id -> its focus area id (or None); `judges`: judge id -> the
    focus area ids they know; `existing`: the pairs already made; `conflicts`: forbidden pairs."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if cap is not None and cap < 0:
        raise ValueError("cap cannot be negative")
    return _Allocator(applications, judges, set(existing), set(conflicts), k, cap).run()


class _Allocator:
    def __init__(self, applications, judges, existing: set[Pair], forbidden: set[Pair], k: int, cap: int | None):
        self.areas = {j: frozenset(a) for j, a in judges.items()}
        self.focus = dict(applications)
        self.pool = sorted(self.areas)
        self.forbidden = forbidden
        self.k, self.cap = k, cap
        self.conflicted = sorted((p for p in existing if p in forbidden and p[1] in self.focus), key=_by_application)
        self.on: dict[int, set[int]] = {a: set() for a in self.focus}  # counted judges of each application
        self.load = dict.fromkeys(self.pool, 0)
        for j, a in existing:
            if a in self.on and (j, a) not in forbidden:
                self.on[a].add(j)
                if j in self.load:
                    self.load[j] += 1
        self.held: dict[int, set[int]] = {j: set() for j in self.pool}  # added in this run, so movable
        self.deficit = {a: max(0, k - len(judges_on)) for a, judges_on in self.on.items()}
        # The applications with the fewest possible judges choose first.
        choices = {a: sum(1 for j in self.pool if self.may(j, a)) for a in self.focus}
        self.order = sorted(self.focus, key=lambda a: (choices[a], a))

    # --- small predicates --------------------------------------------------------------

    def may(self, j: int, a: int) -> bool:
        """`j` could judge `a`: not on it yet and not conflicted (the cap aside)."""
        return j not in self.on[a] and (j, a) not in self.forbidden

    def room(self, j: int) -> bool:
        return self.cap is None or self.load[j] < self.cap

    def match(self, j: int, a: int) -> bool:
        return self.focus[a] is not None and self.focus[a] in self.areas[j]

    def give(self, j: int, a: int) -> None:
        self.on[a].add(j)
        self.held[j].add(a)
        self.load[j] += 1
        self.deficit[a] -= 1

    def release(self, j: int, a: int) -> None:
        self.on[a].discard(j)
        self.held[j].discard(a)
        self.load[j] -= 1
        self.deficit[a] += 1

    # --- the three passes ---------------------------------------------------------------

    def run(self) -> Allocation:
        self.fill()
        self.repair()
        self.balance()
        added = sorted(((j, a) for j, apps in self.held.items() for a in apps), key=_by_application)
        return Allocation(added, self.conflicted, self.unfilled(), dict(self.load))

    def ceilings(self) -> dict[int, int]:
        """How far each judge may be loaded while the places are first handed out: water-filling
        the loads up to the level that the places needed reach (one above it while some are left)."""
        needed = sum(self.deficit.values())
        top = self.cap if self.cap is not None else max(self.load.values(), default=0) + needed

        def filled(level: int) -> int:
            return sum(max(0, min(level, top) - load) for load in self.load.values())

        level = 0
        while level < top and filled(level + 1) <= needed:
            level += 1
        if filled(level) < needed and level < top:
            level += 1
        return {j: max(load, min(level, top)) for j, load in self.load.items()}

    def fill(self) -> None:
        """Hand out the places one round at a time, so that every application gets its first
        judge before any gets its second: within the water level, focus matches first."""
        ceiling = self.ceilings()
        for _ in range(self.k):
            for a in self.order:
                if self.deficit[a] <= 0:
                    continue
                candidates = [j for j in self.pool if self.may(j, a) and self.room(j)]
                level = [j for j in candidates if self.load[j] < ceiling[j]]
                if level:
                    best = min(level, key=lambda j: (not self.match(j, a), self.load[j], j))
                elif candidates:
                    best = min(candidates, key=lambda j: (self.load[j], not self.match(j, a), j))
                else:
                    continue
                self.give(best, a)

    def repair(self) -> None:
        """Fill what the greedy pass left empty by moving places along augmenting paths."""
        progress = True
        while progress:
            progress = False
            for a in self.order:
                while self.deficit[a] > 0 and self.augment(a):
                    progress = True

    def augment(self, a: int) -> bool:
        """One more judge for `a`: a judge who may take it, who gives up one of their new
        applications to another judge who may take that, ... ending at a judge with room."""
        taken_by: dict[int, tuple[int | None, int]] = {}  # judge -> (judge who gives up, application)
        queue: deque[int] = deque()
        for j in self.pool:
            if self.may(j, a):
                taken_by[j] = (None, a)
                queue.append(j)
        while queue:
            j = queue.popleft()
            if self.room(j):
                self.apply_path(j, taken_by)
                return True
            for b in sorted(self.held[j]):
                if b == a:
                    continue
                for other in self.pool:
                    if other not in taken_by and self.may(other, b):
                        taken_by[other] = (j, b)
                        queue.append(other)
        return False

    def apply_path(self, last: int, taken_by: dict[int, tuple[int | None, int]]) -> None:
        judge: int | None = last
        while judge is not None:
            giver, application = taken_by[judge]
            if giver is not None:
                self.release(giver, application)
            self.give(judge, application)
            judge = giver

    def balance(self) -> None:
        """Move new places from a judge with at least two more than another towards that judge:
        directly where possible (keeping focus matches where there is a choice), else along a
        chain of judges who each pass one new place on. Each move lowers the sum of the squared
        loads, so this ends; with no existing pair in the way, loads end within one whenever any
        assignment with the same fill allows it."""
        while True:
            move = self.direct_move()
            if move is not None:
                high, low, a = move
                self.release(high, a)
                self.give(low, a)
            elif not self.chain_move():
                return

    def direct_move(self) -> tuple[int, int, int] | None:
        by_load = sorted(self.pool, key=lambda j: (self.load[j], j))
        for low in by_load:
            for high in reversed(by_load):
                if self.load[high] - self.load[low] < 2:
                    break
                movable = [b for b in self.held[high] if self.may(low, b)]
                if movable:
                    # Prefer a place the low judge matches and the high one does not.
                    b = min(movable, key=lambda b: (self.match(high, b) - self.match(low, b), b))
                    return high, low, b
        return None

    def chain_move(self) -> bool:
        for high in sorted(self.pool, key=lambda j: (-self.load[j], j)):
            taken_by: dict[int, tuple[int, int]] = {high: (high, -1)}
            queue: deque[int] = deque([high])
            while queue:
                judge = queue.popleft()
                for b in sorted(self.held[judge]):
                    for other in self.pool:
                        if other in taken_by or not self.may(other, b):
                            continue
                        taken_by[other] = (judge, b)
                        if self.load[other] <= self.load[high] - 2:
                            self.pass_on(other, high, taken_by)
                            return True
                        queue.append(other)
        return False

    def pass_on(self, last: int, first: int, taken_by: dict[int, tuple[int, int]]) -> None:
        judge = last
        while judge != first:
            giver, application = taken_by[judge]
            self.release(giver, application)
            self.give(judge, application)
            judge = giver

    def unfilled(self) -> list[Unfilled]:
        found = []
        for a in sorted(self.focus):
            if self.deficit[a] <= 0:
                continue
            free = [j for j in self.pool if j not in self.on[a]]
            if len(self.on[a]) + len(free) < self.k:
                reason = TOO_FEW_JUDGES
            elif len(self.on[a]) + sum(1 for j in free if (j, a) not in self.forbidden) < self.k:
                reason = CONFLICTS
            else:
                reason = CAP
            found.append(Unfilled(a, self.deficit[a], reason))
        return found


def _by_application(pair: Pair) -> tuple[int, int]:
    return pair[1], pair[0]
