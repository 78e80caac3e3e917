"""VPC Lattice resource gateways, resource configurations and Resource VPC endpoints, as AWS
documents them; moto 5.2.5 has none of them.

Each behaviour cites its rule in ``docs/aws-rules.md`` (R21, with the AWS page it comes from).
This module answers the VPC Lattice REST-JSON calls below itself (the launcher passes every request
through :func:`intercept` before moto; other Lattice calls go on to moto), replaces moto's EC2
CreateVpcEndpoint for ``VpcEndpointType=Resource`` (as ``network_model`` does for interface
endpoints) and shares through ``ram_model``. State is kept per account and Region. Where AWS
documents no behaviour the emulator picks the strictest plausible one, so code that works here
also works against a more lenient AWS; each such choice says "(emulator)".

* **CreateResourceGateway** (R21.1-R21.4): ``name`` 3-40 of a-z, 0-9, '-' (not ``rgw-``, no
  leading, trailing or double '-'), unique in the account (``ConflictException``, emulator code);
  ``subnetIds`` required, each existing (``ResourceNotFoundException``) and in one VPC, the
  ``vpcIdentifier`` (taken from the subnets when omitted); up to 5 ``securityGroupIds`` of that VPC
  (none: the VPC's default group, as AWS's CLI example shows); ``ipAddressType`` IPV4 (default) |
  IPV6 | DUALSTACK matching the subnets; ``ipv4AddressesPerEni`` 1-62 (default 16, IPV4 and
  DUALSTACK only); ``resourceConfigDnsResolution`` PUBLIC (default) | IN_VPC; at most 100
  gateways per VPC (``ServiceQuotaExceededException``); ``clientToken`` idempotency. The answer says
  ``CREATE_IN_PROGRESS``; the next Get/List says ``ACTIVE`` (after N more reads still
  ``CREATE_IN_PROGRESS``: :func:`set_provisioning`). One interface per subnet is made in moto's EC2
  (description ``VPC Lattice resource gateway rgw-…``, the gateway's groups, 1 + N-1 addresses), so
  the subnet's free addresses drop and DescribeNetworkInterfaces shows them.
* **Free addresses** (R21.2): a subnet with fewer free IPv4 addresses than ``ipv4AddressesPerEni``
  makes the gateway go ``CREATE_FAILED`` at the next read (default), or, after
  :func:`set_address_failure` ``("ValidationException")``, refuses the call at once. AWS documents
  neither; tests fill a subnet with :func:`fill_subnet`.
* **Get/List/Delete/UpdateResourceGateway** (R21.5): ListResourceGateways has no VPC filter (AWS's
  model has none); DeleteResourceGateway answers ``DELETE_IN_PROGRESS``, then not found
  (``ResourceNotFoundException``) at the next read (N reads later: :func:`set_provisioning`), and
  removes its interfaces; it is refused with ``ConflictException`` while a resource configuration
  uses the gateway (emulator). UpdateResourceGateway replaces the security groups.
* **CreateResourceConfiguration** (R21.6-R21.8): ``name`` as above (not ``rcfg-``), unique in the
  account; ``type`` SINGLE | GROUP | CHILD | ARN (CIDR refused: not modelled). For ARN: the
  ``arnResource.arn`` of an existing RDS DB instance (``:db:``) or DB cluster (``:cluster:``) of the
  caller's account and Region (else ``ResourceNotFoundException``; other ARNs ``ValidationException``,
  emulator), in the gateway's VPC; no ``portRanges``/``protocol`` (those are documented for the
  other types only: ``ValidationException``, emulator); not on an IN_VPC gateway (documented).
  SINGLE: ``dnsResource`` or ``ipResource`` (an address of the VPC), ``portRanges`` default
  ``1-65535``, ``protocol`` TCP. The gateway must exist (``ResourceNotFoundException``) and be
  ``ACTIVE`` (``ConflictException``, emulator). ``allowAssociationToShareableServiceNetwork``
  defaults to false (API reference). States and reads as for gateways.
* **Get/List/DeleteResourceConfiguration**: List filters ``resourceGatewayIdentifier`` and
  ``resourceConfigurationGroupIdentifier``; Delete answers 204, refused with ``ConflictException``
  while a resource endpoint association exists (emulator); RAM shares drop the deleted ARN.
* **Resource VPC endpoints** (R21.13-R21.16): EC2 CreateVpcEndpoint with ``VpcEndpointType=Resource``
  and ``ResourceConfigurationArn``: the configuration must be the caller's or shared with it through
  RAM and accepted, ``ACTIVE``, in the caller's Region (same-Region only, emulator), its gateway in
  another VPC, and the endpoint's subnets must share an Availability Zone (zone id) with the
  gateway's (documented). Refusals are EC2 ``InvalidParameter`` (emulator wording). The endpoint
  (moto's, with interfaces in its subnets) reads ``pending`` in the answer, ``available`` at the
  next DescribeVpcEndpoints, shows ``VpcEndpointType`` ``Resource``, the
  ``ResourceConfigurationArn`` and the DNS name ``vpce-….rcfg-….4232ccc.vpc-lattice-rsc.<region>.on.aws``.
  A resource endpoint association (``rea-…``) appears in the owner's
  ListResourceEndpointAssociations. **Removing the RAM share does not remove it** (R21.12): the
  owner revokes with DeleteResourceEndpointAssociation (or by deleting the configuration after it).
  DeleteVpcEndpoints by the vendor drops the association.
* **Tags**: ``tags`` at create, TagResource / UntagResource / ListTagsForResource on gateway and
  configuration ARNs (other ARNs go to moto).
* **Control** (launcher): :func:`set_provisioning`, :func:`set_address_failure`, :func:`fill_subnet`,
  :func:`access` (whether a Resource endpoint reaches its database now: association, states, the
  gateway group's egress to the database port and the database group admitting the gateway's group
  or every gateway address, R21.17) and :func:`dump`.

Not modelled: CIDR, GROUP/CHILD beyond create/read, custom domain names and domain verification,
the children AWS makes for ARN configurations, private DNS records (the RDS hostname resolving in
the vendor's VPC: reported by :func:`access`, not served), IPv6 addressing, service networks and
their associations, shared subnets, access logs, quotas other than 100 gateways per VPC, pagination
tokens (everything fits one page), DescribeVpcEndpointAssociations, and billing.
"""

from __future__ import annotations

import ipaddress
import json
import re
import secrets
import threading
import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, unquote

import org_model
import ram_model
from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.responses import EC2Response
from moto.ec2.utils import add_tag_specification
from moto.rds.models import rds_backends

Answer = tuple[str, list[tuple[str, str]], bytes]

_lock = threading.RLock()

# R21.3: "The default is 16 IPv4 addresses per ENI." ; "from 1 to 62"
DEFAULT_IPV4_PER_ENI = 16
# R21.1: "A VPC can have a maximum of 100 resource gateways."
GATEWAYS_PER_VPC = 100

_NAME = {
    "gateway": re.compile(r"^(?!rgw-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]{3,40}$"),
    "configuration": re.compile(r"^(?!rcfg-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]{3,40}$"),
}
_GW_ID = re.compile(r"^(?:rgw-[0-9a-z]{17}|arn:[a-z0-9-]+:vpc-lattice:([a-z0-9-]+):(\d{12}):resourcegateway/(rgw-[0-9a-z]{17}))$")
_CFG_ID = re.compile(r"^(?:rcfg-[0-9a-z]{17}|arn:[a-z0-9-]+:vpc-lattice:([a-z0-9-]+):(\d{12}):resourceconfiguration/(rcfg-[0-9a-z]{17}))$")
_REA_ID = re.compile(r"^(?:rea-[0-9a-f]{17}|arn:[a-z0-9-]+:vpc-lattice:([a-z0-9-]+):(\d{12}):resourceendpointassociation/(rea-[0-9a-f]{17}))$")
_RDS_ARN = re.compile(r"^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):(db|cluster):([A-Za-z0-9-]+)$")

