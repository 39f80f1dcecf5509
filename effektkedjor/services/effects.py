"""Writes to long-term effects (lock order: services/__init__.py)."""

from django.db import transaction
from django.db.models import Max

from ..models import Effektbidrag, LangsiktigEffekt
from ..versioning import bump_version, claim_version
from .locks import lock_area


def next_effect_position(area_id: int) -> int:
    """The position after the area's last effect (call it under the area's lock)."""
    highest = LangsiktigEffekt.objects.filter(malomrade_id=area_id).aggregate(m=Max("ordning"))["m"]
    return (highest or 0) + 1


@transaction.atomic
def save_effect(*, effect: LangsiktigEffekt, expected_version: int | None = None) -> None:
    """Create an effect (last in its area) or update one from the version the user's
    form was opened on (EditConflict if it has moved)."""
    if effect.pk is None:
        lock_area(effect.malomrade_id)
        effect.ordning = next_effect_position(effect.malomrade_id)
    else:
        if expected_version is None:
            raise ValueError("expected_version is required when updating an effect")
        claim_version(effect, expected_version)
    effect.save()


@transaction.atomic
def delete_effect(*, effect: LangsiktigEffekt) -> None:
    """Delete a long-term effect, and record in each row that served it that the link is
    gone (an entry by the same user, so the row's own history tells the whole story).

    The rows' versions move too: a form opened on such a row before the deletion gets
    the usual conflict instead of silently re-linking or failing on a vanished choice.
    """
    # Step 3 of the lock order: the rows, in their order, then the effect itself.
    rows = list(effect.rader.select_for_update().order_by("ordning", "id"))
    Effektbidrag.objects.filter(effekt=effect).delete()
    for row in rows:
        bump_version(row)
    effect.delete()
