"""AWS's VPC peering rules moto 5.2.5 does not enforce, modelled from AWS's documentation.

Each behaviour cites its rule in ``docs/aws-rules.md`` (R19, with the AWS page it comes from).
moto creates every peering request ``pending-acceptance`` whatever the VPCs, lets either side
set either side's options at any time, keeps every route ``active`` and shows one set of tags to
both accounts. Importing this module replaces moto's EC2 handlers for peering (as
``network_model`` does for endpoint connections):

* **CreateVpcPeeringConnection** (R19.2-R19.4): a request whose VPCs overlap (any IPv4 block of
  either, secondary blocks included) is ``failed`` with AWS's status message; so is a
  cross-account or cross-Region request to a VPC that does not exist (same account and Region:
  moto's ``InvalidVpcID.NotFound`` is kept, AWS documents nothing else). A failed request is seen
  only by the requester. A second connection between two VPCs that already have one
  ``pending-acceptance`` or ``active`` is refused with ``VpcPeeringConnectionAlreadyExists``.
  The answer says ``initiating-request``; describes say what followed.
* **AcceptVpcPeeringConnection** (R19.5): moto's checks (only the accepter account, in the
  accepter's Region, only ``pending-acceptance``), then ``provisioning``: the connection turns
  ``active`` at the next DescribeVpcPeeringConnections or DescribeRouteTables of any account
  (after N more describes that still see ``provisioning``: :func:`set_provisioning_describes`).
* **DescribeVpcPeeringConnections** (R19.6, R19.7, R19.11): per caller: the requester's VPC
  info with ``CidrBlock`` and every IPv4 block in ``CidrBlockSet``; the accepter's CIDR blocks
  and options only once accepted; ``ExpirationTime`` (7 days after the request) while
  ``pending-acceptance``; the tags the *caller's* account put on it in its Region, not the other
  side's. Filters are applied (moto ignores them); an id the caller cannot see answers
  ``InvalidVpcPeeringConnectionID.NotFound``.
* **Routes** (R19.8): a route whose target is a peering connection that is not ``active`` is
  ``blackhole`` (pending, provisioning, deleted, ...); it stays in its table when the connection
  is deleted.
* **ModifyVpcPeeringConnectionOptions** (R19.9): only on an ``active`` connection; each side's
  options only by that side's account, in that side's Region; DNS resolution needs DNS hostnames
  and DNS support on both VPCs.
* **DeleteVpcPeeringConnection** (R19.10): ``pending-acceptance`` only by the requester;
  never ``failed``, ``rejected`` or ``expired``.
* **Control** (launcher): :func:`control_accept` / :func:`control_reject` act as the accepter's
  account; :func:`control_expire` makes a request ``expired`` (the 7 days of R19.1);
  :func:`connections` lists every connection.

Not modelled: the time limits themselves (2 hours / 2 days of visibility, 7 days to expire: use
:func:`control_expire`), ``deleting`` for inter-Region connections, quotas, IPv6, security-group
references across the peering, DeleteVpc's effect on connections, and what a route's VPC must be.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2 import exceptions as ec2_exceptions
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.models.route_tables import Route
from moto.ec2.models.vpc_peering_connections import VPCPeeringConnection
from moto.ec2.responses import EC2Response
from moto.ec2.utils import random_vpc_peering_connection_id

_lock = threading.Lock()

# R19.3: the status message AWS gives a request that failed (observed output, see R19.3).
FAILED_MESSAGE = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range"
# R19.1: an unaccepted request expires after 7 days.
EXPIRY = timedelta(days=7)
# States in which two VPCs "have" a connection (R19.4).
_LIVE = ("pending-acceptance", "provisioning", "active")

# pcx id -> when it was requested
_requested: dict[str, datetime] = {}
# pcx id -> describes left that still see "provisioning" (R19.5)
_provisioning: dict[str, int] = {}
# ids of connections that were accepted (the accepter's CIDR blocks are shown from then on, R19.6)
_accepted: set[str] = set()
_provisioning_describes = 0


def set_provisioning_describes(describes: int) -> None:
    """Connections accepted from now on stay ``provisioning`` for this many more describes."""
    global _provisioning_describes
    with _lock:
        _provisioning_describes = max(0, int(describes))


def reset() -> None:
    global _provisioning_describes
    with _lock:
        _requested.clear()
        _provisioning.clear()
        _accepted.clear()
        _provisioning_describes = 0


# AWS's code for an unknown peering id is spelled with "ID" (EC2 error codes page); moto says "Id".
class _PeeringNotFound(EC2ClientError):
    def __init__(self, pcx_id: str):
        super().__init__("InvalidVpcPeeringConnectionID.NotFound", f"The vpcPeeringConnection ID '{pcx_id}' does not exist")


ec2_exceptions.InvalidVPCPeeringConnectionIdError.__init__ = _PeeringNotFound.__init__  # type: ignore[method-assign]


# --------------------------------------------------------------------------------------
# Reading moto's state
# --------------------------------------------------------------------------------------


def _existing_backends():
    """Every EC2 backend moto has, without creating any: (account, region, backend)."""
    for account, per_account in list(dict.items(ec2_backends)):
        for region, backend in list(dict.items(per_account)):
            yield account, region, backend


def _find(pcx_id: str) -> VPCPeeringConnection | None:
    for _, _, backend in _existing_backends():
        pcx = backend.vpc_pcxs.get(pcx_id)
        if pcx is not None:
            return pcx
    return None


def _blocks(vpc) -> list[str]:
    """The VPC's IPv4 blocks, primary first (R19.2: secondary blocks count)."""
    if vpc is None or getattr(vpc, "cidr_block", None) is None:
        return []
    found = [vpc.cidr_block]
    for association in vpc.get_cidr_block_association_set(ipv6=False):
        state = (association.get("cidr_block_state") or {}).get("state")
        if state == "associated" and association["cidr_block"] not in found:
            found.append(association["cidr_block"])
    return found


