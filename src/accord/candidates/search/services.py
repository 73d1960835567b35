"""Saved searches: a member's own named queries on the candidates page."""

from typing import Final
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.audit.services import audit_record
from accord.candidates.models import SavedSearch
from accord.workspaces.access import VIEW_CANDIDATES, require
from accord.workspaces.models import Member

SAVED_LIMIT: Final = 50
# The search page's parameters; anything else in a saved query string is dropped.
QUERY_KEYS: Final = (
    "q",
    "skills",
    "location",
    "years_min",
    "years_max",
    "requisition",
    "stage",
    "tags",
    "source",
    "sort",
)


def clean_query(query: str) -> str:
    """Only the search page's own parameters, in a stable order, without the page number."""
    pairs = parse_qsl(query.lstrip("?"))
    kept = sorted(
        ((k, v.strip()) for k, v in pairs if k in QUERY_KEYS and v.strip()),
        key=lambda pair: QUERY_KEYS.index(pair[0]),
    )
    return urlencode(kept)[:2000]


@transaction.atomic
def saved_search_save(*, actor: Member, name: str, query: str) -> SavedSearch:
    """Save the actor's current search under a name; saving a name again replaces its query.

    Any member who can search may save: a saved search is only a bookmark, and running it
    applies the runner's own visibility, so it can never show more than they may see."""
    require(actor, VIEW_CANDIDATES)
    name = " ".join(name.split())[:80]
    if not name:
        raise ValidationError(_("Give the search a name, e.g. “Senior Go engineers in Berlin”."))
    query = clean_query(query)
    mine = SavedSearch.objects.filter(owner=actor)
    existing = mine.filter(name__iexact=name).first()
    if existing is not None:
        existing.name, existing.query = name, query
        existing.save(update_fields=["name", "query"])
        action, saved = "saved_search.update", existing
    else:
        if mine.count() >= SAVED_LIMIT:
            raise ValidationError(
                _("You have %(n)s saved searches, the most there can be. Delete one first.")
                % {"n": SAVED_LIMIT}
            )
        saved = SavedSearch.objects.create(
            workspace=actor.workspace, owner=actor, name=name, query=query
        )
        action = "saved_search.create"
    audit_record(actor=actor.user, workspace=actor.workspace, action=action, obj=saved)
    return saved


@transaction.atomic
def saved_search_delete(*, actor: Member, saved: SavedSearch) -> None:
    if saved.owner_id != actor.pk:
        raise ValidationError(_("Only the person who saved a search can delete it."))
    audit_record(
        actor=actor.user, workspace=actor.workspace, action="saved_search.delete", obj=saved
    )
    saved.delete()
