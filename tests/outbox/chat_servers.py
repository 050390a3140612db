"""Local HTTP servers standing in for Slack, Mattermost and Discord in the tests: each records the
requests it receives and answers from a script (status, JSON body) per path, on an ephemeral port."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RecordingServer:
    """`answers[path]`: a list of (status, body) consumed in order (the last one repeats);
    `received`: [(method, path, headers, JSON body)]."""

    def __init__(self):
        self.answers = {}
        self.received = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                recorder.received.append((self.command, self.path, dict(self.headers), body))
                status, answer = recorder.answer_for(self.path)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.httpd.server_address
        return f"http://{host}:{port}"

    def answer_for(self, path):
        path = path.split("?", 1)[0]
        for prefix, script in self.answers.items():
            if path == prefix or (prefix.endswith("*") and path.startswith(prefix[:-1])):
                return script.pop(0) if len(script) > 1 else script[0]
        return 404, {"message": "unknown path"}

    def bodies(self, path_prefix=""):
        return [body for _, path, _, body in self.received if path.startswith(path_prefix)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
