"""Forms for the effect chain."""

import datetime
from typing import Any

from django import forms


class MonthInput(forms.DateInput):
    """An `<input type="month">`: browsers show a month picker, others a text box
    (where the field's help text gives the format ÅÅÅÅ-MM)."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month ("2026-03"), stored as the first day of the month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Ange en månad som ÅÅÅÅ-MM, till exempel 2026-03."}

    def to_python(self, value: Any) -> datetime.date | None:
        date = super().to_python(value)
        return date.replace(day=1) if date else None
