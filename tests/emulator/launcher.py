"""The local AWS emulator VendorLink's tests and sandbox run against.

moto's server (pinned in tests/emulator/requirements.txt) on a loopback port, with what moto
5.2.5 lacks:

* AWS's network rules, in ``network_model.py`` (each citing docs/aws-rules.md): VPC endpoint
  connections (``Describe``/``Accept``/``RejectVpcEndpointConnections``), the NLB's
  ``EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`` attribute and ``SetSecurityGroups``,
  target health computed from the security groups, and a reachability query.
* AWS's Organizations and STS rules, in ``org_model.py`` (docs/aws-rules.md R15-R17):
  ``AssumeRole`` needs the role to exist and its trust policy to allow the caller; a member
  account cannot call the management account's Organizations operations; ``CreateAccount``
  answers ``IN_PROGRESS`` and refuses an email already in use.
* AWS's VPC peering rules, in ``peering_model.py`` (docs/aws-rules.md R19): overlapping VPCs
  (secondary blocks too), and cross-account or cross-Region requests to a VPC that does not
  exist, end ``failed``; acceptance goes through ``provisioning``; each account sees its own tags
  and the other side's CIDR blocks only once accepted; describe filters work; routes to a
  connection that is not ``active`` are ``blackhole``; options only on an active connection and
  each side only by its owner; a pending request is deleted only by its requester.
* AWS's rules for an SSH bastion host, in ``bastion_model.py`` (docs/aws-rules.md R20):
  RunInstances checks metadata options, the 16 KB user-data limit, the instance type (known,
  offered in the subnet's Availability Zone, of the AMI's architecture), the AMI and the
  interface's groups, and honours ``ClientToken``; the instance shows its interface's groups;
  GetConsoleOutput is empty at first, then prints cloud-init's SSH host-key block with real keys;
  TerminateInstances goes through ``shutting-down`` and may be repeated; DeleteSecurityGroup
  answers ``DependencyViolation`` while an instance, an interface or another group's rule uses
  the group.
* VPC Lattice resource gateways, resource configurations and Resource VPC endpoints, in
  ``lattice_model.py``, and AWS RAM sharing them, in ``ram_model.py`` (docs/aws-rules.md R21):
  moto has neither; their REST-JSON calls are answered there (other Lattice and RAM calls go to
  moto), and EC2 CreateVpcEndpoint with ``VpcEndpointType=Resource`` is modelled.
* AWS's error shape for moto's authentication failures (see ``_real_error_shape``).
* Faults per operation, asked for over HTTP so a test can make one call fail the way AWS
  does: ``throttle`` (the service's own throttling error), ``http500``, ``deny`` (the
  service's access-denied error, as for an identity whose policies lack the action), ``drop`` (the
  connection is closed with no answer) and ``latency`` (the call is delayed).

Control API (JSON, on the same port):
  POST /_emulator/faults  {"operation": "CreateLoadBalancer" | "*", "kind": "http500",
                           "times": 1, "skip": 0, "latency_ms": 0,
                           "region": only calls signed for it (optional),
                           "match": only calls whose decoded body has it (optional)}
                                                                    add a fault
  DELETE /_emulator/faults                                          clear all faults
  POST /_emulator/provisioning {"describes": N}   the next N DescribeLoadBalancers still
                                                  see new load balancers "provisioning"
  POST /_emulator/provisioning {"hold": true|false}   new load balancers stay "provisioning"
                                                  until released with {"hold": false}
  POST /_emulator/addresses {"ip", "port", "groups": [sg…], "name", "account"?, "region"?}
                                                  a database listens there (RDS makes no ENIs)
  POST /_emulator/account-creation {"describes": N, "assume_denials": M}
                                                  a CreateAccount from now on stays IN_PROGRESS
                                                  for N DescribeCreateAccountStatus calls
                                                  (default 1) before SUCCEEDED; its account then
                                                  refuses M AssumeRole calls (default 0)
  POST /_emulator/account-closure {"describes": N}   an account closed from now on shows
                                                  PENDING_CLOSURE for N DescribeAccount calls
                                                  (default 1) before SUSPENDED
  POST /_emulator/reachability {"from": …, "to": {"ip", "port"}}   see network_model.reach
  POST /_emulator/peering/accept {"id": "pcx-…"}   accept as the accepter's account, in its Region
                                                  (e.g. the vendor accepting the customer's request);
                                                  answers {"connection": …} as the accepter sees it,
                                                  or {"error": {"Code", "Message"}} (HTTP 400) with
                                                  AcceptVpcPeeringConnection's own error
  POST /_emulator/peering/reject {"id": "pcx-…"}   reject as the accepter's account (same answers)
  POST /_emulator/peering/expire {"id": "pcx-…"}   the 7 days are over: pending-acceptance -> expired
  POST /_emulator/peering/provisioning {"describes": N}   connections accepted from now on stay
                                                  "provisioning" for N more DescribeVpcPeeringConnections
                                                  (default 0: active at the first describe of them, or
                                                  the first DescribeRouteTables)
  GET  /_emulator/peering                          every connection: {"connections": [{"connection",
                                                  "visibleTo": [{"account", "region"}]}]}
  POST /_emulator/console-output {"empty_calls": N, "fingerprints": true|false, "crlf": true|false,
                                  "syslog_prefix": true|false, "instance": "i-…" (optional)}
                                                  GetConsoleOutput answers no Output for the first N
                                                  calls per instance (default 1), then the boot log;
                                                  "fingerprints": false leaves out the SSH host-key
                                                  blocks (an image that prints none); "crlf": false
                                                  ends lines with LF (default CRLF); "syslog_prefix":
                                                  true prefixes them "<14>Nov 27 01:40:00 ec2: "
                                                  (default "ec2: "). Applies to instances launched
                                                  from now on, or with "instance" to that one (its
                                                  count of empty answers starts again); unset values
                                                  are kept. Answers the settings now in force.
  GET  /_emulator/host-keys?instance=i-…          that instance's host keys: {"instance", "printed",
                                                  "keys": [{"type", "label", "bits", "public",
                                                  "fingerprint", "private"}]} (404 if unknown)
  POST /_emulator/host-keys {"instance": "i-…"}   new host keys for it (its console shows them from
                                                  now on); answers them as the GET does
  POST /_emulator/termination {"describes": N, "group_holds": M}
                                                  instances terminated from now on stay
                                                  "shutting-down" for N more DescribeInstances
                                                  (default 0: "terminated" at the next one), then
                                                  still hold their groups for M DeleteSecurityGroup
                                                  calls (default 0); unset values are kept
  POST /_emulator/lattice/provisioning {"gets": N, "deletes": M}   resource gateways and configurations
                                                  created from now on stay CREATE_IN_PROGRESS for N more
                                                  Get/List reads (default 0: ACTIVE at the first); deleted
                                                  ones stay DELETE_IN_PROGRESS for M more (default 0:
                                                  not found at the first); unset values are kept
  POST /_emulator/lattice/settings {"address_failure": "CREATE_FAILED" | "ValidationException"}
                                                  how a gateway whose subnet lacks free addresses fails
                                                  (default CREATE_FAILED at the next read)
  POST /_emulator/lattice/fill-subnet {"subnet": "subnet-…", "free": N, "account"?, "region"?}
                                                  an interface takes the subnet's addresses until N are
                                                  free (default 0); answers {"subnet", "free", "eni"}
  POST /_emulator/lattice/access {"endpoint": "vpce-…"}   whether that Resource endpoint reaches its
                                                  database now: {"connected", "blocked"?, "association",
                                                  "sourceAddresses", "dnsNames", "database", "privateDnsName"}
  GET  /_emulator/lattice                          gateways, configurations, associations, endpoints
  GET  /_emulator/ram                              resource shares (with their associations), invitations
  POST /_emulator/ram/expire {"invitation": arn} | {"share": arn}   pending invitations become EXPIRED
  GET  /_emulator/calls                                             operations seen, in order
  GET  /_emulator/served   [{"operation", "ms"}] in the order answered: moto's own time per call
                           (injected latency and faults left out)
  POST /_emulator/reset    moto reset + auth off + faults, call log, network model, peering
                           model, bastion model, lattice and RAM models and account creations
                           cleared (account-creation
                           back to 1 describe, peering provisioning back to 0 describes,
                           console-output and termination back to their defaults)
  moto's own /moto-api/reset, /moto-api/reset-auth keep working.

Acting as the vendor (a second account) needs no control call: sign with credentials from
AssumeRole into ``arn:aws:iam::<account>:role/<any name>`` (see org_model's deviation), or send
moto's ``x-moto-account-id: <account>`` header.

Run: ``python launcher.py --port 0 [--seed sandbox]``; prints ``READY http://127.0.0.1:PORT``
on stdout once it accepts requests.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import signal
import socket
import sys
import threading
import time
from urllib.parse import parse_qs, unquote_plus

# AWS-managed policies (AdministratorAccess...) exist only when moto loads them at import.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

from moto import settings  # noqa: E402
from moto.elbv2.models import FakeLoadBalancer  # noqa: E402
from moto.moto_api._internal.models import moto_api_backend  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402

import network_model  # noqa: E402  (patches moto: endpoint connections, NLB groups, target health)
import org_model  # noqa: E402  (AssumeRole trust, management-only Organizations calls, CreateAccount)
import peering_model  # noqa: E402  (VPC peering: failed requests, provisioning, per-account tags, blackhole routes)
import bastion_model  # noqa: E402  (bastion: launch checks, console host keys, termination, group dependencies)
import ram_model  # noqa: E402  (RAM: resource shares, invitations, associations)
import lattice_model  # noqa: E402  (VPC Lattice resource gateways and configurations, Resource endpoints)

# --------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------
# Slow load balancers
# --------------------------------------------------------------------------------------

# moto turns a new load balancer "active" on the first describe; AWS takes minutes. This many
# more DescribeLoadBalancers calls still see "provisioning", so waiting code can be exercised.
_provisioning_describes = 0
_request = threading.local()
_moto_activate = FakeLoadBalancer.activate


def _activate(self) -> None:
    if not getattr(_request, "hold_provisioning", False):
        _moto_activate(self)


FakeLoadBalancer.activate = _activate


_provisioning_held = False


def _hold_provisioning(operation: str) -> bool:
    global _provisioning_describes
    with _fault_lock:
        if operation == "DescribeLoadBalancers" and _provisioning_held:
            return True
        if operation == "DescribeLoadBalancers" and _provisioning_describes > 0:
            _provisioning_describes -= 1
            return True
    return False


_faults: list[dict] = []
_calls: list[str] = []
# How long moto took to answer each call, injected latency left out: what this server itself
# costs per call, so a benchmark's bound can count it rather than charge it to the client.
_served: list[dict] = []
_fault_lock = threading.Lock()

# Query-protocol services answer errors in one of two XML shapes; EC2 has its own. JSON-protocol
# services (Organizations: an X-Amz-Target header) answer JSON, with their own codes.
_THROTTLE_CODES = {"ec2": "RequestLimitExceeded", "organizations": "TooManyRequestsException"}
_DENY_CODES = {"ec2": "UnauthorizedOperation", "organizations": "AccessDeniedException"}


def _scope_of(environ, index: int) -> str:
    auth = environ.get("HTTP_AUTHORIZATION", "")
    # Credential=AKID/20240101/us-east-1/ec2/aws4_request
    try:
        return auth.split("Credential=")[1].split("/")[index]
    except IndexError:
        return ""


def _service_of(environ) -> str:
    return _scope_of(environ, 3)


def _region_of(environ) -> str:
    return _scope_of(environ, 2)


def _operation_of(environ, body: bytes) -> str:
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.split(".")[-1]
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" in query:
        return query["Action"][0]
    form = parse_qs(body.decode("utf-8", "replace"))
    if "Action" in form:
        return form["Action"][0]
    # REST-JSON services: the operation is the method and path.
    return lattice_model.operation_of(environ) or ram_model.operation_of(environ) or _lambda_operation_of(environ)


# Lambda's REST routes (botocore's `lambda` model, requestUri), as the call log names them.
_LAMBDA_ROUTES = [
    ("GET", r"/2015-03-31/functions/?", "ListFunctions"),
    ("POST", r"/2015-03-31/functions/?", "CreateFunction"),
    ("GET", r"/2015-03-31/functions/[^/]+/?", "GetFunction"),
    ("DELETE", r"/2015-03-31/functions/[^/]+/?", "DeleteFunction"),
    ("GET", r"/2015-03-31/functions/[^/]+/configuration/?", "GetFunctionConfiguration"),
    ("GET", r"/2015-03-31/functions/[^/]+/policy/?", "GetPolicy"),
    ("POST", r"/2015-03-31/functions/[^/]+/policy/?", "AddPermission"),
    ("DELETE", r"/2015-03-31/functions/[^/]+/policy/[^/]+/?", "RemovePermission"),
    ("POST", r"/2015-03-31/functions/[^/]+/invocations/?", "Invoke"),
    ("GET", r"/2017-03-31/tags/.+", "ListTags"),
    ("POST", r"/2017-03-31/tags/.+", "TagResource"),
    ("DELETE", r"/2017-03-31/tags/.+", "UntagResource"),
]


def _lambda_operation_of(environ) -> str:
    """The Lambda operation of a REST request, or "" (the log's name for calls not modelled)."""
    method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
    for route_method, pattern, operation in _LAMBDA_ROUTES:
        if method == route_method and re.fullmatch(pattern, path):
            return operation
    return ""


def _error_response(service: str, status: int, code: str, message: str, json_protocol: bool = False):
    """(status, body, content type) of an error the way ``service`` words it."""
    request_id = f"emulator-{int(time.time() * 1000)}"
    if json_protocol:
        return status, json.dumps({"__type": code, "Message": message}).encode(), "application/x-amz-json-1.1"
    if service == "ec2":
        body = (
            f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message>"
            f"</Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )
    else:
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
            f"<Message>{message}</Message></Error><RequestId>{request_id}</RequestId>"
            f"</ErrorResponse>"
        )
    return status, body.encode(), "text/xml"


def _take_fault(operation: str, region: str, body: str) -> dict | None:
    """The fault that applies to this call, consuming one of its ``times``."""
    with _fault_lock:
        _calls.append(operation)
        for fault in _faults:
            if fault["operation"] not in ("*", operation):
                continue
            if fault.get("region") not in (None, region):
                continue
            if fault.get("match") and fault["match"] not in body:
                continue
            if fault.get("skip", 0) > 0:
                fault["skip"] -= 1
                continue
            times = fault.get("times")
            if times is not None:
                if times <= 0:
                    continue
                fault["times"] = times - 1
            return dict(fault)
    return None


_MOTO_AUTH_ERROR = re.compile(rb"<ErrorResponse><Errors>(<Error>.*?</Error>)</Errors></ErrorResponse>", re.S)


def _moto_answer(app, environ) -> tuple[str, list, bytes]:
    """moto's whole answer to the request: (status line, headers, body)."""
    captured: dict = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    body = b"".join(app(environ, capture))
    return captured["status"], list(captured["headers"]), body


def _real_error_shape(app, environ, start_response, service: str):
    """moto's authentication errors come as ``<ErrorResponse><Errors><Error>``, a shape no AWS
    service uses (botocore tolerates it, the Rust SDK does not): rewrite them to the
    service's own, ``<Response><Errors><Error>`` for EC2, ``<ErrorResponse><Error>`` for the
    other query services."""
    captured: dict = {}
    captured["status"], captured["headers"], body = _moto_answer(app, environ)
    match = _MOTO_AUTH_ERROR.search(body) if captured["status"].startswith("4") else None
    if match:
        request_id = f"emulator-{int(time.time() * 1000)}".encode()
        if service == "ec2":
            body = b"<Response><Errors>" + match.group(1) + b"</Errors><RequestID>" + request_id + b"</RequestID></Response>"
        else:
            body = b"<ErrorResponse>" + match.group(1) + b"<RequestId>" + request_id + b"</RequestId></ErrorResponse>"
        captured["headers"] = [(k, v) for k, v in captured["headers"] if k.lower() not in ("content-length", "content-type")]
        captured["headers"] += [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))]
    start_response(captured["status"], captured["headers"])
    return [body]


