"""Benchmark: every page as every role, at a city's size and at the demo's; then load.

    .venv/bin/python bench/pages.py --workers 10000            # SQLite files in bench/out/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpf_pages \
        .venv/bin/python bench/pages.py --workers 10000 --reuse
    .venv/bin/python bench/pages.py --workers 10000 --reuse --load-only  # load alone

For each size (``--workers`` and the default demo's ``--small-workers``) it builds
a city with ``seed_demo`` and a year of locked monthly cycles (or, with
``--reuse``, keeps one built by an earlier run), then:

(a) requests every GET page that a demo role can open, as that role (past
    the second factor for the roles that need one), in-process through
    Django's test client with DEBUG off: median and p95 server time, median
    CPU time of this process, query count and size per page and role, and
    flags a page whose query count at the large size differs from the small
    one;
(b) serves the large city with gunicorn and drives it with ``--sessions``
    concurrent logged-in sessions over a mix of those pages for ``--seconds``
    (a small threaded client; no think time), printing throughput, p50/p95/max
    per page, the error count (a landing on the login or 2FA page is one) and
    the CPU seconds of gunicorn's workers and the database's backends.

Pages are read on ``bench_day`` (31 December when a year of months does not
fit before today). The last line printed is one JSON object: ``workers``,
``months``, ``day``, ``pages`` (``name``, ``role``, ``median_ms``, ``p95_ms``,
``cpu_ms``, ``queries``, ``queries_small``, ``bytes``), ``load``
(``sessions``, ``seconds``, ``requests``, ``rps``, ``p50_ms``, ``p95_ms``,
``errors``, ``server_cpu_seconds``, ``server_cpu_ms_per_request``,
``loadavg_1min_before_after``) and ``query_growth`` (pages whose count
differs).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PER_COMMUNITY = 16

# Which demo login speaks for each role (core.demo makes them).
ROLE_USERS = {
    "city_staff": "city",
    "district_staff": "district",
    "finance": "finance",
    "street_officer": "street",
    "secretary": "secretary",
    "auditor": "auditor",
    "admin": "admin",
    "worker": "worker",
}

# The model behind a URL's ``pk``, by URL name (app label, model name), and how
# to reach a community from it, so the object is taken from the role's scope.
PK_MODELS = {
    "payroll:scale-": ("payroll", "ScaleVersion", None),
    "payroll:indexation-preview": ("payroll", "ScaleVersion", None),
    "payroll:worker-": ("core", "Worker", "community"),
    "payroll:cycle-": ("payroll", "PayrollCycle", None),
    "payroll:payslip-": ("payroll", "Payslip", "worker__community"),
    "payroll:annuity-account": ("payroll", "AnnuityAccount", "worker__community"),
    "funding:file-download": (
        "funding",
        "StoredFile",
        "expense__project__fund_year__community",
    ),
    "funding:objection-": ("funding", "Objection", "project__fund_year__community"),
    "funding:meeting-": ("funding", "Project", "fund_year__community"),
    "funding:expense-create": ("funding", "Project", "fund_year__community"),
    "funding:fund-year-": ("funding", "FundYear", "community"),
    "funding:project-": ("funding", "Project", "fund_year__community"),
    "funding:fund-year-statement": ("funding", "FundYear", "community"),
    "core:worker-": ("core", "Worker", "community"),
}

# Pages that change something or only answer POST; never requested.
SKIP_PREFIXES = (
    "logout",
    "set_language",
    "login",
    "payroll:cycle-action",
    "payroll:scale-copy",
    "payroll:scale-adopt",
    "payroll:scale-import",
    "payroll:annuity-leave",
    "payroll:annuity-entry-reverse",
    "funding:project-transition",
    "funding:fund-year-close",
    "funding:expense-reverse",
    "funding:objection-answer",
)

# Relative weight of a page in the load mix: pages read every day weigh more
# than exports, which staff download a few times a month.
DOWNLOAD_SUFFIXES = (".xlsx", ".csv", ".pdf", "export/", "template/")


def url_patterns() -> list[tuple[str, list[str]]]:
    """(namespaced name, its keyword arguments) of every app URL, admin excluded."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[tuple[str, list[str]]] = []

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append((name, list(pattern.pattern.converters)))

    walk(get_resolver(), None)
    return found


