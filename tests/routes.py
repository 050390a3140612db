"""The routes of the URL table as the sweeping tests walk them: plain views and viewsets alike."""


def route_view(callback):
    """(view class, init kwargs, HTTP methods served, lowercase) of a URL pattern's callback: an
    APIView's handlers, or the verbs of a viewset's action map. (None, {}, set()) for what is
    neither (Django's own views)."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        initkwargs = callback.view_initkwargs
        allowed = initkwargs.get("http_method_names", view_class.http_method_names)
        return view_class, initkwargs, {method for method in allowed if hasattr(view_class, method)}
    view_class = getattr(callback, "cls", None)  # a viewset: `actions` maps its verbs to actions
    if view_class is not None:
        return view_class, getattr(callback, "initkwargs", {}), set(callback.actions)
    return None, {}, set()
