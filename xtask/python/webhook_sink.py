"""An HTTP server that keeps every webhook request it receives, for the browser tests and
`cargo xtask dev`: the tests verify the signatures with the Standard Webhooks library.

Each POST is written as JSON ({"path", "headers", "body"}) to DIR/<n>.json, first to a
temporary name and then renamed, so a reader never sees half a request; it is answered 204.
Usage: python webhook_sink.py PORT DIR
"""

import itertools
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def handler(directory):
    numbers = itertools.count(len(os.listdir(directory)) + 1)

    class Keep(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            record = {
                "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "body": body,
            }
            with LOCK:
                number = next(numbers)
            final = os.path.join(directory, f"{number:06d}.json")
            with open(final + ".part", "w", encoding="utf-8") as out:
                json.dump(record, out)
            os.replace(final + ".part", final)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format, *args):
            pass

    return Keep


if __name__ == "__main__":
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler(directory))
    print(f"webhook sink on http://127.0.0.1:{port}/, writing to {directory}", flush=True)
    server.serve_forever()
