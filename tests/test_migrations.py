"""The committed migrations build the schema from nothing and match the models."""

import os

import pytest

from tests.management import manage


@pytest.mark.slow
def test_migrations_apply_on_a_fresh_sqlite_database(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    env.pop("REDIS_URL", None)
    result = manage("migrate", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    check = manage("makemigrations", "--check", "--dry-run", env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No changes detected" in check.stdout
    plan = manage("showmigrations", "--plan", env=env)
    assert "[ ]" not in plan.stdout
    assert "[X]  people.0001_initial" in plan.stdout
