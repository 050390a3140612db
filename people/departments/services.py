"""Writes of the departments area: the software licenses and hardware items given to a
department, each in one transaction."""

from django.db import transaction

from people.models import HardwareItemDepartmentLink, SoftwareDepartmentLink


def link_software(department, software):
    with transaction.atomic():
        link, _ = SoftwareDepartmentLink.objects.get_or_create(department=department, software=software)
    return link


def unlink_software(department, software):
    with transaction.atomic():
        SoftwareDepartmentLink.objects.filter(department=department, software=software).delete()


def link_hardware_item(department, hardware_item):
    with transaction.atomic():
        link, _ = HardwareItemDepartmentLink.objects.get_or_create(
            department=department, hardware_item=hardware_item
        )
    return link


def unlink_hardware_item(department, hardware_item):
    with transaction.atomic():
        HardwareItemDepartmentLink.objects.filter(department=department, hardware_item=hardware_item).delete()
