"""Writes to a target area's own texts: its headline and its commitments, reflections,
status notes and finished work (lock order: services/__init__.py, step 2)."""

from typing import Any

from django.db import transaction

from malomraden.forms import MalomradeForm

from ..versioning import claim_version


@transaction.atomic
def save_area_texts(*, form: MalomradeForm, texts: Any, expected_version: int) -> None:
    """Save the headline (`form`) and the texts (`texts`, a validated formset of
    Omradestext) as one change, from the version the user's form was opened on
    (EditConflict if it has moved)."""
    claim_version(form.instance, expected_version)
    form.save()
    texts.save()
