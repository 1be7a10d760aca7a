"""The fast message builder makes standard MIME that decodes to exactly the personalised bodies."""

from __future__ import annotations

import html

from composer.config import Settings
from composer.deliver.message import MessageTemplate, parse, unsubscribe_url
from composer.models import RenderedEdition, Subscriber
from composer.render import RECIPIENT_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER, personalize

BODY_HTML = (
    f"<p>Bonjour {RECIPIENT_PLACEHOLDER}, voici « la lettre » — été 2026 ; "
    + "mot = valeur " * 40
    + f'</p>\n<a href="{UNSUBSCRIBE_PLACEHOLDER}">Se désabonner</a> \n<p>fin   </p>'
)
BODY_TEXT = (
    f"Bonjour {RECIPIENT_PLACEHOLDER},\n\nLigne avec espaces finaux   \n"
    + "é" * 200
    + f"\nSe désabonner : {UNSUBSCRIBE_PLACEHOLDER}\n"
)


def test_bodies_decode_exactly_and_lines_stay_short() -> None:
    rendered = RenderedEdition("2026-01-05-1", "Sujet accentué : « été »", "", BODY_HTML, BODY_TEXT)
    sub = Subscriber(email="o'neil+x=y@example.org", name="Zoé O'Neil", id=7)
    settings = Settings(sender="La Lettre <lettre@example.org>")
    outgoing = MessageTemplate(rendered, settings, secret="k").render(sub)
    head, _, body = outgoing.data.partition(b"\r\n\r\n")
    assert max(len(line) for line in head.split(b"\r\n")) <= 998
    assert max(len(line) for line in body.split(b"\r\n")) <= 78
    assert b"\n" not in outgoing.data.replace(b"\r\n", b"")
    msg = parse(outgoing)
    url = unsubscribe_url(settings, sub, "k")
    # Parsed from wire bytes, the bodies keep their CRLF line ends; everything else is exact.
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    body_html = msg.get_body(("html",)).get_content().replace("\r\n", "\n")
    assert text == personalize(BODY_TEXT, url, sub.email)
    assert body_html == personalize(BODY_HTML, html.escape(url), html.escape(sub.email))
    assert str(msg["Subject"]) == "Sujet accentué : « été »"
    assert msg["To"].addresses[0].display_name == "Zoé O'Neil"
    assert msg["To"].addresses[0].addr_spec == sub.email
    assert msg["Message-ID"] == outgoing.message_id
    assert not msg.defects
