"""AWS Organizations and STS AssumeRole rules moto 5.2.5 does not enforce, modelled from AWS's
documentation.

Each rule cites its number in ``docs/aws-rules.md``. moto hands out credentials for any role ARN,
in any account, whether the role exists or trusts the caller; it answers Organizations calls
from member accounts out of the member's own (empty) backend; it creates accounts at once,
whatever their email; and it closes them at once. The launcher passes every request through :func:`intercept` before moto
sees it; this module answers the ones AWS would answer differently:

* **AssumeRole** (R15): refused with STS's ``AccessDenied`` when the role does not exist in the
  account its ARN names, or when its trust policy does not allow the caller (an Allow statement
  for ``sts:AssumeRole`` whose ``Principal.AWS`` names ``*``, the caller's account, its root, the
  caller's ARN or, for a role session, the role; a matching Deny wins). Conditions are evaluated
  for the keys listed in :func:`_condition_holds`; a statement with any other condition does not
  match.

  **Deviation, kept on purpose:** a role that does not exist is refused only in an account that
  belongs to an organization in the emulator (its management account or a member). Elsewhere
  moto's "any role ARN switches accounts" stays: tests act as a second account by assuming a
  role that was never created (tests/emulator_launcher.rs ``vendor``, tests/support/bench.rs
  ``connector``, tests/credentials_cli.rs ``admin``).
* **Management-only Organizations operations** (R16): from a member account, ``AccessDenied
  Exception``. An account in no organization keeps moto's ``AWSOrganizationsNotInUseException``.
  ``MoveAccount`` answers AWS's ``DestinationParentNotFoundException`` /
  ``SourceParentNotFoundException`` / ``DuplicateAccountException`` where moto has its own.
* **CreateAccount** (R17): answers ``IN_PROGRESS``; the next N ``DescribeCreateAccountStatus`` of
  that request still say ``IN_PROGRESS`` (N from :func:`set_creation_describes`, default 1), then
  moto's ``SUCCEEDED`` with the AccountId. An email already used by an account (any case) is never
  created: its request goes ``FAILED`` with ``EMAIL_ALREADY_EXISTS`` from the first describe on.
* **A new account's first minutes** (R18.3, "You might need to wait a few minutes before you can
  successfully access the account"): AssumeRole into an account whose request is still
  IN_PROGRESS is refused, and so are the first M after it SUCCEEDED (M from
  :func:`set_creation_describes`, default 0), with STS's ``AccessDenied``.
* **The account while it is created** (R18.3, R18.4): while its request is still IN_PROGRESS
  (describes left), moto's new account is kept out of ``ListAccounts``,
  ``ListAccountsForParent`` and ``ListChildren``; ``DescribeAccount``, ``MoveAccount`` and
  ``CloseAccount`` answer ``AccountNotFoundException`` and ``ListParents``
  ``ChildNotFoundException``. ``ListCreateAccountStatus`` is answered from this model: requests
  IN_PROGRESS or FAILED (with their FailureReason) as such, the others as moto's SUCCEEDED,
  filtered by ``States``, 20 a page.
* **CloseAccount** (R18.6): the account shows ``PENDING_CLOSURE`` (``State`` and ``Status``) in
  ``ListAccounts`` and in the next N ``DescribeAccount`` of it (N from
  :func:`set_closure_describes`, default 1), then moto's ``SUSPENDED``. Closing it again, closing
  or suspended, answers ``AccountAlreadyClosedException``; closing the management account,
  ``ConstraintViolationException`` with Reason ``CANNOT_CLOSE_MANAGEMENT_ACCOUNT``.

Not modelled: delegated administrators (refused like any member), the caller's own IAM policies
(moto's callers may do anything), MFA on credentials from GetSessionToken (only an AssumeRole
call carrying SerialNumber and TokenCode counts as MFA), AssumeRole into an account still being
created (moto made its role at once), the other email and name checks of R17 and R18.1, the
closure quota, and what follows SUSPENDED (reopening, CLOSED after 90 days).

Importing this module also replaces moto's ``get_account_id_from`` with one giving the same
answers without creating backends (see :func:`_get_account_id_from`): every new account (the
seed's organization makes four) otherwise costs 1.5 s.
"""

from __future__ import annotations

import fnmatch
import json
import re
import secrets
import string
import threading
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import parse_qs, unquote
from xml.sax.saxutils import escape

