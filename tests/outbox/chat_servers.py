"""Local HTTP servers standing in for Slack, Mattermost and Discord in the tests: each records the
requests it receives and answers from a script (status, JSON body) per path, on an ephemeral port."""

import json

from tests.local_server import JSONHandler, LocalServer


class RecordingServer(LocalServer):
    """`answers[path]`: a list of (status, body) consumed in order (the last one repeats);
    `received`: [(method, path, headers, JSON body)]."""

    def __init__(self):
        self.answers = {}
        self.received = []
        recorder = self

        class Handler(JSONHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                recorder.received.append((self.command, self.path, dict(self.headers), body))
                self.answer(*recorder.answer_for(self.path))

            do_GET = do_POST = _handle

        self.serve(Handler)

    def answer_for(self, path):
        path = path.split("?", 1)[0]
        for prefix, script in self.answers.items():
            if path == prefix or (prefix.endswith("*") and path.startswith(prefix[:-1])):
                return script.pop(0) if len(script) > 1 else script[0]
        return 404, {"message": "unknown path"}

    def bodies(self, path_prefix=""):
        return [body for _, path, _, body in self.received if path.startswith(path_prefix)]