def _candidates(name: str, user) -> list[dict]:
    """Keyword arguments to try for ``name`` as ``user``: objects in scope first."""
    from django.apps import apps

    found = [spec for prefix, spec in PK_MODELS.items() if name.startswith(prefix)]
    if not found:
        return []
    app_label, model_name, path = found[0]
    model = apps.get_model(app_label, model_name)
    queryset = model._default_manager.order_by("-pk")
    picks: list[int] = []
    if path:
        for field in ("community_id", "street_id", "district_id"):
            value = getattr(user, field, None)
            if value:
                lookup = {
                    "community_id": f"{path}_id",
                    "street_id": f"{path}__street_id",
                    "district_id": f"{path}__street__district_id",
                }[field]
                picks += list(
                    queryset.filter(**{lookup: value}).values_list("pk", flat=True)[:2]
                )
                break
        worker_id = getattr(user, "worker_id", None)
        if worker_id and model_name in ("Worker", "Payslip"):
            lookup = "pk" if model_name == "Worker" else "worker_id"
            picks = list(
                queryset.filter(**{lookup: worker_id}).values_list("pk", flat=True)[:2]
            )
    picks += list(queryset.values_list("pk", flat=True)[:2])
    seen: list[int] = []
    for pk in picks:
        if pk not in seen:
            seen.append(pk)
    return [{"pk": pk} for pk in seen[:3]]


def _kwargs_for(name: str, params: list[str], user) -> list[dict]:
    if not params:
        return [{}]
    if params == ["pk"]:
        return _candidates(name, user)
    if name == "funding:public-community":
        from core.models import Community

        code = getattr(user.community, "code", None) if user.community_id else None
        code = code or Community.objects.values_list("code", flat=True).first()
        return [{"code": code}] if code else []
    if name.startswith(("payroll:payroll-data-", "payroll:scale-import")):
        return [{"table": "bases"}, {"table": "declarations"}, {"table": "bonuses"}]
    return []


def _login(client, user) -> None:
    """Sign ``user`` in, past the second factor that admins, finance staff
    and auditors must give (a confirmed recovery device marked as used in
    the session, as django-otp does after a code), so their pages are
    measured rather than the verification page."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from core.twofactor import two_factor_required_for

    client.force_login(user)
    if two_factor_required_for(user):
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def discover(repeat: int, skip_downloads: bool = False) -> dict:
    """Measure every GET page each demo role can open (phase ``measure``)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from core.models import User

    users = {
        role: User.objects.filter(username=username).first()
        for role, username in ROLE_USERS.items()
    }
    users = {role: user for role, user in users.items() if user is not None}
    pages = []
    skipped = []
    for name, params in url_patterns():
        if name.startswith(SKIP_PREFIXES):
            continue
        for role, user in users.items():
            client = Client(HTTP_HOST="127.0.0.1")
            _login(client, user)
            options = _kwargs_for(name, params, user)
            if params and not options:
                skipped.append(name)
                break
            for kwargs in options:
                url = reverse(name, kwargs=kwargs)
                if skip_downloads and url.endswith(DOWNLOAD_SUFFIXES):
                    break
                response = client.get(url)
                if response.status_code != 200:
                    continue
                timings, cpu, queries, size = [], [], 0, 0
                for _ in range(repeat):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        cpu_started = time.process_time()
                        response = client.get(url)
                        content = (
                            b"".join(response)
                            if response.streaming
                            else response.content
                        )
                        timings.append((time.perf_counter() - started) * 1000)
                        cpu.append((time.process_time() - cpu_started) * 1000)
                    queries, size = len(captured), len(content)
                timings.sort()
                pages.append(
                    {
                        "name": name,
                        "role": role,
                        "url": url,
                        "median_ms": round(statistics.median(timings), 1),
                        "p95_ms": round(
                            timings[min(len(timings) - 1, int(len(timings) * 0.95))], 1
                        ),
                        # this process's CPU (Django's side, not the database's)
                        "cpu_ms": round(statistics.median(cpu), 1),
                        "queries": queries,
                        "bytes": size,
                    }
                )
                break
    sessions = {}
    for role, user in users.items():
        client = Client()
        _login(client, user)
        sessions[role] = client.cookies["sessionid"].value
    return {"pages": pages, "skipped": sorted(set(skipped)), "sessions": sessions}


