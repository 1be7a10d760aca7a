"""Commands for the web side: ``serve`` (the live app) and ``publish`` (the archive as static files)."""

from __future__ import annotations

from pathlib import Path

import click

from composer.cli import _context, _err, _workspace_option, cli


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@_workspace_option
def serve(host: str, port: int, workspace: Path | None) -> None:
    """Serve unsubscribe, sign-up, the archive and its feed (put it behind your HTTPS proxy).

    Set base_url to the public address it answers at; set trusted_proxies (e.g. "127.0.0.1")
    to honour X-Forwarded-For/-Proto from your reverse proxy.  One log line per request.
    """
    import logging

    import uvicorn

    from composer.web.app import create_app

    context = _context(workspace)
    root, settings = context.workspace.root, context.settings
    context.close()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _err(f"serving {root} on http://{host}:{port}/ (public address: {settings.base_url})")
    uvicorn.run(
        create_app(root),
        host=host,
        port=port,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
        server_header=False,
        log_level="info",
    )


@cli.command()
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@_workspace_option
def publish(target: Path, workspace: Path | None) -> None:
    """Write the archive (index.html, editions/<id>.html, feed.xml) to TARGET for any web host."""
    from composer.web.archive import publish as write

    context = _context(workspace)
    try:
        written = write(context, target)
    finally:
        context.close()
    _err(f"{len(written) - 2} editions, index.html and feed.xml written to {target}")
    click.echo(str(target))
