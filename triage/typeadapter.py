"""pydantic's TypeAdapter for a dataclass of ours, built on first use and imported only then: the
report and knowledge-base types need pydantic to validate outside data and give their schema, and
a run needs neither (start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import TypeAdapter

_BUILT: dict[type, Any] = {}


def adapter(cls: type) -> TypeAdapter[Any]:
    """The one TypeAdapter of cls (building one is pydantic's schema generation)."""
    found = _BUILT.get(cls)
    if found is None:
        from pydantic import TypeAdapter

        found = _BUILT[cls] = TypeAdapter(cls)
    return found  # type: ignore[no-any-return]
