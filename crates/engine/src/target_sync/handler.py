"""VendorLink target sync (docs/aws-rules.md R22): keeps an NLB target group's IP targets on the
addresses the database's endpoint resolves to now. Invoked by the database's RDS events and by a
5-minute schedule; the event's content does not matter, every run re-resolves.

Configured by environment variables only: TARGET_GROUP_ARN, DB_HOST (the instance or cluster
writer endpoint), DB_PORT. Python 3.12+ standard library and the runtime's boto3 only. Each change
is one JSON line on stdout (CloudWatch Logs), and a run that changes nothing says so in one line,
so the log's newest line is always the last run's outcome; a run that cannot resolve the host to a
private address changes nothing and fails.
"""

import ipaddress
import json
import os
import socket

import boto3

# A target leaving the group: AWS keeps showing it this way until its deregistration delay ends.
LEAVING = "draining"
# What an ip target may be (RFC 1918 and RFC 6598, never a publicly routable address): a
# publicly accessible database resolves to its public address outside its VPC (R22.8).
TARGETABLE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")]


def _log(**fields):
    print(json.dumps(fields, sort_keys=True), flush=True)


def _trigger(event):
    """What started this run, for the log: the RDS event's ID, or the schedule."""
    if not isinstance(event, dict):
        return "direct"
    detail = event.get("detail") if isinstance(event.get("detail"), dict) else {}
    return detail.get("EventID") or event.get("detail-type") or "direct"


def resolve(host, port):
    """The host's private IPv4 addresses, sorted; raises when there are none."""
    infos = socket.getaddrinfo(host, port, socket.AF_INET, socket.SOCK_STREAM)
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise socket.gaierror(f"{host} resolved to no IPv4 address")
    private = [a for a in addresses if any(ipaddress.ip_address(a) in net for net in TARGETABLE)]
    if not private:
        raise ValueError(f"{host} resolved only to addresses an ip target cannot have: {', '.join(addresses)}")
    return private


def handler(event, context):
    group = os.environ["TARGET_GROUP_ARN"]
    host = os.environ["DB_HOST"]
    port = int(os.environ["DB_PORT"])
    trigger = _trigger(event)

    try:
        resolved = resolve(host, port)
    except (OSError, ValueError) as error:
        # Never move targets on a failed lookup: the old addresses may still be right.
        _log(action="resolve-failed", db_host=host, error=str(error), target_group=group, trigger=trigger)
        raise

    elbv2 = boto3.client("elbv2")  # honours AWS_ENDPOINT_URL(_ELASTIC_LOAD_BALANCING_V2)
    health = elbv2.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]
    current = {
        (d["Target"]["Id"], int(d["Target"].get("Port", port)))
        for d in health
        if d.get("TargetHealth", {}).get("State") != LEAVING
    }
    wanted = {(ip, port) for ip in resolved}
    to_register = sorted(wanted - current)
    to_deregister = sorted(current - wanted)

    # New addresses first, so the group is never left without the database's address.
    if to_register:
        elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": ip, "Port": p} for ip, p in to_register])
        for ip, p in to_register:
            _log(action="register", db_host=host, ip=ip, port=p, target_group=group, trigger=trigger)
    if to_deregister:
        elbv2.deregister_targets(TargetGroupArn=group, Targets=[{"Id": ip, "Port": p} for ip, p in to_deregister])
        for ip, p in to_deregister:
            _log(action="deregister", db_host=host, ip=ip, port=p, target_group=group, trigger=trigger)

    if not to_register and not to_deregister:
        _log(action="unchanged", db_host=host, ips=resolved, port=port, target_group=group, trigger=trigger)

    return {
        "resolved": resolved,
        "registered": [ip for ip, _ in to_register],
        "deregistered": [ip for ip, _ in to_deregister],
    }