class EmulatorApp:
    """moto's WSGI app, behind the control API and fault injection."""

    def __init__(self):
        self.moto = DomainDispatcherApplication(create_backend_app)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_emulator/"):
            return self._control(environ, start_response, path)

        started = time.perf_counter()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)  # readable again by moto

        if path.startswith("/moto-api"):
            return self.moto(environ, start_response)

        operation = _operation_of(environ, body)
        _request.hold_provisioning = _hold_provisioning(operation)
        fault = _take_fault(operation, _region_of(environ), unquote_plus(body.decode("utf-8", "replace")))
        if fault:
            kind = fault["kind"]
            if kind == "latency":
                slept = time.perf_counter()
                time.sleep(fault.get("latency_ms", 0) / 1000)
                started += time.perf_counter() - slept
            elif kind == "drop":
                sock = environ.get("werkzeug.socket")
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    sock.close()
                return []
            elif kind in ("throttle", "http500", "deny") and _service_of(environ) in ("vpc-lattice", "ram"):
                # REST-JSON: the code in x-amzn-ErrorType, a JSON "message" (lattice_model).
                status_line, headers, payload = lattice_model.fault_answer(_service_of(environ), kind, operation)
                start_response(status_line, headers)
                return [payload]
            elif kind in ("throttle", "http500", "deny"):
                service = _service_of(environ)
                json_protocol = bool(environ.get("HTTP_X_AMZ_TARGET"))
                if kind == "throttle":
                    status, payload, content_type = _error_response(
                        service, 400, _THROTTLE_CODES.get(service, "Throttling"), "Rate exceeded", json_protocol
                    )
                elif kind == "deny":
                    # What AWS answers when the caller's policies do not allow the action (a JSON
                    # service says so with HTTP 400).
                    code = _DENY_CODES.get(service, "AccessDenied")
                    status, payload, content_type = _error_response(
                        service, 400 if json_protocol else 403, code, f"You are not authorized to perform: {service}:{operation}", json_protocol
                    )
                else:
                    status, payload, content_type = _error_response(
                        service, 500, "InternalError", "We encountered an internal error. Please try again.", json_protocol
                    )
                reasons = {400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error"}
                start_response(
                    f"{status} {reasons[status]}",
                    [("Content-Type", content_type), ("Content-Length", str(len(payload)))],
                )
                return [payload]
        service = _service_of(environ)
        # AWS's rules moto lacks (org_model.py): some calls are answered here, some rewritten.
        modelled = org_model.intercept(environ, body, operation, service, lambda: _moto_answer(self.moto, environ))
        if modelled is None:
            modelled = lattice_model.intercept(environ, body) or ram_model.intercept(environ, body)
        if modelled is not None:
            status_line, headers, payload = modelled
            start_response(status_line, headers)
            answer = [payload]
        else:
            answer = _real_error_shape(self.moto, environ, start_response, service)
        with _fault_lock:
            _served.append({"operation": operation, "ms": (time.perf_counter() - started) * 1000})
        return answer

    def _control(self, environ, start_response, path):
        global _provisioning_describes, _provisioning_held
        method = environ["REQUEST_METHOD"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        status, result = "200 OK", {"status": "ok"}
        if path == "/_emulator/faults" and method == "POST":
            fault = json.loads(raw or b"{}")
            if fault.get("kind") not in ("throttle", "http500", "deny", "drop", "latency") or not fault.get("operation"):
                status, result = "400 Bad Request", {"error": "need operation and kind in throttle|http500|deny|drop|latency"}
            else:
                with _fault_lock:
                    _faults.append(fault)
        elif path == "/_emulator/faults" and method == "DELETE":
            with _fault_lock:
                _faults.clear()
        elif path == "/_emulator/provisioning" and method == "POST":
            body = json.loads(raw or b"{}")
            with _fault_lock:
                _provisioning_describes = int(body.get("describes", 0))
                _provisioning_held = bool(body.get("hold", False))
        elif path == "/_emulator/addresses" and method == "POST":
            body = json.loads(raw or b"{}")
            network_model.register_address(
                body.get("account", "123456789012"), body.get("region", "us-east-1"), body["ip"], body["port"], body["groups"], body.get("name", body["ip"])
            )
        elif path == "/_emulator/account-creation" and method == "POST":
            body = json.loads(raw or b"{}")
            denials = body.get("assume_denials", 0)
            if not isinstance(body.get("describes"), int) or body["describes"] < 0 or not isinstance(denials, int) or denials < 0:
                status, result = "400 Bad Request", {"error": "need describes (and optionally assume_denials): whole numbers >= 0"}
            else:
                org_model.set_creation_describes(body["describes"], denials)
        elif path == "/_emulator/account-closure" and method == "POST":
            body = json.loads(raw or b"{}")
            if not isinstance(body.get("describes"), int) or body["describes"] < 0:
                status, result = "400 Bad Request", {"error": "need describes: a whole number >= 0"}
            else:
                org_model.set_closure_describes(body["describes"])
        elif path == "/_emulator/reachability" and method == "POST":
            result = network_model.reach(json.loads(raw or b"{}"))
        elif path.startswith("/_emulator/peering/") and path.rsplit("/", 1)[1] in ("accept", "reject", "expire") and method == "POST":
            body = json.loads(raw or b"{}")
            if not isinstance(body.get("id"), str):
                status, result = "400 Bad Request", {"error": {"Code": "MissingParameter", "Message": "need id: a pcx- id"}}
            else:
                act = {"accept": peering_model.control_accept, "reject": peering_model.control_reject, "expire": peering_model.control_expire}
                result = act[path.rsplit("/", 1)[1]](body["id"])
                if "error" in result:
                    status = "400 Bad Request"
        elif path == "/_emulator/peering/provisioning" and method == "POST":
            body = json.loads(raw or b"{}")
            if not isinstance(body.get("describes"), int) or body["describes"] < 0:
                status, result = "400 Bad Request", {"error": "need describes: a whole number >= 0"}
            else:
                peering_model.set_provisioning_describes(body["describes"])
        elif path == "/_emulator/peering" and method == "GET":
            result = {"connections": peering_model.connections()}
        elif path == "/_emulator/console-output" and method == "POST":
            body = json.loads(raw or b"{}")
            empty = body.get("empty_calls")
            flags = {k: body.get(k) for k in ("fingerprints", "crlf", "syslog_prefix")}
            if (empty is not None and (not isinstance(empty, int) or isinstance(empty, bool) or empty < 0)) or any(
                v is not None and not isinstance(v, bool) for v in flags.values()
            ):
                status, result = "400 Bad Request", {"error": "empty_calls: a whole number >= 0; fingerprints, crlf, syslog_prefix: true|false"}
            else:
                try:
                    result = bastion_model.set_console(empty, instance=body.get("instance"), **flags)
                except KeyError:
                    status, result = "404 Not Found", {"error": f"no instance {body.get('instance')} launched since the last reset"}
        elif path == "/_emulator/host-keys" and method in ("GET", "POST"):
            if method == "GET":
                instance = (parse_qs(environ.get("QUERY_STRING", "")).get("instance") or [None])[0]
                keys = bastion_model.host_keys(instance) if instance else None
            else:
                instance = json.loads(raw or b"{}").get("instance")
                keys = bastion_model.rotate_host_keys(instance) if isinstance(instance, str) else None
            if keys is None:
                status, result = "404 Not Found", {"error": f"no instance {instance} launched since the last reset"}
            else:
                result = keys
        elif path == "/_emulator/termination" and method == "POST":
            body = json.loads(raw or b"{}")
            values = {k: body.get(k) for k in ("describes", "group_holds")}
            if any(v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0) for v in values.values()):
                status, result = "400 Bad Request", {"error": "describes, group_holds: whole numbers >= 0"}
            else:
                result = bastion_model.set_termination(**values)
        elif path.startswith(("/_emulator/lattice", "/_emulator/ram")):
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            try:
                body = json.loads(raw or b"{}") if method != "GET" else {}
            except ValueError:
                body = None
            if not isinstance(body, dict):
                status, result = "400 Bad Request", {"error": "the body must be a JSON object"}
            else:
                status, result = lattice_model.control(method, path, body, query)
        elif path == "/_emulator/calls" and method == "GET":
            with _fault_lock:
                result = {"calls": list(_calls)}
        elif path == "/_emulator/served" and method == "GET":
            with _fault_lock:
                result = {"served": list(_served)}
        elif path == "/_emulator/reset" and method == "POST":
            reset()
        else:
            status, result = "404 Not Found", {"error": f"no such control path: {method} {path}"}
        payload = json.dumps(result, default=str).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]


def reset() -> None:
    moto_api_backend.reset()
    settings.INITIAL_NO_AUTH_ACTION_COUNT = float("inf")
    global _provisioning_describes, _provisioning_held
    with _fault_lock:
        _faults.clear()
        _calls.clear()
        _served.clear()
        _provisioning_describes = 0
        _provisioning_held = False
    network_model.reset()
    org_model.reset()
    peering_model.reset()
    bastion_model.reset()
    lattice_model.reset()
    ram_model.reset()


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", choices=["sandbox"], help="create the sample customer network")
    args = parser.parse_args()
    if not args.host.startswith("127.") and args.host != "localhost":
        parser.error("the emulator only listens on loopback")

    server = make_server(args.host, args.port, EmulatorApp(), threaded=True, request_handler=MotoRequestHandler)
    host, port = server.server_address[:2]
    endpoint = f"http://{host}:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    if args.seed == "sandbox":
        from sandbox_seed import seed

        seed(endpoint)

    print(f"READY {endpoint}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # Exit with the parent: a test runner killed hard must not leave emulators behind.
    parent = os.getppid()
    while not stop.wait(0.5):
        if os.getppid() != parent:
            break
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
