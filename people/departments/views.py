"""`/data/departments/...`: a department's members, and the software licenses and hardware items
given to departments."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from kitsu_server.core.lookups import object_or_404
from kitsu_server.core.rendering import render
from people.departments import queries, services
from people.models import Department, HardwareItem, Software

DEPARTMENTS = ["departments"]


class SoftwareRefSerializer(serializers.Serializer):
    software_id = serializers.UUIDField()


class HardwareItemRefSerializer(serializers.Serializer):
    hardware_item_id = serializers.UUIDField()


class MinimalPersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    full_name = serializers.CharField()
    has_avatar = serializers.BooleanField(allow_null=True)  # nullable columns, as the reference
    active = serializers.BooleanField(allow_null=True)
    departments = serializers.ListField(child=serializers.UUIDField())
    studio_id = serializers.UUIDField(allow_null=True)
    role = serializers.CharField()
    desktop_login = serializers.CharField(allow_null=True)
    is_bot = serializers.BooleanField()


def link_serializer(name, item_field):
    return inline_serializer(
        name,
        {
            "id": serializers.UUIDField(),
            "department_id": serializers.UUIDField(),
            item_field: serializers.UUIDField(),
            "created_at": serializers.DateTimeField(),
            "updated_at": serializers.DateTimeField(),
            "type": serializers.CharField(),
        },
    )


SOFTWARE = output_serializer(REGISTRY["softwares"])
HARDWARE_ITEM = output_serializer(REGISTRY["hardware-items"])


class DepartmentPersonsView(KitsuView):
    """`GET /data/departments/{department_id}/persons`: the department's members by name; admins
    get whole persons, others the minimal ones."""

    @extend_schema(tags=DEPARTMENTS, responses={200: MinimalPersonSerializer(many=True)})
    def get(self, request, department_id):
        department = object_or_404(Department, department_id)
        return Response(queries.department_persons(department, access_for(request)))


class DepartmentsSoftwareView(KitsuView):
    """`GET /data/departments/software-licenses`: admins get {department id: [software]}."""

    @extend_schema(tags=DEPARTMENTS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        access_for(request).check_admin()
        return Response(queries.software_by_department())


class DepartmentsHardwareItemsView(KitsuView):
    """`GET /data/departments/hardware-items`: admins get {department id: [hardware items]}."""

    @extend_schema(tags=DEPARTMENTS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        access_for(request).check_admin()
        return Response(queries.hardware_items_by_department())


class DepartmentSoftwareAddView(KitsuView):
    """`POST /data/departments/{department_id}/software-licenses`: admins give a department a
    software license (once)."""

    @extend_schema(
        tags=DEPARTMENTS,
        request=SoftwareRefSerializer,
        responses={201: link_serializer("SoftwareDepartmentLink", "software_id")},
    )
    def post(self, request, department_id):
        access_for(request).check_admin()
        software_id = validated(SoftwareRefSerializer, request.data)["software_id"]
        department = object_or_404(Department, department_id)
        software = object_or_404(Software, software_id)
        return Response(render(services.link_software(department, software), relations=False), status=201)


class DepartmentSoftwareView(KitsuView):
    """`GET|DELETE /data/departments/{department_id}/software-licenses/{software_id}`: admins read
    a software of the department, or take it away."""

    @extend_schema(
        tags=DEPARTMENTS, operation_id="get_department_software_license", responses={200: SOFTWARE}
    )
    def get(self, request, department_id, software_id):
        access_for(request).check_admin()
        department = object_or_404(Department, department_id)
        software = object_or_404(
            Software.objects.filter(software_department_links__department=department), software_id, "Software"
        )
        return Response(render(software, relations=False))

    @extend_schema(tags=DEPARTMENTS, responses={204: None})
    def delete(self, request, department_id, software_id):
        access_for(request).check_admin()
        department = object_or_404(Department, department_id)
        services.unlink_software(department, object_or_404(Software, software_id))
        return Response(status=204)


class DepartmentHardwareItemAddView(KitsuView):
    """`POST /data/departments/{department_id}/hardware-items`: admins give a department a
    hardware item (once)."""

    @extend_schema(
        tags=DEPARTMENTS,
        request=HardwareItemRefSerializer,
        responses={201: link_serializer("HardwareItemDepartmentLink", "hardware_item_id")},
    )
    def post(self, request, department_id):
        access_for(request).check_admin()
        hardware_item_id = validated(HardwareItemRefSerializer, request.data)["hardware_item_id"]
        department = object_or_404(Department, department_id)
        hardware_item = object_or_404(HardwareItem, hardware_item_id)
        link = services.link_hardware_item(department, hardware_item)
        return Response(render(link, relations=False), status=201)


class DepartmentHardwareItemView(KitsuView):
    """`GET|DELETE /data/departments/{department_id}/hardware-items/{hardware_item_id}`: admins
    read a hardware item of the department, or take it away."""

    @extend_schema(
        tags=DEPARTMENTS, operation_id="get_department_hardware_item", responses={200: HARDWARE_ITEM}
    )
    def get(self, request, department_id, hardware_item_id):
        access_for(request).check_admin()
        department = object_or_404(Department, department_id)
        hardware_item = object_or_404(
            HardwareItem.objects.filter(hardware_item_department_links__department=department),
            hardware_item_id,
            "HardwareItem",
        )
        return Response(render(hardware_item, relations=False))

    @extend_schema(tags=DEPARTMENTS, responses={204: None})
    def delete(self, request, department_id, hardware_item_id):
        access_for(request).check_admin()
        department = object_or_404(Department, department_id)
        services.unlink_hardware_item(department, object_or_404(HardwareItem, hardware_item_id))
        return Response(status=204)
