"""The Starlette application behind ``composer serve``.

Why Starlette + uvicorn: both are small, maintained, and production-grade (uvicorn handles
HTTP parsing, proxy headers and access logs); the app needs no ORM, sessions or admin, and
the work per request is one SQLite transaction.  Handlers are plain functions, which Starlette
runs in a thread pool, each opening its own workspace connection (SQLite objects belong to the
thread that made them).

Every path is safe for link scanners: a GET never changes anything.  Unsubscribing is a POST
(RFC 8058 one-click from the mail client, or the button on the page); confirming a sign-up is a
POST from the confirmation page.  Bad tokens answer 400 with a page saying what to do; nothing a
visitor sends produces a traceback in their browser or on the terminal.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from composer import subscribers
from composer.errors import ComposerError, InputError
from composer.pipeline import Context, open_context, unsubscribe_secret
from composer.web import archive

log = logging.getLogger("composer.web")

PER_IP = (5, 600.0)  # at most 5 sign-ups per address of origin in 10 minutes
PER_ADDRESS = (2, 3600.0)  # at most 2 confirmation mails per address an hour


class RateLimit:
    """A sliding window per key, in memory (one ``composer serve`` process)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count a hit for ``key``; False when it is over the limit."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] < now - self.seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:  # forget keys quiet for a whole window: the table stays bounded
                for quiet in [k for k, v in self._hits.items() if not v or v[-1] < now - self.seconds]:
                    del self._hits[quiet]
            return True