import moto.iam.models
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.responses import BaseResponse
from moto.iam.models import iam_backends
from moto.organizations.models import organizations_backends
from moto.sts.models import sts_backends
from werkzeug.datastructures import EnvironHeaders

# (status line, headers, body), as the launcher sends it
Answer = tuple[str, list[tuple[str, str]], bytes]

_lock = threading.Lock()

# --------------------------------------------------------------------------------------
# Reading moto's state without creating backends as a side effect
# --------------------------------------------------------------------------------------


def _existing(backends, account: str, partition: str = "aws"):
    """moto's backend for ``account``, or None: ``backends[account]`` would create one."""
    per_account = dict.get(backends, account)
    return dict.get(per_account, partition) if per_account is not None else None


def _organizations() -> dict[str, Any]:
    """management account -> its organizations backend, for every organization that exists."""
    found = {}
    for account, per_account in list(dict.items(organizations_backends)):
        backend = dict.get(per_account, "aws")
        if backend is not None and backend.org is not None:
            found[account] = backend
    return found


def _management_of(account: str) -> str | None:
    """The management account of the organization ``account`` belongs to, or None."""
    for management, backend in _organizations().items():
        if account == management or any(a.id == account for a in backend.accounts):
            return management
    return None


# --------------------------------------------------------------------------------------
# Who is calling: moto's own rules (moto/core/responses.py get_current_account)
# --------------------------------------------------------------------------------------


def _get_account_id_from(access_key: str) -> str:
    """moto's ``iam.models.get_account_id_from`` (the account that issued an access key), with
    the same answer, minus a side effect: moto's looks in every partition of every account and so
    creates an IAM backend in each of the 6 partitions of every account it has seen, each loading
    AWS's managed policies (0.25 s apiece, 1.5 s per new account). A backend that does not
    exist holds no keys."""
    for account_id, per_account in list(dict.items(iam_backends)):
        for backend in list(dict.values(per_account)):
            if access_key in backend.access_keys:
                return account_id
    return DEFAULT_ACCOUNT_ID


# moto's get_current_account imports it from the module at each request, so this takes its place.
moto.iam.models.get_account_id_from = _get_account_id_from


class _Probe(BaseResponse):
    """Just enough of a moto response handler to ask it which account and key signed a request."""

    def __init__(self, environ, params: dict[str, list[str]]):  # noqa: D107 (no super: no request)
        self.headers = EnvironHeaders(environ)
        self.querystring = params


def _caller(environ, params: dict[str, list[str]]) -> tuple[str, str]:
    """(account, access key id) of the request, as moto will decide them: ``MOTO_ACCOUNT_ID``,
    then the ``x-moto-account-id`` header, then the account that issued the access key."""
    probe = _Probe(environ, params)
    return probe.get_current_account(), probe.get_access_key()


def _caller_arn(account: str, access_key: str):
    """(ARN, assumed role or None) of the caller: a role session moto issued, an IAM user of
    the account, else moto's anonymous default user."""
    sts = _existing(sts_backends, account)
    session = sts.get_assumed_role_from_access_key(access_key) if sts is not None else None
    if session is not None:
        return session.arn, session
    iam = _existing(iam_backends, account)
    user = iam.get_user_from_access_key_id(access_key) if iam is not None else None
    if user is not None:
        return user.arn, None
    return f"arn:aws:iam::{account}:user/moto", None


def _request_id() -> str:
    return str(uuid.uuid4())


# --------------------------------------------------------------------------------------
# STS AssumeRole (R15)
# --------------------------------------------------------------------------------------

_ROLE_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(.+)$")


def _form(environ, body: bytes) -> dict[str, list[str]]:
    params = parse_qs(environ.get("QUERY_STRING", ""))
    if "json" in environ.get("CONTENT_TYPE", ""):
        try:
            params.update({k: [str(v)] for k, v in json.loads(body or b"{}").items()})
        except (ValueError, AttributeError):
            pass
    else:
        params.update(parse_qs(body.decode("utf-8", "replace")))
    return params


def _sts_denied(caller_arn: str, role_arn: str) -> Answer:
    body = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
        f"<Code>AccessDenied</Code><Message>User: {escape(caller_arn)} is not authorized to perform: "
        f"sts:AssumeRole on resource: {escape(role_arn)}</Message></Error><RequestId>{_request_id()}</RequestId>"
        "</ErrorResponse>"
    ).encode()
    return "403 Forbidden", [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))], body


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _parse_time(text: str) -> datetime | None:
    try:
        if re.fullmatch(r"\d+", text):
            return datetime.fromtimestamp(int(text), timezone.utc)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    except ValueError:
        return None


