"""seed_demo writes through the API's services: its comments leave news, notifications, task
dates and events, as if the demo team had worked in the web UI."""

import pytest
from django.core.management import call_command

from productions.models import Project
from tasks.models import ApiEvent, Comment, News, Notification, Task, TimeSpent
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_comments_are_in_the_news_feed():
    call_command("seed_demo")
    project = Project.objects.get(name="Demo TV Show")

    comments = Comment.objects.filter(object_type="Task")
    assert comments.count() == 11
    assert News.objects.filter(task__project=project).count() == 11
    assert set(News.objects.values_list("comment_id", flat=True)) == set(
        comments.values_list("pk", flat=True)
    )
    admin = factories.make_person(role="admin")
    feed = factories.client_for(admin).get(f"/api/data/projects/{project.pk}/news").json()
    assert len(feed["data"]) == 11


def test_the_demo_tasks_carry_the_dates_of_their_history():
    call_command("seed_demo")

    done = Task.objects.filter(task_status__short_name="done")
    reviewed = Task.objects.filter(task_status__short_name="wfa")
    assert done.exists() and all(task.done_date is not None for task in done)
    assert reviewed.exists() and all(task.end_date is not None for task in reviewed)
    for task in Task.objects.filter(last_comment_date__isnull=False):
        assert task.real_start_date is not None  # a wip comment started each
        assert task.duration == sum(TimeSpent.objects.filter(task=task).values_list("duration", flat=True))
    names = set(ApiEvent.objects.values_list("name", flat=True))
    assert {"task:new", "task:assign", "comment:new", "task:status-changed", "news:new"} <= names
    assert Notification.objects.filter(type="assignation").exists()