def _overlap(a, b) -> tuple[str, str] | None:
    for x in _blocks(a):
        for y in _blocks(b):
            if ipaddress.ip_network(x, strict=False).overlaps(ipaddress.ip_network(y, strict=False)):
                return x, y
    return None


class _AbsentVpc:
    """The accepter side of a request to a VPC that does not exist (R19.3)."""

    def __init__(self, vpc_id: str, account: str, region: str):
        self.id, self.owner_id, self.region = vpc_id, account, region
        self.cidr_block = None
        self.enable_dns_hostnames = self.enable_dns_support = False


def _code(pcx) -> str:
    return pcx._status.code


def _set_status(pcx, code: str, message: str) -> None:
    pcx._status.code, pcx._status.message = code, message


# --------------------------------------------------------------------------------------
# Provisioning after acceptance (R19.5)
# --------------------------------------------------------------------------------------


def _settle(pcx, describe: bool) -> None:
    """A ``provisioning`` connection becomes ``active`` when read (a describe uses up one of the
    describes it has left first)."""
    if _code(pcx) != "provisioning":
        return
    with _lock:
        left = _provisioning.get(pcx.id, 0)
        if describe and left > 0:
            _provisioning[pcx.id] = left - 1
            return
        _provisioning.pop(pcx.id, None)
    _set_status(pcx, "active", "Active")


def _settle_all_unheld() -> None:
    """DescribeRouteTables: connections with no describes left become active."""
    for _, _, backend in _existing_backends():
        for pcx in list(backend.vpc_pcxs.values()):
            if _code(pcx) == "provisioning":
                with _lock:
                    held = _provisioning.get(pcx.id, 0) > 0
                if not held:
                    _settle(pcx, describe=False)


def _accept(backend, pcx_id: str):
    """moto's acceptance checks (accepter account, accepter Region, pending-acceptance), then
    ``provisioning`` (R19.5)."""
    pcx = backend.accept_vpc_peering_connection(pcx_id)
    _set_status(pcx, "provisioning", "Provisioning")
    with _lock:
        _provisioning[pcx.id] = _provisioning_describes
        _accepted.add(pcx.id)
    return pcx


# --------------------------------------------------------------------------------------
# What one account sees of a connection (R19.6, R19.7)
# --------------------------------------------------------------------------------------


def _options(options: dict) -> dict:
    return {k: bool(v) for k, v in options.items()}


def _vpc_info(vpc, options: dict, with_blocks: bool) -> dict:
    info: dict[str, Any] = {"OwnerId": vpc.owner_id, "VpcId": vpc.id, "Region": vpc.region}
    blocks = _blocks(vpc)
    if with_blocks and blocks:
        info["CidrBlock"] = blocks[0]
        info["CidrBlockSet"] = [{"CidrBlock": b} for b in blocks]
        info["PeeringOptions"] = _options(options)
    return info


