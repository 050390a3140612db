"""Reading and submitting the back-office's pages as a browser does."""

from html.parser import HTMLParser

from django.urls import reverse


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class SubmittedForm(HTMLParser):
    """The fields a browser submits for an admin change form, read from its HTML."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.data = []
        self._in_form = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file") or (
                kind in ("checkbox", "radio") and "checked" not in attrs
            ):
                return
            self.data.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "first": None, "chosen": False}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"] = True
                self.data.append((self._select["name"], value))
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            if not select["chosen"] and not select["multiple"] and select["first"] is not None:
                self.data.append((select["name"], select["first"]))
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._textarea = None
            self.data.append((name, "".join(text).removeprefix("\n")))  # as browsers do

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)


def submitted_data(response, model):
    parser = SubmittedForm(f"{model._meta.model_name}_form")
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def form_errors(response):
    context = response.context
    errors = dict(context["adminform"].form.errors)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        errors[formset.prefix or inline.opts.model._meta.label] = [
            *formset.errors,
            *formset.non_form_errors(),
        ]
    return errors


def inline_prefix(page, link_model):
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.model is link_model:
            return inline.formset.prefix
    raise AssertionError(f"no {link_model.__name__} inline")


def edit_inline(client, model, obj, link_model, add=None, delete_row=None):
    """Post `obj`'s change page as a browser does, with a row of the `link_model` inline added
    ({field: id}) or its row `delete_row` (its index) marked for deletion."""
    url = admin_url(model, "change", obj.pk)
    page = client.get(url)
    data = submitted_data(page, model)
    prefix = inline_prefix(page, link_model)
    if add is not None:
        total = int(data[f"{prefix}-TOTAL_FORMS"][0])
        data[f"{prefix}-TOTAL_FORMS"] = [str(total + 1)]
        for name, value in add.items():
            data[f"{prefix}-{total}-{name}"] = [str(value)]
    if delete_row is not None:
        data[f"{prefix}-{delete_row}-DELETE"] = ["on"]
    return client.post(url, data)