_DATE_TESTS = {
    "datelessthan": lambda now, t: now < t,
    "datelessthanequals": lambda now, t: now <= t,
    "dategreaterthan": lambda now, t: now > t,
    "dategreaterthanequals": lambda now, t: now >= t,
}


def _condition_holds(operator: str, key: str, expected: list, context: dict) -> bool:
    """One condition of a trust statement. Only these keys are known; any other condition makes
    the statement not match (it cannot be shown to hold).

    * ``StringEquals`` ``sts:ExternalId`` (R9): the request's ExternalId is one of the values.
    * ``aws:MultiFactorAuthPresent`` (``Bool``/``BoolIfExists``, R5.3) and
      ``aws:MultiFactorAuthAge`` (``NumericLessThan[Equals]``): the emulator's callers never hold
      MFA credentials, so MFA is present only when this AssumeRole call itself carries
      ``SerialNumber`` and ``TokenCode`` (as the AWS CLI sends for ``mfa_serial`` profiles;
      tests/credentials_cli.rs). Without them the key is absent: ``Bool`` does not match a missing
      key, ``...IfExists`` does (R5.2).
    * ``aws:CurrentTime`` with the ``Date`` operators (a grant's expiry, crates/engine/src/policies.rs).
    """
    op = operator.lower()
    if_exists = op.endswith("ifexists")
    base = op[: -len("ifexists")] if if_exists else op
    values = [str(v) for v in expected]
    if key == "sts:externalid" and base == "stringequals":
        external_id = context["external_id"]
        return (if_exists and external_id is None) or external_id in values
    if key == "aws:multifactorauthpresent" and base == "bool":
        if not context["mfa"]:
            return if_exists
        return "true" in (v.lower() for v in values)
    if key == "aws:multifactorauthage" and base in ("numericlessthan", "numericlessthanequals"):
        if not context["mfa"]:
            return if_exists
        return any(v.isdigit() and (0 < int(v) if base == "numericlessthan" else 0 <= int(v)) for v in values)
    if key == "aws:currenttime" and base in _DATE_TESTS:
        now = datetime.now(timezone.utc)
        times = [_parse_time(v) for v in values]
        return any(t is not None and _DATE_TESTS[base](now, t) for t in times)
    return False


def _statement_matches(statement: dict, principals: set[str], context: dict) -> bool:
    """Whether a trust statement covers this AssumeRole by this caller (R15)."""
    if "Action" not in statement or "NotPrincipal" in statement:
        return False  # NotAction / NotPrincipal: not modelled, never matches
    actions = [str(a).lower() for a in _as_list(statement["Action"])]
    if not any(fnmatch.fnmatchcase("sts:assumerole", a) for a in actions):
        return False
    principal = statement.get("Principal")
    if principal == "*":
        named = ["*"]
    elif isinstance(principal, dict):
        named = [str(p) for p in _as_list(principal.get("AWS", []))]
    else:
        return False
    if not any(p in principals for p in named):
        return False
    condition = statement.get("Condition") or {}
    if not isinstance(condition, dict):
        return False
    for operator, tests in condition.items():
        if not isinstance(tests, dict):
            return False
        for key, expected in tests.items():
            if not _condition_holds(operator, key.lower(), _as_list(expected), context):
                return False
    return True


def trust_allows(document: str, principals: set[str], context: dict) -> bool:
    """Whether a role's trust policy lets the caller (named by ``principals``) assume it: some
    Allow statement matches and no Deny statement does."""
    if document.startswith("%"):
        document = unquote(document)
    try:
        policy = json.loads(document)
    except ValueError:
        return False
    statements = [s for s in _as_list(policy.get("Statement", [])) if isinstance(s, dict)]
    matching = [s for s in statements if _statement_matches(s, principals, context)]
    if any(s.get("Effect") == "Deny" for s in matching):
        return False
    return any(s.get("Effect") == "Allow" for s in matching)


def _principals_of(account: str, arn: str, session) -> set[str]:
    """Every way a trust policy can name this caller (R15): anyone, its account (bare id or
    root ARN), its own ARN and, for a role session, the role (with and without its path)."""
    principals = {"*", account, f"arn:aws:iam::{account}:root", arn}
    if session is not None:
        principals.add(session.role_arn)
        principals.add(f"arn:aws:iam::{account}:role/{session.role_arn.split('/')[-1]}")
    return principals


