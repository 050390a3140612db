"""The bodies the working and output file routes read and the answers they write (serializers
shared by their view modules and their OpenAPI)."""

from rest_framework import serializers


def text(default, **options):
    """A free text of the body, kept as sent (a separator may be a space)."""
    return serializers.CharField(default=default, allow_blank=True, trim_whitespace=False, **options)


class WorkingFilePathBody(serializers.Serializer):
    name = text("main")
    mode = text("working")
    software_id = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    comment = text("")
    revision = serializers.IntegerField(default=0, help_text="0: the next revision of the name")
    sep = text("/", help_text="The separator of the folders")


class NewWorkingFileBody(WorkingFilePathBody):
    name = serializers.CharField(max_length=250, trim_whitespace=False, help_text="The file name")
    description = text("")
    person_id = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class WorkingFileCommentBody(serializers.Serializer):
    comment = serializers.CharField(trim_whitespace=False, help_text="The working file's comment")


class GuessBody(serializers.Serializer):
    project_id = serializers.CharField()
    file_path = serializers.CharField(trim_whitespace=False)
    sep = text("/")


class PathAnswer(serializers.Serializer):
    path = serializers.CharField()
    name = serializers.CharField()


class OutputFilePathBody(serializers.Serializer):
    name = text("main")
    mode = text("output")
    output_type_id = serializers.CharField()
    task_type_id = serializers.CharField()
    revision = serializers.IntegerField(default=0, help_text="0: the next revision")
    extension = text("")
    representation = text("")
    separator = text("/")


class NewOutputFileBody(serializers.Serializer):
    name = text("main", max_length=250)
    mode = text("output")
    output_type_id = serializers.CharField()
    task_type_id = serializers.CharField()
    person_id = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    working_file_id = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    comment = text("")
    revision = serializers.IntegerField(default=0, help_text="0: the next revision")
    extension = text("", max_length=10)
    representation = text("", max_length=20)
    nb_elements = serializers.IntegerField(default=1)
    sep = text("/")
    file_status_id = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class NextRevisionBody(serializers.Serializer):
    name = text("main")
    output_type_id = serializers.CharField()
    task_type_id = serializers.CharField()


class OutputPathAnswer(serializers.Serializer):
    folder_path = serializers.CharField()
    file_name = serializers.CharField()


class NextRevisionAnswer(serializers.Serializer):
    next_revision = serializers.IntegerField()