def locked_months() -> int:
    from payroll.models import PayrollCycle

    return (
        PayrollCycle.objects.filter(status=PayrollCycle.Status.LOCKED)
        .values("year", "month")
        .distinct()
        .count()
    )


def _cycle_services():
    try:
        from payroll.cycles import services  # the layout of issue 14
    except ImportError:  # pragma: no cover - before the move
        from payroll.services import cycles as services
    return services


def bench_day(months: int) -> date:
    """The day the city is built and measured on: today when ``months``
    months of this year lie before this month, else 31 December, with
    December's cycle locked too (the demo's tables start in January, so a
    year of locked months is this calendar year, read as on its last day)."""
    from core import clock

    today = clock.today()
    if months < today.month:
        return today
    return date(today.year, 12, 31)


def wanted_months(months: int, day: date) -> list[tuple[int, int]]:
    """The ``months`` (year, month) pairs ending last month, or ending this
    month when ``day`` is the year's last day."""
    year, month = day.year, day.month
    if (month, day.day) == (12, 31):
        year, month = year + 1, 1
    wanted = []
    for _ in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        wanted.append((year, month))
    return sorted(wanted)


def build(workers: int, months: int, reuse: bool) -> None:
    """Seed a city and lock ``months`` monthly cycles (see ``bench_day``)."""
    from django.core.management import call_command
    from django.db import connection

    from core import clock
    from core.models import Community, Role, User, Worker
    from payroll.models import PayrollCycle

    call_command("migrate", verbosity=0)
    communities = max(1, round(workers / PER_COMMUNITY))
    # The demo's past hires and lets go, so its communities tell a city
    # built earlier, not its workers.
    built = Worker.objects.exists() and Community.objects.count() == communities
    if not (reuse and built):
        with open(os.devnull, "w") as devnull:
            call_command(
                "seed_demo",
                "--reset",
                "--communities", str(communities),
                "--workers-per-community", str(PER_COMMUNITY),
                "--seed", "1",
                stdout=devnull,
            )  # fmt: skip
    services = _cycle_services()
    maker = User.objects.filter(role=Role.FINANCE).order_by("pk").first()
    checker = User.objects.filter(role=Role.FINANCE).exclude(pk=maker.pk).first()
    # seed_demo lives this year up to last month on the real clock; the
    # months after that are locked on the benchmark's day (see bench_day).
    day = bench_day(months)
    for year, month in wanted_months(months, day):
        cycle = (
            PayrollCycle.objects.filter(year=year, month=month, district__isnull=True)
            .exclude(status=PayrollCycle.Status.CANCELLED)
            .first()
        )
        if cycle and cycle.status == PayrollCycle.Status.LOCKED:
            continue
        with clock.frozen(day):
            if cycle is None or cycle.status in (
                PayrollCycle.Status.DRAFT,
                PayrollCycle.Status.FAILED,
            ):
                cycle = services.payroll_cycle_start(
                    year=year, month=month, actor=maker
                )
            cycle.refresh_from_db()
            if cycle.status == PayrollCycle.Status.COMPUTED:
                cycle = services.payroll_cycle_approve(cycle=cycle, actor=checker)
            if cycle.status == PayrollCycle.Status.APPROVED:
                services.payroll_cycle_lock(cycle=cycle, actor=checker)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a settled database: statistics, and the
        # visibility map that lets index-only scans skip the heap.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _database_url(workers: int) -> str:
    base = os.environ.get("DATABASE_URL")
    if base and not base.startswith("sqlite"):
        root, _, name = base.rpartition("/")
        return f"{root}/{name}_{workers}"
    OUT.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{OUT}/pages_{workers}.sqlite3"