def _assume_role(environ, body: bytes) -> Answer | None:
    params = _form(environ, body)
    role_arn = (params.get("RoleArn") or [""])[0]
    target = _ROLE_ARN.match(role_arn)
    if target is None:
        return None  # not a role ARN: moto's own checks
    role_account = target.group(2)
    caller_account, access_key = _caller(environ, params)
    caller_arn, session = _caller_arn(caller_account, access_key)

    iam = _existing(iam_backends, role_account)
    role = None
    if iam is not None:
        try:
            role = iam.get_role_by_arn(role_arn)
        except Exception:  # moto's NotFoundException
            role = None
    if role is None:
        # moto's account switching (see the module docstring): only accounts the organization
        # model knows are held to "the role must exist there".
        if _management_of(role_account) is None:
            return None
        return _sts_denied(caller_arn, role_arn)
    if _not_enterable_yet(role_account):
        return _sts_denied(caller_arn, role_arn)

    context = {
        "external_id": (params.get("ExternalId") or [None])[0],
        "mfa": bool((params.get("SerialNumber") or [""])[0] and (params.get("TokenCode") or [""])[0]),
    }
    if trust_allows(role.assume_role_policy_document or "", _principals_of(caller_account, caller_arn, session), context):
        return None
    return _sts_denied(caller_arn, role_arn)


# --------------------------------------------------------------------------------------
# Organizations (R16, R17)
# --------------------------------------------------------------------------------------

_TARGET_PREFIX = "AWSOrganizationsV20161128."

# R16.1, R16.2: callable only from the management account (or a delegated administrator, not modelled).
# ListCreateAccountStatus has R16.2's rule too (R18.4).
MANAGEMENT_ONLY = {
    "CreateAccount",
    "DescribeCreateAccountStatus",
    "ListCreateAccountStatus",
    "ListAccounts",
    "MoveAccount",
    "CloseAccount",
    "DescribeAccount",
    "ListParents",
    "ListRoots",
    "ListOrganizationalUnitsForParent",
    "DescribeOrganizationalUnit",
}


def _json_answer(status: str, document: dict) -> Answer:
    body = json.dumps(document).encode()
    headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", _request_id()), ("Content-Length", str(len(body)))]
    return status, headers, body


def json_error(code: str, message: str, status: str = "400 Bad Request", reason: str | None = None) -> Answer:
    """An error of a JSON-protocol service (Organizations), as AWS shapes it; ``reason`` is the
    ``Reason`` member some errors carry (ConstraintViolationException)."""
    document = {"__type": code, "Message": message}
    if reason is not None:
        document["Reason"] = reason
    status_line, headers, body = _json_answer(status, document)
    return status_line, headers + [("x-amzn-ErrorType", code)], body


# Describes of a new account's request that still see IN_PROGRESS (R17).
_DEFAULT_DESCRIBES = 1
_creation_describes = _DEFAULT_DESCRIBES
# create account request id -> {"management", "name", "requested", "remaining", "failure",
# "account" (the id moto gave the account; None for a FAILED request)}
_requests: dict[str, dict[str, Any]] = {}


# AssumeRole calls into a just-created account refused after its request SUCCEEDED (R18.3).
_assume_denials = 0


def set_creation_describes(describes: int, assume_denials: int = 0) -> None:
    """The next CreateAccount calls' requests stay IN_PROGRESS for this many describes, and their
    accounts refuse this many AssumeRole calls once SUCCEEDED."""
    global _creation_describes, _assume_denials
    with _lock:
        _creation_describes = max(0, int(describes))
        _assume_denials = max(0, int(assume_denials))


def _not_enterable_yet(account: str) -> bool:
    """R18.3: whether AssumeRole into ``account`` is refused because it is still being made, or
    was made moments ago (counting the refusal)."""
    with _lock:
        record = next((r for r in _requests.values() if r.get("account") == account and not r["failure"]), None)
        if record is None:
            return False
        if record["remaining"] > 0:
            return True
        if record.get("denials", 0) > 0:
            record["denials"] -= 1
            return True
        return False


def _email_taken(email: str) -> bool:
    """R17.2: the address may not already belong to an account (compared case-insensitively,
    across every organization of the emulator)."""
    wanted = email.strip().lower()
    return any(a.email.lower() == wanted for backend in _organizations().values() for a in backend.accounts)


