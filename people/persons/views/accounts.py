"""`/actions/persons/{person_id}/...`: what an admin does to a person's account (password, avatar,
departments, second factors, invitation, reset link)."""

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.requests import validated
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.schema import output_serializer
from people import services
from people.auth.authentication import client_address
from people.auth.passwords import reset_url_builder
from people.auth.serializers import SuccessSerializer
from people.lookups import human_or_404, person_or_404
from people.models import Department
from people.payloads import person_data

PERSONS = ["persons"]


class DepartmentRefSerializer(serializers.Serializer):
    department_id = serializers.UUIDField()


class NewPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False)
    password_2 = serializers.CharField(trim_whitespace=False)

    def validate(self, attrs):
        if attrs["password"] != attrs["password_2"]:
            raise serializers.ValidationError("Confirmation password doesn't match.")
        return attrs


class InvitationSentSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()


class ResetLinkSerializer(serializers.Serializer):
    reset_password_link = serializers.CharField()


PERSON = output_serializer(REGISTRY["persons"])


class PersonChangePasswordView(KitsuView):
    """`POST /actions/persons/{person_id}/change-password`: an admin sets a person's password
    (not another admin's once they have one); the person is told by mail."""

    @extend_schema(tags=PERSONS, request=NewPasswordSerializer, responses={200: SuccessSerializer})
    def post(self, request, person_id):
        person = human_or_404(person_id)
        access_for(request).check_admin()
        data = validated(NewPasswordSerializer, request.data)
        services.set_password(
            person, data["password"], data["password_2"], request.user, address=client_address(request)
        )
        return Response({"success": True})


class PersonClearAvatarView(KitsuView):
    """`DELETE /actions/persons/{person_id}/clear-avatar`: admins drop a person's avatar."""

    @extend_schema(tags=PERSONS, request=None, responses={204: None})
    def delete(self, request, person_id):
        access_for(request).check_admin()
        services.clear_avatar(person_or_404(person_id), request.user)
        return Response(status=204)


class PersonAddDepartmentView(KitsuView):
    """`POST /actions/persons/{person_id}/departments/add`: admins put a person in a department."""

    @extend_schema(tags=PERSONS, request=DepartmentRefSerializer, responses={201: PERSON})
    def post(self, request, person_id):
        access_for(request).check_admin()
        department_id = validated(DepartmentRefSerializer, request.data)["department_id"]
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            raise WrongParameter("Department ID matches no department")
        person = services.add_to_department(person_or_404(person_id), department, request.user)
        return Response(person_data(person), status=201)


class PersonRemoveDepartmentView(KitsuView):
    """`DELETE /actions/persons/{person_id}/departments/{department_id}`: admins take a person out
    of a department."""

    @extend_schema(tags=PERSONS, request=None, responses={204: None})
    def delete(self, request, person_id, department_id):
        access_for(request).check_admin()
        try:
            department = Department.objects.filter(pk=uuid.UUID(str(department_id))).first()
        except ValueError:
            department = None
        if department is None:
            raise WrongParameter("Department ID matches no department")
        services.remove_from_department(person_or_404(person_id), department, request.user)
        return Response(status=204)


class PersonDisableTwoFactorView(KitsuView):
    """`DELETE /actions/persons/{person_id}/disable-two-factor-authentication`: an admin turns a
    person's second factors off (their own, or a non-admin's); the person is told by mail."""

    @extend_schema(tags=PERSONS, request=None, responses={200: SuccessSerializer})
    def delete(self, request, person_id):
        person = human_or_404(person_id)
        access_for(request).check_admin()
        services.disable_two_factor_authentication(person, request.user, address=client_address(request))
        return Response({"success": True})


class PersonInviteView(KitsuView):
    """`GET /actions/persons/{person_id}/invite`: admins mail a person the link to join Kitsu."""

    @extend_schema(tags=PERSONS, responses={200: InvitationSentSerializer})
    def get(self, request, person_id):
        person = human_or_404(person_id)
        access_for(request).check_admin()
        services.invite_person(person, reset_url_builder(request))
        return Response({"success": True, "message": "Email sent"})


class PersonResetPasswordLinkView(KitsuView):
    """`POST /actions/persons/{person_id}/reset-password-link`: admins get a link with which the
    person chooses a new password (valid two hours)."""

    @extend_schema(tags=PERSONS, request=None, responses={200: ResetLinkSerializer})
    def post(self, request, person_id):
        person = human_or_404(person_id)
        access_for(request).check_admin()
        link = services.create_password_reset_link(person, request.user, reset_url_builder(request))
        return Response({"reset_password_link": link})