def create_app(root: Path) -> Starlette:
    """The web app over the workspace at ``root``."""
    per_ip = RateLimit(*PER_IP)

    @contextmanager
    def workspace() -> Iterator[Context]:
        ctx = open_context(root)
        try:
            yield ctx
        finally:
            ctx.close()

    def page(ctx: Context, heading: str, *lines: str, status: int = 200, **form: Any) -> HTMLResponse:
        env = archive.web_environment(ctx.template_path)
        html = env.get_template("message.html.j2").render(
            settings=ctx.settings,
            base=ctx.settings.base_url.rstrip("/"),
            heading=heading,
            lines=lines,
            action=form.get("action", ""),
            button=form.get("button", ""),
            fields=form.get("fields", {}),
        )
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    def index(request: Request) -> Response:
        with workspace() as ctx:
            return HTMLResponse(archive.index_page(ctx, archive.web_environment(ctx.template_path)))

    def edition(request: Request) -> Response:
        with workspace() as ctx:
            html = archive.edition_page(ctx, request.path_params["edition_id"])
            if html is None:
                return page(
                    ctx,
                    "Édition introuvable",
                    "Cette édition n'existe pas ou n'a pas été envoyée.",
                    status=404,
                )
            return HTMLResponse(html)

    def feed(request: Request) -> Response:
        with workspace() as ctx:
            return Response(archive.feed_xml(ctx), media_type="application/atom+xml; charset=utf-8")

    async def unsubscribe(request: Request) -> Response:
        token = request.path_params["token"]
        if request.method != "POST":  # GET and HEAD (link scanners send both) never change anything
            return await _threaded(_unsubscribe_page, token)
        form = await _form(request)
        one_click = form.get("List-Unsubscribe") == "One-Click"
        return await _threaded(_unsubscribe, token, one_click)

    def _unsubscribe_page(token: str) -> Response:
        with workspace() as ctx:
            try:
                sub = subscribers.subscriber_for_token(ctx.store, token, unsubscribe_secret(ctx))
            except InputError:
                return page(ctx, "Lien invalide", _BAD_LINK, status=400)
            if sub.status == "unsubscribed":
                return page(ctx, "Déjà désabonné", "Cette adresse ne reçoit plus la lettre.")
            return page(
                ctx,
                "Se désabonner",
                f"Ne plus recevoir {ctx.settings.newsletter_name} ?",
                action=f"{ctx.settings.base_url.rstrip('/')}/unsubscribe/{token}",
                button="Me désabonner",
            )

    def _unsubscribe(token: str, one_click: bool) -> Response:
        with workspace() as ctx:
            try:
                sub = subscribers.unsubscribe_by_token(ctx.store, token, unsubscribe_secret(ctx))
            except InputError:
                if one_click:
                    return PlainTextResponse("invalid unsubscribe link\n", status_code=400)
                return page(ctx, "Lien invalide", _BAD_LINK, status=400)
            log.info("unsubscribed subscriber %s (%s)", sub.id, "one-click" if one_click else "page")
            if one_click:
                return PlainTextResponse("unsubscribed\n")
            return page(
                ctx,
                "Vous êtes désabonné",
                f"Vous ne recevrez plus {ctx.settings.newsletter_name}.",
                "Une erreur ? Vous pouvez vous réabonner à tout moment.",
            )

    async def subscribe(request: Request) -> Response:
        if request.method != "POST":  # GET and HEAD (link scanners send both) never change anything
            return await _threaded(_subscribe_form, "", "")
        form = await _form(request)
        ip = _client(request)
        return await _threaded(_subscribe, form, ip)

    def _subscribe_form(error: str, email: str, status: int = 200) -> Response:
        with workspace() as ctx:
            env = archive.web_environment(ctx.template_path)
            html = env.get_template("subscribe.html.j2").render(
                settings=ctx.settings, base=ctx.settings.base_url.rstrip("/"), error=error, email=email
            )
            return HTMLResponse(html, status_code=status)

    def _subscribe(form: dict[str, str], ip: str) -> Response:
        address = form.get("email", "").strip()[:320]
        with workspace() as ctx:
            done = page(
                ctx,
                "Vérifiez votre boîte",
                f"Si {address} peut recevoir la lettre, un message vient de lui être envoyé : "
                "cliquez le lien qu'il contient pour confirmer l'abonnement.",
            )
            if form.get("website"):  # the honeypot: a bot filled the hidden field
                log.info("sign-up ignored (honeypot) from %s", ip)
                return done
            if not per_ip.allow(_origin(ip)):
                return page(ctx, "Trop de demandes", "Réessayez dans quelques minutes.", status=429)
            try:
                sub, send = subscribers.request_subscription(
                    ctx.store, address, form.get("name", ""), where="web"
                )
            except InputError:
                return _subscribe_form("Cette adresse n'est pas valide.", address, status=400)
            if send:
                assert sub.id is not None
                since = _iso_ago(PER_ADDRESS[1])
                if ctx.store.count_events_since(sub.id, "confirmation-sent", since) >= PER_ADDRESS[0]:
                    return done  # same answer: the form does not say who is on the list
                try:
                    _send_confirmation(ctx, sub)
                except ComposerError:
                    return page(
                        ctx,
                        "Envoi impossible pour l'instant",
                        "Le message de confirmation n'a pas pu partir. Réessayez dans quelques minutes.",
                        status=503,
                    )
                ctx.store.update_subscriber(sub.id, "confirmation-sent", ip)
            return done

    async def confirm(request: Request) -> Response:
        token = request.path_params["token"]
        if request.method != "POST":  # GET and HEAD (link scanners send both) never change anything
            return await _threaded(_confirm_page, token)
        return await _threaded(_confirm, token, _client(request))

    def _confirm_page(token: str) -> Response:
        with workspace() as ctx:
            try:
                sub = subscribers.subscriber_for_confirmation(ctx.store, token, unsubscribe_secret(ctx))
            except InputError as exc:
                return page(ctx, "Lien invalide", _confirm_problem(exc), status=400)
            if sub.status == "active":
                return page(ctx, "Abonnement confirmé", f"{sub.email} reçoit déjà la lettre.")
            return page(
                ctx,
                "Confirmer l'abonnement",
                f"Recevoir {ctx.settings.newsletter_name} à l'adresse {sub.email} ?",
                action=f"{ctx.settings.base_url.rstrip('/')}/confirm/{token}",
                button="Je confirme",
            )

    def _confirm(token: str, ip: str) -> Response:
        with workspace() as ctx:
            try:
                sub = subscribers.confirm(ctx.store, token, unsubscribe_secret(ctx), ip)
            except InputError as exc:
                return page(ctx, "Lien invalide", _confirm_problem(exc), status=400)
            log.info("subscriber %s confirmed", sub.id)
            return page(ctx, "Abonnement confirmé", f"Bienvenue ! {sub.email} recevra la prochaine lettre.")

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("not found\n", status_code=404)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("error on %s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        return PlainTextResponse(
            "something went wrong on our side; please try again later\n", status_code=500
        )

    def health(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    routes = [
        Route("/", _endpoint(index)),
        Route("/index.html", _endpoint(lambda r: RedirectResponse("/", status_code=301))),
        Route("/editions/{edition_id}.html", _endpoint(edition)),
        Route("/feed.xml", _endpoint(feed)),
        Route("/unsubscribe/{token}", unsubscribe, methods=["GET", "POST"]),
        Route("/subscribe", subscribe, methods=["GET", "POST"]),
        Route("/confirm/{token}", confirm, methods=["GET", "POST"]),
        Route("/health", _endpoint(health)),
    ]
    return Starlette(
        debug=False,
        routes=routes,
        exception_handlers={404: not_found, 500: server_error, Exception: server_error},
    )


def _confirm_problem(exc: InputError) -> str:
    if "expired" in str(exc):
        return "Ce lien de confirmation a expiré. Inscrivez-vous de nouveau pour en recevoir un autre."
    if "left the list" in str(exc):
        return "Cette adresse a quitté la liste depuis l'envoi de ce lien. Inscrivez-vous de nouveau."
    return "Ce lien de confirmation n'est pas valide. Inscrivez-vous de nouveau pour en recevoir un autre."


_BAD_LINK = (
    "Ce lien de désabonnement n'est pas valide. Utilisez le lien du dernier message reçu, ou répondez-y."
)


def _endpoint(fn: Any) -> Any:
    """A plain handler as an async endpoint: run in the thread pool, guarded (see ``_guarded``)."""

    async def endpoint(request: Request) -> Response:
        return await _threaded(fn, request)

    return endpoint


async def _threaded(fn: Any, *args: Any) -> Response:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_guarded(fn), *args)


