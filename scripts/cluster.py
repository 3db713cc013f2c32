#!/usr/bin/python3
"""A local scale-out cluster (issue 19): PostgreSQL 15, N cp_server processes on loopback and
Debian's haproxy in front of them, health-checking /readyz.

  scripts/run --cluster N [--port 8080] [--data-dir var/cluster]     (what a person runs)
  python3 scripts/cluster.py run N [...]                             (the same, directly)

The cluster tests (tests/cluster/) and bench/cluster-load drive the Cluster class below.
Everything stays on loopback: PostgreSQL listens on a Unix socket in its data directory,
the servers on 127.0.0.1:<port+1>..<port+N>, haproxy on 127.0.0.1:<port>.
"""
import argparse, json, os, shutil, signal, socket, subprocess, sys, time, urllib.error, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_BIN = "/usr/lib/postgresql/15/bin"
DEMO_OWNER = ("owner@demo.test", "demo-password-123")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def free_base(count):
    """A port P with P..P+count-1 free on 127.0.0.1 (haproxy on P, servers after it)."""
    import random
    for _ in range(100):
        base = random.randint(30000, 50000)
        socks = []
        try:
            for p in range(base, base + count):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return base
        except OSError:
            pass
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free range of ports")


def http(port, method, path, body=None, token=None, headers=None, timeout=10):
    """(status, parsed JSON or raw bytes, headers); never raises on an HTTP status."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=data)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw, status, hdrs = r.read(), r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        raw, status, hdrs = e.read(), e.code, dict(e.headers)
    try:
        return status, json.loads(raw or b"{}"), hdrs
    except ValueError:
        return status, raw, hdrs


def as_postgres(cmd):
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.geteuid() == 0 else cmd


class Cluster:
    def __init__(self, data_dir, servers=3, port=8080, server_binary=None, web_root=None,
                 drain_seconds=3, job_poll_seconds=30, extra_args=(), quiet=False, server_close=True):
        self.dir = os.path.abspath(data_dir)
        self.n = servers
        self.port = port
        self.binary = server_binary or os.path.join(os.environ.get("CP_BUILD_DIR", os.path.join(ROOT, "build")),
                                                    "cp_server")
        self.web_root = web_root or os.path.join(os.path.dirname(self.binary), "web")
        self.drain_seconds = drain_seconds
        self.job_poll_seconds = job_poll_seconds
        self.extra_args = list(extra_args)
        self.quiet = quiet
        # haproxy's `option http-server-close` (one request per server connection); False lets
        # it keep server connections alive (faster; bench/cluster-load --reuse compares).
        self.server_close = server_close
        self.pg_dir = os.path.join(self.dir, "pg")
        self.pg_port = None
        self.procs = {}  # server index -> Popen
        self.haproxy = None
        os.makedirs(self.dir, exist_ok=True)
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o755)  # the postgres user reaches its data directory inside

    def say(self, *a):
        if not self.quiet:
            print(*a, flush=True)

    # --- PostgreSQL ------------------------------------------------------------------------
    @property
    def database_url(self):
        return f"postgresql://postgres@/postgres?host={self.pg_dir}&port={self.pg_port}"

    def start_postgres(self):
        data = os.path.join(self.pg_dir, "data")
        os.makedirs(self.pg_dir, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.pg_dir, "postgres", "postgres")
        if not os.path.exists(os.path.join(data, "PG_VERSION")):
            subprocess.run(as_postgres([f"{PG_BIN}/initdb", "-N", "-A", "trust", "-U", "postgres", "-D", data]),
                           check=True, stdout=subprocess.DEVNULL)
        self.pg_port = free_port()
        subprocess.run(as_postgres([f"{PG_BIN}/pg_ctl", "-w", "-D", data, "-l", os.path.join(self.pg_dir, "server.log"),
                                    "-o", f"-p {self.pg_port} -k {self.pg_dir} -c listen_addresses='' "
                                          f"-c max_connections=300", "start"]),
                       check=True, stdout=subprocess.DEVNULL, start_new_session=True)
        self.say(f"cluster: PostgreSQL 15 on socket {self.pg_dir} port {self.pg_port}")

    def stop_postgres(self):
        data = os.path.join(self.pg_dir, "data")
        if self.pg_port and os.path.exists(os.path.join(data, "postmaster.pid")):
            subprocess.run(as_postgres([f"{PG_BIN}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def holder_of(self, jobs, progress_sql="SELECT 0"):
        """(index of a server holding one of the storage::JobLease names `jobs` now or None,
        that job, the value of `progress_sql`), read in one statement."""
        names = ",".join("'" + j.replace("'", "''") + "'" for j in jobs)
        out = self.psql(
            f"SELECT COALESCE((SELECT a.application_name || '|' || n.name FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            f"JOIN unnest(ARRAY[{names}]) n(name) ON ((l.classid::bigint << 32) | l.objid::bigint) = "
            "hashtextextended('public:' || n.name, 0) "
            f"WHERE l.locktype = 'advisory' AND l.granted LIMIT 1), '') || '|' || ({progress_sql})")
        holder, _, rest = out.partition("|")
        if not holder.startswith("cp"):
            return None, None, int(rest.lstrip("|"))
        job, _, progress = rest.partition("|")
        return int(holder[2:]), job, int(progress)

    def psql(self, sql):
        """Runs SQL through psql; returns its unaligned, tuples-only output."""
        out = subprocess.run(as_postgres(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", self.pg_dir,
                                          "-p", str(self.pg_port), "-U", "postgres", "-d", "postgres", "-c", sql]),
                             check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def migrate_and_seed(self, seed=True):
        """Migrations (and the demo firm on an empty database) once, before the servers start
        together: N first starts would otherwise all try to seed."""
        out = subprocess.run([self.binary, "--database", self.database_url] + (["--seed-only"] if seed else
                                                                                 ["--migrate-only"]),
                             check=True, capture_output=True, text=True).stdout
        return out

    # --- servers -----------------------------------------------------------------------------
    def server_port(self, i):
        return self.port + 1 + i

    def start_server(self, i, extra=()):
        log = open(os.path.join(self.dir, f"server-{i}.log"), "a")
        # application_name tells the processes apart in pg_stat_activity (who holds a lock).
        args = [self.binary, "--database", f"{self.database_url}&application_name=cp{i}", "--port", str(self.server_port(i)),
                "--web-root", self.web_root, "--no-seed", "--drain-seconds", str(self.drain_seconds),
                "--job-poll-seconds", str(self.job_poll_seconds), "--data-dir", self.dir] + self.extra_args + list(extra)
        # Own session: a terminal's Ctrl-C reaches the driver only, which stops them in order.
        self.procs[i] = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                         start_new_session=True)
        log.close()
        return self.procs[i]

    def wait_ready(self, port, timeout=30, proc=None):
        until = time.time() + timeout
        while time.time() < until:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"cp_server on {port} exited with {proc.returncode}")
            try:
                if http(port, "GET", "/readyz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"nothing ready on port {port} after {timeout} s")

    def stop_server(self, i, sig=signal.SIGTERM, timeout=30):
        p = self.procs.get(i)
        if p is None or p.poll() is not None:
            return
        p.send_signal(sig)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()

    # --- haproxy -----------------------------------------------------------------------------
    def haproxy_config(self):
        servers = "\n".join(f"    server cp{i} 127.0.0.1:{self.server_port(i)} check" for i in range(self.n))
        return f"""# Generated by scripts/cluster.py: the local shape of docs/deploy.md's haproxy.cfg.
