"""The roles a person holds, globally or on a project (team role), grouped as the rules use them."""

MANAGER_ROLES = ("admin", "manager")
SUPERVISOR_ROLES = ("admin", "manager", "supervisor")
