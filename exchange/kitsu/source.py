"""The Kitsu (Zou) server a copy reads, through its public API: a login, then JSON reads.

`url` is the API's base as gazu takes it: `https://kitsu.studio/api` behind Kitsu's nginx, or a
bare Zou such as `http://127.0.0.1:5000`. The standard library's HTTP client is enough: the copy
reads lists, one request at a time.
"""

import json
import shutil
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = 60  # seconds per request
DOWNLOAD_CHUNK = 1024 * 1024


class SourceUnavailable(Exception):
    """The source server refused or could not be reached: the copy stops (and resumes later)."""


class SourceRefused(SourceUnavailable):
    """The source answered, but not the file asked (a 404, a preview still processing): that row
    is left out, the copy goes on."""


class SourceServer:
    def __init__(self, url, email, password):
        self.url = url.rstrip("/")
        self.token = None
        try:
            answer = self._request("POST", "/auth/login", {"email": email, "password": password})
        except SourceUnavailable as error:
            raise SourceUnavailable(f"{self.url}: the login of {email} was refused ({error}).") from error
        self.token = answer.get("access_token") if isinstance(answer, dict) else None
        if not self.token:
            raise SourceUnavailable(f"{self.url}: the login of {email} was refused.")

    def _request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        with self._open(method, path, data, "application/json") as response:
            try:
                return json.loads(response.read() or b"null")
            except (OSError, ValueError) as error:
                raise SourceUnavailable(f"{method} {self.url}{path}: {error}") from error

    def _open(self, method, path, data=None, accept="*/*"):
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        request.add_header("Accept", accept)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            return urllib.request.urlopen(request, timeout=TIMEOUT)  # noqa: S310 (the URL given)
        except urllib.error.HTTPError as error:
            raise SourceRefused(f"{method} {self.url}{path}: {error.code} {error.reason}") from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise SourceUnavailable(f"{method} {self.url}{path}: {error}") from error

    def download(self, path, target):
        """Write the file the source serves at `path` to the open binary file `target`, chunk by
        chunk (a movie never sits whole in memory); the number of bytes written. A transfer cut
        short (fewer bytes than announced), a 202 (still processing) or an error status raise
        SourceUnavailable."""
        with self._open("GET", path) as response:
            if response.status != 200:
                raise SourceRefused(f"GET {self.url}{path}: {response.status} (not ready)")
            announced = response.headers.get("Content-Length")
            try:
                shutil.copyfileobj(response, target, DOWNLOAD_CHUNK)
            except OSError as error:
                raise SourceUnavailable(f"GET {self.url}{path}: {error}") from error
        written = target.tell()
        if announced is not None and announced.isdigit() and int(announced) != written:
            raise SourceUnavailable(f"GET {self.url}{path}: {written} of {announced} bytes received")
        return written

    def rows(self, path, **query):
        """The rows a list route answers (all of them: the reference pages only when asked)."""
        suffix = f"?{urllib.parse.urlencode(query)}" if query else ""
        answer = self._request("GET", f"{path}{suffix}")
        if isinstance(answer, dict) and "data" in answer:
            answer = answer["data"]
        if not isinstance(answer, list):
            raise SourceUnavailable(f"GET {self.url}{path}: a list was expected.")
        return answer
