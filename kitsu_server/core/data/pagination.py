"""The reference's pages of a `/data/<path>` list (`page`, `limit`)."""

import math

from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import parse_int

NB_RECORDS_PER_PAGE = 100


class DataPagination(BasePagination):
    """No `page` (or one below 1) is the whole list, as on the reference; a page is the envelope
    `{data, total, nb_pages, limit, offset, page}` of `limit` rows (100 by default), the most
    recently updated first."""

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        page = parse_int(params, "page", -1)
        if page < 1:
            return None
        limit = parse_int(params, "limit", 0) or NB_RECORDS_PER_PAGE
        if limit < 1:
            raise WrongParameter("limit must be a positive integer.")
        total = queryset.count()
        offset = (page - 1) * limit
        self.envelope = {
            "total": total,
            "nb_pages": math.ceil(total / limit),
            "limit": limit,
            "offset": offset,
            "page": page,
        }
        if offset > total:
            return queryset.none()  # beyond the last page: no rows, no query
        return queryset.order_by("-updated_at", "-created_at", "pk")[offset : offset + limit]

    def get_paginated_response(self, data):
        return Response({"data": data, **self.envelope})
