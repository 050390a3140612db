"""The back-office in a real browser (headless Chromium driven by Playwright): a production
manager logs in, narrows the task list to one assignee, changes a task's status with a comment,
and opens a shot to see its tasks.

Uses the system's Chromium (Debian's `chromium` package; `.ci/run` installs it), never a
downloaded browser. Without it the test is skipped, saying so.
"""

import os
import shutil

import pytest
from django.db import connections

from tasks.models import Comment, News, Task
from tests import factories

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine: install Debian's `chromium` package to run it"
)


@pytest.fixture
def production(transactional_db):
    manager = factories.make_person(
        role="admin", email="prod@example.com", password="prod-password", first_name="Pat", last_name="Prod"
    )
    project = factories.make_project(name="Browser show")
    sequence = factories.make_sequence(project, factories.make_episode(project, name="E01"), name="SQ010")
    lighting = factories.make_task_type("Lighting", for_entity="Shot")
    animation = factories.make_task_type("Animation", for_entity="Shot")
    todo = factories.make_task_status("Todo", "todo", color="#f5f5f5", is_default=True)
    factories.make_task_status("Waiting for approval", "wfa", color="#ab26ff", is_feedback_request=True)
    sam = factories.join(project, factories.make_person(first_name="Sam", last_name="Cole"))
    ada = factories.join(project, factories.make_person(first_name="Ada", last_name="Artist"))
    shots = [factories.make_shot(project, sequence, name=name) for name in ("SH0010", "SH0020")]
    tasks = {}
    for shot in shots:
        light = factories.make_task(shot, lighting, todo)
        factories.assign(light, sam)
        anim = factories.make_task(shot, animation, todo)
        factories.assign(anim, ada)
        tasks[shot.name] = light
    return {"manager": manager, "tasks": tasks, "shot": shots[0]}


@pytest.fixture
def page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread: the test's own ORM reads are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(20_000)
        yield context.new_page()
        browser.close()
        # The ORM reads made inside Playwright's loop have their own connection (another
        # context of this thread): closed here, or it would keep the test database open.
        connections.close_all()


def test_a_manager_filters_changes_a_status_and_opens_a_shot(page, production):
    page.goto("/admin/login/")
    page.fill("#id_username", "prod@example.com")
    page.fill("#id_password", "prod-password")
    page.click("input[type=submit]")
    page.wait_for_selector("text=Tasks and review")

    # The task list, narrowed to Sam's tasks from the filter panel.
    page.goto("/admin/tasks/task/")
    page.locator("#changelist-filter").get_by_role("link", name="Sam Cole").click()
    page.wait_for_url("**assignee=*")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    assert all("Sam Cole" in text for text in rows.all_inner_texts())

    # One of them moves to "waiting for approval", with a comment.
    page.get_by_role("link", name="E01 / SQ010 / SH0010").click()
    page.locator("#id_task_status").locator("xpath=..").locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Waiting")
    page.locator(".select2-results__option", has_text="Waiting for approval").click()
    page.fill("#id_status_comment", "Lighting pass ready for review")
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist li.success")

    task = Task.objects.select_related("task_status").get(pk=production["tasks"]["SH0010"].pk)
    assert task.task_status.short_name == "wfa" and task.end_date is not None
    assert Comment.objects.filter(object_id=task.pk, text="Lighting pass ready for review").exists()
    assert News.objects.filter(task=task).exists()

    # The shot's page lists its tasks, the new status among them.
    page.goto("/admin/shots/shot/")
    page.get_by_role("link", name="SH0010", exact=True).click()
    tasks = page.locator("#tasks-group")
    tasks.wait_for()
    text = tasks.inner_text()
    assert "Lighting" in text and "Animation" in text and "WFA" in text and "Sam Cole" in text
