"""moto's server with every request serialised, for the DynamoDB conformance tests.

moto snapshots and restores a whole table around TransactWriteItems without a lock, so
concurrent transactions can leave a cancelled transaction's rows behind. Real DynamoDB does
not; serialising requests here makes moto's answers match it, so a race test fails only
because of our code. Usage: python moto_server.py PORT
"""

import sys
import threading

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

LOCK = threading.Lock()
APP = DomainDispatcherApplication(create_backend_app)


def serialised(environ, start_response):
    with LOCK:
        # Drain the response inside the lock: moto may do its work lazily while iterating.
        return list(APP(environ, start_response))


if __name__ == "__main__":
    run_simple("127.0.0.1", int(sys.argv[1]), serialised, threaded=True)
