"""AWS network rules moto 5.2.5 does not enforce, modelled from AWS's documentation.

Each rule cites its number in ``docs/aws-rules.md`` (the AWS page it comes from). moto accepts
and stores security groups, load balancers, target groups and endpoint services but never
evaluates them: every target is "healthy" and nothing is ever unreachable. This module
evaluates them, independently of VendorLink's own code:

* **Endpoint connections** (R4): ``DescribeVpcEndpointConnections`` and
  ``Accept``/``RejectVpcEndpointConnections`` (moto has none): a connection is any VPC
  endpoint, in any account, whose service name is one of the owner's endpoint services. It
  starts ``pendingAcceptance`` when the service requires acceptance, else ``available``. Only
  an account among the service's allowed principals can create an endpoint to it. A service
  with an ``available`` or ``pendingAcceptance`` connection is not deleted (R25.2).
* **NLB security groups and PrivateLink** (R1): a network load balancer created with security
  groups reports ``EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`` = ``on``;
  ``SetSecurityGroups`` changes it (and refuses groups on an NLB created without any, or
  removing all of them). While it is ``on``, PrivateLink traffic is checked against the NLB
  group's inbound rules *by the client's private IP in the consumer VPC*.
* **Target health** (R2, R13): a target of type ``ip`` is healthy only when something answers
  there (a database address registered with :func:`register_address`, on its port), the
  NLB's groups let the health check out (outbound rules), and the database's groups let the
  NLB in (a rule referencing an NLB group, or a CIDR covering the NLB's subnets). A target
  group no listener uses is ``unused``.
* **Reachability** (:func:`reach`): walks the rules above from a vendor's endpoint (through
  the endpoint service), from a host in the VPC through the load balancer, or from any
  address straight to the database's groups, and says where the path is blocked.

Not modelled (only real AWS confirms these): routing tables and NACLs, DNS, the delay before a
new rule or attribute takes effect, TLS, and the database's own authentication.
"""

from __future__ import annotations

import ipaddress
import threading
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.ec2.responses import EC2Response
from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup, elbv2_backends
from moto.elbv2.responses import ELBV2Response
from moto.elbv2.exceptions import ELBClientError as RESTError

_lock = threading.Lock()

# --------------------------------------------------------------------------------------
# Database addresses: what answers at an IP (moto's RDS creates no network interfaces)
# --------------------------------------------------------------------------------------

# (account, region, ip) -> {"name", "port", "groups"}
_addresses: dict[tuple[str, str, str], dict[str, Any]] = {}


def register_address(account: str, region: str, ip: str, port: int, groups: list[str], name: str) -> None:
    """Something (a database) listens at ``ip``:``port`` behind these security groups."""
    with _lock:
        _addresses[(account, region, ip)] = {"name": name, "port": int(port), "groups": list(groups)}


def _address(account: str, region: str, ip: str) -> dict[str, Any] | None:
    with _lock:
        return _addresses.get((account, region, ip))


# --------------------------------------------------------------------------------------
# Security-group evaluation (R13: stateful, the union of all rules of all groups)
# --------------------------------------------------------------------------------------


def _port_matches(rule, port: int) -> bool:
    if rule.ip_protocol == "-1":
        return True
    return rule.ip_protocol == "tcp" and rule.from_port is not None and rule.from_port <= port <= rule.to_port


def _admitting_rule(ec2, group_ids, inbound: bool, port: int, peer_ip: str | None = None, peer_groups=(), peer_networks=()):
    """The id of the first rule of ``group_ids`` that admits the peer on tcp ``port``, or None.

    A peer is matched by its address (a CIDR rule containing it), by a group it belongs to (a
    rule referencing that group), or, for a load balancer, by a CIDR covering one of its
    subnets (its nodes' addresses).
    """
    for group_id in group_ids:
        group = ec2.get_security_group_from_id(group_id)
        if group is None:
            continue
        for rule in group.ingress_rules if inbound else group.egress_rules:
            if not _port_matches(rule, port):
                continue
            cidr = rule.ip_range.get("CidrIp")
            if cidr:
                network = ipaddress.ip_network(cidr, strict=False)
                if peer_ip and ipaddress.ip_address(peer_ip) in network:
                    return rule.id
                if any(ipaddress.ip_network(n).subnet_of(network) for n in peer_networks):
                    return rule.id
            referenced = rule.source_group.get("GroupId")
            if referenced and referenced in peer_groups:
                return rule.id
    return None


# --------------------------------------------------------------------------------------
# NLB security groups and the PrivateLink enforcement attribute (R1)
# --------------------------------------------------------------------------------------

_ENFORCE = "enforce_security_group_inbound_rules_on_private_link_traffic"
_moto_lb_init = FakeLoadBalancer.__init__


