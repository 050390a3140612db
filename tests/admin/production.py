"""One believable row of every model, for the tests that walk every admin."""

import datetime

from django.db import transaction
from django.utils import timezone

from assets.models import (
    AssetInstance,
    AssetInstanceLink,
    Concept,
    EntityConceptLink,
    EntityLink,
    TaskTypeAssetTypeLink,
)
from budgets.models import Budget, BudgetEntry, SalaryScale
from files.models import (
    AttachmentFile,
    BuildJob,
    DataImportError,
    FileStatus,
    OutputFile,
    OutputType,
    Playlist,
    PlaylistShareLink,
    PreviewBackgroundFile,
    PreviewFile,
    PreviewFileStorageState,
    StoredFile,
    WorkingFile,
)
from kitsu_server.core.deletion import remove_playlists
from kitsu_server.core.models import IdempotentRequest, Job, WebhookDelivery, WebhookSubscription
from kitsu_server.core.trash.units import trashing
from people.models import (
    AuthToken,
    DayOff,
    DepartmentLink,
    DesktopLoginLog,
    HardwareItem,
    HardwareItemDepartmentLink,
    LoginLog,
    Organisation,
    Plugin,
    SearchFilter,
    SearchFilterGroup,
    Software,
    SoftwareDepartmentLink,
    Studio,
)
from productions.models import (
    CustomAction,
    DepartmentMetadataDescriptorLink,
    MetadataDescriptor,
    Milestone,
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    ProductionScheduleVersionTaskLinkPersonLink,
    ProjectAssetTypeLink,
    ProjectPersonLink,
    ProjectPreviewBackgroundFileLink,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTaskTypeSoftwareLink,
    ProjectTemplate,
    ProjectTemplateAssetTypeLink,
    ProjectTemplatePreviewBackgroundFileLink,
    ProjectTemplateStatusAutomationLink,
    ProjectTemplateTaskStatusLink,
    ProjectTemplateTaskTypeLink,
    ScheduleItem,
    StatusAutomation,
)
from shots.models import Edit, EntityVersion, Scene
from tasks.models import (
    ApiEvent,
    Chat,
    ChatMessage,
    ChatParticipant,
    Comment,
    CommentAcknowledgement,
    CommentDepartmentMention,
    CommentMention,
    CommentPreviewLink,
    News,
    Notification,
    Subscription,
    TaskPersonLink,
    TimeSpent,
)
from tests import factories


