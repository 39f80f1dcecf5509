"""Forms for a target area's own texts: headline, commitments, reflections, notes."""

from typing import Any

from django import forms

from .models import Malomrade, Omradestext


class MalomradeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Malomrade
        fields = ["rubrik"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


OmradestextFormSet = forms.inlineformset_factory(
    Malomrade,
    Omradestext,
    fields=["typ", "text", "ordning"],
    extra=1,
    can_delete=True,
    widgets={"text": forms.Textarea(attrs={"rows": 3})},
)