def _tags_seen_by(backend, pcx_id: str) -> list[dict]:
    """R19.7: the tags of the caller's own account and Region."""
    return [{"Key": k, "Value": v} for k, v in backend.tags.get(pcx_id, {}).items()]


def view(pcx, backend, status: tuple[str, str] | None = None) -> dict:
    code, message = status or (pcx._status.code, pcx._status.message)
    with _lock:
        accepted = pcx.id in _accepted
        requested = _requested.get(pcx.id)
    item: dict[str, Any] = {
        "VpcPeeringConnectionId": pcx.id,
        "Status": {"Code": code, "Message": message},
        "RequesterVpcInfo": _vpc_info(pcx.vpc, pcx.requester_options, True),
        "AccepterVpcInfo": _vpc_info(pcx.peer_vpc, pcx.accepter_options, accepted),
        "Tags": _tags_seen_by(backend, pcx.id),
    }
    if code in ("initiating-request", "pending-acceptance") and requested is not None:
        item["ExpirationTime"] = requested + EXPIRY
    return item


# R19.11: DescribeVpcPeeringConnections filters.
def _filter_values(item: dict, name: str) -> list[str]:
    requester, accepter = item["RequesterVpcInfo"], item["AccepterVpcInfo"]
    blocks = lambda info: [b["CidrBlock"] for b in info.get("CidrBlockSet", [])]  # noqa: E731
    simple = {
        "status-code": [item["Status"]["Code"]],
        "status-message": [item["Status"]["Message"]],
        "vpc-peering-connection-id": [item["VpcPeeringConnectionId"]],
        "requester-vpc-info.vpc-id": [requester["VpcId"]],
        "requester-vpc-info.owner-id": [requester["OwnerId"]],
        "requester-vpc-info.cidr-block": blocks(requester),
        "accepter-vpc-info.vpc-id": [accepter["VpcId"]],
        "accepter-vpc-info.owner-id": [accepter["OwnerId"]],
        "accepter-vpc-info.cidr-block": blocks(accepter),
        "tag-key": [t["Key"] for t in item["Tags"]],
        "expiration-time": [item["ExpirationTime"].strftime("%Y-%m-%dT%H:%M:%S.000Z")] if "ExpirationTime" in item else [],
    }
    if name in simple:
        return simple[name]
    if name.startswith("tag:"):
        return [t["Value"] for t in item["Tags"] if t["Key"] == name[4:]]
    if name == "tag-value":
        return [t["Value"] for t in item["Tags"]]
    raise EC2ClientError("InvalidParameterValue", f"The filter '{name}' is invalid")


def _matches(item: dict, filters: dict[str, list[str]]) -> bool:
    for name, wanted in filters.items():
        have = _filter_values(item, name)
        if not any(fnmatch.fnmatchcase(h, w) for h in have for w in wanted):
            return False
    return True


# --------------------------------------------------------------------------------------
# EC2 handlers
# --------------------------------------------------------------------------------------


def _create_vpc_peering_connection(self) -> ActionResult:
    """R19.2-R19.4."""
    peer_account = self._get_param("PeerOwnerId") or self.current_account
    peer_region = self._get_param("PeerRegion") or self.region
    vpc = self.ec2_backend.get_vpc(self._get_param("VpcId"))
    peer_id = self._get_param("PeerVpcId")
    peer_backend = ec2_backends[peer_account][peer_region]
    peer_vpc = peer_backend.vpcs.get(peer_id)
    remote = peer_account != self.current_account or peer_region != self.region
    if peer_vpc is None and not remote:
        peer_backend.get_vpc(peer_id)  # moto's InvalidVpcID.NotFound (R19.3: AWS documents nothing else)
    if peer_vpc is not None:
        for pcx in self.ec2_backend.vpc_pcxs.values():
            if {pcx.vpc.id, pcx.peer_vpc.id} == {vpc.id, peer_vpc.id} and _code(pcx) in _LIVE:
                raise EC2ClientError("VpcPeeringConnectionAlreadyExists", "A VPC peering connection between the VPCs already exists.")
    tags = self._parse_tag_specification().get("vpc-peering-connection", {})
    if peer_vpc is None or _overlap(vpc, peer_vpc):
        # R19.2, R19.3: failed at once, seen by the requester only.
        pcx = VPCPeeringConnection(self.ec2_backend, random_vpc_peering_connection_id(), vpc, peer_vpc or _AbsentVpc(peer_id, peer_account, peer_region), tags)
        _set_status(pcx, "failed", FAILED_MESSAGE)
        self.ec2_backend.vpc_pcxs[pcx.id] = pcx
    else:
        pcx = self.ec2_backend.create_vpc_peering_connection(vpc, peer_vpc, tags)
    with _lock:
        _requested[pcx.id] = datetime.now(timezone.utc)
    answer = view(pcx, self.ec2_backend, ("initiating-request", f"Initiating Request to {peer_account}"))
    answer["ExpirationTime"] = _requested[pcx.id] + EXPIRY
    return ActionResult({"VpcPeeringConnection": answer})


