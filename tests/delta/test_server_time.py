"""The next cursor (`server_time`) of a delta read, and what stays as it was without one."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kitsu_server.core.delta import server_time
from tests.delta.helpers import age_everything, cursor
from tests.factories import client_for, make_boards


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's rule")
@pytest.mark.django_db(transaction=True)
def test_on_sqlite_the_cursor_is_taken_holding_the_write_lock(settings):
    """Writers hold the write lock from BEGIN IMMEDIATE to COMMIT: the reader takes it too, so
    that no writer is open when its moment is read."""
    settings.DELTA_READ_MARGIN_SECONDS = 0
    before = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        moment = server_time()
    assert before <= moment <= timezone.now()
    assert any("BEGIN IMMEDIATE" in query["sql"] for query in queries.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's rule")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_open_transaction_holds_the_cursor_back(settings):
    """A transaction of another connection, open since a moment, keeps the cursor before it."""
    import psycopg

    settings.DELTA_READ_MARGIN_SECONDS = 0
    params = connection.get_connection_params()
    other = psycopg.connect(**{key: value for key, value in params.items() if key != "cursor_factory"})
    try:
        with other.cursor() as cursor_:
            cursor_.execute("SELECT now()")  # its transaction begins here
            [began] = cursor_.fetchone()
            moment = server_time()
            assert moment <= began
        other.rollback()
        assert server_time() >= began
    finally:
        other.close()


@pytest.mark.django_db
def test_the_margin_is_taken_off(settings):
    settings.DELTA_READ_MARGIN_SECONDS = 5
    assert server_time() <= timezone.now() - datetime.timedelta(seconds=4.9)


@pytest.mark.django_db
def test_full_board_keeps_its_etag_and_304(show, team):
    make_boards(show)
    manager = client_for(team["manager"])
    path = f"/api/data/shots/with-tasks?project_id={show.pk}"
    full = manager.get(path)
    assert isinstance(full.json(), list) and full["ETag"]
    assert manager.get(path, HTTP_IF_NONE_MATCH=full["ETag"]).status_code == 304
    delta = manager.get(f"{path}&updated_since={cursor()}")
    assert "ETag" not in delta and manager.get(path)["ETag"] == full["ETag"]


@pytest.mark.django_db
def test_data_list_delta_in_bounded_queries(show, team, django_assert_max_num_queries):
    from tasks.models import Task

    make_boards(show)
    age_everything()
    manager = client_for(team["manager"])
    path = f"/api/data/tasks?project_id={show.pk}&relations=true&updated_since={cursor()}"
    Task.objects.filter(project=show).first().save()
    with django_assert_max_num_queries(12) as one:
        assert len(manager.get(path).json()["rows"]) == 1
    Task.objects.filter(project=show).touch()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(manager.get(path).json()["rows"]) == 6
