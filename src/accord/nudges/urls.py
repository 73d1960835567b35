from django.urls import path

from accord.nudges import views

app_name = "nudges"

WS = "w/<slug:workspace_slug>/"

urlpatterns = [
    # Who owes what: pending actions, responsiveness, candidates waiting for news.
    path(WS + "owed/", views.owed, name="owed"),
    # What was sent, with delivery status (recruiters and admins).
    path(WS + "messages/", views.messages, name="messages"),
    # How Accord reaches me: channel, webhook, number, quiet hours, frequency.
    path(WS + "me/notifications/", views.contact_edit, name="contact"),
    path(WS + "me/notifications/test/", views.contact_test, name="contact-test"),
    # The workspace's escalation rules (admins).
    path(WS + "settings/nudges/", views.policy_edit, name="policy"),
]
