"""A scan's ``Settings``, and the same as JSON and back, as the workspace keeps them.

A field the running version does not know (written by a newer one) is left out; a field it knows but the
file lacks gets its default, so a workspace from an older version opens with today's defaults for what
was added since.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field

from newsdedup.dedup.relations import DuplicateSettings
from newsdedup.events.cluster import EventSettings
from newsdedup.ingest.files import DEFAULT_MAX_BYTES
from newsdedup.stories.outlet_boilerplate import OutletBoilerplateSettings


@dataclass(frozen=True)
class Settings:
    """Every setting of a scan: one part per stage that has some, and the limits of reading."""

    duplicates: DuplicateSettings = field(default_factory=DuplicateSettings)
    events: EventSettings = field(default_factory=EventSettings)
    boilerplate_across: OutletBoilerplateSettings = field(default_factory=OutletBoilerplateSettings)
    max_file_bytes: int = DEFAULT_MAX_BYTES
    follow_links: bool = False  # read links that leave a dropped folder (else they are listed, not read)
    today: dt.date | None = None  # dates after this are impossible; None means the real today


_PARTS = {"duplicates": DuplicateSettings, "events": EventSettings,
          "boilerplate_across": OutletBoilerplateSettings}


def to_json(settings: Settings) -> str:
    data = dataclasses.asdict(settings)
    data["today"] = settings.today.isoformat() if settings.today else None
    return json.dumps(data, sort_keys=True)


def _part(cls, values: dict):
    known = {f.name: f for f in dataclasses.fields(cls)}
    kept = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in known}
    return cls(**kept)


def from_json(text: str) -> Settings:
    return from_dict(json.loads(text)) if text else Settings()


def from_dict(data: dict) -> Settings:
    """Settings from ``dataclasses.asdict(settings)`` (a ``ScanResult.settings``), or its JSON form."""
    if not data:
        return Settings()
    parts = {name: _part(cls, data.get(name) or {}) for name, cls in _PARTS.items()}
    today = data.get("today")
    today = dt.date.fromisoformat(today) if isinstance(today, str) else today
    rest = {k: v for k, v in data.items() if k not in _PARTS and k != "today"
            and k in {f.name for f in dataclasses.fields(Settings)}}
    return Settings(**parts, **rest, today=today)