def build_production(admin_person):
    """One believable row of every model: a small series with its studio around it."""
    artist = factories.make_person(role="user", first_name="Ada", last_name="Artist")
    department = factories.make_department(name="Animation")
    studio = Studio.objects.create(name="Main studio", color="#112233")
    artist.studio = studio
    artist.save()
    software = Software.objects.create(name="Blender", short_name="bl", file_extension="blend")
    hardware = HardwareItem.objects.create(name="Workstation", short_name="ws")
    DepartmentLink.objects.create(person=artist, department=department)
    SoftwareDepartmentLink.objects.create(department=department, software=software)
    HardwareItemDepartmentLink.objects.create(department=department, hardware_item=hardware)
    DayOff.objects.create(person=artist, date=datetime.date(2025, 1, 2), end_date=datetime.date(2025, 1, 3))
    DesktopLoginLog.objects.create(person=artist, date=timezone.now())
    LoginLog.objects.create(person=artist, ip_address="10.0.0.1", origin="web")
    AuthToken.objects.create(
        kind="revoked", key="0b6f1b9e-6a1d-4c55-9d43-2f7f3c1e9a10", person=artist, expires_at=timezone.now()
    )
    Organisation.objects.create(name="Kitsu Studio")
    Plugin.objects.create(
        plugin_id="stats", name="Stats", version="1.0", maintainer_name="Ops", license="MIT"
    )

    project = factories.make_project(name="Big Buck Bunny", code="BBB")
    character = factories.make_asset_type("Character")
    asset = factories.make_asset(project, character, name="Bunny")
    prop = factories.make_asset(project, character, name="Apple")
    episode = factories.make_episode(project, name="E01")
    sequence = factories.make_sequence(project, episode, name="SQ010")
    shot = factories.make_shot(project, sequence, name="SH0010", nb_frames=48)
    Scene.objects.create(project=project, parent=sequence, name="SC01")
    Edit.objects.create(project=project, name="Trailer edit")
    concept = Concept.objects.create(project=project, name="Bunny sketch", created_by=artist)
    EntityLink.objects.create(entity_in=shot, entity_out=asset, nb_occurences=2)
    EntityConceptLink.objects.create(entity_in=concept, entity_out=asset)
    instance = AssetInstance.objects.create(asset=prop, scene=shot, number=1, name="apple_1")
    AssetInstanceLink.objects.create(entity=shot, asset_instance=instance)
    EntityVersion.objects.create(name="v1", entity=shot, person=artist, data={"frame_in": 1})

    modeling = factories.make_task_type("Modeling", department=department)
    animation = factories.make_task_type("Animation", for_entity="Shot", department=department)
    todo = factories.make_task_status("Todo", "todo", is_default=True)
    wip = factories.make_task_status("Work in progress", "wip", is_wip=True)
    TaskTypeAssetTypeLink.objects.create(asset_type=character, task_type=modeling)
    task = factories.make_task(asset, modeling, todo, assigner=admin_person)
    shot_task = factories.make_task(shot, animation, wip)
    TaskPersonLink.objects.create(task=task, person=artist)
    TimeSpent.objects.create(task=task, person=artist, date=datetime.date(2025, 1, 6), duration=120)
    Subscription.objects.create(person=artist, task=task)

    ProjectPersonLink.objects.create(project=project, person=artist, role="user")
    ProjectTaskTypeLink.objects.create(project=project, task_type=modeling, priority=1)
    ProjectTaskTypeSoftwareLink.objects.create(project=project, task_type=modeling, software=software)
    ProjectTaskStatusLink.objects.create(project=project, task_status=todo, priority=1)
    ProjectAssetTypeLink.objects.create(project=project, asset_type=character)
    automation = StatusAutomation.objects.create(
        in_task_type=modeling, in_task_status=wip, out_task_type=animation, out_task_status=todo
    )
    ProjectStatusAutomationLink.objects.create(project=project, status_automation=automation)
    background = PreviewBackgroundFile.objects.create(name="Studio HDRI", original_name="studio.hdr")
    ProjectPreviewBackgroundFileLink.objects.create(project=project, preview_background_file=background)
    template = ProjectTemplate.objects.create(name="Short film template")
    ProjectTemplateTaskTypeLink.objects.create(project_template=template, task_type=modeling)
    ProjectTemplateTaskStatusLink.objects.create(project_template=template, task_status=todo)
    ProjectTemplateAssetTypeLink.objects.create(project_template=template, asset_type=character)
    ProjectTemplateStatusAutomationLink.objects.create(
        project_template=template, status_automation=automation
    )
    ProjectTemplatePreviewBackgroundFileLink.objects.create(
        project_template=template, preview_background_file=background
    )
    descriptor = MetadataDescriptor.objects.create(
        project=project, entity_type="Asset", name="Difficulty", field_name="difficulty", data_type="string"
    )
    DepartmentMetadataDescriptorLink.objects.create(metadata_descriptor=descriptor, department=department)
    Milestone.objects.create(
        project=project, task_type=modeling, name="Layout lock", date=datetime.date(2025, 3, 1)
    )
    ScheduleItem.objects.create(project=project, task_type=modeling, object_id=asset.pk, man_days=10)
    schedule = ProductionScheduleVersion.objects.create(project=project, name="Schedule v1")
    schedule_task = ProductionScheduleVersionTaskLink.objects.create(
        production_schedule_version=schedule, task=task, estimation=3
    )
    ProductionScheduleVersionTaskLinkPersonLink.objects.create(
        production_schedule_version_task_link=schedule_task, person=artist
    )
    CustomAction.objects.create(name="Open in DCC", url="https://dcc.example.com/open")
    group = SearchFilterGroup.objects.create(
        list_type="asset", name="Props", color="#ff8800", project=project, person=artist
    )
    SearchFilter.objects.create(
        list_type="asset",
        name="Props todo",
        search_query="todo",
        project=project,
        person=artist,
        search_filter_group=group,
    )

    preview = PreviewFile.objects.create(
        name="bunny_modeling", original_name="bunny.png", extension="png", task=task, person=artist
    )
    PreviewFileStorageState.objects.create(
        preview_file=preview, bucket="previews", prefix="original", state="ok"
    )
    comment = Comment.objects.create(
        object_id=task.pk,
        object_type="Task",
        text="Ears need more volume",
        person=admin_person,
        task_status=todo,
        preview_file=preview,
    )
    CommentMention.objects.create(comment=comment, person=artist)
    CommentDepartmentMention.objects.create(comment=comment, department=department)
    CommentAcknowledgement.objects.create(comment=comment, person=artist)
    CommentPreviewLink.objects.create(comment=comment, preview_file=preview)
    News.objects.create(author=admin_person, comment=comment, task=task, change=True)
    Notification.objects.create(
        person=artist, author=admin_person, comment=comment, task=task, type="comment"
    )
    ApiEvent.objects.create(name="comment:new", user=admin_person, project=project, data={"comment_id": "x"})
    chat = Chat.objects.create(object_id=asset.pk, object_type="entity")
    ChatParticipant.objects.create(chat=chat, person=artist)
    message = ChatMessage.objects.create(chat=chat, person=artist, text="Ready for review")
    AttachmentFile.objects.create(name="ref.png", extension="png", comment=comment)
    AttachmentFile.objects.create(name="chat.png", extension="png", chat_message=message)

    file_status = FileStatus.objects.create(name="Created", color="#ffffff")
    output_type = OutputType.objects.create(name="Geometry", short_name="geo")
    working_file = WorkingFile.objects.create(
        name="bunny_modeling", revision=1, task=task, entity=asset, person=artist, software=software
    )
    OutputFile.objects.create(
        name="bunny_geo",
        revision=1,
        file_status=file_status,
        entity=asset,
        output_type=output_type,
        task_type=modeling,
        person=artist,
        source_file=working_file,
    )
    StoredFile.objects.create(bucket="previews", key="original/ab/cd", prefix="original", file_id="abcd")
    DataImportError.objects.create(event_data={"row": 3, "error": "unknown asset type"}, source="csv")
    playlist = Playlist.objects.create(
        name="Dailies 2025-01-06",
        project=project,
        episode=episode,
        task_type=animation,
        created_by=admin_person,
    )
    BuildJob.objects.create(playlist=playlist, job_type="movie", status="succeeded")
    PlaylistShareLink.objects.create(token="t" * 40, playlist=playlist, created_by=admin_person)

    budget = Budget.objects.create(project=project, name="Production budget", currency="EUR")
    BudgetEntry.objects.create(
        budget=budget,
        department=department,
        person=artist,
        start_date=datetime.date(2025, 1, 1),
        months_duration=6,
        daily_salary=300,
    )
    SalaryScale.objects.create(department=department, position="artist", seniority="mid", salary=300)
    Job.objects.create(
        name="casting-stats.refresh", key=f"casting-stats.refresh:project:{project.pk}", project=project
    )
    hook = WebhookSubscription.objects.create(
        project=project, name="Pipeline", url="https://hooks.example.com", secret="s" * 32, events=["*"]
    )
    WebhookDelivery.objects.create(
        subscription=hook, event_name="task:update", payload={"event": "task:update"}
    )
    IdempotentRequest.objects.create(
        person=artist,
        key="create-shot-1",
        fingerprint="f" * 64,
        method="POST",
        path=f"/api/data/projects/{project.pk}/shots",
        state="done",
        status_code=201,
        content_type="application/json",
        body=b"{}",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    trashed = Playlist.objects.create(name="Old dailies", project=project)
    with transaction.atomic(), trashing(trashed, admin_person):  # a deletion in the trash
        remove_playlists(Playlist.objects.filter(pk=trashed.pk))
    return {"project": project, "asset": asset, "shot": shot, "task": shot_task, "artist": artist}
