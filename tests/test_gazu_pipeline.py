"""A studio pipeline script, written with the real `gazu` client, run against our live server.

What a production coordinator and an artist script do on a new show: set the production up,
build the breakdown, create and assign tasks, comment with a status change, log time, and read
the artist's to-do list. Every call goes through gazu's own URL building and JSON handling:
if a route, a field name or a status code differs from the reference, gazu notices.
"""

import pytest

gazu = pytest.importorskip("gazu")

from productions.models import Project  # noqa: E402
from tasks.models import Comment, Task, TimeSpent  # noqa: E402
from tests import factories  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "pipeline-password"


@pytest.fixture
def studio(live_server):
    """Two gazu clients on the live server: a production manager (admin) and an artist."""
    factories.make_project_status("Open")
    admin = factories.make_person(role="admin", email="coordinator@example.com", password=PASSWORD)
    artist = factories.make_person(role="user", email="animator@example.com", password=PASSWORD)
    clients = {}
    for person in (admin, artist):
        client = gazu.client.create_client(live_server.url + "/api")
        gazu.log_in(person.email, PASSWORD, client=client)
        clients[person.role] = client
    return clients["admin"], clients["user"], admin, artist


def test_a_show_from_setup_to_the_artists_todo_list(studio):
    coordinator, animator, admin, artist = studio

    # Set-up: a TV show with its task types, statuses and asset types, the artist in the team.
    show = gazu.project.new_project("Pipeline Show", "tvshow", client=coordinator)
    assert Project.objects.get(pk=show["id"]).project_status.name == "Open"
    modeling = gazu.task.new_task_type("Modeling", for_entity="Asset", client=coordinator)
    animation = gazu.task.new_task_type("Animation", for_entity="Shot", client=coordinator)
    todo = gazu.task.new_task_status("Todo", "todo", "#f5f5f5", client=coordinator)
    wip = gazu.task.new_task_status("Work In Progress", "wip", "#3273dc", client=coordinator)
    wip = gazu.client.update("task-status", wip["id"], {"is_wip": True}, client=coordinator)
    character = gazu.asset.new_asset_type("Character", client=coordinator)
    gazu.project.add_task_type(show, modeling, 1, client=coordinator)
    gazu.project.add_task_type(show, animation, 2, client=coordinator)
    gazu.project.add_task_status(show, todo, client=coordinator)
    gazu.project.add_task_status(show, wip, client=coordinator)
    gazu.project.add_asset_type(show, character, client=coordinator)
    gazu.project.add_person_to_team(show, str(artist.pk), client=coordinator)
    assert {t["name"] for t in gazu.task.all_task_types_for_project(show, client=coordinator)} == {
        "Modeling",
        "Animation",
    }

    # Breakdown: assets, the first episode (made with the show), a sequence, shots, casting.
    hero = gazu.asset.new_asset(show, character, "Hero", description="The lead", client=coordinator)
    villain = gazu.asset.new_asset(show, character, "Villain", client=coordinator)
    assert gazu.asset.get_asset_by_name(show, "Hero", client=coordinator)["id"] == hero["id"]
    episode = gazu.shot.get_episode_by_name(show, "E01", client=coordinator)
    sequence = gazu.shot.new_sequence(show, "SQ010", episode=episode, client=coordinator)
    shot = gazu.shot.new_shot(show, sequence, "SH0010", frame_in=1001, frame_out=1048, client=coordinator)
    gazu.shot.new_shot(show, sequence, "SH0020", nb_frames=24, client=coordinator)
    assert shot["data"]["frame_in"] == 1001
    assert [s["name"] for s in gazu.shot.all_shots_for_sequence(sequence, client=coordinator)] == [
        "SH0010",
        "SH0020",
    ]
    gazu.casting.update_shot_casting(
        show,
        shot,
        [{"asset_id": hero["id"], "nb_occurences": 2}, {"asset_id": villain["id"], "nb_occurences": 1}],
        client=coordinator,
    )
    casting = gazu.casting.get_shot_casting(shot, client=coordinator)
    assert {(c["asset_name"], c["nb_occurences"]) for c in casting} == {("Hero", 2), ("Villain", 1)}
    assert gazu.casting.get_asset_cast_in(hero, client=coordinator)[0]["shot_name"] == "SH0010"

    # Tasks, assigned to the artist.
    shot_task = gazu.task.new_task(shot, animation, task_status=todo, client=coordinator)
    gazu.task.new_task(hero, modeling, task_status=todo, client=coordinator)
    gazu.task.assign_task(shot_task, str(artist.pk), client=coordinator)
    assert [t["id"] for t in gazu.task.all_tasks_for_shot(shot, client=coordinator)] == [shot_task["id"]]

    # The artist's day: their to-do list, a comment that starts the work, time logged.
    assert [p["name"] for p in gazu.user.all_open_projects(client=animator)] == ["Pipeline Show"]
    todo_list = gazu.user.all_tasks_to_do(client=animator)
    assert [(t["entity_name"], t["task_type_name"]) for t in todo_list] == [("SH0010", "Animation")]
    comment = gazu.task.add_comment(shot_task, wip, "Blocking done, starting splines", client=animator)
    assert comment["task_status_id"] == wip["id"]
    task = Task.objects.get(pk=shot_task["id"])
    assert str(task.task_status_id) == wip["id"] and task.real_start_date is not None
    assert gazu.task.get_last_comment_for_task(shot_task, client=animator)["text"] == (
        "Blocking done, starting splines"
    )
    gazu.task.add_time_spent(shot_task, str(artist.pk), "2026-03-02", 120, client=animator)
    gazu.task.add_time_spent(shot_task, str(artist.pk), "2026-03-02", 60, client=animator)
    assert TimeSpent.objects.get(task_id=shot_task["id"]).duration == 180
    assert Comment.objects.filter(object_id=shot_task["id"]).count() == 1

    # The context the web UI and scripts load first.
    context = gazu.user.get_context(client=animator)
    assert [p["name"] for p in context["projects"]] == ["Pipeline Show"]