def _describe_vpc_peering_connections(self) -> ActionResult:
    """R19.6, R19.7, R19.11."""
    ids = self._get_param("VpcPeeringConnectionIds", [])
    filters = self._filters_from_querystring()
    visible = self.ec2_backend.vpc_pcxs
    for pcx_id in ids:
        if pcx_id not in visible:
            raise _PeeringNotFound(pcx_id)
    items = []
    for pcx in list(visible.values()):
        if ids and pcx.id not in ids:
            continue
        _settle(pcx, describe=True)
        item = view(pcx, self.ec2_backend)
        if _matches(item, filters):
            items.append(item)
    return ActionResult({"VpcPeeringConnections": items})


def _accept_vpc_peering_connection(self) -> ActionResult:
    """R19.5."""
    pcx = _accept(self.ec2_backend, self._get_param("VpcPeeringConnectionId"))
    return ActionResult({"VpcPeeringConnection": view(pcx, self.ec2_backend)})


def _side_error(side: str, caller: str, region: str, vpc) -> EC2ClientError | None:
    """R19.9: each side's options by that side's account, in that side's Region."""
    if vpc.owner_id != caller:
        return EC2ClientError("OperationNotPermitted", f"User {caller} does not have permission to modify the {side} side peering options")
    if vpc.region != region:
        return EC2ClientError("OperationNotPermitted", f"{side.capitalize()}'s VPC Peering connection options cannot be modified for a different region")
    return None


def _wants_dns(options: dict) -> bool:
    return str(options.get("AllowDnsResolutionFromRemoteVpc", "")).lower() == "true"


def _modify_vpc_peering_connection_options(self) -> ActionResult:
    """R19.9."""
    pcx = self.ec2_backend.get_vpc_peering_connection(self._get_param("VpcPeeringConnectionId"))
    accepter = self._get_param("AccepterPeeringConnectionOptions", {}) or {}
    requester = self._get_param("RequesterPeeringConnectionOptions", {}) or {}
    if _code(pcx) != "active":
        raise EC2ClientError("OperationNotPermitted", f"Peering {pcx.id} is not active. Peering options can be added only to active peerings.")
    for side, options, vpc in (("accepter", accepter, pcx.peer_vpc), ("requester", requester, pcx.vpc)):
        if options:
            error = _side_error(side, self.current_account, self.region, vpc)
            if error is not None:
                raise error
    if _wants_dns(accepter) or _wants_dns(requester):
        for vpc in (pcx.vpc, pcx.peer_vpc):
            if not (getattr(vpc, "enable_dns_hostnames", False) and getattr(vpc, "enable_dns_support", False)):
                raise EC2ClientError(
                    "InvalidVpcPeeringConnectionState.DnsHostnamesDisabled",
                    "To enable DNS hostname resolution for the VPC peering connection, DNS hostname support must be enabled for the VPCs.",
                )
    normalize = lambda o: {k: str(v).lower() == "true" for k, v in o.items()}  # noqa: E731
    pcx.accepter_options.update(normalize(accepter))
    pcx.requester_options.update(normalize(requester))
    result: dict[str, Any] = {}
    if accepter:
        result["AccepterPeeringConnectionOptions"] = _options(pcx.accepter_options)
    if requester:
        result["RequesterPeeringConnectionOptions"] = _options(pcx.requester_options)
    return ActionResult(result)