def _lb_init(self, *args, **kwargs) -> None:
    _moto_lb_init(self, *args, **kwargs)
    # AWS: "on" by default for a network load balancer that has security groups; absent otherwise.
    self.created_with_security_groups = bool(self.security_groups)
    if self.type == "network" and self.security_groups:
        setattr(self, _ENFORCE, "on")


FakeLoadBalancer.__init__ = _lb_init


def _set_security_groups(self) -> ActionResult:
    arn = self._get_param("LoadBalancerArn")
    groups = self._get_param("SecurityGroups", [])
    enforce = self._get_param("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
    balancer = self.elbv2_backend.load_balancers.get(arn)
    if balancer is not None and balancer.type == "network":
        if not getattr(balancer, "created_with_security_groups", False):
            raise RESTError(
                "ValidationError",
                "Security groups cannot be set on a Network Load Balancer that was created without security groups",
            )
        if getattr(balancer, "created_with_security_groups", False) and not groups:
            raise RESTError("ValidationError", "You cannot remove all security groups from a Network Load Balancer that was created with them")
        if enforce is not None and enforce not in ("on", "off"):
            raise RESTError("ValidationError", f"'{enforce}' is not valid for EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic (on | off)")
    self.elbv2_backend.set_security_groups(arn, groups)
    result: dict[str, Any] = {"SecurityGroupIds": groups}
    if balancer is not None and balancer.type == "network":
        if enforce is not None:
            setattr(balancer, _ENFORCE, enforce)
        result["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] = getattr(balancer, _ENFORCE, None)
    return ActionResult(result)


ELBV2Response.set_security_groups = _set_security_groups


def _subnet_networks(lb) -> list[str]:
    return [s.cidr_block for s in lb.subnets]


# --------------------------------------------------------------------------------------
# Target health (R2): health checks leave by the NLB group's outbound rules and must be
# admitted by the target's groups
# --------------------------------------------------------------------------------------


def _forwarding_balancers(tg) -> list:
    """Load balancers with a listener whose default action forwards to ``tg``."""
    found = []
    for lb in elbv2_backends[tg.account_id][tg.region_name].load_balancers.values():
        for listener in lb.listeners.values():
            for action in listener.default_actions:
                arns = [action.data.get("TargetGroupArn")]
                arns += [t.get("TargetGroupArn") for t in action.data.get("ForwardConfig", {}).get("TargetGroups", [])]
                if tg.arn in arns and lb not in found:
                    found.append(lb)
    return found


def ip_target_health(tg, ip: str, port: int) -> tuple[str, str | None, str | None]:
    """(state, reason, description) of one ``ip`` target, from the security groups."""
    balancers = _forwarding_balancers(tg)
    if not balancers:
        return "unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer"
    ec2 = ec2_backends[tg.account_id][tg.region_name]
    listening = _address(tg.account_id, tg.region_name, ip)
    if listening is None or listening["port"] != port:
        return "unhealthy", "Target.Timeout", f"Request timed out: nothing answers at {ip}:{port}"
    for lb in balancers:
        if lb.security_groups and not _admitting_rule(ec2, lb.security_groups, False, port, peer_ip=ip):
            return "unhealthy", "Target.Timeout", f"Request timed out: the load balancer's security groups allow no outbound traffic to {ip}:{port}"
        if not _admitting_rule(ec2, listening["groups"], True, port, peer_groups=lb.security_groups, peer_networks=_subnet_networks(lb)):
            return "unhealthy", "Target.Timeout", f"Request timed out: {listening['name']}'s security groups do not admit the load balancer on port {port}"
    return "healthy", None, None


_moto_health_for = FakeTargetGroup.health_for


def _health_for(self, target, ec2_backend):
    status = _moto_health_for(self, target, ec2_backend)
    if self.target_type != "ip" or target["Id"] not in self.targets:
        return status
    port = int(self.targets[target["Id"]].get("Port") or self.port)
    status.status, status.reason, status.description = ip_target_health(self, target["Id"], port)
    return status


FakeTargetGroup.health_for = _health_for

# --------------------------------------------------------------------------------------
# VPC endpoint connections (R4)
# --------------------------------------------------------------------------------------

# (owner account, region, endpoint id) -> state
_connection_states: dict[tuple[str, str, str], str] = {}


def _owned_services(backend) -> dict:
    return {svc.service_name: svc for svc in backend.configurations.values()}


def connections(owner_backend, service_ids: list[str] | None):
    """Every endpoint, in any account of this region, that targets one of the owner's services."""
    services = _owned_services(owner_backend)
    region = owner_backend.region_name
    for account_id, regions in ec2_backends.items():
        backend = regions.get(region) if hasattr(regions, "get") else None
        if backend is None:
            continue
        for endpoint in backend.vpc_end_points.values():
            service = services.get(endpoint.service_name)
            if service is None or (service_ids and service.id not in service_ids):
                continue
            key = (owner_backend.account_id, region, endpoint.id)
            with _lock:
                state = _connection_states.setdefault(key, "pendingAcceptance" if service.acceptance_required else "available")
            endpoint.state = state
            yield service, endpoint, account_id, state


def _describe_vpc_endpoint_connections(self) -> ActionResult:
    filters = self._filters_from_querystring()
    items = []
    for service, endpoint, account_id, state in connections(self.ec2_backend, filters.get("service-id")):
        items.append(
            {
                "ServiceId": service.id,
                "VpcEndpointId": endpoint.id,
                "VpcEndpointOwner": account_id,
                "VpcEndpointState": state,
                "CreationTimestamp": endpoint.creation_timestamp,
                "NetworkLoadBalancerArns": service.network_load_balancer_arns,
                "VpcEndpointConnectionId": endpoint.id.replace("vpce-", "vpce-con-"),
            }
        )
    return ActionResult({"VpcEndpointConnections": items})


def _set_connection_state(self, new_state: str) -> ActionResult:
    service_id = self._get_param("ServiceId")
    endpoint_ids = self._get_param("VpcEndpointIds", [])
    known = {e.id: e for _, e, _, _ in connections(self.ec2_backend, [service_id])}
    unsuccessful = []
    for endpoint_id in endpoint_ids:
        endpoint = known.get(endpoint_id)
        if endpoint is None:
            unsuccessful.append(
                {
                    "ResourceId": endpoint_id,
                    "Error": {"Code": "InvalidVpcEndpointId.NotFound", "Message": f"The Vpc Endpoint Id '{endpoint_id}' does not exist"},
                }
            )
            continue
        with _lock:
            _connection_states[(self.ec2_backend.account_id, self.ec2_backend.region_name, endpoint_id)] = new_state
        endpoint.state = new_state
    return ActionResult({"Unsuccessful": unsuccessful})


_moto_create_vpc_endpoint = EC2Response.create_vpc_endpoint


def _principal_allows(principal: str, account: str) -> bool:
    return principal == "*" or principal.split(":")[4:5] == [account]


def _create_vpc_endpoint(self):
    """R4: only a principal the service owner allowed finds the service; others are told it
    does not exist (the owner's own account always may)."""
    name = self._get_param("ServiceName") or ""
    region = self.region
    for owner, regions in ec2_backends.items():
        backend = regions.get(region) if hasattr(regions, "get") else None
        service = _owned_services(backend).get(name) if backend is not None else None
        if service is None:
            continue
        if owner != self.current_account and not any(_principal_allows(p, self.current_account) for p in service.principals):
            from moto.ec2.exceptions import EC2ClientError

            raise EC2ClientError("InvalidServiceName", f"The Vpc Endpoint Service '{name}' does not exist")
    return _moto_create_vpc_endpoint(self)


_OPEN_CONNECTION = ("available", "pendingAcceptance")


def _delete_vpc_endpoint_service_configurations(self) -> ActionResult:
    """R25.2: a service with an Available or PendingAcceptance connection is not deleted; it is
    reported in ``Unsuccessful`` (the page names no error code: this one is the model's own)."""
    service_ids = self._get_param("ServiceIds", [])
    held = {service.id for service, _, _, state in connections(self.ec2_backend, service_ids) if state in _OPEN_CONNECTION}
    unsuccessful = [
        {"ResourceId": s, "Error": {"Code": "ExistingVpcEndpointConnections", "Message": f"Service {s} has endpoint connections that are Available or PendingAcceptance: reject them first"}}
        for s in service_ids
        if s in held
    ]
    missing = self.ec2_backend.delete_vpc_endpoint_service_configurations([s for s in service_ids if s not in held])
    unsuccessful += [{"ResourceId": m, "Error": {"Code": "InvalidVpcEndpointService.NotFound", "Message": f"The VpcEndpointService Id '{m}' does not exist"}} for m in missing]
    return ActionResult({"Unsuccessful": unsuccessful})


EC2Response.create_vpc_endpoint = _create_vpc_endpoint
EC2Response.delete_vpc_endpoint_service_configurations = _delete_vpc_endpoint_service_configurations
EC2Response.describe_vpc_endpoint_connections = _describe_vpc_endpoint_connections
EC2Response.accept_vpc_endpoint_connections = lambda self: _set_connection_state(self, "available")
EC2Response.reject_vpc_endpoint_connections = lambda self: _set_connection_state(self, "rejected")

# --------------------------------------------------------------------------------------
# Reachability
# --------------------------------------------------------------------------------------


def _blocked(hops: list[str], why: str) -> dict:
    return {"reachable": False, "hops": hops, "blocked": why}


def _through_listener(lb, ip: str, port: int, hops: list[str]) -> dict:
    """From inside the load balancer to the database at ``ip``:``port``."""
    if lb.state != "active":
        return _blocked(hops, f"load balancer {lb.name} is {lb.state}")
    listener = next((l for l in lb.listeners.values() if int(l.port) == port and l.protocol == "TCP"), None)
    if listener is None:
        return _blocked(hops, f"load balancer {lb.name} has no TCP listener on port {port}")
    hops.append(f"listener {port}")
    backend = elbv2_backends[lb.arn.split(":")[4]][lb.arn.split(":")[3]]
    for action in listener.default_actions:
        tg = backend.target_groups.get(action.data.get("TargetGroupArn"))
        if tg is None or ip not in tg.targets:
            continue
        state, _, description = ip_target_health(tg, ip, int(tg.targets[ip].get("Port") or tg.port))
        if state != "healthy":
            return _blocked(hops, f"target {ip} is {state}: {description}")
        hops.append(f"target {ip}:{port} (healthy)")
        return {"reachable": True, "hops": hops, "blocked": None}
    return _blocked(hops, f"{ip} is not a target of load balancer {lb.name}")


def reach(request: dict) -> dict:
    """Whether traffic gets from ``request["from"]`` to the database at ``request["to"]``.

    ``from`` is one of:
      {"endpoint": "vpce-…", "client_ip": "10.9.1.10"}   a vendor's client, through its endpoint
      {"ip": "10.20.1.99", "groups": [...], "load_balancer": "arn…"}   a host, through the NLB
      {"ip": "54.71.177.163", "groups": [...]}            any host, straight to the database
    ``to`` is {"ip", "port"}; ``account``/``region`` name the database's (default 123456789012 / us-east-1).
    """
    account = request.get("account", "123456789012")
    region = request.get("region", "us-east-1")
    source, to = request["from"], request["to"]
    ip, port = to["ip"], int(to["port"])
    ec2 = ec2_backends[account][region]
    elbv2 = elbv2_backends[account][region]
    listening = _address(account, region, ip)
    if listening is None or listening["port"] != port:
        return _blocked([], f"nothing answers at {ip}:{port}")
    hops: list[str] = []
    if "endpoint" in source:
        owner = None
        for service, endpoint, _, state in connections(ec2, None):
            if endpoint.id == source["endpoint"]:
                owner = (service, state)
        if owner is None:
            return _blocked(hops, f"{source['endpoint']} is not connected to any endpoint service of {account}")
        service, state = owner
        hops.append(f"endpoint {source['endpoint']} ({state})")
        if state != "available":
            return _blocked(hops, f"the endpoint connection is {state}")
        lb = next((elbv2.load_balancers.get(arn) for arn in service.network_load_balancer_arns if arn in elbv2.load_balancers), None)
        if lb is None:
            return _blocked(hops, f"endpoint service {service.id} has no load balancer")
        hops.append(f"load balancer {lb.name}")
        if lb.security_groups and getattr(lb, _ENFORCE, "on") == "on":
            client = source["client_ip"]
            if not _admitting_rule(ec2, lb.security_groups, True, port, peer_ip=client):
                return _blocked(
                    hops,
                    f"the load balancer's security groups do not admit the client {client} on port {port} "
                    "(EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is on, so PrivateLink traffic is checked by the client's address)",
                )
        return _through_listener(lb, ip, port, hops)
    host_ip, host_groups = source["ip"], source.get("groups", [])
    if "load_balancer" in source:
        lb = elbv2.load_balancers.get(source["load_balancer"])
        if lb is None:
            return _blocked(hops, "no such load balancer")
        hops.append(f"load balancer {lb.name}")
        if lb.security_groups and not _admitting_rule(ec2, lb.security_groups, True, port, peer_ip=host_ip, peer_groups=host_groups):
            return _blocked(hops, f"the load balancer's security groups do not admit {host_ip} on port {port}")
        return _through_listener(lb, ip, port, hops)
    rule = _admitting_rule(ec2, listening["groups"], True, port, peer_ip=host_ip, peer_groups=host_groups)
    if rule is None:
        return _blocked(hops, f"{listening['name']}'s security groups do not admit {host_ip} on port {port}")
    return {"reachable": True, "hops": [f"rule {rule} of {listening['name']}"], "blocked": None}


def reset() -> None:
    with _lock:
        _addresses.clear()
        _connection_states.clear()
