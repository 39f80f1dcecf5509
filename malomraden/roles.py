"""Who may change what. Roles are data, not code:

- the permission "malomraden.redigera_allt" (the group "Programledning", which the city
  director belongs to), a superuser, or being one of the programme's overarching
  responsible people (`Programansvarig`): read and change everything;
- being responsible for an area (`Omradesansvarig`): everything in that area;
- working at an organisation (`Person.organisationer`): change the rows that organisation
  answers for, and report status on them (a report already written for the period is
  corrected by its author or the area's owners);
- anyone else signed in (committee members among them): read everything, change nothing.

Views call `roles_for(request.user)` and ask it before they read a form or write; the
templates only use the same answers to hide controls a user cannot use.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import Omradesansvarig, Person, Programansvarig

if TYPE_CHECKING:
    from effektkedjor.models import Kedjerad

ALL_PERMISSION = "malomraden.redigera_allt"


@dataclass(frozen=True)
class Roles:
    whole_programme: bool
    areas: frozenset[int]
    organisations: frozenset[int]

    @property
    def has_own_rows(self) -> bool:
        """Answers for rows, through an office or an area: "Mina rader" is theirs."""
        return bool(self.organisations) or bool(self.areas)

    @property
    def landing(self) -> str:
        """The URL name of the page sign-in lands on when no page was asked for: the
        programme management follows the whole programme on the dashboard, those who
        answer for rows keep them on "Mina rader", everyone else (committee members)
        reads "Rapporter"."""
        if self.whole_programme:
            return "effektkedjor:instrumentpanel"
        if self.has_own_rows:
            return "effektkedjor:mina_rader"
        return "effektkedjor:rapporter"

    def can_edit_area(self, area_id: int) -> bool:
        """Add, delete and reorder rows, edit long-term effects and the area's texts."""
        return self.whole_programme or area_id in self.areas

    def can_edit_row(self, row: "Kedjerad") -> bool:
        """Edit the row's fields and report status on it."""
        if self.can_edit_area(row.malomrade_id):
            return True
        return bool(self.organisations & _org_ids(row))

    def can_change_report(
        self, row: "Kedjerad", author_id: int | None, user_id: int | None
    ) -> bool:
        """Correct a row's status report while its period is open: its author (who may
        still report on the row) and the area's owners (the programme management
        among them)."""
        if self.can_edit_area(row.malomrade_id):
            return True
        return author_id is not None and author_id == user_id and self.can_edit_row(row)

    def answers_for(self, org_ids: Iterable[int]) -> bool:
        return bool(self.organisations & set(org_ids))


def _org_ids(row: "Kedjerad") -> set[int]:
    # Uses the prefetched organisations when the row has them (the chain table does).
    return {org.pk for org in row.ansvariga_organisationer.all()}


NO_ROLES = Roles(whole_programme=False, areas=frozenset(), organisations=frozenset())


def roles_for(user: Any) -> Roles:
    """The user's roles, computed once per request (cached on the user object)."""
    cached = getattr(user, "_effektkedjor_roles", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        return NO_ROLES
    person = Person.objects.filter(anvandare=user).first()
    whole = user.is_superuser or user.has_perm(ALL_PERMISSION)
    areas: frozenset[int] = frozenset()
    orgs: frozenset[int] = frozenset()
    if person is not None:
        whole = whole or Programansvarig.objects.filter(person=person).exists()
        areas = frozenset(
            Omradesansvarig.objects.filter(person=person).values_list("malomrade_id", flat=True)
        )
        orgs = frozenset(person.organisationer.values_list("pk", flat=True))
    roles = Roles(whole_programme=whole, areas=areas, organisations=orgs)
    user._effektkedjor_roles = roles
    return roles