global
    maxconn 4096
    stats socket {self.dir}/haproxy.sock mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
{self.reuse_lines()}
    # A refused connection (a server that stopped listening) is retried on another server.
    retries 3
    option redispatch 1
    retry-on conn-failure

frontend www
    bind 127.0.0.1:{self.port}
    option forwardfor
    default_backend cp

backend cp
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    # Out after two failed checks (1 s), back after two good ones.
    default-server inter 500ms fall 2 rise 2
{servers}
"""

    def reuse_lines(self):
        if self.server_close:
            return ("    # One request per server connection: a draining server closes idle connections without\n"
                    "    # racing a request haproxy was about to send on one of them.\n"
                    "    option http-server-close")
        return "    # Server connections kept alive and reused (bench only: see docs/deploy.md).\n    http-reuse always"

    def start_haproxy(self):
        cfg = os.path.join(self.dir, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write(self.haproxy_config())
        subprocess.run(["haproxy", "-c", "-q", "-f", cfg], check=True)
        log = open(os.path.join(self.dir, "haproxy.log"), "a")
        self.haproxy = subprocess.Popen(["haproxy", "-db", "-f", cfg], stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        log.close()

    def servers_up(self):
        """haproxy's view: {server name: status} from its stats socket."""
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(os.path.join(self.dir, "haproxy.sock"))
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
            s.close()
        except OSError:
            return {}
        lines = data.decode().splitlines()
        head = lines[0].lstrip("# ").split(",")
        out = {}
        for line in lines[1:]:
            row = dict(zip(head, line.split(",")))
            if row.get("pxname") == "cp" and row.get("svname", "").startswith("cp"):
                out[row["svname"]] = row.get("status")
        return out

    def wait_balanced(self, timeout=20, want=None):
        """Until haproxy sees `want` (default: every running server) UP."""
        want = want if want is not None else {f"cp{i}" for i, p in self.procs.items() if p.poll() is None}
        until = time.time() + timeout
        while time.time() < until:
            st = self.servers_up()
            if all(st.get(n) == "UP" for n in want):
                return
            time.sleep(0.1)
        raise RuntimeError(f"haproxy does not see {sorted(want)} up: {self.servers_up()}")

    # --- all -----------------------------------------------------------------------------------
    def start(self, seed=True):
        self.start_postgres()
        out = self.migrate_and_seed(seed)
        for i in range(self.n):
            self.start_server(i)
        for i in range(self.n):
            self.wait_ready(self.server_port(i), proc=self.procs[i])
        self.start_haproxy()
        self.wait_balanced()
        return out

    def stop_haproxy(self):
        if self.haproxy and self.haproxy.poll() is None:
            self.haproxy.terminate()
            try:
                self.haproxy.wait(10)
            except subprocess.TimeoutExpired:
                self.haproxy.kill()
                self.haproxy.wait()
        self.haproxy = None

    def stop_servers(self):
        # Two signals: no drain is needed when everything stops together.
        for _ in range(2):
            for p in self.procs.values():
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            time.sleep(0.05)
        for i in list(self.procs):
            try:
                self.procs[i].wait(30)
            except subprocess.TimeoutExpired:
                self.procs[i].kill()
                self.procs[i].wait()
        self.procs = {}

    def stop(self):
        self.stop_haproxy()
        self.stop_servers()
        self.stop_postgres()