def test_a_review_round_through_gazu(studio):
    coordinator, animator, admin, artist = studio
    supervisor = factories.make_person(role="supervisor", email="lead@example.com", password=PASSWORD)
    lead = gazu.client.create_client(coordinator.host)
    gazu.log_in(supervisor.email, PASSWORD, client=lead)

    show = gazu.project.new_project("Review Show", client=coordinator)
    layout = gazu.task.new_task_type("Layout", for_entity="Shot", client=coordinator)
    todo = gazu.task.new_task_status("Todo", "todo", "#f5f5f5", client=coordinator)
    gazu.client.update("task-status", todo["id"], {"is_default": True}, client=coordinator)
    wip = gazu.task.new_task_status("Work In Progress", "wip", "#3273dc", client=coordinator)
    review = gazu.task.new_task_status("Waiting For Approval", "wfa", "#ab26ff", client=coordinator)
    retake = gazu.task.new_task_status("Retake", "retake", "#ff3860", client=coordinator)
    wip = gazu.client.update("task-status", wip["id"], {"is_wip": True}, client=coordinator)
    review = gazu.client.update(
        "task-status", review["id"], {"is_feedback_request": True}, client=coordinator
    )
    retake = gazu.client.update("task-status", retake["id"], {"is_retake": True}, client=coordinator)
    for status in (wip, review, retake):
        gazu.project.add_task_status(show, status, client=coordinator)
    gazu.project.add_task_type(show, layout, 1, client=coordinator)
    for person in (artist, supervisor):
        gazu.project.add_person_to_team(show, str(person.pk), client=coordinator)
    sequence = gazu.shot.new_sequence(show, "SQ001", client=coordinator)
    shot = gazu.shot.new_shot(show, sequence, "SH001", client=coordinator)
    task = gazu.task.new_task(shot, layout, assignees=[str(artist.pk)], client=coordinator)

    # The artist starts, then asks for a review; the lead finds it in their list to check.
    gazu.task.start_task(task, client=animator)
    assert gazu.user.check_task_subscription(task, client=animator) is False
    gazu.user.subscribe_to_task(task, client=animator)
    assert gazu.user.check_task_subscription(task, client=animator) is True
    gazu.task.add_comment(task, review, "Ready for review", client=animator)
    to_check = gazu.user.all_tasks_requiring_feedback(client=lead)
    assert [t["id"] for t in to_check] == [task["id"]]

    # The lead asks for a retake: the artist is notified, the retake is counted.
    gazu.task.add_comment(task, retake, "Camera too low @First", client=lead)
    assert Task.objects.get(pk=task["id"]).retake_count == 1
    notifications = gazu.user.all_notifications(client=animator)
    retake_news = [n for n in notifications if n["task_status_id"] == retake["id"]]
    assert [(n["author_id"], n["task_id"], n["comment_text"]) for n in retake_news] == [
        (str(supervisor.pk), task["id"], "Camera too low @First")
    ]
    assert [t["id"] for t in gazu.user.all_tasks_requiring_feedback(client=lead)] == []
    comments = gazu.task.all_comments_for_task(task, client=animator)
    assert [c["text"] for c in comments][:2] == ["Camera too low @First", "Ready for review"]

    # Saved filters of the artist stay theirs.
    gazu.user.new_filter("My shots", "SH0", "shot", project=show, client=animator)
    assert [f["name"] for f in gazu.user.all_filters(client=animator)["shot"][show["id"]]] == ["My shots"]
    assert gazu.user.all_filters(client=lead) == {}
