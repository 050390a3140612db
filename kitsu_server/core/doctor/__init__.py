"""`manage.py doctor`: checks of what the database constraints cannot say (see `registry`).

The checks live beside what they check, in each app's `doctor.py`; the shared machinery's own
(jobs, trash) in `checks.py`, imported here so that `load_checks` finds them with the apps'.
"""

from kitsu_server.core.doctor import checks  # noqa: E402, F401
from kitsu_server.core.doctor.registry import (  # noqa: F401
    CHECKS,
    ERROR,
    WARNING,
    Check,
    Finding,
    Repair,
    UnknownCheck,
    fix_checks,
    has_problems,
    load_checks,
    register,
    run_checks,
    select_checks,
)
