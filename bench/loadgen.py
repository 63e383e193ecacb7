"""The load generator of the deadline rush: simulated applicants over raw HTTP/1.1 keep-alive.

Runs in its own process, with no Django: ``python -m bench.loadgen PLAN.json RESULTS.json``.
The plan (written by ``deadline_rush.py``) names the server, the form, the
applicants' session cookies and what each applicant does. Every applicant is
an asyncio task with its own keep-alive connection, as one browser tab is:

    GET form page → POST start → (GET, POST) per step, the PDF as multipart
    → GET check → POST check (twice at once for double-clickers) → GET submitted

Some applicants mistype the bank code first (422, then corrected), some
answer "yes" and get the conditional step. After the wizard phase, the same
number of clients loop GET + POST on the bare form for the baseline.

Each request is timed from the first byte written to the last byte read.
Results are raw: the orchestrator computes the figures and checks.
"""

import asyncio
import contextlib
import json
import random
import re
import sys
import time
import uuid
from urllib.parse import urlencode, urlsplit

CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# What each kind of request must answer; anything else is an error. 409 (a quota
# refusal) is an expected outcome of "check POST", counted apart.
EXPECTED = {
    "landing GET": {200},
    "start POST": {302},
    "step GET": {200},
    "step POST": {302},
    "step POST (invalid)": {422},
    "check GET": {200},
    "check POST": {302, 409},
    "submitted GET": {200},
    "bare GET": {200},
    "bare POST": {302},
}


class HttpError(Exception):
    """A request that failed below HTTP (connection, timeout) or answered what it must not."""


class StaleConnection(ConnectionError):
    """The server closed a kept-alive connection before sending anything back."""


class Connection:
    """One keep-alive HTTP/1.1 connection with a cookie jar (shared by a double-clicker's two tabs)."""

    def __init__(self, host, port, jar, stats, keep_alive=True):
        self.host, self.port, self.jar, self.stats = host, port, jar, stats
        self.keep_alive = keep_alive
        self.reader = self.writer = None
        self.used = False

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    def _head(self, method, path, body, content_type):
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "User-Agent: deadline-rush/1",
            "Accept: text/html",
            "Connection: keep-alive" if self.keep_alive else "Connection: close",
        ]
        if self.jar:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.jar.items()))
        if method == "POST":
            lines.append(f"Content-Type: {content_type}")
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def _read_response(self):
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as error:
            if error.partial:
                raise
            # Nothing at all came back: the server closed an idle keep-alive connection.
            raise StaleConnection("closed before the response") from error
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers.setdefault(name.strip().lower(), []).append(value.strip())
        if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
            body = bytearray()
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
            body = bytes(body)
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"][0]))
        elif status in (204, 304) or status < 200:
            body = b""
        else:
            body = await self.reader.read()
            headers["connection"] = ["close"]
        return status, headers, body

    def _keep_cookies(self, headers):
        for cookie in headers.get("set-cookie", []):
            pair, _sep, attributes = cookie.partition(";")
            name, _eq, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", "") or value in ("", '""'):
                self.jar.pop(name, None)
            else:
                self.jar[name] = value

    async def request(self, method, path, body=b"", content_type="application/x-www-form-urlencoded"):
        """Send one request on the kept-alive connection; return ``(status, headers, body)``."""
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
                self.used = False
            reused = self.used
            try:
                self.writer.write(self._head(method, path, body, content_type) + body)
                await self.writer.drain()
                status, headers, data = await self._read_response()
            except (StaleConnection, BrokenPipeError, ConnectionResetError):
                await self.close()
                if reused and attempt == 1:
                    # A stale keep-alive connection, as browsers retry it: once, on a new one.
                    self.stats["reconnects"] += 1
                    continue
                raise
            self.used = True
            self._keep_cookies(headers)
            if not self.keep_alive or "close" in ",".join(headers.get("connection", [])).lower():
                await self.close()
            return status, headers, data
        raise AssertionError("unreachable")


