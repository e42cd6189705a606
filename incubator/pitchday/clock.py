"""A slot's countdown: plain arithmetic on times, no Flask or database."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Countdown:
    """Where the slot on stage stands: seconds left (negative once over time) and whether it runs."""

    seconds_left: int
    running: bool

    @property
    def overtime(self) -> bool:
        return self.seconds_left < 0

    @property
    def shown(self) -> str:
        """`m:ss` left, or `+m:ss` over time."""
        seconds = abs(self.seconds_left)
        text = f"{seconds // 60}:{seconds % 60:02d}"
        return f"+{text}" if self.overtime else text


def countdown(slot_minutes: int, started_at: datetime | None, paused_at: datetime | None, now: datetime) -> Countdown:
    """The countdown of a slot of `slot_minutes` started at `started_at`, frozen at `paused_at`
    when paused. A slot not started yet has its whole length left."""
    length = slot_minutes * 60
    if started_at is None:
        return Countdown(length, False)
    until = paused_at or now
    elapsed = int((until - started_at).total_seconds())
    return Countdown(length - max(elapsed, 0), paused_at is None)