def run(argv):
    ap = argparse.ArgumentParser(prog="scripts/run --cluster")
    ap.add_argument("servers", type=int)
    ap.add_argument("--port", type=int, default=int(os.environ.get("CP_PORT", "8080")))
    ap.add_argument("--data-dir", default=os.path.join(ROOT, "var", "cluster"))
    args, extra = ap.parse_known_args(argv)
    if args.servers < 1:
        sys.exit("--cluster needs at least one server")
    c = Cluster(args.data_dir, args.servers, args.port, extra_args=extra)
    stopping = []

    def on_signal(signum, frame):
        stopping.append(signum)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        out = c.start()
        if out.strip():
            print(out.strip())
        print(f"cluster: {args.servers} cp_server processes on 127.0.0.1:{c.server_port(0)}.."
              f"{c.server_port(args.servers - 1)} (logs: {c.dir}/server-*.log), PostgreSQL in {c.pg_dir}")
        print(f"ConsultantPro (cluster of {args.servers} behind haproxy) on http://127.0.0.1:{args.port}/  "
              f"Ctrl-C stops everything.", flush=True)
        while not stopping:
            for i, p in c.procs.items():
                if p.poll() is not None and not stopping:
                    print(f"cluster: server {i} exited ({p.returncode}); restarting it", flush=True)
                    c.start_server(i)
            if c.haproxy.poll() is not None:
                print("cluster: haproxy exited; stopping", flush=True)
                break
            time.sleep(0.5)
    finally:
        print("cluster: stopping haproxy, servers and PostgreSQL", flush=True)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        c.stop()
        print("cluster: stopped", flush=True)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "run":
        run(sys.argv[2:])
    else:
        sys.exit(__doc__)