def _delete_vpc_peering_connection(self) -> ActionResult:
    """R19.10."""
    pcx = self.ec2_backend.get_vpc_peering_connection(self._get_param("VpcPeeringConnectionId"))
    code = _code(pcx)
    if code in ("failed", "rejected", "expired"):
        raise EC2ClientError("InvalidStateTransition", f"VpcPeeringConnectionID {pcx.id} is not in the correct state for the request.")
    if code == "pending-acceptance" and self.current_account != pcx.vpc.owner_id:
        raise EC2ClientError(
            "OperationNotPermitted",
            f"User {self.current_account} cannot delete peering {pcx.id} while it is pending-acceptance: only the requester can; the accepter can reject it",
        )
    if code != "deleted":  # deleting again: moto's "true" kept (R19.10: AWS documents nothing)
        pcx._status.deleted(deleter_id=self.current_account)
        with _lock:
            _provisioning.pop(pcx.id, None)
    return ActionResult({"Return": True})


_moto_describe_route_tables = EC2Response.describe_route_tables


def _describe_route_tables(self):
    _settle_all_unheld()  # R19.5: a route read after acceptance sees the connection active
    return _moto_describe_route_tables(self)


_moto_route_state = Route.state


@property  # type: ignore[misc]
def _route_state(self) -> str:
    """R19.8: a route to a peering connection that is not active leads nowhere."""
    if self.vpc_pcx is not None and self.vpc_pcx._status.code != "active":
        return "blackhole"
    return _moto_route_state.fget(self)


Route.state = _route_state
EC2Response.create_vpc_peering_connection = _create_vpc_peering_connection
EC2Response.describe_vpc_peering_connections = _describe_vpc_peering_connections
EC2Response.accept_vpc_peering_connection = _accept_vpc_peering_connection
EC2Response.modify_vpc_peering_connection_options = _modify_vpc_peering_connection_options
EC2Response.delete_vpc_peering_connection = _delete_vpc_peering_connection
EC2Response.describe_route_tables = _describe_route_tables

# --------------------------------------------------------------------------------------
# Control API (launcher: /_emulator/peering/...)
# --------------------------------------------------------------------------------------


def _accepter_backend(pcx):
    return ec2_backends[pcx.peer_vpc.owner_id][pcx.peer_vpc.region]


def _control(pcx_id: str, act) -> dict:
    pcx = _find(pcx_id)
    if pcx is None:
        return {"error": {"Code": "InvalidVpcPeeringConnectionID.NotFound", "Message": f"no peering connection {pcx_id}"}}
    try:
        return {"connection": act(pcx)}
    except EC2ClientError as error:
        return {"error": {"Code": error.code, "Message": error.message}}


def control_accept(pcx_id: str) -> dict:
    """Accept as the accepter's account, in its Region (R19.5), e.g. the vendor accepting a
    request the customer sent to the vendor's VPC."""

    def act(pcx):
        backend = _accepter_backend(pcx)
        if pcx.id not in backend.vpc_pcxs:  # a failed request never reached the accepter
            raise _PeeringNotFound(pcx.id)
        return view(_accept(backend, pcx.id), backend)

    return _control(pcx_id, act)


def control_reject(pcx_id: str) -> dict:
    """Reject as the accepter's account (moto's RejectVpcPeeringConnection)."""

    def act(pcx):
        backend = _accepter_backend(pcx)
        if pcx.id not in backend.vpc_pcxs:
            raise _PeeringNotFound(pcx.id)
        backend.reject_vpc_peering_connection(pcx.id)
        return view(pcx, backend)

    return _control(pcx_id, act)


def control_expire(pcx_id: str) -> dict:
    """The 7 days of R19.1 have passed: a pending-acceptance request is expired."""

    def act(pcx):
        if _code(pcx) != "pending-acceptance":
            raise EC2ClientError("InvalidStateTransition", f"VpcPeeringConnectionID {pcx.id} is {_code(pcx)}, not pending-acceptance")
        _set_status(pcx, "expired", "Expired")
        return view(pcx, pcx.ec2_backend)

    return _control(pcx_id, act)


def connections() -> list[dict]:
    """Every connection, once, as its requester sees it, with who can see it."""
    seen: dict[str, dict] = {}
    for account, region, backend in _existing_backends():
        for pcx in list(backend.vpc_pcxs.values()):
            entry = seen.setdefault(pcx.id, {"connection": view(pcx, pcx.ec2_backend), "visibleTo": []})
            entry["visibleTo"].append({"account": account, "region": region})
    return list(seen.values())
