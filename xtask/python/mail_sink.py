"""A real SMTP server that keeps what it receives, for the e-mail tests and `cargo xtask dev`.

Each message is written whole (as received, CRLF line ends) to DIR/<n>.eml, first to a
temporary name and then renamed, so a reader never sees half a message.
Usage: python mail_sink.py PORT DIR
"""

import itertools
import os
import sys
import threading

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, directory):
        self.directory = directory
        self.numbers = itertools.count(len(os.listdir(directory)) + 1)

    async def handle_DATA(self, server, session, envelope):
        number = next(self.numbers)
        final = os.path.join(self.directory, f"{number:06d}.eml")
        partial = final + ".part"
        with open(partial, "wb") as out:
            out.write(envelope.original_content or envelope.content)
        os.replace(partial, final)
        return "250 Message accepted for delivery"


if __name__ == "__main__":
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Keep(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"mail sink on 127.0.0.1:{port}, writing to {directory}", flush=True)
    try:
        threading.Event().wait()
    finally:
        controller.stop()
