from django.urls import path

from accord.reviews.views import scorecards, shortlists

app_name = "reviews"

WS = "w/<slug:workspace_slug>/"
REQ = WS + "requisitions/<uuid:public_id>/"
SHORTLIST = WS + "shortlists/<uuid:shortlist_id>/"
APPLICATION = WS + "applications/<uuid:application_id>/"
SCORECARD = WS + "scorecards/<uuid:scorecard_id>/"

urlpatterns = [
    # Shortlists: the recruiter sends, the manager decides (signed in or from a link).
    path(REQ + "shortlists/", shortlists.requisition_shortlists, name="shortlists"),
    path(REQ + "shortlists/new/", shortlists.shortlist_new, name="shortlist-new"),
    path(SHORTLIST, shortlists.shortlist_page, name="shortlist"),
    path(SHORTLIST + "items/<int:position>/decide/", shortlists.decide, name="decide"),
    path(SHORTLIST + "withdraw/", shortlists.withdraw, name="shortlist-withdraw"),
    path(SHORTLIST + "resend/", shortlists.resend, name="shortlist-resend"),
    path(WS + "reviews/", shortlists.my_reviews, name="my-reviews"),
    path("r/<str:token>/", shortlists.link_page, name="link"),
    path("r/<str:token>/items/<int:position>/decide/", shortlists.link_decide, name="link-decide"),
    # Interview scorecards.
    path(APPLICATION + "scorecards/", scorecards.application_scorecards, name="scorecards"),
    path(
        APPLICATION + "scorecards/request/", scorecards.scorecard_request, name="scorecard-request"
    ),
    path(SCORECARD, scorecards.scorecard_page, name="scorecard"),
    path(SCORECARD + "submit/", scorecards.scorecard_submit, name="scorecard-submit"),
    path(WS + "scorecards/", scorecards.my_scorecards, name="my-scorecards"),
    path("s/<str:token>/", scorecards.link_page, name="scorecard-link"),
    path("s/<str:token>/submit/", scorecards.link_submit, name="scorecard-link-submit"),
]
