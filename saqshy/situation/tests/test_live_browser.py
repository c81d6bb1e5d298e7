"""The live picture in Chromium never misses a call: not while the socket is down, not before
it first opens.

The page's WebSocket is routed through Playwright, which can hold it down (refuse every
connection) and cut an open one, exactly as a dropped network would. An incident reported
meanwhile through the API must be on the map and in the queue within 5 seconds of the socket
coming back, and the page must say how old its picture is while the socket is down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from saqshy.core.testing.live import (
    DISPATCHER_SEED,
    api_token,
    browser_page,
    live_server,
    report_fire,
    require_chromium,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = DISPATCHER_SEED

CATCH_UP_MS = 5000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("live"), SEED) as url:
        yield url


class Socket:
    """The page's live socket, passed through to the server unless held down."""

    def __init__(self) -> None:
        self.down = False
        self.open: list[Any] = []

    def route(self, ws: Any) -> None:
        if self.down:
            ws.close(code=4000, reason="network down")
            return
        ws.connect_to_server()
        self.open.append(ws)

    def cut(self) -> None:
        self.down = True
        for ws in self.open:
            ws.close(code=4000, reason="network down")
        self.open.clear()


def _on_map_and_in_queue(page: Any, incident_id: int, timeout: float) -> None:
    page.wait_for_function(
        """id => document.querySelector(`#queue .q-item[data-incident-id="${id}"]`)
              && document.querySelector(`.inc[data-incident-id="${id}"]`)""",
        arg=incident_id,
        timeout=timeout,
    )


def test_an_incident_reported_while_the_socket_is_down_appears_when_it_returns(
    server: str,
) -> None:
    from playwright.sync_api import expect

    token = api_token(server, "dispatcher_astana")
    socket = Socket()
    with browser_page(locale="en-GB") as page:
        sign_in(page, server, "dispatcher_astana", "pw-dispatcher_astana")
        page.route_web_socket(re.compile(r".*/ws/situation/$"), socket.route)

        # A freshly opened map whose socket is slow to come up: the call reported before it
        # does is not lost.
        socket.down = True
        page.goto(f"{server}/")
        banner = page.locator("#live-stale")
        expect(banner).to_be_visible(timeout=10000)
        page.wait_for_function("() => document.getElementById('map').dataset.opsLoaded === '1'")
        early = report_fire(server, token, "Before the socket opened")
        socket.down = False
        _on_map_and_in_queue(page, early, CATCH_UP_MS)
        page.wait_for_function("() => document.body.dataset.live === '1'")
        expect(banner).to_be_hidden()
        expect(page.locator("#as-of")).to_have_text(re.compile(r"^data as of \d\d:\d\d$"))

        # The connection drops for three seconds; a fire is reported in the gap.
        socket.cut()
        expect(banner).to_be_visible()
        expect(banner).to_contain_text(re.compile(r"Live connection lost — data as of \d\d:\d\d"))
        page.wait_for_function("() => document.body.dataset.live === '0'")
        fire = report_fire(server, token, "Reported in the gap")
        page.wait_for_timeout(3000)
        assert not page.locator(f'.inc[data-incident-id="{fire}"]').count()
        socket.down = False
        _on_map_and_in_queue(page, fire, CATCH_UP_MS)
        expect(page.locator(f'#queue .q-item[data-incident-id="{fire}"]')).to_contain_text(
            "Reported in the gap"
        )
        page.wait_for_function("() => document.body.dataset.live === '1'")
        expect(banner).to_be_hidden()

        # And live again: the next call arrives by push.
        after = report_fire(server, token, "After the socket came back")
        _on_map_and_in_queue(page, after, CATCH_UP_MS)
        assert not [e for e in page.errors if "favicon" not in e], page.errors