def _new_request_id() -> str:
    alphabet = string.ascii_lowercase + string.digits
    return "car-" + "".join(secrets.choice(alphabet) for _ in range(32))


def _create_account(caller: str, request: dict, forward: Callable[[], Answer]) -> Answer | None:
    if caller not in _organizations():
        return None  # moto: AWSOrganizationsNotInUseException
    email, name = str(request.get("Email", "")), str(request.get("AccountName", ""))
    now = time.time()
    if _email_taken(email):
        request_id = _new_request_id()
        with _lock:
            _requests[request_id] = {"management": caller, "name": name, "requested": now, "remaining": 0, "failure": "EMAIL_ALREADY_EXISTS", "account": None}
        return _json_answer("200 OK", {"CreateAccountStatus": {"Id": request_id, "AccountName": name, "State": "IN_PROGRESS", "RequestedTimestamp": now}})
    status, headers, body = forward()
    if not status.startswith("200"):
        return status, headers, body
    answer = json.loads(body)
    created = answer["CreateAccountStatus"]
    with _lock:
        _requests[created["Id"]] = {
            "management": caller,
            "name": created.get("AccountName", name),
            "requested": created.get("RequestedTimestamp", now),
            "remaining": _creation_describes,
            "failure": None,
            "account": created.get("AccountId"),
            "denials": _assume_denials,
        }
    in_progress = {k: created[k] for k in ("Id", "AccountName", "RequestedTimestamp") if k in created}
    in_progress["State"] = "IN_PROGRESS"
    return _json_answer(status, {"CreateAccountStatus": in_progress})


def _describe_create_account_status(caller: str, request: dict) -> Answer | None:
    request_id = str(request.get("CreateAccountRequestId", ""))
    with _lock:
        record = _requests.get(request_id)
        if record is not None and record["management"] == caller:
            status = {"Id": request_id, "AccountName": record["name"], "RequestedTimestamp": record["requested"]}
            if record["failure"]:
                status.update(State="FAILED", FailureReason=record["failure"], CompletedTimestamp=record["requested"])
                return _json_answer("200 OK", {"CreateAccountStatus": status})
            if record["remaining"] > 0:
                record["remaining"] -= 1
                status["State"] = "IN_PROGRESS"
                return _json_answer("200 OK", {"CreateAccountStatus": status})
            return None  # moto's SUCCEEDED, with the AccountId
    backend = _organizations().get(caller)
    if backend is not None and not any(a.create_account_status_id == request_id for a in backend.accounts):
        # moto says AccountNotFoundException; AWS has its own error for an unknown request id.
        return json_error("CreateAccountStatusNotFoundException", "We can't find a create account request with the CreateAccountRequestId that you specified.")
    return None


def _move_account(caller: str, request: dict) -> Answer | None:
    """R16.4: MoveAccount's own errors. moto says ParentNotFoundException for either parent and
    never DuplicateAccountException."""
    backend = _organizations().get(caller)
    if backend is None:
        return None
    parents = {unit.id for unit in backend.ou}
    if request.get("DestinationParentId") not in parents:
        return json_error("DestinationParentNotFoundException", "We can't find the destination container (a root or OU) with the ParentId that you specified.")
    if request.get("SourceParentId") not in parents:
        return json_error("SourceParentNotFoundException", "We can't find a source root or OU with the ParentId that you specified.")
    account = next((a for a in backend.accounts if a.id == request.get("AccountId")), None)
    if account is not None and account.parent_id == request.get("DestinationParentId"):
        return json_error("DuplicateAccountException", "That account is already present in the specified destination.")
    if _creating(str(request.get("AccountId", ""))):
        return _account_not_found()
    return None  # moto moves it, or says AccountNotFoundException


# --------------------------------------------------------------------------------------
# The new account while it is created, and while it is closed (R18)
# --------------------------------------------------------------------------------------

# Describes of a closed account that still see PENDING_CLOSURE (R18.6).
_DEFAULT_CLOSURE_DESCRIBES = 1
_closure_describes = _DEFAULT_CLOSURE_DESCRIBES
# account id -> {"management", "remaining"}: closed, DescribeAccount not yet SUSPENDED
_closures: dict[str, dict[str, Any]] = {}

