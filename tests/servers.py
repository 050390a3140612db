"""Real servers for the tests that need a socket: the ASGI application on uvicorn in a thread of
the test process (so that it shares the test database)."""

import contextlib
import socket
import threading
import time

import uvicorn


@contextlib.contextmanager
def uvicorn_in_thread(**config):
    """The ASGI application served on a port the OS chooses (uvicorn.Config's `config` added):
    yields the port."""
    from kitsu_server.asgi import application

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    instance = uvicorn.Server(uvicorn.Config(application, lifespan="off", log_level="warning", **config))
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield sock.getsockname()[1]
    finally:
        instance.should_exit = True
        thread.join(10)
        sock.close()
