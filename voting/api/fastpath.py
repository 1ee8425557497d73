"""The public vote's hot path: a ballot posted as JSON, cast without DRF and, under gunicorn, without
Django's request handling either.

A public vote gets its ballots in bursts (a link shared in a WeChat group brings thousands of voters in a
few minutes), and each ballot through the full stack (middleware, URL resolution, DRF's request, parsers,
serializers, ORM) cost several times the work of the ballot itself: bench/ballots.py measured 147
ballots/s that way on a 2-CPU machine. Here a well-formed ballot is parsed with json, checked against the
vote's ballot paper (voting.services.ballot_paper: a copy a few seconds old, checked again by the INSERT),
and cast by voting.services.cast_ballot with the same rules, messages and answers as CastBallotView.post.
The code is checked first and the ballot written in one statement; a ballot the database refuses after
all gives the code back (cast_ballot's `unverify`).

Two entry points share `cast`:

- CastBallotView.dispatch (runserver, the test client): skips DRF only;
- BallotFastPath, the WSGI application in minsheng/wsgi.py (gunicorn): skips Django's handler for
  `POST /api/v1/votes/<id>/ballots/`, after checking what the skipped middleware would have refused
  (the host against ALLOWED_HOSTS, plain HTTP where HTTPS is required). It sends Django's request_started
  and request_finished signals, which keep the database connections healthy, and adds the security
  headers the middleware would.

Anything else (another path or method, a form, a malformed body, an unknown vote, SQLite) goes the usual
way through Django and DRF, which give their full answers and messages.
"""

import io
import json
import logging
import re

from django.conf import settings
from django.core import signals
from django.db import IntegrityError
from django.http.request import split_domain_port, validate_host
from rest_framework.fields import DateTimeField

from minsheng.api import CONFLICT, domain_error_body
from minsheng.errors import CommonErrorCode, DomainError
from minsheng.net import client_ip_from_meta
from verification import services as verification

from ..services import BallotError, ballot_paper, cast_ballot, check_choices, check_open

logger = logging.getLogger(__name__)

BALLOT_IP_LIMITS = ((60, 120),)  # ballots per minute from one address (a school or office NAT votes too)
_CODE = re.compile(r"\d{6}")
_PATH = re.compile(r"/api/v1/votes/(\d{1,18})/ballots/")


def well_formed_ballot(content_type: str, body: bytes) -> tuple[str, str, list[int]] | None:
    """(phone, code, options) when the body is JSON that CastBallotSerializer would accept as it is;
    None otherwise (the serializer then says what is wrong)."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    phone, code, options = data.get("phone"), data.get("code"), data.get("options")
    if not (isinstance(phone, str) and 0 < len(phone) <= 20 and phone.strip()):
        return None
    if not (isinstance(code, str) and _CODE.fullmatch(code)):
        return None
    if not (isinstance(options, list) and 0 < len(options) <= 100):
        return None
    if not all(type(option) is int and option >= 1 for option in options):
        return None
    return phone.strip(), code, options


def cast(vote_id: int, ballot: tuple[str, str, list[int]], ip: str) -> tuple[int, dict] | None:
    """Cast a well-formed ballot: (HTTP status, JSON body), or None when the vote is unknown (the usual
    way answers that)."""
    phone, code, options = ballot
    vote, titles = ballot_paper(vote_id)
    if vote is None:
        return None
    try:
        try:
            check_open(vote)
            check_choices(vote, options, titles)
        except BallotError:  # perhaps only the process's copy of the paper is out of date
            vote, titles = ballot_paper(vote_id, fresh=True)
            if vote is None:
                return None
        limits = verification.limits("ballot_ip_limits", BALLOT_IP_LIMITS)
        verification.check_rate(f"ballot-ip:{ip}", limits, "操作过于频繁，请{wait}后再试。")
        cast_ = cast_ballot(
            vote,
            verification.claimed_phone(phone),
            options,
            verify=lambda: verification.check_code(phone, code, purpose="vote"),
            unverify=lambda: verification.give_back(phone, code, purpose="vote"),
            titles=titles,
        )
    except DomainError as error:
        return error.status, domain_error_body(error)
    except IntegrityError:
        return 409, CONFLICT
    return 201, {
        "receipt": cast_.receipt,
        "vote_id": vote.pk,
        "vote": vote.title,
        "phone_masked": cast_.phone_masked,
        "cast_at": _iso(cast_.cast_at),
        "options": cast_.option_titles,
    }


_iso = DateTimeField().to_representation  # a datetime as ReceiptSerializer writes it


_HEADERS = [
    ("Content-Type", "application/json"),
    # What SecurityMiddleware and XFrameOptionsMiddleware add to every answer.
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
]


class BallotFastPath:
    """WSGI application: ballots straight to `cast`, everything else to Django's `application`."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        match = environ.get("REQUEST_METHOD") == "POST" and _PATH.fullmatch(environ.get("PATH_INFO", ""))
        if not match or not self.allowed(environ):
            return self.application(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= 4096:  # a ballot is a few hundred bytes; Django judges anything else
            return self.application(environ, start_response)
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # for Django, if it has to answer after all
        ballot = well_formed_ballot(environ.get("CONTENT_TYPE", ""), body)
        if ballot is None:
            return self.application(environ, start_response)
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            answer = cast(int(match[1]), ballot, client_ip_from_meta(environ))
        except Exception:
            logger.exception("ballot failed: %s", environ.get("PATH_INFO"))
            answer = (
                500,
                {"code": CommonErrorCode.SERVER_ERROR, "detail": "服务器内部错误，选票未计入，请稍后重试。"},
            )
        finally:
            signals.request_finished.send(sender=self.__class__)
        if answer is None:
            return self.application(environ, start_response)
        status, payload = answer
        content = json.dumps(payload, ensure_ascii=False).encode()
        start_response(
            f"{status} {_REASONS.get(status, '')}".rstrip(),
            [*_HEADERS, ("Content-Length", str(len(content)))],
        )
        return [content]

    @staticmethod
    def allowed(environ) -> bool:
        """What the skipped Django handler would have let through: a host in ALLOWED_HOSTS, and HTTPS
        where the settings redirect plain HTTP."""
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        domain, _ = split_domain_port(host)
        allowed_hosts = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed_hosts:
            allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
        if not domain or not validate_host(domain, allowed_hosts):
            return False
        if settings.SECURE_SSL_REDIRECT:
            header = settings.SECURE_PROXY_SSL_HEADER
            secure = (
                environ.get(header[0], "").split(",")[0].strip() == header[1]
                if header
                else environ.get("wsgi.url_scheme") == "https"
            )
            if not secure:
                return False
        return True


_REASONS = {
    201: "Created",
    400: "Bad Request",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