_ALL_CREATE_STATES = ("IN_PROGRESS", "SUCCEEDED", "FAILED")
_PAGE = 20  # ListCreateAccountStatus's largest MaxResults


def set_closure_describes(describes: int) -> None:
    """Accounts closed from now on show PENDING_CLOSURE for this many DescribeAccount calls."""
    global _closure_describes
    with _lock:
        _closure_describes = max(0, int(describes))


def _creating_ids(management: str | None = None) -> set[str]:
    """R18.3: ids of accounts moto made whose creation request is still IN_PROGRESS (of one
    management account's organization, or of every one)."""
    with _lock:
        return {
            r["account"]
            for r in _requests.values()
            if r.get("account") and r["remaining"] > 0 and management in (None, r["management"])
        }


def _creating(account_id: str) -> bool:
    return account_id in _creating_ids()


def _account_not_found() -> Answer:
    return json_error(
        "AccountNotFoundException",
        "We can't find an AWS account with the AccountId that you specified, or the account whose "
        "credentials you used to make this request isn't a member of an organization.",
    )


def _closing_view(account: dict, describe: bool) -> dict:
    """R18.6: the account as Organizations shows it while its closure is in progress. A
    ``describe`` uses up one of the describes it has left."""
    with _lock:
        record = _closures.get(account.get("Id"))
        if record is None:
            return account
        if describe:
            record["remaining"] -= 1
            if record["remaining"] <= 0:
                del _closures[account["Id"]]
    return {**account, "Status": "PENDING_CLOSURE", "State": "PENDING_CLOSURE"}


def _describe_account(request: dict, forward: Callable[[], Answer]) -> Answer | None:
    """DescribeAccount: not found while the account is being created (R18.3), PENDING_CLOSURE
    while it is being closed (R18.6)."""
    account_id = str(request.get("AccountId", ""))
    if _creating(account_id):
        return _account_not_found()
    status, headers, body = forward()
    if not status.startswith("200"):
        return status, headers, body
    answer = json.loads(body)
    if isinstance(answer.get("Account"), dict):
        answer["Account"] = _closing_view(answer["Account"], describe=True)
    return _json_answer(status, answer)


def _listed_accounts(caller: str, forward: Callable[[], Answer]) -> Answer:
    """ListAccounts, ListAccountsForParent, ListChildren: moto's page without the accounts still
    being created (R18.3), with the ones being closed as PENDING_CLOSURE (R18.6)."""
    status, headers, body = forward()
    if not status.startswith("200"):
        return status, headers, body
    answer = json.loads(body)
    hidden = _creating_ids(caller)
    for key in ("Accounts", "Children"):
        if isinstance(answer.get(key), list):
            answer[key] = [a for a in answer[key] if a.get("Id") not in hidden]
    if "Accounts" in answer:
        answer["Accounts"] = [_closing_view(a, describe=False) for a in answer["Accounts"]]
    return _json_answer(status, answer)


def _list_parents(request: dict) -> Answer | None:
    """ListParents of an account still being created (R18.3): AWS's not-found error for a child."""
    if _creating(str(request.get("ChildId", ""))):
        return json_error("ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.")
    return None


def _close_account(caller: str, request: dict, forward: Callable[[], Answer]) -> Answer | None:
    """R18.6: CloseAccount refuses the management account and an account already closed or
    closing; a closed account then shows PENDING_CLOSURE for a while."""
    backend = _organizations().get(caller)
    if backend is None:
        return None  # moto: AWSOrganizationsNotInUseException
    account_id = str(request.get("AccountId", ""))
    if account_id == caller:
        return json_error(
            "ConstraintViolationException",
            "You attempted to close the management account. To close the management account for the organization, "
            "you must first either remove or close all member accounts in the organization.",
            reason="CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
        )
    if _creating(account_id):
        return _account_not_found()
    account = next((a for a in backend.accounts if a.id == account_id), None)
    with _lock:
        closing = account_id in _closures
    if account is not None and (closing or account.status == "SUSPENDED"):
        return json_error("AccountAlreadyClosedException", "You attempted to close an account that is already closed.")
    status, headers, body = forward()
    if status.startswith("200"):
        with _lock:
            if _closure_describes > 0:
                _closures[account_id] = {"management": caller, "remaining": _closure_describes}
    return status, headers, body


