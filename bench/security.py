#!/usr/bin/env python
"""What the security middleware costs: the project list API with the whole middleware stack against the
same request without the security layers (second factor, session limits, audit logging, CSP), alternately
in the same run.

Goal (issue 15): the added middleware costs under 5 ms per request at the 95th percentile.

    .venv/bin/python bench/security.py [--projects 300] [--repeat 400]

Calls go through Django's test client (middleware, session, authentication, DRF, JSON) as the city's
leader with a verified second factor. The database is postgres://postgres@127.0.0.1:5432/ms_bench_sec (or
--database-url / BENCH_DATABASE_URL; the name must contain "bench": the data is wiped). Exits 0 when the
goal is met, 1 otherwise.
"""

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lights import setup_django  # noqa: E402


def _load_dashboard_bench():
    """bench/dashboard.py's generator, loaded under another name: `dashboard` is also the app whose API
    module the URL configuration imports."""
    import importlib.util

    path = Path(__file__).resolve().parent / "dashboard.py"
    spec = importlib.util.spec_from_file_location("bench_dashboard", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_dashboard_bench = _load_dashboard_bench()
generate, percentile = _dashboard_bench.generate, _dashboard_bench.percentile

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ms_bench_sec"
GOAL_MS = 5.0
URL = "/api/v1/projects/"
# The layers issue 15 added, by the start of their dotted path in settings.MIDDLEWARE.
SECURITY_LAYERS = (
    "minsheng.methods.",
    "minsheng.csp.",
    "twofactor.",
    "accounts.",
    "axes.",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=400, help="timed calls with and without the layers")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args()


def signed_in_client(user):
    """A test client signed in as `user`, the second factor passed as the verify page would."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> int:
    args = parse_args()
    os.environ["ALLOWED_HOSTS"] = "testserver"
    setup_django(args.database_url)
    from django.conf import settings
    from django.test import override_settings

    from org.models import User

    counts = generate(SimpleNamespace(years=1, projects=args.projects, months=6, targets=2, seed=args.seed))
    leader = User.objects.get(username="bench_leader")
    full = list(settings.MIDDLEWARE)
    bare = [name for name in full if not name.startswith(SECURITY_LAYERS)]
    removed = [name for name in full if name not in bare]
    print(f"data: {counts['projects']} projects; {args.repeat} calls each; the layers measured:")
    for name in removed:
        print(f"  {name}")
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")

    # Two clients of one account: the one-session rule (applied at sign-in, not per request) would end
    # the first client's session when the second signs in.
    settings.MINSHENG_SESSION_ALLOW_MULTIPLE = True
    with_layers = signed_in_client(leader)
    with override_settings(MIDDLEWARE=bare):
        without_layers = signed_in_client(leader)
        without_layers.get(URL)  # the handler loads its middleware chain on the first call

    def call(client) -> float:
        started = time.perf_counter()
        response = client.get(URL, {"page_size": 50})
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{URL}: HTTP {response.status_code} {response.content[:200]!r}")
        return elapsed

    call(with_layers)
    call(without_layers)
    times, base = [], []
    # The collector's pauses (tens of ms after ~100 ms of allocation per call) land on whichever call
    # happens to trigger them and would swamp a difference of a few ms at p95: each pair runs with the
    # collector off, after a collection outside the timing.
    gc.collect()
    gc.freeze()
    for i in range(args.repeat):  # alternately, the order swapped each round, so both see the same load
        gc.collect()
        gc.disable()
        pair = (with_layers, without_layers) if i % 2 == 0 else (without_layers, with_layers)
        first, second = call(pair[0]), call(pair[1])
        gc.enable()
        times.append(first if i % 2 == 0 else second)
        base.append(second if i % 2 == 0 else first)
    p95, base_p95 = percentile(times, 0.95), percentile(base, 0.95)
    cost = p95 - base_p95
    print(f"{'':<16} {'p50 ms':>8} {'p95 ms':>8}")
    print(f"{'with the layers':<16} {statistics.median(times):8.2f} {p95:8.2f}")
    print(f"{'without':<16} {statistics.median(base):8.2f} {base_p95:8.2f}")
    print(
        f"cost at p95: {cost:.2f} ms (ratio {p95 / base_p95:.3f}); goal < {GOAL_MS:.0f} ms: "
        + ("PASS" if cost < GOAL_MS else "FAIL")
    )
    return 0 if cost < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
