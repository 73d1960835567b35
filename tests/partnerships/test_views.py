"""The partnership pages: who may see them, bounded queries, the profile saved in place with
conflicts, touchpoints and lessons over htmx, and lessons offered at the next intake (to
recruiters only)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.briefs.models import BriefVersion
from accord.partnerships import services
from accord.partnerships.models import Lesson, LessonUse, Partnership, Touchpoint, TouchpointKind
from accord.requisitions.models import Status
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import BriefVersionFactory, MemberFactory, RequisitionFactory
from tests.partnerships.conftest import build_dataset

pytestmark = pytest.mark.django_db


def profile_url(manager: Member, name: str = "profile") -> str:
    return reverse(f"partnerships:{name}", args=[manager.workspace.slug, manager.public_id])


def profile_post(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "team": "Platform",
        "business_goals": "Events by Q3.",
        "challenges": "",
        "team_dynamics": "",
        "update_channel": "",
        "update_frequency": "",
        "best_times": "",
        "update_time_zone": "",
        "checkin_every": "30",
        "next_checkin_on": "",
        "recruiter": "",
        "revision": "1",
    }
    data.update(changes)
    return data


def log(recruiter: Member, manager: Member, days_ago: int = 1, **extra: object) -> Touchpoint:
    return services.touchpoint_log(
        actor=recruiter,
        manager=manager,
        data=services.TouchpointInput(
            kind=str(extra.get("kind", TouchpointKind.CALL)),
            occurred_on=timezone.localdate() - timedelta(days=days_ago),
            summary=str(extra.get("summary", "Talked about the team.")),
            next_step="Send the salary data",
        ),
    )


# --- who sees what ----------------------------------------------------------------------------


def test_only_the_recruiting_team_sees_partnerships(
    recruiter: Member, admin: Member, hiring_manager: Member, interviewer: Member, outsider: Member
) -> None:
    index = reverse("partnerships:index", args=[recruiter.workspace.slug])
    for member in (recruiter, admin):
        assert client_for(member).get(index).status_code == 200
        assert client_for(member).get(profile_url(hiring_manager)).status_code == 200
    for member in (hiring_manager, interviewer):
        assert client_for(member).get(index).status_code == 403
        assert client_for(member).get(profile_url(hiring_manager)).status_code == 403
    assert client_for(outsider).get(profile_url(hiring_manager)).status_code == 404
    # An interviewer has no partnership profile.
    assert client_for(recruiter).get(profile_url(interviewer)).status_code == 404
    assert not Partnership.objects.exists()  # reading wrote nothing


def test_index_lists_managers_with_an_empty_state(
    recruiter: Member, workspace, django_assert_max_num_queries
) -> None:
    index = reverse("partnerships:index", args=[workspace.slug])
    response = client_for(recruiter).get(index)
    assert 'data-testid="partners-empty"' in response.content.decode()

    def add_manager() -> Member:
        manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
        build_dataset(recruiter, manager, timezone.now())
        log(recruiter, manager)
        return manager

    for _i in range(2):
        add_manager()
    # Someone who manages a requisition without the role is a hiring manager too.
    admin_manager = MemberFactory(workspace=workspace, role=Role.ADMIN)
    RequisitionFactory(workspace=workspace, recruiter=recruiter, hiring_managers=[admin_manager])
    client = client_for(recruiter)
    with django_assert_max_num_queries(20) as few:
        response = client.get(index)
    assert response.content.decode().count('data-testid="partner-row"') == 3
    for _i in range(6):
        add_manager()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(index)
    body = response.content.decode()
    assert body.count('data-testid="partner-row"') == 9
    assert "50% on time" in body
    # Filtered: only the check-ins due now (none is: each was just logged).
    response = client.get(index, {"due": "1", "sort": "checkin"})
    assert 'data-testid="partners-none-match"' in response.content.decode()


def test_an_overdue_checkin_is_highlighted(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    Partnership.objects.create(
        workspace=workspace,
        manager=hiring_manager,
        next_checkin_on=timezone.localdate() - timedelta(days=3),
    )
    index = reverse("partnerships:index", args=[workspace.slug])
    body = client_for(recruiter).get(index, {"due": "1"}).content.decode()
    assert 'data-testid="checkin-overdue"' in body
    assert 'data-testid="overdue-count"' in body


def test_profile_in_bounded_queries(
    recruiter: Member, hiring_manager: Member, django_assert_max_num_queries
) -> None:
    build_dataset(recruiter, hiring_manager, timezone.now())
    touchpoint = log(recruiter, hiring_manager)
    services.lesson_add(
        actor=recruiter, manager=hiring_manager, text="Calls beat email.", touchpoint=touchpoint
    )
    client = client_for(recruiter)
    with django_assert_max_num_queries(30) as few:
        response = client.get(profile_url(hiring_manager))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="touchpoint"') == 1
    assert 'data-testid="health-responsiveness"' in body
    assert "2 of 4 commitments kept on time" in body
    assert 'data-testid="outside-reasons"' in body
    assert body.count('data-testid="survey-row"') == 2
    for days in range(2, 7):
        point = log(recruiter, hiring_manager, days_ago=days)
        services.lesson_add(
            actor=recruiter, manager=hiring_manager, text=f"L{days}", touchpoint=point
        )
    build_dataset(recruiter, hiring_manager, timezone.now())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(profile_url(hiring_manager))
    assert response.content.decode().count('data-testid="touchpoint"') == 6


# --- the profile, saved in place ------------------------------------------------------------


def test_profile_saves_refuses_bad_input_and_shows_a_conflict(
    recruiter: Member, admin: Member, hiring_manager: Member
) -> None:
    url = profile_url(hiring_manager, "profile-save")
    bad = client_for(recruiter).post(
        url, profile_post(next_checkin_on="soon", checkin_every="3"), HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 422
    assert "Events by Q3." in bad.content.decode()  # what was typed is kept
    assert not Partnership.objects.exists()

    saved = client_for(recruiter).post(url, profile_post(), HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert 'data-testid="profile-saved"' in saved.content.decode()
    assert Partnership.objects.get().team == "Platform"

    stale = client_for(admin).post(
        url, profile_post(team="Data", business_goals="Mine"), HTTP_HX_REQUEST="true"
    )
    assert stale.status_code == 409
    body = stale.content.decode()
    assert 'data-testid="profile-theirs"' in body
    assert "Events by Q3." in body
    assert "Mine" in body
    assert 'name="revision" value="2"' in body
    assert Partnership.objects.get().team == "Platform"


def test_profile_save_without_htmx_redirects(recruiter: Member, hiring_manager: Member) -> None:
    response = client_for(recruiter).post(
        profile_url(hiring_manager, "profile-save"), profile_post()
    )
    assert response.status_code == 302
    assert response["Location"] == profile_url(hiring_manager)


# --- touchpoints and lessons ------------------------------------------------------------------


def test_logging_a_touchpoint_in_place(recruiter: Member, hiring_manager: Member) -> None:
    url = profile_url(hiring_manager, "touchpoint-add")
    client = client_for(recruiter)
    refused = client.post(
        url,
        {"kind": "call", "occurred_on": "", "summary": "Her team doubles next year."},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 422
    assert "Her team doubles next year." in refused.content.decode()
    assert not Touchpoint.objects.exists()

    yesterday = timezone.localdate() - timedelta(days=1)
    logged = client.post(
        url,
        {
            "kind": "call",
            "occurred_on": yesterday.isoformat(),
            "summary": "Her team doubles next year.",
            "next_step": "Plan two searches",
        },
        HTTP_HX_REQUEST="true",
    )
    assert logged.status_code == 200
    body = logged.content.decode()
    assert 'data-testid="touchpoint-logged"' in body
    assert 'id="checkin"' in body
    assert 'hx-swap-oob="true"' in body
    partnership = Partnership.objects.get()
    assert partnership.next_checkin_on == yesterday + timedelta(days=30)
    assert f'name="revision" value="{partnership.revision}"' in body
    # The profile form gets the new date too: saving it next must not put the old one back.
    assert (
        f'name="next_checkin_on" value="{partnership.next_checkin_on.isoformat()}"'
        ' class="form-control" id="id_next_checkin_on" hx-swap-oob="true"'
    ) in body
    page = client.get(profile_url(hiring_manager)).content.decode()
    assert page.count('id="id_next_checkin_on"') == 1
    assert page.count('id="id_revision"') == 1


def test_lessons_added_from_a_touchpoint_retired_and_restored(
    recruiter: Member, hiring_manager: Member
) -> None:
    touchpoint = log(recruiter, hiring_manager)
    client = client_for(recruiter)
    url = profile_url(hiring_manager, "lesson-add")
    refused = client.post(url, {"text": "", "applies_to": "salary"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    added = client.post(
        url,
        {"text": "Send data before asking.", "applies_to": "", "touchpoint": touchpoint.public_id},
        HTTP_HX_REQUEST="true",
    )
    assert added.status_code == 200
    lesson = Lesson.objects.get()
    assert lesson.touchpoint == touchpoint
    slug = hiring_manager.workspace.slug
    client.post(reverse("partnerships:lesson-retire", args=[slug, lesson.public_id]))
    lesson.refresh_from_db()
    assert lesson.retired_at is not None
    restored = client.post(
        reverse("partnerships:lesson-restore", args=[slug, lesson.public_id]),
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="lessons-active"' in restored.content.decode()
    assert Lesson.objects.get().retired_at is None
    # GET never changes anything.
    assert (
        client.get(reverse("partnerships:lesson-retire", args=[slug, lesson.public_id])).status_code
        == 405
    )


# --- lessons at the next intake ---------------------------------------------------------------


def test_lessons_are_offered_and_carried_for_recruiters_never_shown_to_managers(
    recruiter: Member, hiring_manager: Member
) -> None:
    services.lesson_add(
        actor=recruiter,
        manager=hiring_manager,
        text="Deal-breaker: no weekend on-call.",
        applies_to="deal_breakers",
    )
    requisition = RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        hiring_managers=[hiring_manager],
        status=Status.DRAFT,
    )
    slug = recruiter.workspace.slug
    detail = reverse("requisitions:detail", args=[slug, requisition.public_id])
    assert 'data-testid="lesson-offered"' in client_for(recruiter).get(detail).content.decode()
    assert (
        'data-testid="lesson-offered"'
        not in client_for(hiring_manager).get(detail).content.decode()
    )

    draft = BriefVersionFactory(requisition=requisition)
    edit = reverse("briefs:edit", args=[slug, requisition.public_id])
    page = client_for(recruiter).get(edit).content.decode()
    assert "Lessons from working with Hugo Manager" in page
    assert 'data-testid="carry-lesson"' in page
    manager_page = client_for(hiring_manager).get(edit)
    assert manager_page.status_code == 200
    assert "no weekend on-call" not in manager_page.content.decode()

    lesson = Lesson.objects.get()
    carry = reverse(
        "partnerships:lesson-carry", args=[slug, requisition.public_id, lesson.public_id]
    )
    assert client_for(hiring_manager).post(carry).status_code == 403
    response = client_for(recruiter).post(carry, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_deal_breakers"' in body
    assert "no weekend on-call" in body
    assert 'data-testid="lesson-carried"' in body
    again = client_for(recruiter).post(carry, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    draft = BriefVersion.objects.get(pk=draft.pk)
    assert draft.deal_breakers == "Deal-breaker: no weekend on-call."
    assert LessonUse.objects.count() == 1
    page = client_for(recruiter).get(edit).content.decode()
    assert 'data-testid="lesson-carried"' in page
    assert 'data-testid="carry-lesson"' not in page


def test_carrying_into_a_requisition_of_another_manager_is_refused(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    lesson = services.lesson_add(actor=recruiter, manager=hiring_manager, text="Prefers calls.")
    other = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    requisition = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[other]
    )
    BriefVersionFactory(requisition=requisition)
    carry = reverse(
        "partnerships:lesson-carry", args=[workspace.slug, requisition.public_id, lesson.public_id]
    )
    response = client_for(recruiter).post(carry, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert 'data-testid="carry-error"' in response.content.decode()
    assert not LessonUse.objects.exists()


# --- the team's notes about oneself, the sort on 29 February, forms without JavaScript ----------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.RECRUITER])
def test_a_recruiter_who_manages_a_role_never_reads_the_notes_about_themselves(
    role: str, recruiter: Member, workspace
) -> None:
    me = MemberFactory(workspace=workspace, role=role, user__display_name="Molly Both")
    RequisitionFactory(workspace=workspace, recruiter=recruiter, hiring_managers=[me])
    lesson = services.lesson_add(actor=recruiter, manager=me, text="Molly decides slowly.")
    client = client_for(me)
    assert client.get(profile_url(me)).status_code == 404
    posts = {
        "profile-save": profile_post(),
        "touchpoint-add": {"kind": "call", "occurred_on": "2026-01-05", "summary": "Hi."},
        "lesson-add": {"text": "About me.", "applies_to": ""},
    }
    for name, data in posts.items():
        assert client.post(profile_url(me, name), data).status_code == 404
    slug = workspace.slug
    for name in ("lesson-retire", "lesson-restore"):
        url = reverse(f"partnerships:{name}", args=[slug, lesson.public_id])
        assert client.post(url).status_code == 404
    about_me = log(recruiter, me, summary="Molly prefers calls.")
    for name in ("touchpoint-edit", "touchpoint-delete"):
        url = reverse(f"partnerships:{name}", args=[slug, about_me.public_id])
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"kind": "note", "summary": "Mine.", "revision": "1"}).status_code
            == 404
        )
    assert Touchpoint.objects.get(pk=about_me.pk).summary == "Molly prefers calls."
    Touchpoint.objects.filter(pk=about_me.pk).delete()
    requisition = Lesson.objects.get().partnership.manager.requisitions_managed.first()
    BriefVersionFactory(requisition=requisition)
    carry = reverse(
        "partnerships:lesson-carry", args=[slug, requisition.public_id, lesson.public_id]
    )
    assert client.post(carry, {"text": "x"}).status_code == 404
    index = client.get(reverse("partnerships:index", args=[slug])).content.decode()
    assert str(me.public_id) not in index
    assert 'data-testid="partner-row"' not in index
    assert Lesson.objects.get().retired_at is None
    assert not LessonUse.objects.exists()
    assert Touchpoint.objects.count() == 0
    # The rest of the team still reads them.
    assert "Molly decides slowly." in client_for(recruiter).get(profile_url(me)).content.decode()


def test_an_admin_who_manages_a_role_doesnt_read_the_notes_about_them_in_the_audit_log(
    recruiter: Member, workspace
) -> None:
    """The log shows what changed, notes included (a corrected summary, a lesson's words): not to
    the manager they are about, also when that manager may read the log."""
    me = MemberFactory(workspace=workspace, role=Role.ADMIN, user__display_name="Molly Both")
    other = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    for manager in (me, other):
        RequisitionFactory(workspace=workspace, recruiter=recruiter, hiring_managers=[manager])
        services.lesson_add(actor=recruiter, manager=manager, text=f"{manager.pk} decides slowly.")
        touchpoint = log(recruiter, manager, summary="Prefers calls.")
        touchpoint = services.touchpoint_update(
            actor=recruiter,
            touchpoint=touchpoint,
            data=services.TouchpointInput(
                kind=touchpoint.kind,
                occurred_on=touchpoint.occurred_on,
                summary=f"{manager.pk} gets defensive about feedback.",
                next_step="",
                next_step_on=None,
                requisition=None,
            ),
            revision=touchpoint.revision,
        )
        services.touchpoint_delete(
            actor=recruiter, touchpoint=touchpoint, revision=touchpoint.revision
        )
    url = reverse("audit:log", args=[workspace.slug])
    mine = client_for(me).get(url).content.decode()
    assert f"{me.pk} decides slowly." not in mine
    assert f"{me.pk} gets defensive" not in mine
    assert f"{other.pk} decides slowly." in mine  # the notes about someone else
    assert f"{other.pk} gets defensive" in mine
    home = (
        client_for(me).get(reverse("dashboard:workspace", args=[workspace.slug])).content.decode()
    )
    assert f"{me.pk} decides slowly." not in home  # "Recent changes" names a lesson by its words
    assert f"{other.pk} decides slowly." in home
    colleague = MemberFactory(workspace=workspace, role=Role.ADMIN)
    theirs = client_for(colleague).get(url).content.decode()
    assert f"{me.pk} gets defensive" in theirs


def test_the_index_sorts_by_touchpoint_and_check_in_on_29_february(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    from datetime import date

    from accord.partnerships.views.partners import sort_rows

    quiet = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    hiring_manager.last_touchpoint = date(2028, 2, 1)  # type: ignore[attr-defined]
    quiet.last_touchpoint = None  # type: ignore[attr-defined]
    rows = [
        {"manager": quiet, "next_checkin_on": None},
        {"manager": hiring_manager, "next_checkin_on": date(2028, 2, 29)},
    ]
    for sort in ("touchpoint", "checkin"):
        sort_rows(rows, sort)  # no "today" to replace the year of
        assert [r["manager"] for r in rows] == [hiring_manager, quiet]


def test_check_ins_turned_off_are_neither_due_nor_overdue(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    Partnership.objects.create(
        workspace=workspace,
        manager=hiring_manager,
        recruiter=recruiter,
        checkin_every=0,
        next_checkin_on=timezone.localdate() - timedelta(days=3),
    )
    index = reverse("partnerships:index", args=[workspace.slug])
    body = client_for(recruiter).get(index).content.decode()
    assert 'data-testid="overdue-count"' not in body
    assert 'data-testid="checkin-overdue"' not in body
    due = client_for(recruiter).get(index, {"due": "1"}).content.decode()
    assert 'data-testid="partners-none-match"' in due
    page = client_for(recruiter).get(profile_url(hiring_manager)).content.decode()
    assert "No regular check-in." in page
    assert "overdue" not in page.split('data-testid="next-checkin"')[1].split("</p>")[0]


def test_a_check_in_nobody_is_reminded_of_says_so(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    partnership = Partnership.objects.create(
        workspace=workspace,
        manager=hiring_manager,
        next_checkin_on=timezone.localdate() + timedelta(days=3),
    )
    index = reverse("partnerships:index", args=[workspace.slug])
    assert 'data-testid="nobody-reminded"' in client_for(recruiter).get(index).content.decode()
    page = client_for(recruiter).get(profile_url(hiring_manager)).content.decode()
    assert 'data-testid="nobody-reminded"' in page
    Partnership.objects.filter(pk=partnership.pk).update(recruiter=recruiter)
    assert 'data-testid="nobody-reminded"' not in client_for(recruiter).get(index).content.decode()
    page = client_for(recruiter).get(profile_url(hiring_manager)).content.decode()
    assert 'data-testid="nobody-reminded"' not in page
    assert "Rita Recruiter is reminded when it is due." in page


def test_without_javascript_a_refused_form_keeps_what_was_typed(
    recruiter: Member, hiring_manager: Member
) -> None:
    client = client_for(recruiter)
    response = client.post(
        profile_url(hiring_manager, "profile-save"),
        profile_post(business_goals="Ship the ledger rewrite.", checkin_every="3", revision="0"),
    )
    assert response.status_code == 422
    assert "Ship the ledger rewrite." in response.content.decode()
    response = client.post(
        profile_url(hiring_manager, "touchpoint-add"),
        {"kind": "call", "occurred_on": "soon", "summary": "He wants two platform hires."},
    )
    assert response.status_code == 422
    assert "He wants two platform hires." in response.content.decode()
    response = client.post(
        profile_url(hiring_manager, "lesson-add"),
        {"text": "Book debriefs the same day.", "applies_to": "nowhere"},
    )
    assert response.status_code == 422
    assert "Book debriefs the same day." in response.content.decode()
    assert not Partnership.objects.exists()
    # A conflict: theirs beside yours, yours kept.
    services.partnership_save(
        actor=recruiter,
        manager=hiring_manager,
        data=services.ProfileInput(
            team="Payments",
            business_goals="",
            challenges="",
            team_dynamics="",
            update_channel="",
            update_frequency="",
            best_times="",
            update_time_zone="",
            checkin_every=30,
            next_checkin_on=None,
            recruiter=None,
        ),
        revision=1,  # a new partnership's
    )
    response = client.post(
        profile_url(hiring_manager, "profile-save"),
        profile_post(business_goals="Ship the ledger rewrite.", revision="1"),
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="profile-theirs"' in body
    assert "Ship the ledger rewrite." in body


def test_the_carry_form_warns_and_carries_the_words_as_edited(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    lesson = services.lesson_add(
        actor=recruiter, manager=hiring_manager, text="Hugo is vague about salary."
    )
    requisition = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    draft = BriefVersionFactory(requisition=requisition)
    slug = workspace.slug
    page = client_for(recruiter).get(reverse("briefs:edit", args=[slug, requisition.public_id]))
    body = page.content.decode()
    assert "which the manager reads and signs" in body
    assert "Only recruiters see these" not in body
    assert 'name="text"' in body.split('data-testid="carry-form"')[1].split("</form>")[0]
    carry = reverse(
        "partnerships:lesson-carry", args=[slug, requisition.public_id, lesson.public_id]
    )
    empty = client_for(recruiter).post(carry, {"text": "  "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 422
    assert 'data-testid="carry-error"' in empty.content.decode()
    assert not LessonUse.objects.exists()
    done = client_for(recruiter).post(
        carry, {"text": "Agree the salary range at the kickoff."}, HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200
    draft.refresh_from_db()
    assert draft.process_notes == "Agree the salary range at the kickoff."


# --- touchpoints corrected and deleted ---------------------------------------------------------


def touchpoint_url(touchpoint: Touchpoint, name: str) -> str:
    slug = touchpoint.partnership.workspace.slug
    return reverse(f"partnerships:touchpoint-{name}", args=[slug, touchpoint.public_id])


def edit_post(touchpoint: Touchpoint, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": touchpoint.kind,
        "occurred_on": touchpoint.occurred_on.isoformat(),
        "summary": touchpoint.summary,
        "next_step": touchpoint.next_step,
        "next_step_on": "",
        "requisition": "",
        "revision": str(touchpoint.revision),
    }
    data.update(changes)
    return data


def test_correcting_a_touchpoint_in_place(
    recruiter: Member, admin: Member, hiring_manager: Member
) -> None:
    earlier = log(recruiter, hiring_manager, days_ago=10)
    call = log(recruiter, hiring_manager, days_ago=3, summary="Talked about the budget.")
    client = client_for(recruiter)
    url = touchpoint_url(call, "edit")
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert "HX-Request" in form["Vary"]
    body = form.content.decode()
    assert f'id="tp-{call.public_id}"' in body
    assert "<html" not in body  # the row's fragment, not a page
    assert "Talked about the budget." in body
    assert f'id="tp-{call.public_id}-summary"' in body  # not the log form's ids

    refused = client.post(
        url,
        edit_post(call, summary="Budget doubles in May.", occurred_on="soon"),
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 422
    assert "Budget doubles in May." in refused.content.decode()
    assert Touchpoint.objects.get(pk=call.pk).summary == "Talked about the budget."

    # A note after all: the call before it plans the next check-in.
    partnership = Partnership.objects.get()
    saved = client.post(
        url, edit_post(call, kind="note", summary="Budget doubles in May."), HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200
    assert saved["HX-Retarget"] == "#touchpoint-items"
    body = saved.content.decode()
    assert 'data-testid="touchpoint-saved"' in body
    assert "Budget doubles in May." in body
    after = Partnership.objects.get()
    assert after.next_checkin_on == earlier.occurred_on + timedelta(days=30)
    assert 'id="checkin"' in body
    assert f'name="revision" value="{after.revision}" id="id_revision" hx-swap-oob="true"' in body
    assert f'value="{after.next_checkin_on.isoformat()}"' in body
    assert after.revision == partnership.revision + 1

    # Someone saved it meanwhile: theirs beside yours, yours kept, nothing overwritten.
    stale = client_for(admin).post(
        url, edit_post(call, summary="Mine: hiring freeze."), HTTP_HX_REQUEST="true"
    )
    assert stale.status_code == 409
    body = stale.content.decode()
    assert 'data-testid="touchpoint-theirs"' in body
    assert "Rita Recruiter changed this touchpoint" in body
    assert "Budget doubles in May." in body
    assert "Mine: hiring freeze." in body
    assert 'name="revision" value="2"' in body  # saving again is based on theirs
    assert Touchpoint.objects.get(pk=call.pk).summary == "Budget doubles in May."
    # A summary-only correction leaves the check-in and the profile form alone.
    again = client.post(
        url,
        edit_post(Touchpoint.objects.get(pk=call.pk), summary="Budget doubles in June."),
        HTTP_HX_REQUEST="true",
    )
    assert again.status_code == 200
    assert 'id="id_revision"' not in again.content.decode()
    assert Partnership.objects.get().revision == after.revision


def test_deleting_a_touchpoint_asks_first_and_keeps_its_lessons(
    recruiter: Member, hiring_manager: Member
) -> None:
    earlier = log(recruiter, hiring_manager, days_ago=10)
    call = log(recruiter, hiring_manager, days_ago=3)
    services.lesson_add(
        actor=recruiter, manager=hiring_manager, text="Budget talk first.", touchpoint=call
    )
    client = client_for(recruiter)
    page = client.get(profile_url(hiring_manager)).content.decode()
    row = page.split(f'id="tp-{call.public_id}"')[1].split("</li>")[0]
    assert 'hx-confirm="Delete the call of' in row
    assert "The lesson kept from it stays." in row
    assert f'hx-vals=\'{{"revision": "{call.revision}"}}\'' in row
    url = touchpoint_url(call, "delete")
    ask = client.get(url)
    assert ask.status_code == 200
    body = ask.content.decode()
    assert "The lesson kept from it stays" in body
    assert 'data-testid="checkin-note"' in body
    assert Touchpoint.objects.filter(pk=call.pk).exists()  # GET asks, changes nothing

    assert f'name="revision" value="{call.revision}"' in body

    # Corrected by someone else since the page was opened: shown again, not deleted unseen.
    Touchpoint.objects.filter(pk=call.pk).update(revision=call.revision + 1, summary="Moved.")
    stale = client.post(url, {"revision": call.revision}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    assert "changed since you opened the page" in stale.content.decode()
    assert "Moved." in stale.content.decode()
    assert Touchpoint.objects.filter(pk=call.pk).exists()

    deleted = client.post(url, {"revision": call.revision + 1}, HTTP_HX_REQUEST="true")
    assert deleted.status_code == 200
    body = deleted.content.decode()
    assert 'data-testid="touchpoint-deleted"' in body
    assert "The lesson kept from it stays." in body
    assert f'id="tp-{call.public_id}"' not in body
    assert f'id="tp-{earlier.public_id}"' in body
    assert not Touchpoint.objects.filter(pk=call.pk).exists()
    assert Lesson.objects.get().text == "Budget talk first."
    assert Partnership.objects.get().next_checkin_on == earlier.occurred_on + timedelta(days=30)
    # Gone: a second delete or correction is a 404 like any unknown touchpoint.
    assert client.post(url).status_code == 404
    assert client.post(touchpoint_url(call, "edit"), edit_post(call)).status_code == 404


def test_correcting_and_deleting_without_javascript(
    recruiter: Member, hiring_manager: Member
) -> None:
    call = log(recruiter, hiring_manager, days_ago=3, summary="First call.")
    client = client_for(recruiter)
    url = touchpoint_url(call, "edit")
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<html" in body
    # A plain form: it posts and comes back as a page.
    form_tag = body.split('data-testid="touchpoint-edit-form"')[0].rsplit("<form", 1)[1]
    assert "hx-post" not in form_tag
    refused = client.post(url, edit_post(call, summary="Second call, really.", kind="lunch"))
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "<html" in body
    assert "Second call, really." in body
    Touchpoint.objects.filter(pk=call.pk).update(revision=5)  # saved meanwhile
    stale = client.post(url, edit_post(call, summary="Second call, really."))
    assert stale.status_code == 409
    assert 'data-testid="touchpoint-theirs"' in stale.content.decode()
    saved = client.post(url, edit_post(call, summary="Second call, really.", revision="5"))
    assert saved.status_code == 302
    assert saved["Location"] == profile_url(hiring_manager) + f"#tp-{call.public_id}"
    assert Touchpoint.objects.get().summary == "Second call, really."
    stale = client.post(touchpoint_url(call, "delete"), {"revision": "5"})
    assert stale.status_code == 409
    assert 'data-testid="touchpoint-stale"' in stale.content.decode()
    assert 'name="revision" value="6"' in stale.content.decode()  # the form as it stands now
    deleted = client.post(touchpoint_url(call, "delete"), {"revision": "6"})
    assert deleted.status_code == 302
    assert deleted["Location"] == profile_url(hiring_manager) + "#touchpoints"
    assert not Touchpoint.objects.exists()
    assert Partnership.objects.get().next_checkin_on is None


def test_touchpoint_pages_in_bounded_queries(
    recruiter: Member, hiring_manager: Member, django_assert_max_num_queries
) -> None:
    call = log(recruiter, hiring_manager)
    client = client_for(recruiter)
    pages = [touchpoint_url(call, "edit"), touchpoint_url(call, "delete")]
    counts = []
    for url in pages:
        with django_assert_max_num_queries(12) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    build_dataset(recruiter, hiring_manager, timezone.now())
    for days in range(2, 8):
        log(recruiter, hiring_manager, days_ago=days)
        services.lesson_add(
            actor=recruiter, manager=hiring_manager, text=f"L{days}", touchpoint=call
        )
    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
    # In place: the list after a correction.
    with django_assert_max_num_queries(30):
        response = client.post(
            pages[0],
            edit_post(Touchpoint.objects.get(pk=call.pk), summary="x"),
            HTTP_HX_REQUEST="true",
        )
    assert response.content.decode().count('data-testid="touchpoint"') == 7


def test_nobody_else_corrects_or_deletes_touchpoints(
    recruiter: Member, admin: Member, hiring_manager: Member, interviewer: Member, outsider: Member
) -> None:
    call = log(recruiter, hiring_manager, summary="Untouched.")
    for name in ("edit", "delete"):
        url = touchpoint_url(call, name)
        for member in (hiring_manager, interviewer):
            assert client_for(member).get(url).status_code == 403
            assert client_for(member).post(url, edit_post(call, summary="x")).status_code == 403
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, edit_post(call, summary="x")).status_code == 404
        assert client_for(admin).get(url).status_code == 200
    assert Touchpoint.objects.get().summary == "Untouched."


def test_a_carry_refused_without_javascript_keeps_the_rewording(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    lesson = services.lesson_add(
        actor=recruiter, manager=hiring_manager, text="Hugo is vague about salary."
    )
    requisition = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    draft = BriefVersionFactory(requisition=requisition, process_notes="Two interviews.")
    slug = workspace.slug
    carry = reverse(
        "partnerships:lesson-carry", args=[slug, requisition.public_id, lesson.public_id]
    )
    client = client_for(recruiter)
    reworded = {"text": "Agree the salary range at the kickoff."}
    services.lesson_retire(actor=recruiter, lesson=lesson)  # meanwhile, in another tab
    refused = client.post(carry, reworded)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "<html" in body  # a page of its own, not a redirect that drops the words
    assert 'data-testid="carry-error"' in body
    assert "This lesson is retired." in body
    assert ">Agree the salary range at the kickoff.</textarea>" in body
    assert 'data-testid="back-to-intake"' in body
    assert not LessonUse.objects.exists()
    assert BriefVersion.objects.get(pk=draft.pk).process_notes == "Two interviews."
    # The same form, posted again once the lesson is restored, carries the words as edited.
    services.lesson_retire(actor=recruiter, lesson=lesson, retired=False)
    done = client.post(carry, reworded)
    assert done.status_code == 302
    assert done["Location"].endswith("/brief/edit/#lessons-panel")
    assert BriefVersion.objects.get(pk=draft.pk).process_notes.endswith("at the kickoff.")

    # No draft to carry into (signed meanwhile): refused the same way, with and without htmx.
    BriefVersion.objects.filter(pk=draft.pk).update(signed_at=timezone.now())
    other = services.lesson_add(actor=recruiter, manager=hiring_manager, text="Books late.")
    carry = reverse(
        "partnerships:lesson-carry", args=[slug, requisition.public_id, other.public_id]
    )
    page = client.post(carry, {"text": "Book the panel a week ahead."})
    assert page.status_code == 422
    body = page.content.decode()
    assert "There is no draft to carry the lesson into." in body
    assert ">Book the panel a week ahead.</textarea>" in body
    assert 'data-testid="back-to-requisition"' in body
    fragment = client.post(carry, {"text": "Book the panel a week ahead."}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 422
    assert 'data-testid="carry-error"' in fragment.content.decode()
    assert LessonUse.objects.count() == 1
