"""Every admin, as a manager who is not on the production's team and as one who is: no page
shows a row of a production they are not on, none fails, writes stay with who the API lets."""

import pytest
from django.contrib import admin

from kitsu_server.admin_base import has_field
from productions.models import Project
from tests import factories
from tests.admin.pages import admin_url

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
every_admin = pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[model._meta.label for model, _ in REGISTERED]
)


def production_rows(model, project):
    """The rows of `model` belonging to `project` (by their project, or their task's)."""
    manager = model._default_manager
    if model is Project:
        return manager.filter(pk=project.pk)
    if has_field(model, "project"):
        return manager.filter(project=project)
    if has_field(model, "task"):
        return manager.filter(task__project=project)
    return manager.none()


@every_admin
def test_an_outsider_manager_reads_no_row_of_the_production(client, production, model, model_admin):
    client.force_login(factories.make_person(role="manager"))
    rows = list(production_rows(model, production["project"]))

    changelist = client.get(admin_url(model, "changelist"))
    assert changelist.status_code in (200, 403)
    if changelist.status_code == 200:
        shown = {row.pk for row in changelist.context["cl"].result_list}
        assert not shown & {row.pk for row in rows}
    for row in rows:
        page = client.get(admin_url(model, "change", row.pk))
        assert page.status_code in (302, 403), f"{model._meta.label} {row.pk} shown"


@every_admin
def test_the_productions_manager_gets_answers_never_errors(client, production, model, model_admin):
    manager = factories.join(production["project"], factories.make_person(role="manager"))
    client.force_login(manager)
    rows = list(production_rows(model, production["project"])[:1]) or list(model._default_manager.all()[:1])

    changelist = client.get(admin_url(model, "changelist"))
    assert changelist.status_code in (200, 403)
    assert client.get(admin_url(model, "add")).status_code in (200, 403)
    for row in rows:
        page = client.get(admin_url(model, "change", row.pk))
        assert page.status_code in (200, 302, 403)
        if page.status_code == 200:  # a row they may read: its page opens, editable or not
            assert page.context["original"].pk == row.pk