def multipart(fields, files):
    """Return ``(body, content type)`` of a multipart/form-data POST."""
    boundary = f"----deadline-rush-{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content_type, content in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def location_path(headers):
    location = headers.get("location", [""])[0]
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Runner:
    """Runs the phases of one plan and collects every request's outcome."""

    def __init__(self, plan):
        self.plan = plan
        self.host, self.port = plan["host"], plan["port"]
        self.pdf = bytes.fromhex(plan["pdf_hex"])
        self.timeout = plan["request_timeout"]
        self.stats = {"reconnects": 0}
        self.records = {"warmup": [], "probe": [], "wizard": [], "bare": []}
        self.keep_alive = plan["keep_alive"]
        self.errors = []
        self.in_flight = self.peak_in_flight = 0
        self.workers = {"wizard": {}, "bare": {}}  # phase -> gunicorn worker pid -> requests served

    # --- requests ------------------------------------------------------------------------------------

    async def call(self, phase, kind, conn, method, path, data=None, files=None, expect=None):
        """Time one request; record it; raise ``HttpError`` unless its status is expected."""
        body, content_type = b"", "application/x-www-form-urlencoded"
        if files:
            body, content_type = multipart(list((data or {}).items()), files)
        elif data is not None:
            body = urlencode(data).encode()
        start = time.perf_counter()
        status, headers, payload, error = None, {}, b"", ""
        try:
            status, headers, payload = await asyncio.wait_for(
                conn.request(method, path, body, content_type), self.timeout
            )
        except TimeoutError:
            error = f"timeout after {self.timeout}s"
            await conn.close()
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            await conn.close()
        end = time.perf_counter()
        expected = expect or EXPECTED[kind]
        ok = not error and status in expected
        if not ok and not error:
            error = f"unexpected status {status}"
            if status and status >= 500:
                error += ": " + payload[:300].decode("utf-8", "replace")
        self.records[phase].append((kind, status or 0, round((end - start) * 1000, 3), end, ok))
        worker = (headers.get("x-bench-worker") or [""])[0]
        if phase in self.workers and worker:
            self.workers[phase][worker] = self.workers[phase].get(worker, 0) + 1
        if not ok:
            self.errors.append({"phase": phase, "kind": kind, "path": path, "error": error})
            raise HttpError(error)
        return status, headers, payload

    def fail(self, phase, kind, path, message):
        """Record a wrong turn that the status alone does not show, and stop the journey."""
        self.errors.append({"phase": phase, "kind": kind, "path": path, "error": message})
        raise HttpError(message)

    def token(self, conn, payload):
        match = CSRF_RE.search(payload)
        return match.group(1).decode() if match else conn.jar.get("csrftoken", "")

    # --- one applicant -------------------------------------------------------------------------------

    async def journey(self, phase, form_url, who):
        """Take one applicant from the form page to a submission (or a refusal); return the outcome."""
        jar = {"sessionid": who["session"]}
        conn = Connection(self.host, self.port, jar, self.stats, self.keep_alive)
        outcome = {"index": who["index"], "draft_id": None, "outcome": "error", "check_statuses": []}
        management = self.plan["management"][form_url]
        try:
            _s, _h, page = await self.call(phase, "landing GET", conn, "GET", form_url)
            _s, headers, _b = await self.call(
                phase,
                "start POST",
                conn,
                "POST",
                form_url + "start/",
                {"csrfmiddlewaretoken": self.token(conn, page)},
            )
            step_path = location_path(headers)
            match = re.search(r"/apply/(\d+)/basic/$", step_path)
            if match is None:
                self.fail(phase, "start POST", form_url, f"start redirected to {step_path}")
            draft_id = outcome["draft_id"] = int(match.group(1))
            base = f"{form_url}apply/{draft_id}/"
            basic = {
                "basic-team_name": who["team"],
                "basic-is_base": "yes" if who["is_base"] else "no",
                "basic-bank_code": "102331000011",
            }
            _s, _h, page = await self.call(phase, "step GET", conn, "GET", base + "basic/")
            if who["typo"]:
                _s, _h, page = await self.call(
                    phase,
                    "step POST (invalid)",
                    conn,
                    "POST",
                    base + "basic/",
                    {
                        "csrfmiddlewaretoken": self.token(conn, page),
                        management: "basic",
                        **basic,
                        "basic-bank_code": "1023",
                    },
                )
            next_step = "base" if who["is_base"] else "plan"
            await self.post_step(phase, conn, base, "basic", page, management, basic, base + f"{next_step}/")
            if who["is_base"]:
                _s, _h, page = await self.call(phase, "step GET", conn, "GET", base + "base/")
                data = {"base-established": "2019-06-18"}
                await self.post_step(phase, conn, base, "base", page, management, data, base + "plan/")
            _s, _h, page = await self.call(phase, "step GET", conn, "GET", base + "plan/")
            plan = {"plan-activities-rows": str(len(who["rows"]))}
            for i, (name, budget) in enumerate(who["rows"]):
                plan[f"plan-activities-{i}-name"] = name
                plan[f"plan-activities-{i}-budget"] = str(budget)
            files = [("plan-plan_file", "申报书.pdf", "application/pdf", self.pdf)]
            await self.post_step(phase, conn, base, "plan", page, management, plan, base + "check/", files)
            _s, _h, page = await self.call(phase, "check GET", conn, "GET", base + "check/")
            token = {"csrfmiddlewaretoken": self.token(conn, page)}
            if who["double_submit"]:
                # A double click: the same browser (cookies) posts twice, on two connections, at once.
                second = Connection(self.host, self.port, jar, self.stats, self.keep_alive)
                results = await asyncio.gather(
                    self.call(phase, "check POST", conn, "POST", base + "check/", token),
                    self.call(phase, "check POST", second, "POST", base + "check/", token),
                    return_exceptions=True,
                )
                await second.close()
            else:
                results = [await self.call(phase, "check POST", conn, "POST", base + "check/", token)]
            for result in results:
                if isinstance(result, BaseException):
                    raise result
            statuses = outcome["check_statuses"] = [status for status, _h, _b in results]
            if 302 in statuses:
                for status, headers, _b in results:
                    if status == 302 and location_path(headers) != base + "submitted/":
                        self.fail(phase, "check POST", base, f"check redirected to {location_path(headers)}")
                await self.call(phase, "submitted GET", conn, "GET", base + "submitted/")
            if set(statuses) == {302}:
                outcome["outcome"] = "submitted"
            elif set(statuses) == {409}:
                outcome["outcome"] = "refused"
            else:
                self.fail(phase, "check POST", base, f"a double click answered {statuses}")
        except HttpError as error:
            outcome["error"] = str(error)
        finally:
            await conn.close()
        return outcome

    async def post_step(self, phase, conn, base, step, page, management, data, expected_next, files=None):
        payload = {"csrfmiddlewaretoken": self.token(conn, page), management: step, **data}
        _s, headers, _b = await self.call(phase, "step POST", conn, "POST", base + f"{step}/", payload, files)
        if location_path(headers) != expected_next:
            self.fail(
                phase, "step POST", base, f"step {step} went to {location_path(headers)}, not {expected_next}"
            )

    async def run_journeys(self, phase, form_url, applicants, concurrency, duration):
        """Run every applicant's journey, ``concurrency`` at a time; none starts after ``duration``."""
        gate = asyncio.Semaphore(concurrency)
        started_at = time.perf_counter()
        stop_starting = started_at + duration

        async def one(who):
            async with gate:
                if time.perf_counter() >= stop_starting:
                    return {
                        "index": who["index"],
                        "draft_id": None,
                        "outcome": "not started",
                        "check_statuses": [],
                    }
                self.in_flight += 1
                self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
                try:
                    return await self.journey(phase, form_url, who)
                finally:
                    self.in_flight -= 1

        tasks = [asyncio.create_task(one(who)) for who in applicants]
        done, pending = await asyncio.wait(tasks, timeout=duration + self.plan["grace"])
        for task in pending:
            task.cancel()
        outcomes = []
        for task, who in zip(tasks, applicants, strict=True):
            if task in done and not task.cancelled() and task.exception() is None:
                outcomes.append(task.result())
            else:
                self.errors.append({"phase": phase, "kind": "journey", "path": "", "error": "cut off"})
                outcomes.append(
                    {"index": who["index"], "draft_id": None, "outcome": "cut off", "check_statuses": []}
                )
        return outcomes, time.perf_counter() - started_at

    # --- the baseline --------------------------------------------------------------------------------

    async def bare_client(self, phase, session, until, rows):
        conn = Connection(self.host, self.port, {"sessionid": session}, self.stats, self.keep_alive)
        url = self.plan["bare_url"]
        data = {
            "bare-team_name": "浙江省测试服务团",
            "bare-is_base": "no",
            "bare-bank_code": "102331000011",
            "bare-activities-rows": str(len(rows)),
        }
        for i, (name, budget) in enumerate(rows):
            data[f"bare-activities-{i}-name"] = name
            data[f"bare-activities-{i}-budget"] = str(budget)
        files = [("bare-plan_file", "申报书.pdf", "application/pdf", self.pdf)]
        try:
            while time.perf_counter() < until:
                _s, _h, page = await self.call(phase, "bare GET", conn, "GET", url)
                payload = {"csrfmiddlewaretoken": self.token(conn, page), **data}
                await self.call(phase, "bare POST", conn, "POST", url, payload, files)
        except HttpError:
            pass
        finally:
            await conn.close()

    async def run_bare(self, phase, sessions, concurrency, duration):
        started_at = time.perf_counter()
        until = started_at + duration
        rng = random.Random(7)
        clients = [
            self.bare_client(phase, sessions[i % len(sessions)], until, self.rows(rng))
            for i in range(concurrency)
        ]
        await asyncio.wait_for(asyncio.gather(*clients), duration + self.plan["grace"])
        return time.perf_counter() - started_at

    @staticmethod
    def rows(rng):
        return [(f"活动{n + 1}", rng.randint(1, 50) * 100) for n in range(rng.randint(1, 3))]

    # --- the whole run -------------------------------------------------------------------------------

    async def run(self):
        plan = self.plan
        cpu0 = time.process_time()
        # Warm-up on a form of its own: every worker imports, compiles templates and connects.
        await self.run_journeys("warmup", plan["warmup_url"], plan["warmup"], plan["warmup_concurrency"], 600)
        await self.run_bare("warmup", [w["session"] for w in plan["warmup"]], plan["warmup_concurrency"], 2)
        # Service times without queueing: a few applicants one after another, then one bare client.
        await self.run_journeys("probe", plan["warmup_url"], plan["probe"], 1, 600)
        await self.run_bare("probe", [plan["probe"][0]["session"]], 1, 3)
        self.peak_in_flight = 0
        cpu1, wall1 = time.process_time(), time.time()
        outcomes, wizard_elapsed = await self.run_journeys(
            "wizard", plan["form_url"], plan["applicants"], plan["concurrency"], plan["duration"]
        )
        cpu2, wall2 = time.process_time(), time.time()
        bare_elapsed = await self.run_bare(
            "bare", [a["session"] for a in plan["applicants"]], plan["concurrency"], plan["bare_duration"]
        )
        cpu3, wall3 = time.process_time(), time.time()
        return {
            "phase_times": {"wizard": [wall1, wall2], "bare": [wall2, wall3]},
            "records": {phase: records for phase, records in self.records.items() if phase != "warmup"},
            "warmup_requests": len(self.records["warmup"]),
            "warmup_errors": sum(1 for e in self.errors if e["phase"] in ("warmup", "probe")),
            "errors": [e for e in self.errors if e["phase"] not in ("warmup", "probe")],
            "outcomes": outcomes,
            "elapsed": {"wizard": wizard_elapsed, "bare": bare_elapsed},
            "client_cpu": {"warmup": cpu1 - cpu0, "wizard": cpu2 - cpu1, "bare": cpu3 - cpu2},
            "peak_applicants_in_flight": self.peak_in_flight,
            "reconnects": self.stats["reconnects"],
            "workers": self.workers,
        }


def main(plan_path, results_path):
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    results = asyncio.run(Runner(plan).run())
    with open(results_path, "w", encoding="utf-8") as handle:
        json.dump(results, handle)


if __name__ == "__main__":
    main(*sys.argv[1:3])
