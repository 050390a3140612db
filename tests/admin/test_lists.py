"""Lists that answer a production manager's questions: the task list's columns, filters and
search; a shot's frames and tasks; the comment and person lists; CSV export; deactivation."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from people.models import DepartmentLink, Person
from shots.models import Shot
from tasks.models import ApiEvent, Comment, Task
from tests import factories
from tests.admin.pages import admin_url, form_errors, submitted_data


@pytest.fixture
def series(admin_person):
    """Two episodes, each with a SQ010 holding a SH0010 (two SH0010s), lighting and animation
    tasks, Sam on the lighting ones, one of them late; an asset with a concept task."""
    project = factories.make_project(name="Series")
    lighting_dept = factories.make_department("Lighting dept")
    animation = factories.make_task_type("Animation", for_entity="Shot")
    lighting = factories.make_task_type("Lighting", for_entity="Shot", department=lighting_dept)
    concept_asset = factories.make_task_type("Concept", for_entity="Asset")
    factories.make_task_type("Concept", for_entity="Concept")
    todo = factories.make_task_status("Todo", "todo", color="#f5f5f5", is_default=True)
    wip = factories.make_task_status("Work in progress", "wip", color="#3273dc", is_wip=True)
    done = factories.make_task_status("Done", "done", color="#22d160", is_done=True)
    sam = factories.join(project, factories.make_person(first_name="Sam", last_name="Cole"))
    ada = factories.join(project, factories.make_person(first_name="Ada", last_name="Artist"))
    DepartmentLink.objects.create(person=sam, department=lighting_dept)
    last_week = timezone.now() - datetime.timedelta(days=7)
    tasks = {}
    for episode_name in ("E01", "E02"):
        episode = factories.make_episode(project, name=episode_name)
        sequence = factories.make_sequence(project, episode, name="SQ010")
        shot = factories.make_shot(
            project, sequence, name="SH0010", nb_frames=48, data={"frame_in": 1001, "frame_out": 1048}
        )
        light = factories.make_task(shot, lighting, wip, due_date=last_week, estimation=480, duration=600)
        factories.assign(light, sam)
        anim = factories.make_task(shot, animation, done, due_date=last_week)
        factories.assign(anim, ada)
        tasks[episode_name] = {"shot": shot, "lighting": light, "animation": anim, "episode": episode}
    asset = factories.make_asset(project, factories.make_asset_type("Character"), name="Bunny")
    tasks["asset"] = factories.make_task(asset, concept_asset, todo)
    return {"project": project, "tasks": tasks, "sam": sam, "ada": ada, "todo": todo, "wip": wip}


def task_list(staff_client, **params):
    response = staff_client.get(admin_url(Task, "changelist"), params)
    assert response.status_code == 200
    return response.content.decode()


def listed(page, tasks):
    return [task for task in tasks if admin_url(Task, "change", task.pk) in page]


def all_tasks(series):
    return list(Task.objects.filter(project=series["project"]))


def test_the_task_list_shows_full_names_statuses_assignees_and_time(staff_client, series):
    page = task_list(staff_client)

    assert "E01 / SQ010 / SH0010" in page and "E02 / SQ010 / SH0010" in page
    assert "Character / Bunny" in page
    assert 'style="background:#3273dc"' in page and ">WIP<" in page
    assert "Sam Cole" in page and "Ada Artist" in page
    assert '<span class="kitsu-over">8 / 10</span>' in page  # 8 h estimated, 10 h spent


def test_the_task_list_filters_by_assignee(staff_client, series):
    page = task_list(staff_client, assignee=str(series["sam"].pk))

    lighting = [series["tasks"][name]["lighting"] for name in ("E01", "E02")]
    assert listed(page, all_tasks(series)) == listed(page, lighting) and len(listed(page, lighting)) == 2


def test_the_task_list_filters_by_episode_and_sequence(staff_client, series):
    e02 = series["tasks"]["E02"]
    page = task_list(staff_client, episode=str(e02["episode"].pk))
    assert set(listed(page, all_tasks(series))) == {e02["lighting"], e02["animation"]}

    sequence = e02["shot"].parent
    page = task_list(staff_client, project__id__exact=str(series["project"].pk), sequence=str(sequence.pk))
    assert set(listed(page, all_tasks(series))) == {e02["lighting"], e02["animation"]}
    assert "E02 / SQ010" in page  # the sequence choices name their episode


def test_what_is_late_on_episode_2_and_who_has_it(staff_client, series):
    e02 = series["tasks"]["E02"]

    page = task_list(staff_client, episode=str(e02["episode"].pk), late="yes")

    assert listed(page, all_tasks(series)) == [e02["lighting"]]  # the done animation is not late
    assert "Sam Cole" in page


def test_the_task_type_filter_tells_twin_names_apart(staff_client, series):
    page = task_list(staff_client)

    assert "Concept (Asset)" in page and "Concept (Concept)" in page


@pytest.mark.parametrize(
    ("term", "expected"),
    [("Sam", "lighting"), ("Lighting", "lighting"), ("SQ010", "all shots"), ("E02", "E02")],
)
def test_the_task_list_searches_names(staff_client, series, term, expected):
    tasks = series["tasks"]
    wanted = {
        "lighting": {tasks["E01"]["lighting"], tasks["E02"]["lighting"]},
        "all shots": {tasks[e][kind] for e in ("E01", "E02") for kind in ("lighting", "animation")},
        "E02": {tasks["E02"]["lighting"], tasks["E02"]["animation"]},
    }[expected]

    page = task_list(staff_client, q=term)

    assert set(listed(page, all_tasks(series))) == wanted


def test_the_csv_export_writes_the_list_columns_of_the_selected_rows(staff_client, series):
    chosen = [series["tasks"]["E01"]["lighting"], series["tasks"]["asset"]]
    data = {"action": "export_selected_csv", "_selected_action": [str(t.pk) for t in chosen], "index": "0"}

    response = staff_client.post(admin_url(Task, "changelist"), data)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["entity", "task type", "status", "assignees"]
    assert sorted(row[0] for row in rows[1:]) == ["Character / Bunny", "E01 / SQ010 / SH0010"]
    assert ["E01 / SQ010 / SH0010", "Lighting", "WIP", "Sam Cole"] in [row[:4] for row in rows]


# --- Shots --------------------------------------------------------------------


def test_a_shot_page_shows_its_frames_and_its_tasks(staff_client, series):
    e01 = series["tasks"]["E01"]

    page = staff_client.get(admin_url(Shot, "change", e01["shot"].pk)).content.decode()

    assert 'name="frame_in" value="1001"' in page and 'name="frame_out" value="1048"' in page
    assert admin_url(Task, "change", e01["lighting"].pk) in page
    assert admin_url(Task, "change", e01["animation"].pk) in page
    assert "Sam Cole" in page


def test_frames_are_saved_into_the_shot_data_through_the_api_rules(staff_client, series):
    shot = series["tasks"]["E01"]["shot"]
    Shot.objects.filter(pk=shot.pk).update(data={"frame_in": 1001, "frame_out": 1048, "custom": "kept"})
    url = admin_url(Shot, "change", shot.pk)
    data = submitted_data(staff_client.get(url), Shot)
    data.update({"frame_in": ["1"], "frame_out": ["96"], "fps": ["24"]})

    response = staff_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    shot.refresh_from_db()
    assert shot.data == {"frame_in": 1, "frame_out": 96, "fps": "24", "custom": "kept"}
    assert ApiEvent.objects.filter(name="shot:update").exists()


def test_a_frame_range_backwards_is_refused(staff_client, series):
    shot = series["tasks"]["E01"]["shot"]
    url = admin_url(Shot, "change", shot.pk)
    data = submitted_data(staff_client.get(url), Shot)
    data.update({"frame_in": ["100"], "frame_out": ["10"]})

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "The last frame comes after the first one." in response.content.decode()
    shot.refresh_from_db()
    assert shot.data["frame_in"] == 1001


def test_json_columns_are_readable_and_validated(staff_client, series):
    shot = series["tasks"]["E01"]["shot"]
    Shot.objects.filter(pk=shot.pk).update(data={"custom": {"nested": 1}})
    url = admin_url(Shot, "change", shot.pk)
    page = staff_client.get(url).content.decode()
    assert "{\n  &quot;custom&quot;: {\n    &quot;nested&quot;: 1\n  }\n}" in page  # indented

    data = submitted_data(staff_client.get(url), Shot)
    data["data"] = ["{not json"]
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Enter a valid JSON." in response.content.decode()


# --- Comments and persons -----------------------------------------------------


def test_the_comment_list_shows_task_author_status_and_excerpt(staff_client, series):
    task = series["tasks"]["E02"]["lighting"]
    api = factories.client_for(series["sam"])
    api.post(
        f"/api/actions/tasks/{task.pk}/comment",
        {"task_status_id": str(series["wip"].pk), "comment": "Key light pass " + "x" * 100},
        format="json",
    )

    response = staff_client.get(admin_url(Comment, "changelist"), {"author": str(series["sam"].pk)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "E02 / SQ010 / SH0010 / Lighting" in page
    assert admin_url(Task, "change", task.pk) in page
    assert "Sam Cole" in page and ">WIP<" in page
    assert "Key light pass xxx" in page and "x" * 100 not in page


def test_the_person_list_shows_departments_and_deactivates(staff_client, series, admin_person):
    page = staff_client.get(admin_url(Person, "changelist")).content.decode()
    assert "Lighting dept" in page

    sam = series["sam"]
    data = {
        "action": "deactivate",
        "_selected_action": [str(sam.pk), str(admin_person.pk)],
        "index": "0",
    }
    response = staff_client.post(admin_url(Person, "changelist"), data, follow=True)

    assert response.status_code == 200
    sam.refresh_from_db()
    admin_person.refresh_from_db()
    assert sam.active is False and admin_person.active is True
    assert "You cannot deactivate yourself." in response.content.decode()
    assert ApiEvent.objects.filter(name="person:update", data__person_id=str(sam.pk)).exists()


def test_a_long_sorted_task_list_pages_in_order_with_its_related_rows(
    staff_client, series, django_assert_max_num_queries
):
    """Past one page, a page's rows are picked on the task table alone (sorted, cut), then read
    with their related rows: the pages follow the sort, each row once, and the queries do not
    grow with the rows."""
    shot = series["tasks"]["E01"]["shot"]
    for day in range(60):
        task_type = factories.make_task_type(f"Step {day:02d}", for_entity="Shot")
        factories.make_task(shot, task_type, series["todo"])
    ordered = list(Task.objects.filter(project=series["project"]))
    start = timezone.now()
    for rank, task in enumerate(reversed(ordered)):  # distinct due dates, in no order of creation
        task.due_date = start + datetime.timedelta(days=(rank * 7) % 67)
        task.save(update_fields=["due_date"])
    ordered.sort(key=lambda task: task.due_date)
    params = {"project__id__exact": str(series["project"].pk), "o": "5"}

    with django_assert_max_num_queries(30):
        first = task_list(staff_client, **params)
    second = task_list(staff_client, p=2, **params)

    def in_page_order(page):
        found = [(page.index(admin_url(Task, "change", task.pk)), task) for task in listed(page, ordered)]
        return [task for _, task in sorted(found, key=lambda pair: pair[0])]

    shown = in_page_order(first) + in_page_order(second)
    assert len(in_page_order(first)) == 50
    assert shown == ordered  # every task once, in due-date order, across both pages
    assert "Step 00" in first and "E01 / SQ010 / SH0010" in first  # related rows rendered