# gateway id -> gateway; configuration id -> configuration; association id -> association
_gateways: dict[str, dict[str, Any]] = {}
_configs: dict[str, dict[str, Any]] = {}
_associations: dict[str, dict[str, Any]] = {}
# Resource endpoint id -> {"account", "region", "config", "association"}
_endpoints: dict[str, dict[str, Any]] = {}
# (account, region, operation, client token) -> (request fingerprint, id)
_tokens: dict[tuple[str, str, str, str], tuple[str, str]] = {}
_settings = {"gets": 0, "deletes": 0, "address_failure": "CREATE_FAILED"}
_DEFAULT_SETTINGS = dict(_settings)


def reset() -> None:
    with _lock:
        _gateways.clear()
        _configs.clear()
        _associations.clear()
        _endpoints.clear()
        _tokens.clear()
        _settings.clear()
        _settings.update(_DEFAULT_SETTINGS)


def set_provisioning(gets: int | None = None, deletes: int | None = None) -> dict:
    """Gateways and configurations created from now on stay ``CREATE_IN_PROGRESS`` for ``gets``
    more reads; deleted ones stay ``DELETE_IN_PROGRESS`` for ``deletes`` more reads."""
    with _lock:
        if gets is not None:
            _settings["gets"] = int(gets)
        if deletes is not None:
            _settings["deletes"] = int(deletes)
        return {"gets": _settings["gets"], "deletes": _settings["deletes"]}


def set_address_failure(kind: str) -> dict:
    """How a gateway whose subnet lacks free addresses fails: ``CREATE_FAILED`` (at the next
    read, default) or ``ValidationException`` (the create call is refused)."""
    if kind not in ("CREATE_FAILED", "ValidationException"):
        raise ValueError(kind)
    with _lock:
        _settings["address_failure"] = kind
        return {"address_failure": kind}


# --------------------------------------------------------------------------------------
# Answers and errors (restJson1: x-amzn-ErrorType + a JSON "message")
# --------------------------------------------------------------------------------------