def _create_postgres_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    root, _, name = url.rpartition("/")
    import psycopg

    with psycopg.connect(f"{root}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _phase(args: argparse.Namespace, phase: str, workers: int, url: str) -> dict:
    """Run one phase in a child process (a fresh Django for each database)."""
    command = [
        sys.executable, __file__, "--phase", phase,
        "--workers", str(workers), "--months", str(args.months),
        "--repeat", str(args.repeat),
    ] + (["--reuse"] if args.reuse else []) + (
        ["--skip-downloads"] if args.skip_downloads else []
    )  # fmt: skip
    env = dict(os.environ, DATABASE_URL=url)
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"phase {phase} for {workers} workers failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


class _PlainHttpPolicy(http.cookiejar.DefaultCookiePolicy):
    """Send the session cookie back although the server marks it Secure:
    gunicorn is reached here over plain HTTP, as behind the TLS proxy.
    (Without this every request after a session's first, whose response
    renews the cookie, was served the login page.)"""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc), 0 when gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pids(master: int, url: str) -> list[int]:
    """Gunicorn's workers and the PostgreSQL backends serving the database."""
    pids = []
    for task in Path(f"/proc/{master}/task").glob("*/children"):
        pids += [int(pid) for pid in task.read_text().split()]
    if not url.startswith("sqlite"):
        import psycopg

        root, _, name = url.rpartition("/")
        with psycopg.connect(f"{root}/postgres", autocommit=True) as conn:
            pids += [
                row[0]
                for row in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,)
                )
            ]
    return pids


