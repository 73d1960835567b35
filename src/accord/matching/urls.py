from django.urls import path

from accord.matching import views

app_name = "matching"

WS = "w/<slug:workspace_slug>/"
SCREEN = WS + "applications/<uuid:public_id>/screen/"
RANKING = WS + "requisitions/<uuid:public_id>/ranking/"

urlpatterns = [
    path(SCREEN, views.screen, name="screen"),
    path(SCREEN + "refresh/", views.refresh, name="refresh"),
    path(SCREEN + "<uuid:criterion_id>/", views.assess, name="assess"),
    path(RANKING, views.rank, name="rank"),
    path(RANKING + "refresh/", views.rank_refresh, name="rank-refresh"),
    path(RANKING + "add/", views.pool_add, name="pool-add"),
]
