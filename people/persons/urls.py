"""Kitsu routes of the persons area (`/actions/persons/...`, `/data/persons/...`), one line each
(see kitsu_server.routing.kitsu_path). A literal segment ("day-offs", "presence-logs") comes
before the person id route it would otherwise match."""

from kitsu_server.routing import kitsu_path
from people.persons.views import accounts, day_offs, desktop_logins, quotas, time_spents

# A viewset serves each family of a person's routes: the verbs of each path and the action they call.
DESKTOP_LOGINS = {"get": "list", "post": "create"}

urlpatterns = [
    # --- account actions
    kitsu_path(
        "/actions/persons/{person_id}/change-password",
        accounts.PersonChangePasswordView.as_view(),
        name="person-change-password",
    ),
    kitsu_path(
        "/actions/persons/{person_id}/clear-avatar",
        accounts.PersonClearAvatarView.as_view(),
        name="person-clear-avatar",
    ),
    kitsu_path(
        "/actions/persons/{person_id}/departments/add",
        accounts.PersonAddDepartmentView.as_view(),
        name="person-add-department",
    ),
    kitsu_path(
        "/actions/persons/{person_id}/departments/{department_id}",
        accounts.PersonRemoveDepartmentView.as_view(),
        name="person-remove-department",
    ),
    kitsu_path(
        "/actions/persons/{person_id}/disable-two-factor-authentication",
        accounts.PersonDisableTwoFactorView.as_view(),
        name="person-disable-two-factor-authentication",
    ),
    kitsu_path(
        "/actions/persons/{person_id}/invite", accounts.PersonInviteView.as_view(), name="person-invite"
    ),
    kitsu_path(
        "/actions/persons/{person_id}/reset-password-link",
        accounts.PersonResetPasswordLinkView.as_view(),
        name="person-reset-password-link",
    ),
    # --- studio-wide tables
    kitsu_path(
        "/data/persons/day-offs/{year}", day_offs.YearDayOffsView.as_view(), name="persons-day-offs-year"
    ),
    kitsu_path(
        "/data/persons/day-offs/{year}/{month}",
        day_offs.MonthDayOffsView.as_view(),
        name="persons-day-offs-month",
    ),
    kitsu_path(
        "/data/persons/presence-logs/{month_date}",
        desktop_logins.PresenceLogsView.as_view(),
        name="persons-presence-logs",
    ),
    kitsu_path(
        "/data/persons/time-spents/day-table/{year}/{month}",
        time_spents.DayTableView.as_view(),
        name="persons-time-spents-day-table",
    ),
    kitsu_path(
        "/data/persons/time-spents/month-table/{year}",
        time_spents.MonthTableView.as_view(),
        name="persons-time-spents-month-table",
    ),
    kitsu_path(
        "/data/persons/time-spents/week-table/{year}",
        time_spents.WeekTableView.as_view(),
        name="persons-time-spents-week-table",
    ),
    kitsu_path(
        "/data/persons/time-spents/year-table",
        time_spents.YearTableView.as_view(),
        name="persons-time-spents-year-table",
    ),
    # --- day offs of a person
    kitsu_path(
        "/data/persons/{person_id}/day-offs",
        day_offs.PersonDayOffViewSet.as_view({"get": "list"}),
        name="person-day-offs",
    ),
    kitsu_path(
        "/data/persons/{person_id}/day-offs/month/{year}/{month}",
        day_offs.PersonDayOffViewSet.as_view({"get": "month"}),
        name="person-day-offs-month",
    ),
    kitsu_path(
        "/data/persons/{person_id}/day-offs/week/{year}/{week}",
        day_offs.PersonDayOffViewSet.as_view({"get": "week"}),
        name="person-day-offs-week",
    ),
    kitsu_path(
        "/data/persons/{person_id}/day-offs/year/{year}",
        day_offs.PersonDayOffViewSet.as_view({"get": "year"}),
        name="person-day-offs-year",
    ),
    kitsu_path(
        "/data/persons/{person_id}/day-offs/{date}",
        day_offs.PersonDayOffViewSet.as_view({"get": "day"}),
        name="person-day-off-date",
    ),
    # --- desktop logins
    kitsu_path(
        "/data/persons/{person_id}/desktop-login-logs",
        desktop_logins.PersonDesktopLoginLogViewSet.as_view(DESKTOP_LOGINS),
        name="person-desktop-login-logs",
    ),
    # --- quotas
    kitsu_path(
        "/data/persons/{person_id}/quota-shots/day/{year}/{month}/{day}",
        quotas.PersonQuotaShotViewSet.as_view({"get": "day"}),
        name="person-quota-shots-day",
    ),
    kitsu_path(
        "/data/persons/{person_id}/quota-shots/month/{year}/{month}",
        quotas.PersonQuotaShotViewSet.as_view({"get": "month"}),
        name="person-quota-shots-month",
    ),
    kitsu_path(
        "/data/persons/{person_id}/quota-shots/week/{year}/{week}",
        quotas.PersonQuotaShotViewSet.as_view({"get": "week"}),
        name="person-quota-shots-week",
    ),
    # --- time spents of a person
    kitsu_path(
        "/data/persons/{person_id}/time-spents",
        time_spents.PersonTimeSpentViewSet.as_view({"get": "list"}),
        name="person-time-spents",
    ),
    kitsu_path(
        "/data/persons/{person_id}/time-spents/day/{year}/{month}/{day}",
        time_spents.PersonTimeSpentViewSet.as_view({"get": "day"}),
        name="person-time-spents-day",
    ),
    kitsu_path(
        "/data/persons/{person_id}/time-spents/month/all/{year}/{month}",
        time_spents.PersonTimeSpentViewSet.as_view({"get": "month_all"}),
        name="person-time-spents-month-all",
    ),
    kitsu_path(
        "/data/persons/{person_id}/time-spents/month/{year}/{month}",
        time_spents.PersonTimeSpentViewSet.as_view({"get": "month"}),
        name="person-time-spents-month",
    ),
    kitsu_path(
        "/data/persons/{person_id}/time-spents/week/{year}/{week}",
        time_spents.PersonTimeSpentViewSet.as_view({"get": "week"}),
        name="person-time-spents-week",
    ),
    kitsu_path(
        "/data/persons/{person_id}/time-spents/year/{year}",
        time_spents.PersonTimeSpentViewSet.as_view({"get": "year"}),
        name="person-time-spents-year",
    ),
    kitsu_path(
        "/data/persons/{person_id}/time-spents/{date}",
        time_spents.PersonTimeSpentViewSet.as_view({"get": "of_date"}),
        name="person-time-spents-date",
    ),
]