_ERROR_STATUS = {
    "ValidationException": 400,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ConflictException": 409,
    "ServiceQuotaExceededException": 402,
    "ThrottlingException": 429,
    "InternalServerException": 500,
}
_REASONS = {200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 402: "Payment Required", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error"}


class LatticeError(Exception):
    def __init__(self, code: str, message: str, **fields: Any):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields


def _invalid(field: str, message: str) -> LatticeError:
    return LatticeError("ValidationException", message, reason="fieldValidationFailed", fieldList=[{"name": field, "message": message}])


def _not_found(kind: str, identifier: str) -> LatticeError:
    return LatticeError("ResourceNotFoundException", f"{kind} {identifier} not found", resourceId=identifier, resourceType=kind)


def _conflict(kind: str, identifier: str, message: str) -> LatticeError:
    return LatticeError("ConflictException", message, resourceId=identifier, resourceType=kind)


def _json(status: int, document: dict | None) -> Answer:
    body = b"" if document is None else json.dumps(document).encode()
    headers = [("Content-Type", "application/json"), ("x-amzn-RequestId", str(uuid.uuid4())), ("Content-Length", str(len(body)))]
    return f"{status} {_REASONS.get(status, 'OK')}", headers, body


def error_answer(code: str, message: str, **fields: Any) -> Answer:
    status = _ERROR_STATUS.get(code, 400)
    document = {"message": message, **fields}
    if code == "ValidationException":
        document.setdefault("reason", "other")
    line, headers, body = _json(status, document)
    return line, headers + [("x-amzn-ErrorType", code)], body


def fault_answer(service: str, kind: str, operation: str) -> Answer:
    """An injected fault as VPC Lattice or RAM words it (REST-JSON)."""
    if service == "ram":
        codes = {"throttle": "ThrottlingException", "http500": "ServerInternalException", "deny": "AccessDeniedException"}
        messages = {"throttle": "Rate exceeded", "http500": "We encountered an internal error. Please try again.", "deny": f"You are not authorized to perform: ram:{operation}"}
        return ram_model.error_answer(codes[kind], messages[kind])
    codes = {"throttle": "ThrottlingException", "http500": "InternalServerException", "deny": "AccessDeniedException"}
    messages = {"throttle": "Rate exceeded", "http500": "We encountered an internal error. Please try again.", "deny": f"You are not authorized to perform: vpc-lattice:{operation}"}
    return error_answer(codes[kind], messages[kind])


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _hex17() -> str:
    return secrets.token_hex(9)[:17]


# --------------------------------------------------------------------------------------
# moto's EC2 and RDS, read without creating backends for other accounts
# --------------------------------------------------------------------------------------


def _ec2(account: str, region: str):
    return ec2_backends[account][region]


def _rds_existing(account: str, region: str):
    per_account = dict.get(rds_backends, account)
    return dict.get(per_account, region) if per_account is not None else None


def _subnet(ec2, subnet_id: str):
    try:
        return ec2.get_subnet(subnet_id)
    except Exception:  # noqa: BLE001 (moto's InvalidSubnetIdError)
        return None


def _group(ec2, group_id: str):
    try:
        return ec2.get_security_group_from_id(group_id)
    except Exception:  # noqa: BLE001
        return None


def _free_addresses(subnet) -> int:
    return subnet.available_ip_address_count


def _rds_target(arn: str):
    """The moto DB instance or cluster an RDS ARN names, with its (account, region), or None."""
    match = _RDS_ARN.match(arn)
    if match is None:
        return None
    region, account, kind, name = match.groups()
    rds = _rds_existing(account, region)
    if rds is None:
        return None
    found = (rds.databases if kind == "db" else rds.clusters).get(name)
    return (found, kind, rds) if found is not None else None


def _db_vpc(found, kind: str, rds) -> str | None:
    try:
        if kind == "db":
            group = getattr(found, "db_subnet_group", None)
            if group is None and getattr(found, "db_cluster_identifier", None):
                cluster = rds.clusters.get(found.db_cluster_identifier)
                return _db_vpc(cluster, "cluster", rds) if cluster is not None else None
            return getattr(group, "vpc_id", None)
        name = getattr(found, "db_subnet_group_name", None) or getattr(found, "db_subnet_group", None)
        return rds.describe_db_subnet_groups(name)[0].vpc_id if name else None
    except Exception:  # noqa: BLE001 (an unreadable subnet group: no VPC check)
        return None


def _db_subnet_blocks(found, kind: str, rds) -> list[str]:
    """The CIDR blocks of the database's subnet group (where its addresses come from)."""
    try:
        if kind == "db":
            group = getattr(found, "db_subnet_group", None)
            if group is None and getattr(found, "db_cluster_identifier", None):
                cluster = rds.clusters.get(found.db_cluster_identifier)
                return _db_subnet_blocks(cluster, "cluster", rds) if cluster is not None else []
        else:
            name = getattr(found, "db_subnet_group_name", None) or getattr(found, "db_subnet_group", None)
            group = rds.describe_db_subnet_groups(name)[0] if name else None
        return [s.cidr_block for s in getattr(group, "_subnets", []) or []]
    except Exception:  # noqa: BLE001
        return []


def _db_facts(found, kind: str, rds) -> dict[str, Any]:
    groups = list(getattr(found, "vpc_security_group_ids", None) or [])
    if kind == "db" and not groups and getattr(found, "db_cluster_identifier", None):
        cluster = rds.clusters.get(found.db_cluster_identifier)
        groups = list(getattr(cluster, "vpc_security_group_ids", None) or []) if cluster is not None else []
    host = found.address if kind == "db" else found.endpoint
    name = found.db_instance_identifier if kind == "db" else found.db_cluster_identifier
    return {"name": name, "host": host, "port": int(found.port or 0), "groups": groups, "subnets": _db_subnet_blocks(found, kind, rds)}


# --------------------------------------------------------------------------------------
# Reads: creation and deletion take their time (R21.5)
# --------------------------------------------------------------------------------------


def _settle(item: dict, store: dict) -> bool:
    """One read of ``item``: advances it; answers False once it is gone."""
    status = item["status"]
    if status == "CREATE_IN_PROGRESS":
        if item["reads_left"] > 0:
            item["reads_left"] -= 1
        else:
            item["status"] = "CREATE_FAILED" if item.get("fails") else "ACTIVE"
            item["updated"] = _now()
    elif status == "DELETE_IN_PROGRESS":
        if item["reads_left"] > 0:
            item["reads_left"] -= 1
        else:
            store.pop(item["id"], None)
            if store is _gateways:
                _remove_enis(item)
            return False
    return True


def _visible(store: dict, account: str, region: str) -> list[dict]:
    found = []
    for item in list(store.values()):
        if item["account"] == account and item["region"] == region and _settle(item, store):
            found.append(item)
    return found


def _lookup(store: dict, pattern: re.Pattern, kind: str, field: str, identifier: Any, account: str, region: str, read: bool = True) -> dict:
    """The caller's item by ID or ARN. A Get is a read (it advances the item's state, R21.5);
    other calls that name an item (``read=False``) see its state as it is."""
    if not isinstance(identifier, str) or not pattern.match(identifier):
        raise _invalid(field, f"{field} must be the ID or ARN of a {kind}")
    match = pattern.match(identifier)
    item_id = match.group(3) or identifier
    item = store.get(item_id)
    if item is None or item["account"] != account or item["region"] != region or (match.group(1) and (match.group(1), match.group(2)) != (region, account)):
        raise _not_found(kind, identifier)
    if read and not _settle(item, store):
        raise _not_found(kind, identifier)
    return item


def _idempotent(account: str, region: str, operation: str, request: dict, keys: tuple[str, ...], store: dict) -> dict | None:
    token = request.get("clientToken")
    if not token:
        return None
    known = _tokens.get((account, region, operation, token))
    if known is None:
        return None
    if known[0] != json.dumps({k: request.get(k) for k in keys}, sort_keys=True, default=str):
        raise LatticeError("ConflictException", f"clientToken {token} was used with different parameters", resourceId=known[1], resourceType=operation)
    return store.get(known[1])


def _remember(account: str, region: str, operation: str, request: dict, keys: tuple[str, ...], item_id: str) -> None:
    token = request.get("clientToken")
    if token:
        _tokens[(account, region, operation, token)] = (json.dumps({k: request.get(k) for k in keys}, sort_keys=True, default=str), item_id)


def _check_tags(tags: Any) -> dict[str, str]:
    if tags is None:
        return {}
    if not isinstance(tags, dict) or len(tags) > 200:
        raise _invalid("tags", "tags must be a map of at most 200 keys")
    return {str(k): str(v) for k, v in tags.items()}


def _name_taken(store: dict, account: str, name: str) -> bool:
    return any(i["account"] == account and i["name"] == name and i["status"] != "DELETE_IN_PROGRESS" for i in store.values())


# --------------------------------------------------------------------------------------
# Resource gateways (R21.1-R21.5)
# --------------------------------------------------------------------------------------


def _gateway_view(gw: dict, shape: str) -> dict[str, Any]:
    view: dict[str, Any] = {"name": gw["name"], "id": gw["id"], "arn": gw["arn"], "status": gw["status"]}
    if shape == "delete":
        return view
    view["vpcId" if shape == "get" else "vpcIdentifier"] = gw["vpc"]
    view.update(subnetIds=list(gw["subnets"]), securityGroupIds=list(gw["groups"]), ipAddressType=gw["ip_type"], resourceConfigDnsResolution=gw["dns"])
    if gw["ip_type"] != "IPV6":
        view["ipv4AddressesPerEni"] = gw["per_eni"]
    if shape in ("get", "list"):
        view["createdAt"], view["lastUpdatedAt"] = _iso(gw["created"]), _iso(gw["updated"])
    if shape == "get":
        view["serviceManaged"] = False
    return view


_GW_KEYS = ("name", "vpcIdentifier", "subnetIds", "securityGroupIds", "ipAddressType", "ipv4AddressesPerEni", "resourceConfigDnsResolution", "tags")


def _create_gateway(account: str, region: str, request: dict) -> Answer:
    earlier = _idempotent(account, region, "CreateResourceGateway", request, _GW_KEYS, _gateways)
    if earlier is not None:
        return _json(201, _gateway_view(earlier, "create"))
    name = request.get("name")
    if not isinstance(name, str) or not _NAME["gateway"].match(name):
        raise _invalid("name", "name must be 3-40 characters of a-z, 0-9 and hyphens, not starting with rgw-, and no leading, trailing or double hyphens")
    ip_type = request.get("ipAddressType") or "IPV4"
    if ip_type not in ("IPV4", "IPV6", "DUALSTACK"):
        raise _invalid("ipAddressType", "ipAddressType must be IPV4, IPV6 or DUALSTACK")
    per_eni = request.get("ipv4AddressesPerEni")
    if per_eni is not None:
        if ip_type == "IPV6":
            raise _invalid("ipv4AddressesPerEni", "ipv4AddressesPerEni applies only to IPV4 and DUALSTACK resource gateways")
        if not isinstance(per_eni, int) or isinstance(per_eni, bool) or not 1 <= per_eni <= 62:
            raise _invalid("ipv4AddressesPerEni", "ipv4AddressesPerEni must be between 1 and 62")
    per_eni = per_eni or DEFAULT_IPV4_PER_ENI
    dns = request.get("resourceConfigDnsResolution") or "PUBLIC"
    if dns not in ("PUBLIC", "IN_VPC"):
        raise _invalid("resourceConfigDnsResolution", "resourceConfigDnsResolution must be PUBLIC or IN_VPC")
    tags = _check_tags(request.get("tags"))
    ec2 = _ec2(account, region)
    subnet_ids = request.get("subnetIds")
    if not isinstance(subnet_ids, list) or not subnet_ids:
        raise _invalid("subnetIds", "subnetIds must name at least one subnet")
    subnets = []
    for subnet_id in subnet_ids:
        subnet = _subnet(ec2, subnet_id)
        if subnet is None:
            raise _not_found("Subnet", subnet_id)
        subnets.append(subnet)
    vpc_id = request.get("vpcIdentifier") or subnets[0].vpc_id
    try:
        vpc = ec2.get_vpc(vpc_id)
    except Exception:  # noqa: BLE001 (moto's InvalidVPCIdError)
        raise _not_found("VPC", vpc_id) from None
    for subnet in subnets:
        if subnet.vpc_id != vpc.id:
            raise _invalid("subnetIds", f"Subnet {subnet.id} is not in VPC {vpc.id}")
    for subnet in subnets:
        has_v6 = bool(getattr(subnet, "ipv6_cidr_block_associations", None))
        if ip_type == "IPV6" and subnet.cidr_block:
            raise _invalid("ipAddressType", f"IPV6 needs IPv6-only subnets; {subnet.id} has an IPv4 range")
        if ip_type == "DUALSTACK" and not has_v6:
            raise _invalid("ipAddressType", f"DUALSTACK needs subnets with IPv4 and IPv6 ranges; {subnet.id} has no IPv6 range")
    group_ids = request.get("securityGroupIds")
    if group_ids is None or group_ids == []:
        default = ec2.get_default_security_group(vpc.id)
        group_ids = [default.id] if default is not None else []
    if not isinstance(group_ids, list) or len(group_ids) > 5:
        raise _invalid("securityGroupIds", "securityGroupIds must list at most 5 security groups")
    for group_id in group_ids:
        group = _group(ec2, group_id)
        if group is None:
            raise _not_found("SecurityGroup", group_id)
        if group.vpc_id != vpc.id:
            raise _invalid("securityGroupIds", f"Security group {group_id} is not in VPC {vpc.id}")
    if _name_taken(_gateways, account, name):
        raise _conflict("ResourceGateway", name, f"A resource gateway named {name} already exists in this account")
    if sum(1 for g in _gateways.values() if g["account"] == account and g["region"] == region and g["vpc"] == vpc.id) >= GATEWAYS_PER_VPC:
        raise LatticeError(
            "ServiceQuotaExceededException", f"VPC {vpc.id} already has {GATEWAYS_PER_VPC} resource gateways",
            resourceType="ResourceGateway", serviceCode="vpc-lattice", quotaCode="resource-gateways-per-vpc",
        )
    short = [s for s in subnets if ip_type != "IPV6" and _free_addresses(s) < per_eni]
    if short and _settings["address_failure"] == "ValidationException":
        s = short[0]
        raise _invalid("subnetIds", f"Subnet {s.id} has {_free_addresses(s)} free IPv4 addresses; the resource gateway needs {per_eni} in each subnet")
    gw_id = f"rgw-{_hex17()}"
    now = _now()
    gw = {
        "id": gw_id, "arn": f"arn:aws:vpc-lattice:{region}:{account}:resourcegateway/{gw_id}", "name": name,
        "account": account, "region": region, "vpc": vpc.id, "subnets": [s.id for s in subnets], "groups": list(group_ids),
        "ip_type": ip_type, "per_eni": per_eni, "dns": dns, "status": "CREATE_IN_PROGRESS", "created": now, "updated": now,
        "reads_left": _settings["gets"], "fails": bool(short), "enis": [], "tags": tags,
    }
    if not short:
        for subnet in subnets:
            eni = ec2.create_network_interface(
                subnet, None, group_ids=list(group_ids), description=f"VPC Lattice resource gateway {gw_id}",
                secondary_ips_count=per_eni - 1 if ip_type != "IPV6" else 0,
            )
            gw["enis"].append(eni.id)
    _gateways[gw_id] = gw
    _remember(account, region, "CreateResourceGateway", request, _GW_KEYS, gw_id)
    return _json(201, _gateway_view(gw, "create"))


def _remove_enis(gw: dict) -> None:
    ec2 = _ec2(gw["account"], gw["region"])
    for eni_id in gw["enis"]:
        try:
            ec2.delete_network_interface(eni_id)
        except Exception:  # noqa: BLE001 (already gone)
            pass
    gw["enis"] = []


def gateway_addresses(gw: dict) -> list[str]:
    """R21.17: the addresses traffic from the gateway comes from (its interfaces' IPv4 addresses)."""
    ec2 = _ec2(gw["account"], gw["region"])
    found = []
    for eni_id in gw["enis"]:
        eni = ec2.enis.get(eni_id)
        if eni is not None:
            found.extend(a["PrivateIpAddress"] for a in eni.private_ip_addresses if a.get("PrivateIpAddress"))
    return found


def _get_gateway(account: str, region: str, identifier: str) -> Answer:
    gw = _lookup(_gateways, _GW_ID, "ResourceGateway", "resourceGatewayIdentifier", identifier, account, region)
    return _json(200, _gateway_view(gw, "get"))


def _list_gateways(account: str, region: str, query: dict) -> Answer:
    items = _visible(_gateways, account, region)
    return _json(200, {"items": [_gateway_view(g, "list") for g in _paged(items, query)]})


def _paged(items: list, query: dict) -> list:
    limit = query.get("maxResults")
    if limit is not None:
        try:
            limit = int(limit)
        except ValueError:
            raise _invalid("maxResults", "maxResults must be a number") from None
        if not 1 <= limit <= 100:
            raise _invalid("maxResults", "maxResults must be between 1 and 100")
    return items


def _delete_gateway(account: str, region: str, identifier: str) -> Answer:
    gw = _lookup(_gateways, _GW_ID, "ResourceGateway", "resourceGatewayIdentifier", identifier, account, region, read=False)
    users = [c["id"] for c in _configs.values() if c.get("gateway") == gw["id"]]
    if users:
        raise _conflict("ResourceGateway", gw["id"], f"Resource gateway {gw['id']} is used by resource configurations {', '.join(users)}")
    if gw["status"] != "DELETE_IN_PROGRESS":
        gw["status"], gw["updated"], gw["reads_left"] = "DELETE_IN_PROGRESS", _now(), _settings["deletes"]
    return _json(200, _gateway_view(gw, "delete"))


def _update_gateway(account: str, region: str, identifier: str, request: dict) -> Answer:
    gw = _lookup(_gateways, _GW_ID, "ResourceGateway", "resourceGatewayIdentifier", identifier, account, region, read=False)
    if gw["status"] != "ACTIVE":
        raise _conflict("ResourceGateway", gw["id"], f"Resource gateway {gw['id']} is {gw['status']}")
    ec2 = _ec2(account, region)
    if "securityGroupIds" in request:
        groups = request["securityGroupIds"] or []
        if len(groups) > 5:
            raise _invalid("securityGroupIds", "securityGroupIds must list at most 5 security groups")
        for group_id in groups:
            group = _group(ec2, group_id)
            if group is None:
                raise _not_found("SecurityGroup", group_id)
            if group.vpc_id != gw["vpc"]:
                raise _invalid("securityGroupIds", f"Security group {group_id} is not in VPC {gw['vpc']}")
        gw["groups"] = list(groups)
        for eni_id in gw["enis"]:
            eni = ec2.enis.get(eni_id)
            if eni is not None:
                eni._group_set = [ec2.get_security_group_from_id(g) for g in groups]
    if "resourceConfigDnsResolution" in request:
        if request["resourceConfigDnsResolution"] not in ("PUBLIC", "IN_VPC"):
            raise _invalid("resourceConfigDnsResolution", "resourceConfigDnsResolution must be PUBLIC or IN_VPC")
        gw["dns"] = request["resourceConfigDnsResolution"]
    gw["updated"] = _now()
    return _json(200, _gateway_view(gw, "create"))


# --------------------------------------------------------------------------------------
# Resource configurations (R21.6-R21.8)
# --------------------------------------------------------------------------------------


def _config_view(cfg: dict, shape: str) -> dict[str, Any]:
    view: dict[str, Any] = {"id": cfg["id"], "name": cfg["name"], "arn": cfg["arn"], "type": cfg["type"], "status": cfg["status"]}
    if cfg.get("gateway"):
        view["resourceGatewayId"] = cfg["gateway"]
    if cfg.get("group"):
        view["resourceConfigurationGroupId"] = cfg["group"]
    view["createdAt"] = _iso(cfg["created"])
    if shape == "list":
        view["amazonManaged"] = False
        view["lastUpdatedAt"] = _iso(cfg["updated"])
        return view
    if cfg.get("ports") is not None:
        view["portRanges"] = list(cfg["ports"])
    if cfg.get("protocol"):
        view["protocol"] = cfg["protocol"]
    if cfg.get("definition"):
        view["resourceConfigurationDefinition"] = cfg["definition"]
    view["allowAssociationToShareableServiceNetwork"] = cfg["shareable"]
    if cfg["status"] == "CREATE_FAILED":
        view["failureReason"] = cfg.get("failure", "")
    if shape == "get":
        view["amazonManaged"] = False
        view["lastUpdatedAt"] = _iso(cfg["updated"])
    return view


def _check_ports(ports: Any) -> list[str]:
    if not isinstance(ports, list) or not ports:
        raise _invalid("portRanges", "portRanges must list port ranges such as 5432 or 1-65535")
    for port in ports:
        match = re.match(r"^(\d{1,5})(?:-(\d{1,5}))?$", str(port))
        if not match or not 1 <= int(match.group(1)) <= 65535 or (match.group(2) and not int(match.group(1)) <= int(match.group(2)) <= 65535):
            raise _invalid("portRanges", f"{port} is not a port or port range")
    return [str(p) for p in ports]


_CFG_KEYS = ("name", "type", "portRanges", "protocol", "resourceGatewayIdentifier", "resourceConfigurationGroupIdentifier", "resourceConfigurationDefinition", "allowAssociationToShareableServiceNetwork", "tags")


def _create_config(account: str, region: str, request: dict) -> Answer:
    earlier = _idempotent(account, region, "CreateResourceConfiguration", request, _CFG_KEYS, _configs)
    if earlier is not None:
        return _json(201, _config_view(earlier, "create"))
    name = request.get("name")
    if not isinstance(name, str) or not _NAME["configuration"].match(name):
        raise _invalid("name", "name must be 3-40 characters of a-z, 0-9 and hyphens, not starting with rcfg-, and no leading, trailing or double hyphens")
    kind = request.get("type")
    if kind not in ("SINGLE", "GROUP", "CHILD", "ARN", "CIDR"):
        raise _invalid("type", "type must be SINGLE, GROUP, CHILD, ARN or CIDR")
    if kind == "CIDR":
        raise _invalid("type", "CIDR resource configurations are not modelled by the emulator")
    tags = _check_tags(request.get("tags"))
    definition = request.get("resourceConfigurationDefinition")
    if definition is not None and (not isinstance(definition, dict) or len(definition) != 1):
        raise _invalid("resourceConfigurationDefinition", "resourceConfigurationDefinition must have exactly one of arnResource, dnsResource, ipResource")
    shareable = request.get("allowAssociationToShareableServiceNetwork")
    if shareable is not None and kind == "CHILD":
        raise _invalid("allowAssociationToShareableServiceNetwork", "allowAssociationToShareableServiceNetwork applies to SINGLE, GROUP and ARN resource configurations")
    gateway = group = None
    if kind == "CHILD":
        if request.get("resourceGatewayIdentifier"):
            raise _invalid("resourceGatewayIdentifier", "A CHILD resource configuration takes its resource gateway from its group")
        group = _lookup(_configs, _CFG_ID, "ResourceConfiguration", "resourceConfigurationGroupIdentifier", request.get("resourceConfigurationGroupIdentifier"), account, region, read=False)
        if group["type"] != "GROUP":
            raise _invalid("resourceConfigurationGroupIdentifier", f"{group['id']} is not a GROUP resource configuration")
        gateway = _gateways.get(group["gateway"])
    else:
        if request.get("resourceConfigurationGroupIdentifier"):
            raise _invalid("resourceConfigurationGroupIdentifier", "Only a CHILD resource configuration has a group")
        if not request.get("resourceGatewayIdentifier"):
            raise _invalid("resourceGatewayIdentifier", f"A {kind} resource configuration needs resourceGatewayIdentifier")
        gateway = _lookup(_gateways, _GW_ID, "ResourceGateway", "resourceGatewayIdentifier", request["resourceGatewayIdentifier"], account, region, read=False)
    if gateway is None or gateway["status"] != "ACTIVE":
        identifier = gateway["id"] if gateway else request.get("resourceGatewayIdentifier", "")
        raise _conflict("ResourceGateway", identifier, f"Resource gateway {identifier} is {gateway['status'] if gateway else 'gone'}, not ACTIVE")
    ports, protocol, facts, target_arn = None, None, None, None
    if kind == "ARN":
        if "portRanges" in request or "protocol" in request:
            field = "portRanges" if "portRanges" in request else "protocol"
            raise _invalid(field, f"{field} cannot be given for an ARN resource configuration")
        if not definition or "arnResource" not in definition:
            raise _invalid("resourceConfigurationDefinition", "An ARN resource configuration needs arnResource")
        target_arn = (definition["arnResource"] or {}).get("arn")
        if not isinstance(target_arn, str) or not target_arn.startswith("arn:"):
            raise _invalid("resourceConfigurationDefinition.arnResource.arn", "arn must be an ARN")
        if gateway["dns"] == "IN_VPC":
            raise _invalid("resourceGatewayIdentifier", "An ARN resource configuration cannot use a resource gateway whose DNS resolution is IN_VPC")
        match = _RDS_ARN.match(target_arn)
        if match is None:
            raise _invalid("resourceConfigurationDefinition.arnResource.arn", "The emulator supports ARN resource configurations for RDS DB instances (:db:) and DB clusters (:cluster:) only")
        if (match.group(1), match.group(2)) != (region, account):
            raise _not_found("RdsResource", target_arn)
        found = _rds_target(target_arn)
        if found is None:
            raise _not_found("RdsResource", target_arn)
        db_vpc = _db_vpc(*found)
        if db_vpc is not None and db_vpc != gateway["vpc"]:
            raise _invalid("resourceConfigurationDefinition.arnResource.arn", f"{target_arn} is in VPC {db_vpc}, not in the resource gateway's VPC {gateway['vpc']}")
        facts = _db_facts(*found)
        definition = {"arnResource": {"arn": target_arn}}
    elif kind in ("SINGLE", "CHILD"):
        if not definition or not ({"dnsResource", "ipResource"} & set(definition)):
            raise _invalid("resourceConfigurationDefinition", f"A {kind} resource configuration needs dnsResource or ipResource")
        if "ipResource" in definition:
            address = (definition["ipResource"] or {}).get("ipAddress")
            try:
                ip = ipaddress.ip_address(address)
            except (TypeError, ValueError):
                raise _invalid("resourceConfigurationDefinition.ipResource.ipAddress", f"{address} is not an IP address") from None
            vpc = _ec2(account, region).get_vpc(gateway["vpc"])
            blocks = [vpc.cidr_block] + [a["cidr_block"] for a in vpc.get_cidr_block_association_set(ipv6=False)]
            if not any(ip in ipaddress.ip_network(b, strict=False) for b in blocks if b):
                raise _invalid("resourceConfigurationDefinition.ipResource.ipAddress", f"{address} is not an address of VPC {gateway['vpc']}")
        else:
            dns = definition["dnsResource"] or {}
            if not isinstance(dns.get("domainName"), str) or not 3 <= len(dns["domainName"]) <= 255:
                raise _invalid("resourceConfigurationDefinition.dnsResource.domainName", "domainName must be 3-255 characters")
            if dns.get("ipAddressType", "IPV4") not in ("IPV4", "IPV6"):
                raise _invalid("resourceConfigurationDefinition.dnsResource.ipAddressType", "ipAddressType must be IPV4 or IPV6 (DUALSTACK is not supported)")
        ports = _check_ports(request["portRanges"]) if "portRanges" in request else ["1-65535"]
        protocol = request.get("protocol") or "TCP"
    else:  # GROUP
        if definition:
            raise _invalid("resourceConfigurationDefinition", "A GROUP resource configuration has no definition of its own")
        protocol = request.get("protocol") or "TCP"
        ports = _check_ports(request["portRanges"]) if "portRanges" in request else None
    if protocol not in (None, "TCP"):
        raise _invalid("protocol", "protocol must be TCP (TCP_UDP is for CIDR resource configurations)")
    if _name_taken(_configs, account, name):
        raise _conflict("ResourceConfiguration", name, f"A resource configuration named {name} already exists in this account")
    cfg_id = f"rcfg-{_hex17()}"
    now = _now()
    cfg = {
        "id": cfg_id, "arn": f"arn:aws:vpc-lattice:{region}:{account}:resourceconfiguration/{cfg_id}", "name": name,
        "account": account, "region": region, "type": kind, "gateway": gateway["id"] if kind != "CHILD" else None,
        "group": group["id"] if group else None, "ports": ports, "protocol": protocol, "definition": definition,
        "shareable": bool(shareable), "status": "CREATE_IN_PROGRESS", "created": now, "updated": now,
        "reads_left": _settings["gets"], "tags": tags, "target": facts, "target_arn": target_arn,
    }
    _configs[cfg_id] = cfg
    _remember(account, region, "CreateResourceConfiguration", request, _CFG_KEYS, cfg_id)
    return _json(201, _config_view(cfg, "create"))


def _get_config(account: str, region: str, identifier: str) -> Answer:
    cfg = _lookup(_configs, _CFG_ID, "ResourceConfiguration", "resourceConfigurationIdentifier", identifier, account, region)
    return _json(200, _config_view(cfg, "get"))


def _list_configs(account: str, region: str, query: dict) -> Answer:
    items = _visible(_configs, account, region)
    if query.get("resourceGatewayIdentifier"):
        gw = _GW_ID.match(query["resourceGatewayIdentifier"])
        if gw is None:
            raise _invalid("resourceGatewayIdentifier", "resourceGatewayIdentifier must be the ID or ARN of a resource gateway")
        gw_id = gw.group(3) or query["resourceGatewayIdentifier"]
        items = [c for c in items if c.get("gateway") == gw_id]
    if query.get("resourceConfigurationGroupIdentifier"):
        grp = _CFG_ID.match(query["resourceConfigurationGroupIdentifier"])
        if grp is None:
            raise _invalid("resourceConfigurationGroupIdentifier", "resourceConfigurationGroupIdentifier must be the ID or ARN of a resource configuration")
        grp_id = grp.group(3) or query["resourceConfigurationGroupIdentifier"]
        items = [c for c in items if c.get("group") == grp_id]
    return _json(200, {"items": [_config_view(c, "list") for c in _paged(items, query)]})


def _live_associations(cfg_id: str) -> list[dict]:
    _prune_associations()
    return [a for a in _associations.values() if a["config"] == cfg_id]


def _delete_config(account: str, region: str, identifier: str) -> Answer:
    cfg = _lookup(_configs, _CFG_ID, "ResourceConfiguration", "resourceConfigurationIdentifier", identifier, account, region, read=False)
    associations = _live_associations(cfg["id"])
    if associations:
        raise _conflict(
            "ResourceConfiguration", cfg["id"],
            f"Resource configuration {cfg['id']} has resource endpoint associations {', '.join(a['id'] for a in associations)}",
        )
    children = [c["id"] for c in _configs.values() if c.get("group") == cfg["id"]]
    if children:
        raise _conflict("ResourceConfiguration", cfg["id"], f"Resource configuration {cfg['id']} has child resource configurations {', '.join(children)}")
    if cfg["status"] != "DELETE_IN_PROGRESS":
        cfg["status"], cfg["updated"], cfg["reads_left"] = "DELETE_IN_PROGRESS", _now(), _settings["deletes"]
        # A configuration being deleted no longer holds its gateway.
        cfg["gateway"] = None
        ram_model.resource_deleted(cfg["arn"])
    return _json(204, None)


def _config_lookup(arn: str) -> tuple[str, str] | None:
    """For ram_model: (owner, Region) of an existing configuration ARN."""
    match = _CFG_ID.match(arn)
    with _lock:
        cfg = _configs.get(match.group(3)) if match and match.group(3) else None
        if cfg is None or cfg["arn"] != arn or cfg["status"] == "DELETE_IN_PROGRESS":
            return None
        return cfg["account"], cfg["region"]


ram_model.register_resource_kind(":resourceconfiguration/", "vpc-lattice:ResourceConfiguration", _config_lookup)


# --------------------------------------------------------------------------------------
# Resource endpoint associations (R21.13, R21.14)
# --------------------------------------------------------------------------------------


def _endpoint_exists(account: str, region: str, endpoint_id: str) -> bool:
    per_account = dict.get(ec2_backends, account)
    backend = dict.get(per_account, region) if per_account is not None else None
    return backend is not None and endpoint_id in backend.vpc_end_points


def _prune_associations() -> None:
    """An endpoint the vendor deleted takes its association with it."""
    for assoc in list(_associations.values()):
        if not _endpoint_exists(assoc["endpoint_owner"], assoc["region"], assoc["endpoint"]):
            _associations.pop(assoc["id"], None)
            _endpoints.pop(assoc["endpoint"], None)


def _association_view(assoc: dict) -> dict[str, Any]:
    cfg = _configs.get(assoc["config"]) or {}
    return {
        "id": assoc["id"], "arn": assoc["arn"], "resourceConfigurationId": assoc["config"], "resourceConfigurationArn": assoc["config_arn"],
        "resourceConfigurationName": cfg.get("name", assoc["config_name"]), "vpcEndpointId": assoc["endpoint"],
        "vpcEndpointOwner": assoc["endpoint_owner"], "createdBy": assoc["endpoint_owner"], "createdAt": _iso(assoc["created"]),
    }


def _list_associations(account: str, region: str, query: dict) -> Answer:
    if not query.get("resourceConfigurationIdentifier"):
        raise _invalid("resourceConfigurationIdentifier", "resourceConfigurationIdentifier is required")
    cfg = _lookup(_configs, _CFG_ID, "ResourceConfiguration", "resourceConfigurationIdentifier", query["resourceConfigurationIdentifier"], account, region, read=False)
    items = _live_associations(cfg["id"])
    if query.get("resourceEndpointAssociationIdentifier"):
        match = _REA_ID.match(query["resourceEndpointAssociationIdentifier"])
        if match is None:
            raise _invalid("resourceEndpointAssociationIdentifier", "resourceEndpointAssociationIdentifier must be the ID or ARN of an association")
        items = [a for a in items if a["id"] == (match.group(3) or query["resourceEndpointAssociationIdentifier"])]
    if query.get("vpcEndpointId"):
        items = [a for a in items if a["endpoint"] == query["vpcEndpointId"]]
    if query.get("vpcEndpointOwner"):
        items = [a for a in items if a["endpoint_owner"] == query["vpcEndpointOwner"]]
    return _json(200, {"items": [_association_view(a) for a in _paged(items, query)]})


def _delete_association(account: str, region: str, identifier: str) -> Answer:
    match = _REA_ID.match(identifier or "")
    if match is None:
        raise _invalid("resourceEndpointAssociationIdentifier", "resourceEndpointAssociationIdentifier must be the ID or ARN of an association")
    _prune_associations()
    assoc = _associations.get(match.group(3) or identifier)
    if assoc is None or assoc["region"] != region or account not in (assoc["owner"], assoc["endpoint_owner"]):
        raise _not_found("ResourceEndpointAssociation", identifier)
    _associations.pop(assoc["id"], None)
    endpoint = _endpoints.get(assoc["endpoint"])
    if endpoint is not None:
        endpoint["association"] = None
    return _json(200, {
        "id": assoc["id"], "arn": assoc["arn"], "resourceConfigurationId": assoc["config"],
        "resourceConfigurationArn": assoc["config_arn"], "vpcEndpointId": assoc["endpoint"],
    })


# --------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------


def _tagged(arn: str):
    for store in (_gateways, _configs):
        for item in store.values():
            if item["arn"] == arn:
                return item
    return None


def _tags_call(method: str, arn: str, account: str, request: dict, query_all: dict) -> Answer | None:
    if ":resourcegateway/" not in arn and ":resourceconfiguration/" not in arn:
        return None
    item = _tagged(arn)
    if item is None or item["account"] != account:
        raise _not_found("Resource", arn)
    if method == "GET":
        return _json(200, {"tags": dict(item["tags"])})
    if method == "POST":
        item["tags"].update(_check_tags(request.get("tags")))
        return _json(200, {})
    if method == "DELETE":
        for key in query_all.get("tagKeys", []):
            item["tags"].pop(key, None)
        return _json(200, {})
    return None


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------

_ROUTES = [
    ("POST", re.compile(r"^/resourcegateways$"), "CreateResourceGateway"),
    ("GET", re.compile(r"^/resourcegateways$"), "ListResourceGateways"),
    ("GET", re.compile(r"^/resourcegateways/([^/]+)$"), "GetResourceGateway"),
    ("DELETE", re.compile(r"^/resourcegateways/([^/]+)$"), "DeleteResourceGateway"),
    ("PATCH", re.compile(r"^/resourcegateways/([^/]+)$"), "UpdateResourceGateway"),
    ("POST", re.compile(r"^/resourceconfigurations$"), "CreateResourceConfiguration"),
    ("GET", re.compile(r"^/resourceconfigurations$"), "ListResourceConfigurations"),
    ("GET", re.compile(r"^/resourceconfigurations/([^/]+)$"), "GetResourceConfiguration"),
    ("DELETE", re.compile(r"^/resourceconfigurations/([^/]+)$"), "DeleteResourceConfiguration"),
    ("GET", re.compile(r"^/resourceendpointassociations$"), "ListResourceEndpointAssociations"),
    ("DELETE", re.compile(r"^/resourceendpointassociations/([^/]+)$"), "DeleteResourceEndpointAssociation"),
    ("POST", re.compile(r"^/tags/(.+)$"), "TagResource"),
    ("GET", re.compile(r"^/tags/(.+)$"), "ListTagsForResource"),
    ("DELETE", re.compile(r"^/tags/(.+)$"), "UntagResource"),
]


def _scope(environ, index: int) -> str:
    try:
        return environ.get("HTTP_AUTHORIZATION", "").split("Credential=")[1].split("/")[index]
    except IndexError:
        return ""


def _raw_path(environ) -> str:
    """The request path with percent-escapes intact (an ARN in the path has %2F for '/')."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "")
    return raw.split("?", 1)[0]


def _route(environ) -> tuple[str, str | None]:
    if _scope(environ, 3) != "vpc-lattice":
        return "", None
    method, path = environ.get("REQUEST_METHOD", ""), _raw_path(environ).rstrip("/")
    for route_method, pattern, operation in _ROUTES:
        match = pattern.match(path)
        if match and method == route_method:
            return operation, unquote(match.group(1)) if match.groups() else None
    return "", None


def operation_of(environ) -> str:
    """The VPC Lattice operation of a REST-JSON request (method + path), or ""."""
    return _route(environ)[0]


def intercept(environ, body: bytes) -> Answer | None:
    """VPC Lattice's answer to the calls this module models, else None (moto answers)."""
    operation, identifier = _route(environ)
    if not operation:
        return None
    query_all = parse_qs(environ.get("QUERY_STRING", ""))
    query = {k: v[0] for k, v in query_all.items()}
    try:
        request = json.loads(body) if body.strip() else {}
    except ValueError:
        return error_answer("ValidationException", "The request body is not valid JSON", reason="cannotParse")
    if not isinstance(request, dict):
        return error_answer("ValidationException", "The request body is not a JSON object", reason="cannotParse")
    account, _ = org_model._caller(environ, {})
    region = _scope(environ, 2) or "us-east-1"
    try:
        with _lock:
            if operation in ("TagResource", "ListTagsForResource", "UntagResource"):
                return _tags_call(environ["REQUEST_METHOD"], identifier or "", account, request, query_all)
            handler = {
                "CreateResourceGateway": lambda: _create_gateway(account, region, request),
                "ListResourceGateways": lambda: _list_gateways(account, region, query),
                "GetResourceGateway": lambda: _get_gateway(account, region, identifier),
                "DeleteResourceGateway": lambda: _delete_gateway(account, region, identifier),
                "UpdateResourceGateway": lambda: _update_gateway(account, region, identifier, request),
                "CreateResourceConfiguration": lambda: _create_config(account, region, request),
                "ListResourceConfigurations": lambda: _list_configs(account, region, query),
                "GetResourceConfiguration": lambda: _get_config(account, region, identifier),
                "DeleteResourceConfiguration": lambda: _delete_config(account, region, identifier),
                "ListResourceEndpointAssociations": lambda: _list_associations(account, region, query),
                "DeleteResourceEndpointAssociation": lambda: _delete_association(account, region, identifier),
            }[operation]
            return handler()
    except LatticeError as error:
        return error_answer(error.code, error.message, **error.fields)


# --------------------------------------------------------------------------------------
# The vendor's side: EC2 CreateVpcEndpoint with VpcEndpointType=Resource (R21.13-R21.16)
# --------------------------------------------------------------------------------------

_moto_create_vpc_endpoint = EC2Response.create_vpc_endpoint
_moto_describe_vpc_endpoints = EC2Response.describe_vpc_endpoints


def _refuse(message: str) -> EC2ClientError:
    return EC2ClientError("InvalidParameter", message)


def _zone_ids(ec2, subnet_ids: list[str]) -> set[str]:
    found = set()
    for subnet_id in subnet_ids:
        subnet = _subnet(ec2, subnet_id)
        if subnet is not None:
            found.add(subnet.availability_zone_id)
    return found


def _create_resource_endpoint(self) -> ActionResult:
    arn = self._get_param("ResourceConfigurationArn")
    if not arn:
        raise EC2ClientError("MissingParameter", "The request must contain the parameter ResourceConfigurationArn")
    caller, region, ec2 = self.current_account, self.region, self.ec2_backend
    match = _CFG_ID.match(arn)
    if match is None or not match.group(3):
        raise _refuse(f"{arn} is not a resource configuration ARN")
    cfg_region, owner, cfg_id = match.groups()
    if cfg_region != region:
        raise _refuse(f"The resource configuration {arn} is in {cfg_region}; a resource endpoint connects to a resource configuration of its own Region ({region})")
    with _lock:
        cfg = _configs.get(cfg_id)
        visible = cfg is not None and cfg["account"] == owner and (owner == caller or ram_model.shared_with(arn, owner, region, caller))
        if not visible:
            raise _refuse(f"The resource configuration {arn} does not exist or is not shared with account {caller}")
        if cfg["status"] != "ACTIVE" or cfg["type"] == "CHILD":
            raise _refuse(f"The resource configuration {arn} is {cfg['status']}" if cfg["status"] != "ACTIVE" else "A CHILD resource configuration cannot be used by a resource endpoint")
        gw = _gateways.get(cfg["gateway"])
        if gw is None or gw["status"] != "ACTIVE":
            raise _refuse(f"The resource gateway of {arn} is not ACTIVE")
        vpc_id = self._get_param("VpcId")
        ec2.get_vpc(vpc_id)  # moto's InvalidVpcID.NotFound
        if owner == caller and gw["vpc"] == vpc_id:
            raise _refuse(f"The resource gateway {gw['id']} is in VPC {vpc_id}; a resource endpoint cannot be in the resource gateway's VPC")
        subnet_ids = self._get_param("SubnetIds", [])
        if not subnet_ids:
            raise EC2ClientError("MissingParameter", "A resource endpoint needs SubnetIds")
        for subnet_id in subnet_ids:
            subnet = ec2.get_subnet(subnet_id)  # moto's InvalidSubnetID.NotFound
            if subnet.vpc_id != vpc_id:
                raise _refuse(f"Subnet {subnet_id} is not in VPC {vpc_id}")
        ours = _zone_ids(ec2, subnet_ids)
        theirs = _zone_ids(_ec2(gw["account"], gw["region"]), gw["subnets"])
        if not ours & theirs:
            raise _refuse(
                f"The endpoint's Availability Zones ({', '.join(sorted(ours))}) and the resource gateway's ({', '.join(sorted(theirs))}) do not overlap"
            )
        groups = self._get_param("SecurityGroupIds", [])
        for group_id in groups:
            group = _group(ec2, group_id)
            if group is None:
                raise EC2ClientError("InvalidGroup.NotFound", f"The security group '{group_id}' does not exist")
            if group.vpc_id != vpc_id:
                raise _refuse(f"Security group {group_id} is not in VPC {vpc_id}")
        if not groups:
            default = ec2.get_default_security_group(vpc_id)
            groups = [default.id] if default is not None else []
        private_dns = self._get_bool_param("PrivateDnsEnabled", if_none=True)
        tags = add_tag_specification(self._get_param("TagSpecifications", []))
        endpoint = ec2.create_vpc_endpoint(
            vpc_id=vpc_id, service_name=f"com.amazonaws.vpce.{region}.{cfg_id}", endpoint_type="Interface", policy_document=None,
            route_table_ids=[], subnet_ids=list(subnet_ids), client_token=self._get_param("ClientToken"),
            security_group_ids=list(groups), tags=tags, private_dns_enabled=private_dns,
        )
        endpoint.service_name = None
        endpoint.vpc_endpoint_type = "Resource"
        endpoint.resource_configuration_arn = arn
        endpoint.ip_address_type = "ipv4"
        endpoint.state = "pending"
        endpoint.dns_entries = [{"DnsName": f"{endpoint.id}.{cfg_id}.4232ccc.vpc-lattice-rsc.{region}.on.aws", "HostedZoneId": "Z03265862FOUNWMZOKUF4"}]
        rea_id = f"rea-{_hex17()}"
        _associations[rea_id] = {
            "id": rea_id, "arn": f"arn:aws:vpc-lattice:{region}:{owner}:resourceendpointassociation/{rea_id}", "owner": owner,
            "region": region, "config": cfg_id, "config_arn": arn, "config_name": cfg["name"], "endpoint": endpoint.id,
            "endpoint_owner": caller, "created": _now(),
        }
        _endpoints[endpoint.id] = {"account": caller, "region": region, "config": cfg_id, "config_arn": arn, "association": rea_id, "private_dns": private_dns}
    return ActionResult({"VpcEndpoint": endpoint})


def _create_vpc_endpoint(self):
    if (self._get_param("VpcEndpointType") or "") == "Resource":
        return _create_resource_endpoint(self)
    return _moto_create_vpc_endpoint(self)


def _describe_vpc_endpoints(self):
    """A Resource endpoint is ``pending`` in CreateVpcEndpoint's answer and ``available`` from
    the next describe on (R21.13)."""
    with _lock:
        for endpoint_id, record in _endpoints.items():
            endpoint = self.ec2_backend.vpc_end_points.get(endpoint_id)
            if endpoint is not None and endpoint.state == "pending":
                endpoint.state = "available"
    return _moto_describe_vpc_endpoints(self)


EC2Response.create_vpc_endpoint = _create_vpc_endpoint
EC2Response.describe_vpc_endpoints = _describe_vpc_endpoints


# --------------------------------------------------------------------------------------
# Control
# --------------------------------------------------------------------------------------


def fill_subnet(subnet_id: str, free: int = 0, account: str = "123456789012", region: str = "us-east-1") -> dict:
    """Takes addresses of ``subnet_id`` (one more interface) until only ``free`` are left."""
    with _lock:
        ec2 = _ec2(account, region)
        subnet = _subnet(ec2, subnet_id)
        if subnet is None:
            return {"error": f"no subnet {subnet_id} in {account}/{region}"}
        take = _free_addresses(subnet) - int(free)
        eni_id = None
        if take > 0:
            eni = ec2.create_network_interface(subnet, None, description="emulator: addresses in use", secondary_ips_count=take - 1)
            eni_id = eni.id
        return {"subnet": subnet_id, "free": _free_addresses(subnet), "eni": eni_id}


def _admits(ec2, group_ids, inbound: bool, port: int, peer_groups=(), peer_ip: str | None = None, peer_networks=()) -> bool:
    import network_model  # the launcher imports it first; the same security-group evaluation

    return network_model._admitting_rule(ec2, group_ids, inbound, port, peer_ip=peer_ip, peer_groups=peer_groups, peer_networks=peer_networks) is not None


def access(endpoint_id: str) -> dict:
    """Whether the Resource endpoint reaches its database now, and why not (R21.12, R21.17)."""
    with _lock:
        _prune_associations()
        record = _endpoints.get(endpoint_id)
        if record is None:
            return {"error": f"no Resource endpoint {endpoint_id}"}
        cfg = _configs.get(record["config"])
        answer: dict[str, Any] = {"endpoint": endpoint_id, "resourceConfigurationArn": record["config_arn"], "association": record["association"]}

        def blocked(reason: str) -> dict:
            answer.update(connected=False, blocked=reason)
            return answer

        if record["association"] is None or record["association"] not in _associations:
            return blocked("the resource endpoint association was deleted")
        if cfg is None or cfg["status"] != "ACTIVE":
            return blocked("the resource configuration is gone or not ACTIVE")
        gw = _gateways.get(cfg["gateway"]) if cfg.get("gateway") else None
        if gw is None or gw["status"] != "ACTIVE":
            return blocked("the resource gateway is gone or not ACTIVE")
        target = cfg.get("target")
        answer["sourceAddresses"] = gateway_addresses(gw)
        endpoint_ec2 = _ec2(record["account"], record["region"])
        endpoint = endpoint_ec2.vpc_end_points.get(endpoint_id)
        answer["dnsNames"] = [e["DnsName"] for e in (endpoint.dns_entries if endpoint is not None else [])]
        if target is None:
            answer.update(connected=True)
            return answer
        answer["database"] = {"name": target["name"], "host": target["host"], "port": target["port"]}
        answer["privateDnsName"] = target["host"] if record["private_dns"] else None
        ec2 = _ec2(gw["account"], gw["region"])
        port = target["port"]
        known = _db_addresses(gw, target)
        if not _admits(ec2, gw["groups"], False, port, peer_groups=target["groups"]) and not (
            any(_admits(ec2, gw["groups"], False, port, peer_ip=ip) for ip in known)
            if known
            else _admits(ec2, gw["groups"], False, port, peer_networks=target.get("subnets", []))
        ):
            return blocked(f"the resource gateway's security groups {gw['groups']} allow no outbound TCP {port} to the database")
        if _admits(ec2, target["groups"], True, port, peer_groups=gw["groups"]):
            answer.update(connected=True)
            return answer
        addresses = answer["sourceAddresses"]
        if addresses and all(_admits(ec2, target["groups"], True, port, peer_ip=ip) for ip in addresses):
            answer.update(connected=True)
            return answer
        return blocked(f"the database's security groups {target['groups']} admit neither the resource gateway's groups {gw['groups']} nor all its addresses on TCP {port}")


def _db_addresses(gw: dict, target: dict) -> list[str]:
    """Where the database answers, if a test registered it with the network model."""
    import network_model

    with network_model._lock:
        return [ip for (acct, reg, ip), info in network_model._addresses.items() if (acct, reg) == (gw["account"], gw["region"]) and info["name"] == target["name"]]


def dump() -> dict:
    with _lock:
        _prune_associations()
        return {
            "gateways": [dict(_gateway_view(g, "get"), account=g["account"], region=g["region"], networkInterfaces=list(g["enis"]), addresses=gateway_addresses(g)) for g in _gateways.values()],
            "configurations": [dict(_config_view(c, "get"), account=c["account"], region=c["region"]) for c in _configs.values()],
            "associations": [dict(_association_view(a), owner=a["owner"], region=a["region"]) for a in _associations.values()],
            "endpoints": [{"id": k, **{x: v[x] for x in ("account", "region", "config_arn", "association", "private_dns")}} for k, v in _endpoints.items()],
        }


def control(method: str, path: str, body: dict, query: dict) -> tuple[str, dict]:
    """The launcher's /_emulator/lattice… and /_emulator/ram… paths: (status line, result)."""
    bad = "400 Bad Request"
    if path == "/_emulator/lattice" and method == "GET":
        return "200 OK", dump()
    if path == "/_emulator/ram" and method == "GET":
        return "200 OK", ram_model.dump()
    if path == "/_emulator/lattice/provisioning" and method == "POST":
        values = {k: body.get(k) for k in ("gets", "deletes")}
        if any(v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0) for v in values.values()):
            return bad, {"error": "gets, deletes: whole numbers >= 0"}
        return "200 OK", set_provisioning(**values)
    if path == "/_emulator/lattice/settings" and method == "POST":
        try:
            return "200 OK", set_address_failure(body.get("address_failure"))
        except ValueError:
            return bad, {"error": "address_failure: CREATE_FAILED | ValidationException"}
    if path == "/_emulator/lattice/fill-subnet" and method == "POST":
        if not isinstance(body.get("subnet"), str) or not isinstance(body.get("free", 0), int) or body.get("free", 0) < 0:
            return bad, {"error": "need subnet (and optionally free >= 0, account, region)"}
        result = fill_subnet(body["subnet"], body.get("free", 0), body.get("account", "123456789012"), body.get("region", "us-east-1"))
        return ("404 Not Found" if "error" in result else "200 OK"), result
    if path == "/_emulator/lattice/access" and method in ("GET", "POST"):
        endpoint = body.get("endpoint") or query.get("endpoint")
        result = access(endpoint) if isinstance(endpoint, str) else {"error": "need endpoint: a vpce- id"}
        return ("404 Not Found" if "error" in result else "200 OK"), result
    if path == "/_emulator/ram/expire" and method == "POST":
        if not isinstance(body.get("invitation"), str) and not isinstance(body.get("share"), str):
            return bad, {"error": "need invitation (an invitation ARN) or share (a resource share ARN)"}
        result = ram_model.expire(body.get("invitation"), body.get("share"))
        return ("404 Not Found" if "error" in result else "200 OK"), result
    return "404 Not Found", {"error": f"no such control path: {method} {path}"}
