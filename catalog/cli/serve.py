"""`catalog serve`: the catalogue as web pages and a JSON API."""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Annotated

import typer

from catalog.cli.common import library


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(
        "--host", help="The address to listen on. Only this machine can reach the default; "
                       "another address lets others in (a warning says so).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(
        "--port", min=0, max=65535, help="The port (0: any free one).")] = 8000,
    read_write: Annotated[bool, typer.Option(
        "--read-write", help="Let the pages and the API change the catalogue: reading "
                             "status, the blocklist and saved searches.")] = False,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", metavar="URL", help="The address users reach the server at, when a "
                                          "proxy stands in front (used in next_url and "
                                          "feeds).")] = None,
) -> None:
    """Serve the catalogue as web pages, a JSON API and an OPDS feed for e-readers.

    AO3-style pages with a filter sidebar, each work with its chapters and its EPUB and
    HTML downloads, tags and statistics; the JSON API at /works.json (described at
    /docs); OPDS at /opds. Read-only unless --read-write. Ctrl-C stops it.

    Examples:

      catalog serve                       # then open http://127.0.0.1:8000/

      catalog serve --port 8080 --read-write

      catalog --db postgresql://me@db/fic serve --host 0.0.0.0 --base-url https://fic.example
    """
    # the server's stack only when it runs (--help stays fast)
    import uvicorn

    from catalog.server.app import create_app
    from catalog.textnorm import escape_line

    lib = library(ctx)
    works = lib.count()  # a bad --db fails here, in one line, before listening
    listener = _listen(host, port)
    bound = listener.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"
    if not _loopback(host):
        print(f"warning: listening on {escape_line(host)}: other machines can reach this "
              f"catalogue{' and change it' if read_write else ''}", file=sys.stderr)
    mode = "read-write" if read_write else "read-only"
    try:  # Ctrl-C from the moment the address is out is a clean stop
        print(f"serving {escape_line(lib.display_url())} ({works:,} works, {mode}) at {url}",
              flush=True)
        print("press Ctrl-C to stop", file=sys.stderr, flush=True)
        app = create_app(lib, read_write=read_write, base_url=base_url)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                               server_header=False, lifespan="off"))
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass  # uvicorn finished its requests and raised the signal again
    finally:
        listener.close()
    print("stopped", file=sys.stderr)


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket bound before the server starts, so port 0 gets a free port
    whose number can be printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise typer.BadParameter(f"cannot listen on {host}:{port}: "
                                 f"{exc.strerror or exc}; choose another --port or --host",
                                 param_hint="--host/--port") from None
    listener.listen(128)
    return listener


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
