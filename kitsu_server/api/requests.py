"""What a route reads of its request: the JSON body (validated with the shared input rules),
required keys, ids, query-string texts, ids, integers, moments and dates (a 400 when wrong)."""

import datetime

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.inputs import INT32_RANGE, harden
from kitsu_server.api.params import parse_bool, parse_uuid


def json_body(request):
    """The request's JSON object, or a 400 saying one is expected."""
    body = request.data
    if not isinstance(body, dict):
        raise WrongParameter(
            "Data are empty. Please verify that you sent JSON data and that you set the right headers."
        )
    return body


def validated(serializer_class, data, **options):
    """`data` (a request's JSON object or form; a list with `many=True`) checked by
    `serializer_class`, with the shared input rules (`inputs.harden`: integers within a column,
    no NUL): its validated values, or a 400 naming each field wrong. An absent
    body reads as `{}`."""
    if data is None or (hasattr(data, "keys") and not data):
        data = {}
    if not hasattr(data, "keys") and not (options.get("many") and isinstance(data, list)):
        raise WrongParameter(
            "Data are empty. Please verify that you sent JSON data and that you set the right headers."
        )
    serializer = harden(serializer_class(data=data, **options))
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def required(body, *names):
    """The values of `names` in `body`, or a 400 naming the ones missing."""
    missing = [name for name in names if body.get(name) in (None, "")]
    if missing:
        raise WrongParameter(f"Missing required field(s): {', '.join(missing)}.")
    values = [body[name] for name in names]
    return values[0] if len(values) == 1 else values


def id_of(body, name, required_=True):
    """A UUID from `body[name]`, a 400 when malformed (or missing when `required_`)."""
    value = body.get(name)
    if value in (None, ""):
        if required_:
            raise WrongParameter(f"Missing required field(s): {name}.")
        return None
    return parse_uuid(value, f"Malformed ID for {name}: {value!r}.")


def query_text(request, name):
    """A query string parameter, None when absent or empty."""
    value = request.query_params.get(name)
    return value if value not in (None, "") else None


def query_choice(request, name, choices):
    """A query string parameter that must be one of `choices` (a 400 naming them), None when
    absent or empty."""
    value = query_text(request, name)
    if value is not None and value not in choices:
        raise WrongParameter(f"Wrong {name}: {value}. Expected one of {', '.join(choices)}.")
    return value


def query_id(request, name, message="Wrong UUID format."):
    """A query string id as a UUID, None when absent or empty; a 400 with `message` when malformed
    (`{name}` and `{value}` in it stand for the parameter's name and value)."""
    value = query_text(request, name)
    return parse_uuid(value, message.format(name=name, value=value)) if value is not None else None


def _query_value(request, name, keep_empty):
    return request.query_params.get(name) if keep_empty else query_text(request, name)


def query_int(
    request,
    name,
    default=None,
    message="Wrong value for parameter {name}.",
    keep_empty=False,
    minimum=INT32_RANGE[0],
    maximum=INT32_RANGE[1],
):
    """An integer query parameter, `default` when absent or empty; a 400 with `message` (`{name}`
    stands for the parameter) when not a number, or not within [minimum, maximum] (a 32-bit
    integer by default: no page, limit or column value overflows the database).
    `keep_empty`: an empty value is not a number."""
    value = _query_value(request, name, keep_empty)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise WrongParameter(message.format(name=name)) from None
    if not minimum <= number <= maximum:
        expected = f"Expected an integer between {minimum} and {maximum}."
        raise WrongParameter(f"{message.format(name=name)} {expected}")
    return number


MOMENT_LAYOUTS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def query_moment(
    request,
    name,
    message="Wrong date format for {name}. Expected format: 2020-01-05T13:23:10 or 2020-01-05",
    keep_empty=False,
):
    """A `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD` query parameter as an aware UTC datetime, None when
    absent or empty; a 400 with `message` (`{name}` stands for the parameter) otherwise.
    `keep_empty`: an empty value is malformed."""
    value = _query_value(request, name, keep_empty)
    if value is None:
        return None
    for layout in MOMENT_LAYOUTS:
        try:
            return datetime.datetime.strptime(value, layout).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
    raise WrongParameter(message.format(name=name))


def parse_date(value, name="date"):
    """A `YYYY-MM-DD` string as a date, or a 400."""
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise WrongParameter(f"Wrong date format for {name}: {value!r}. Expected YYYY-MM-DD.") from None


def parse_year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise WrongParameter(f"Wrong year: {value!r}.") from None
    if not 1900 <= year <= 2200:
        raise WrongParameter(f"Wrong year: {value!r}.")
    return year


def parse_month(value):
    try:
        month = int(value)
    except (TypeError, ValueError):
        raise WrongParameter(f"Wrong month: {value!r}.") from None
    if not 1 <= month <= 12:
        raise WrongParameter(f"Wrong month: {value!r}.")
    return month


def list_criteria(request):
    """The query string as the reference's list criteria (`page` and a delta read's
    `updated_since` aside: kitsu_server.core.delta)."""
    return {key: value for key, value in request.query_params.items() if key not in ("page", "updated_since")}


def relations_asked(request):
    """`?relations=true`: the rows with their relation id lists."""
    return parse_bool(request.query_params.get("relations", "false"))


def json_list(request):
    """The request's JSON array, or a 400 saying one is expected."""
    if not isinstance(request.data, list):
        raise WrongParameter("Request body must be a JSON array.")
    return request.data
