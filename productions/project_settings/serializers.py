"""Request and response bodies of a production's settings routes (the same serializers validate
the requests and describe the schema)."""

from rest_framework import serializers

from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from people.models import ROLE_TYPES


class TeamRoleInput(serializers.Serializer):
    # The person roles' choices (one enum in the schema); admin is refused: it is global only.
    role = serializers.ChoiceField(choices=ROLE_TYPES, required=False, allow_null=True)

    def validate_role(self, value):
        if value == "admin":
            raise serializers.ValidationError("admin is a global role and cannot be set per project")
        return value


class TeamMemberInput(TeamRoleInput):
    person_id = serializers.UUIDField()


class TeamRoleOutput(serializers.Serializer):
    project_id = serializers.UUIDField()
    person_id = serializers.UUIDField()
    role = serializers.CharField(allow_null=True)


class AssetTypeSettingInput(serializers.Serializer):
    asset_type_id = serializers.UUIDField()


class TaskTypeSettingInput(serializers.Serializer):
    task_type_id = serializers.UUIDField()
    priority = serializers.IntegerField(required=False, allow_null=True)
    hd_bitrate_compression = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    ld_bitrate_compression = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    is_client_visible = serializers.BooleanField(required=False, allow_null=True)


class TaskStatusSettingInput(serializers.Serializer):
    task_status_id = serializers.UUIDField()


class TaskStatusClientAllowedInput(serializers.Serializer):
    is_client_allowed = serializers.BooleanField(allow_null=True)


class StatusAutomationSettingInput(serializers.Serializer):
    status_automation_id = serializers.UUIDField()


class PreviewBackgroundSettingInput(serializers.Serializer):
    preview_background_file_id = serializers.UUIDField()


class SettingsBatchInput(serializers.Serializer):
    task_types = TaskTypeSettingInput(many=True, required=False)
    task_status_ids = serializers.ListField(child=serializers.UUIDField(), required=False)
    asset_type_ids = serializers.ListField(child=serializers.UUIDField(), required=False)
    replace_task_types = serializers.BooleanField(required=False, default=False)


class SoftwareInput(serializers.Serializer):
    software_id = serializers.UUIDField()


class SoftwareLinkOutput(serializers.Serializer):
    project_id = serializers.UUIDField()
    task_type_id = serializers.UUIDField()
    software_id = serializers.UUIDField()


class DescriptorFields(serializers.Serializer):
    for_client = serializers.BooleanField(required=False, allow_null=True, default=False)
    data_type = serializers.CharField(required=False, default="string")
    choices = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, allow_null=True, default=list
    )
    departments = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)

    def validate_choices(self, value):
        return value or []  # a descriptor read with no choices sends back null


class MetadataDescriptorInput(DescriptorFields):
    entity_type = serializers.CharField(required=False, default="Asset")
    task_type_id = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField()


class MetadataDescriptorUpdateInput(DescriptorFields):
    name = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class AllProjectsDescriptorInput(DescriptorFields):
    entity_type = serializers.CharField(required=False, default="Asset")
    name = serializers.CharField()


class AllProjectsDescriptorUpdateInput(MetadataDescriptorUpdateInput):
    entity_type = serializers.CharField()


class DescriptorOrderInput(serializers.Serializer):
    entity_type = serializers.CharField()
    descriptor_ids = serializers.ListField(child=serializers.CharField(), allow_empty=False)


class AllProjectsDescriptorOrderInput(serializers.Serializer):
    entity_type = serializers.CharField()
    field_order = serializers.ListField(child=serializers.CharField(), allow_empty=False)


class PreviewAccountOpenInput(serializers.Serializer):
    is_open = serializers.BooleanField()


class PreviewAccountOutput(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.CharField()
    full_name = serializers.CharField()
    preview_open_until = serializers.CharField(allow_null=True)


class PreviewAccountCreatedOutput(PreviewAccountOutput):
    password = serializers.CharField()


ProjectOutput = output_serializer(REGISTRY["projects"])
DescriptorOutput = output_serializer(REGISTRY["metadata-descriptors"])


class EmbeddedDescriptor(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    field_name = serializers.CharField()
    data_type = serializers.CharField(allow_null=True)
    choices = serializers.JSONField()
    for_client = serializers.BooleanField()
    entity_type = serializers.CharField()
    task_type_id = serializers.UUIDField(allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    departments = serializers.ListField(child=serializers.UUIDField())


class OpenProjectOutput(ProjectOutput):
    descriptors = EmbeddedDescriptor(many=True)
    task_type_links = serializers.DictField(child=serializers.DictField())
    task_types_priority = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    task_statuses_link = serializers.DictField(child=serializers.DictField())
    first_episode_id = serializers.UUIDField(required=False)


class ListedProjectOutput(ProjectOutput):
    project_status_name = serializers.CharField(required=False)
    descriptors = EmbeddedDescriptor(many=True, required=False)


class TeamMemberOutput(output_serializer(REGISTRY["persons"])):
    full_name = serializers.CharField()
    project_role = serializers.CharField(allow_null=True)
