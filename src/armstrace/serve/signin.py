"""Sign-in for a server whose reads are protected (`armstrace serve --protect-reads`).

A browser cannot add an `Authorization` header to a page load, so the dashboard signs in once:
GET /login shows a form for the token, and POST /login checks it and sets an HttpOnly,
SameSite=Strict cookie (settings.session_value) that the page and its API reads then carry.
The cookie grants reads only: writes still need the bearer header, so a forged cross-site
request can change nothing. GET /logout forgets the cookie.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment

from armstrace.serve.settings import SESSION_COOKIE, TOKEN_VARIABLE, Settings, session_value

MAX_FORM_BYTES = 4096

LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>armstrace: sign in</title>
<link rel="stylesheet" href="/static/dashboard.css"></head>
<body class="signin"><main>
<h1>armstrace</h1>
<p>This server protects its data. Sign in with its token (the {{ variable }} it was started
with).</p>
{% if message %}<p class="error" role="alert">{{ message }}</p>{% endif %}
<form method="post" action="/login">
<label>Token <input type="password" name="token" autocomplete="current-password" required
autofocus></label>
<button type="submit">Sign in</button>
</form>
</main></body></html>
"""

router = APIRouter(include_in_schema=False)
_page = Environment(autoescape=True).from_string(LOGIN_PAGE)


def login_page(message: str | None = None, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_page.render(variable=TOKEN_VARIABLE, message=message), status_code=status)


@router.get("/login")
def show_login(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    if not settings.protect_reads:
        return RedirectResponse("/", status_code=303)
    return login_page()


@router.post("/login")
async def login(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    if not settings.protect_reads or settings.token is None:
        return RedirectResponse("/", status_code=303)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return login_page("The form is too large.", status=413)
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
    given = (fields.get("token") or [""])[0].strip()
    if not hmac.compare_digest(given.encode(), settings.token.encode()):
        return login_page("Wrong token: give the server's token.", status=403)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session_value(settings.token), httponly=True, samesite="strict", path="/"
    )
    return response


@router.get("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