def load(args: argparse.Namespace, url: str, measured: dict) -> dict:
    """Serve the city with gunicorn and drive it with concurrent sessions."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=url, BENCH_TODAY=measured["day"])
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
            "--config", str(ROOT / "bench" / "gunicorn_clock.py"),
            "--workers", str(args.gunicorn_workers), "--bind", f"127.0.0.1:{port}",
            "--timeout", "60", "--log-level", "warning",
        ],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
                break
            except OSError:  # not listening yet, or still booting
                time.sleep(0.2)
        by_role: dict[str, list[dict]] = {}
        for page in measured["pages"]:
            by_role.setdefault(page["role"], []).append(page)
        # Sessions by role, roughly as the city's users are spread.
        mix = ["secretary"] * 5 + ["finance"] * 4 + ["district_staff"] * 3
        mix += ["street_officer"] * 3 + ["auditor"] * 2 + ["city_staff"] * 2
        mix += ["worker"] * 1
        mix = [role for role in mix if role in by_role and role in measured["sessions"]]
        results: list[tuple[str, float, bool]] = []
        lock = threading.Lock()
        stop_at = time.perf_counter() + args.seconds

        def session(index: int) -> None:
            rng = random.Random(index)
            role = mix[index % len(mix)]
            jar = http.cookiejar.CookieJar(policy=_PlainHttpPolicy())
            cookie = http.cookiejar.Cookie(
                0, "sessionid", measured["sessions"][role], None, False,
                "127.0.0.1", False, False, "/", True, False, None, True,
                None, None, {},
            )  # fmt: skip
            jar.set_cookie(cookie)
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(jar)
            )
            pages = by_role[role]
            weights = [
                0.1 if page["url"].endswith(DOWNLOAD_SUFFIXES) else 1.0
                for page in pages
            ]
            while time.perf_counter() < stop_at:
                page = rng.choices(pages, weights)[0]
                started = time.perf_counter()
                ok = True
                try:
                    with opener.open(base + page["url"], timeout=60) as response:
                        response.read()
                        # a lost session lands on the login page: an error
                        landed = urllib.parse.urlsplit(response.geturl()).path
                        ok = response.status == 200 and (
                            landed == urllib.parse.urlsplit(page["url"]).path
                            or not landed.startswith(
                                ("/accounts/login/", "/accounts/2fa/")
                            )
                        )
                except OSError:  # URLError, refused, reset or timed out
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    results.append((page["name"], elapsed, ok))

        threads = [
            threading.Thread(target=session, args=(i,)) for i in range(args.sessions)
        ]
        cpu_before = {pid: _cpu_seconds(pid) for pid in _server_pids(server.pid, url)}
        load_before = os.getloadavg()
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        load_after = os.getloadavg()
        # backends opened during the run count from zero
        server_cpu = sum(
            _cpu_seconds(pid) - cpu_before.get(pid, 0.0)
            for pid in _server_pids(server.pid, url)
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    times = sorted(t for _, t, _ in results)
    per_page: dict[str, list[float]] = {}
    for name, elapsed, _ in results:
        per_page.setdefault(name, []).append(elapsed)

    def pct(values: list[float], share: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(len(values) * share))], 1)

    return {
        "sessions": args.sessions,
        "seconds": round(wall, 1),
        "requests": len(results),
        "rps": round(len(results) / wall, 1) if wall else 0,
        "p50_ms": pct(times, 0.5) if times else None,
        "p95_ms": pct(times, 0.95) if times else None,
        "max_ms": round(times[-1], 1) if times else None,
        "errors": sum(1 for *_, ok in results if not ok),
        "gunicorn_workers": args.gunicorn_workers,
        # CPU of gunicorn's workers and the database's backends during the
        # run: on a shared machine, what a quiet one would sustain is
        # cores / server_cpu_ms_per_request.
        "server_cpu_seconds": round(server_cpu, 1),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / len(results), 1)
        if results
        else None,
        "loadavg_1min_before_after": [
            round(load_before[0], 2),
            round(load_after[0], 2),
        ],
        "per_page": {
            name: {
                "requests": len(values),
                "p50_ms": pct(values, 0.5),
                "p95_ms": pct(values, 0.95),
                "max_ms": round(max(values), 1),
            }
            for name, values in sorted(per_page.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--small-workers", type=int, default=450)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--gunicorn-workers", type=int, default=(os.cpu_count() or 2) * 2
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep a city built earlier"
    )
    parser.add_argument("--no-load", action="store_true", help="skip the load phase")
    parser.add_argument(
        "--skip-downloads",
        action="store_true",
        help="measure and load only the pages, not the exports and PDFs "
        "(a city's exports take seconds each on a busy machine)",
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="only the load: the large city's pages requested once to find "
        "them (no small city, no page figures worth keeping)",
    )
    parser.add_argument("--phase", choices=["build", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    # Measured as deployed: DEBUG off, a real secret, INFO logs off.
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    if args.phase:
        _setup(os.environ["DATABASE_URL"])
        from core import clock

        day = bench_day(args.months)
        if args.phase == "build":
            build(args.workers, args.months, args.reuse)
            print(json.dumps({"months": locked_months()}))
            return
        with clock.frozen(day):
            result = discover(args.repeat, args.skip_downloads)
            result["months"] = locked_months()
            result["day"] = day.isoformat()
            print(json.dumps(result))
        return

    started = time.perf_counter()
    sizes = {"large": args.workers, "small": args.small_workers}
    if args.load_only:
        sizes = {"large": args.workers}
        args.repeat, args.no_load = 1, False
    measured = {}
    for label, workers in sizes.items():
        url = _database_url(workers)
        _create_postgres_database(url)
        _phase(args, "build", workers, url)
        measured[label] = _phase(args, "measure", workers, url)
        measured[label]["url"] = url
        for page in measured[label]["pages"]:
            print(
                f"{label:5} {page['role']:15} {page['name']:32} "
                f"median {page['median_ms']:7.1f} ms  p95 {page['p95_ms']:7.1f} ms  "
                f"cpu {page['cpu_ms']:7.1f} ms  "
                f"{page['queries']:3} queries  {page['bytes']:8} B",
                file=sys.stderr,
            )
    small = {
        (p["name"], p["role"]): p["queries"]
        for p in measured.get("small", {}).get("pages", [])
    }
    pages = []
    growth = []
    for page in measured["large"]["pages"]:
        queries_small = small.get((page["name"], page["role"]))
        row = {
            key: page[key]
            for key in (
                "name",
                "role",
                "median_ms",
                "p95_ms",
                "cpu_ms",
                "queries",
                "bytes",
            )
        }
        row["queries_small"] = queries_small
        pages.append(row)
        if queries_small is not None and queries_small != page["queries"]:
            growth.append(
                f"{page['name']} as {page['role']}: {queries_small} -> {page['queries']}"
            )
            print(f"QUERY COUNT GROWS: {growth[-1]}", file=sys.stderr)
    slow = [p for p in pages if p["median_ms"] > 150]
    for page in slow:
        print(
            f"SLOW: {page['name']} as {page['role']}: median {page['median_ms']} ms",
            file=sys.stderr,
        )
    result = {
        "workers": args.workers,
        "workers_small": args.small_workers,
        "months": measured["large"]["months"],
        "day": measured["large"]["day"],
        "database": "sqlite"
        if measured["large"]["url"].startswith("sqlite")
        else "postgresql",
        "pages": pages,
        "slow_pages": len(slow),
        "query_growth": growth,
        "skipped": measured["large"]["skipped"],
        "downloads_skipped": args.skip_downloads,
    }
    if not args.no_load:
        result["load"] = load(args, measured["large"]["url"], measured["large"])
        for name, figures in result["load"]["per_page"].items():
            print(f"load  {name:32} {figures}", file=sys.stderr)
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