def _guarded(fn: Any) -> Any:
    """``fn`` answering 500 with one log line instead of raising (a bug must not print a traceback
    to the visitor, nor flood the terminal; the traceback goes to the log at debug level)."""

    def run(*args: Any) -> Response:
        try:
            return fn(*args)
        except Exception as exc:
            log.error("%s failed: %s: %s", getattr(fn, "__name__", "handler"), type(exc).__name__, exc)
            log.debug("traceback", exc_info=True)
            return PlainTextResponse(
                "something went wrong on our side; please try again later\n", status_code=500
            )

    return run


async def _form(request: Request) -> dict[str, str]:
    """The posted form as plain strings; a malformed or huge body is an empty form."""
    try:
        body = await request.body()
        if len(body) > 16_384:
            return {}
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    except Exception:
        return {}


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _origin(ip: str) -> str:
    """The rate-limit key of an address: IPv4 as is, IPv6 by its /64 (one host owns a whole /64)."""
    import ipaddress

    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return ip


def _iso_ago(seconds: float) -> str:
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat(timespec="seconds")


def _send_confirmation(ctx: Context, sub: subscribers.Subscriber) -> None:
    """Exactly one confirmation message, through the configured transport."""
    from composer.deliver.notice import notice
    from composer.pipeline import make_transport

    token = subscribers.confirm_token(sub, unsubscribe_secret(ctx))
    url = f"{ctx.settings.base_url.rstrip('/')}/confirm/{token}"
    name = ctx.settings.newsletter_name
    text = (
        f"Bonjour,\n\nQuelqu'un (vous, sans doute) a demandé à recevoir {name} à l'adresse {sub.email}.\n"
        f"Pour confirmer, ouvrez ce lien :\n\n{url}\n\n"
        f"Le lien est valable {subscribers.CONFIRM_HOURS} heures. Si vous n'avez rien demandé, "
        "ignorez ce message : vous ne recevrez rien.\n"
    )
    transport = make_transport(ctx)
    transport.open()
    try:
        transport.send(notice(ctx.settings, sub.email, f"Confirmez votre abonnement à {name}", text))
    except ComposerError as exc:
        log.error("confirmation to subscriber %s not sent: %s", sub.id, exc)
        raise
    finally:
        transport.close()