def _create_account_statuses(caller: str, backend) -> list[dict[str, Any]]:
    """R18.4: every CreateAccount request of the organization as AWS shows it, oldest first:
    IN_PROGRESS (no AccountId yet) while describes are left, FAILED with its reason, else moto's
    SUCCEEDED. The management account was never created by a request."""
    with _lock:
        records = {request_id: dict(r) for request_id, r in _requests.items() if r["management"] == caller}
    statuses = []
    for account in backend.accounts:
        if account.id == caller:
            continue
        status = dict(account.create_account_status["CreateAccountStatus"])
        record = records.get(status["Id"])
        if record is not None and record["remaining"] > 0:
            status = {"Id": status["Id"], "AccountName": status["AccountName"], "State": "IN_PROGRESS", "RequestedTimestamp": status["RequestedTimestamp"]}
        statuses.append(status)
    for request_id, record in records.items():
        if record["failure"]:
            statuses.append(
                {
                    "Id": request_id,
                    "AccountName": record["name"],
                    "State": "FAILED",
                    "RequestedTimestamp": record["requested"],
                    "CompletedTimestamp": record["requested"],
                    "FailureReason": record["failure"],
                }
            )
    return sorted(statuses, key=lambda s: s["RequestedTimestamp"])


def _list_create_account_status(caller: str, request: dict) -> Answer | None:
    """ListCreateAccountStatus from this model (R18.4), filtered by ``States`` (all when absent),
    paged by ``MaxResults`` (at most 20) and ``NextToken``."""
    backend = _organizations().get(caller)
    if backend is None:
        return None  # moto: AWSOrganizationsNotInUseException
    states = request.get("States")
    wanted = [str(s) for s in states] if isinstance(states, list) and states else list(_ALL_CREATE_STATES)
    found = [s for s in _create_account_statuses(caller, backend) if s["State"] in wanted]
    token, size = str(request.get("NextToken") or "0"), request.get("MaxResults")
    start = int(token) if token.isdigit() else 0
    size = min(size, _PAGE) if isinstance(size, int) and size > 0 else _PAGE
    answer: dict[str, Any] = {"CreateAccountStatuses": found[start : start + size]}
    if start + size < len(found):
        answer["NextToken"] = str(start + size)
    return _json_answer("200 OK", answer)


def _organizations_call(environ, body: bytes, operation: str, forward: Callable[[], Answer]) -> Answer | None:
    caller, _ = _caller(environ, {})
    if operation in MANAGEMENT_ONLY:
        management = _management_of(caller)
        if management is not None and management != caller:
            return json_error("AccessDeniedException", "You don't have permissions to access this resource.")
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return None
    if not isinstance(request, dict):
        return None
    if operation == "CreateAccount":
        return _create_account(caller, request, forward)
    if operation == "DescribeCreateAccountStatus":
        return _describe_create_account_status(caller, request)
    if operation == "MoveAccount":
        return _move_account(caller, request)
    if operation == "ListCreateAccountStatus":
        return _list_create_account_status(caller, request)
    if operation == "DescribeAccount":
        return _describe_account(request, forward)
    if operation in ("ListAccounts", "ListAccountsForParent", "ListChildren"):
        return _listed_accounts(caller, forward)
    if operation == "ListParents":
        return _list_parents(request)
    if operation == "CloseAccount":
        return _close_account(caller, request, forward)
    return None


# --------------------------------------------------------------------------------------
# Entry points for the launcher
# --------------------------------------------------------------------------------------


def intercept(environ, body: bytes, operation: str, service: str, forward: Callable[[], Answer]) -> Answer | None:
    """AWS's answer where it differs from moto's, else None (moto answers). ``forward`` asks
    moto and returns its answer, for calls whose answer is moto's, rewritten."""
    if environ.get("HTTP_X_AMZ_TARGET", "").startswith(_TARGET_PREFIX):
        return _organizations_call(environ, body, operation, forward)
    if operation == "AssumeRole" and service in ("sts", ""):
        return _assume_role(environ, body)
    return None


def reset() -> None:
    """Forget every creation request and closure; both back to 1 describe."""
    global _creation_describes, _closure_describes, _assume_denials
    with _lock:
        _requests.clear()
        _closures.clear()
        _creation_describes = _DEFAULT_DESCRIBES
        _closure_describes = _DEFAULT_CLOSURE_DESCRIBES
        _assume_denials = 0
    # moto's reset empties the backends but not this map of member -> management account; a
    # stale entry makes DescribeOrganization from a former member fail with an internal error.
    organizations_backends.master_accounts.clear()

