"""Bulk actions of the back-office's task list, each through the service of the API route that
does the same (and its access rule), in one transaction:

- assign to a person: `PUT /actions/persons/{id}/assign` (assign_tasks),
- unassign: `PUT /actions/tasks/clear-assignation` (clear_assignations),
- change status with a comment: `POST /actions/projects/{id}/tasks/comment-many` (post_comments),
- delete: `DELETE /data/tasks/{id}?force=true` per task (delete_tasks).

Their inputs (the person, the status, the comment) are fields of the action bar.
"""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import transaction
from rest_framework.exceptions import PermissionDenied

from people.models import Person
from tasks.assignations.services import assign_tasks, clear_assignations
from tasks.comments.services import post_comments
from tasks.models import TaskStatus


class TaskActionForm(ActionForm):
    """The action bar of the task list: what the bulk actions need besides the rows."""

    person = forms.ModelChoiceField(
        Person.objects.filter(is_bot=False, active=True).order_by("first_name", "last_name"),
        required=False,
        label="Person",
        empty_label="(person)",
    )
    task_status = forms.ModelChoiceField(
        TaskStatus.objects.filter(archived=False).order_by("priority", "name"),
        required=False,
        label="Status",
        empty_label="(status)",
    )
    comment = forms.CharField(
        required=False, label="Comment", widget=forms.TextInput(attrs={"placeholder": "comment", "size": 30})
    )


def action_inputs(request):
    form = TaskActionForm(request.POST)
    form.is_valid()  # the fields are optional: what an action needs, it checks
    return form.cleaned_data


def selected_tasks(queryset):
    return list(queryset.select_related("project", "task_type", "entity").order_by("created_at", "pk"))


def by_project(tasks):
    groups = defaultdict(list)
    for task in tasks:
        groups[task.project_id].append(task)
    return groups.values()


def report(modeladmin, request, done, skipped, what):
    modeladmin.message_user(request, f"{done} task(s) {what}.", messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request, f"{skipped} task(s) skipped: you may not do that on them.", messages.WARNING
        )


@admin.action(description="Assign the selected tasks to the chosen person")
def assign_to_person(modeladmin, request, queryset):
    person = action_inputs(request).get("person")
    if person is None:
        modeladmin.message_user(request, "Choose a person in the action bar first.", messages.ERROR)
        return
    access = modeladmin.access(request)
    tasks = selected_tasks(queryset)
    allowed = access.assignable_tasks(tasks, person)
    with transaction.atomic():
        for project_tasks in by_project(allowed):  # each project's team gains the person
            assign_tasks(project_tasks, person, request.user)
    report(modeladmin, request, len(allowed), len(tasks) - len(allowed), f"assigned to {person.full_name}")


@admin.action(description="Unassign the chosen person (nobody chosen: everybody)")
def unassign(modeladmin, request, queryset):
    person = action_inputs(request).get("person")
    access = modeladmin.access(request)
    tasks = selected_tasks(queryset)
    allowed = access.unassignable_tasks(tasks, person.pk if person else None)
    clear_assignations(allowed, person.pk if person else None, request.user)
    report(modeladmin, request, len(allowed), len(tasks) - len(allowed), "unassigned")


@admin.action(description="Change the status (with the comment) of the selected tasks")
def change_status(modeladmin, request, queryset):
    inputs = action_inputs(request)
    task_status = inputs.get("task_status")
    if task_status is None:
        modeladmin.message_user(request, "Choose a status in the action bar first.", messages.ERROR)
        return
    access = modeladmin.access(request)
    tasks = selected_tasks(queryset)
    allowed = []
    for task in tasks:
        try:
            if access.check_comment_post_access(task):  # False: may comment, not change the status
                access.check_task_status_access(task_status.pk, task.project_id)
                allowed.append(task)
        except PermissionDenied:
            continue
    text = inputs.get("comment") or ""
    post_comments([(task, task_status, text, []) for task in allowed], request.user, request.user)
    report(modeladmin, request, len(allowed), len(tasks) - len(allowed), f"set to {task_status.name}")
