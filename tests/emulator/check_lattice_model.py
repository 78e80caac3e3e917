"""Checks lattice_model.py and ram_model.py (docs/aws-rules.md R21) through a launcher of its own.

Starts ``launcher.py --port 0`` (no seed), builds a small customer network with boto3 (account
123456789012, the management account of an organization) and plays a whole ``resource-endpoint``
grant: gateway, configuration for an RDS instance, RAM share to the vendor (710753145501, outside
the organization), invitation accepted, Resource endpoint, then revocation, plus each refusal the
models make. Exits 0 when every check holds, 1 otherwise (listing the failures).

Run: ``~/.cache/vendorlink/venv/bin/python tests/emulator/check_lattice_model.py``
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from typing import Any, Callable

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
OWNER = "123456789012"
VENDOR = "710753145501"
OTHER = "222233334444"
REGION = "us-east-1"
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})

failures: list[str] = []


def check(condition: bool, what: str, detail: Any = "") -> None:
    if not condition:
        failures.append(f"{what}: {detail}")
        print(f"FAIL {what}: {detail}", flush=True)


def refused(call: Callable[[], Any], code: str, what: str) -> dict:
    try:
        answer = call()
    except ClientError as error:
        got = error.response["Error"]["Code"]
        check(got == code, what, f"expected {code}, got {got}: {error.response['Error'].get('Message')}")
        check(bool(error.response["Error"].get("Message")), f"{what} (message)", error.response)
        return error.response
    check(False, what, f"expected {code}, the call succeeded: {answer}")
    return {}


class Emulator:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "launcher.py"), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=HERE,
        )
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            raise SystemExit(f"the emulator did not start: {line!r}")
        self.endpoint = line.split()[1]

    def control(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.endpoint + path, data=data, method=method)
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def client(self, service: str, keys: dict | None = None, config: Config | None = None):
        keys = keys or {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint, config=config, **keys)

    def account(self, account: str) -> dict:
        sts = self.client("sts")
        c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/connector", RoleSessionName="check")["Credentials"]
        return {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"], "aws_session_token": c["SessionToken"]}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def network(ec2, cidr: str, zones: list[str], prefix: int = 24) -> tuple[str, list[str]]:
    vpc = ec2.create_vpc(CidrBlock=f"{cidr}.0.0/16")["Vpc"]["VpcId"]
    subnets = []
    for index, zone in enumerate(zones, start=1):
        block = f"{cidr}.{index}.0/{prefix}" if prefix == 24 else f"{cidr}.{index}.0/28"
        subnets.append(ec2.create_subnet(VpcId=vpc, CidrBlock=block, AvailabilityZone=zone)["Subnet"]["SubnetId"])
    return vpc, subnets


def main() -> int:
    started = time.monotonic()
    emu = Emulator()
    try:
        run(emu)
    finally:
        emu.stop()
    took = time.monotonic() - started
    print(f"{'FAILED' if failures else 'OK'}: {len(failures)} failure(s) in {took:.1f}s", flush=True)
    return 1 if failures else 0


def run(emu: Emulator) -> None:
    # ---------------------------------------------------------------- the customer's network
    emu.client("organizations").create_organization(FeatureSet="ALL")
    ec2, rds, lattice, ram = emu.client("ec2"), emu.client("rds"), emu.client("vpc-lattice", config=NO_RETRY), emu.client("ram", config=NO_RETRY)
    vpc, (subnet_a, subnet_b) = network(ec2, "10.20", ["us-east-1a", "us-east-1b"])
    small = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.200.0/28", AvailabilityZone="us-east-1c")["Subnet"]["SubnetId"]
    other_vpc, (other_subnet,) = network(ec2, "10.30", ["us-east-1a"])
    gw_sg = ec2.create_security_group(VpcId=vpc, GroupName="rgw", Description="resource gateway")["GroupId"]
    db_sg = ec2.create_security_group(VpcId=vpc, GroupName="orders-db", Description="orders db")["GroupId"]
    other_sg = ec2.create_security_group(VpcId=other_vpc, GroupName="elsewhere", Description="other vpc")["GroupId"]
    rds.create_db_subnet_group(DBSubnetGroupName="prod", DBSubnetGroupDescription="prod", SubnetIds=[subnet_a, subnet_b])
    db = rds.create_db_instance(
        DBInstanceIdentifier="orders-db", Engine="postgres", DBInstanceClass="db.t3.medium", AllocatedStorage=20,
        MasterUsername="admin_user", MasterUserPassword="a-long-password-1", Port=5432, DBSubnetGroupName="prod",
        VpcSecurityGroupIds=[db_sg],
    )["DBInstance"]
    db_arn = db["DBInstanceArn"]

    # ---------------------------------------------------------------- gateway refusals (R21.1-R21.4)
    refused(lambda: lattice.create_resource_gateway(name="Bad_Name", vpcIdentifier=vpc, subnetIds=[subnet_a]), "ValidationException", "gateway name pattern")
    refused(lambda: lattice.create_resource_gateway(name="rgw-abc", vpcIdentifier=vpc, subnetIds=[subnet_a]), "ValidationException", "gateway name rgw- prefix")
    refused(lambda: lattice.create_resource_gateway(name="gw-x", vpcIdentifier=vpc, subnetIds=["subnet-0123456789abcdef0"]), "ResourceNotFoundException", "gateway unknown subnet")
    refused(lambda: lattice.create_resource_gateway(name="gw-x", vpcIdentifier=vpc, subnetIds=[other_subnet]), "ValidationException", "gateway subnet of another VPC")
    refused(lambda: lattice.create_resource_gateway(name="gw-x", vpcIdentifier=vpc, subnetIds=[subnet_a], securityGroupIds=[other_sg]), "ValidationException", "gateway group of another VPC")
    refused(lambda: lattice.create_resource_gateway(name="gw-x", vpcIdentifier=vpc, subnetIds=[subnet_a], securityGroupIds=[gw_sg] * 6), "ValidationException", "gateway 6 groups")
    refused(lambda: lattice.create_resource_gateway(name="gw-x", vpcIdentifier=vpc, subnetIds=[subnet_a], ipv4AddressesPerEni=63), "ValidationException", "ipv4AddressesPerEni 63")
    refused(lambda: lattice.create_resource_gateway(name="gw-x", vpcIdentifier=vpc, subnetIds=[subnet_a], ipAddressType="IPV6"), "ValidationException", "IPV6 on IPv4 subnets")
    error = refused(lambda: lattice.create_resource_gateway(name="Bad_Name", vpcIdentifier=vpc, subnetIds=[subnet_a]), "ValidationException", "fieldList")
    check(error.get("fieldList", [{}])[0].get("name") == "name" and error.get("reason") == "fieldValidationFailed", "ValidationException fieldList", error)

    # ---------------------------------------------------------------- gateway lifecycle (R21.5)
    free_before = ec2.describe_subnets(SubnetIds=[subnet_a])["Subnets"][0]["AvailableIpAddressCount"]
    emu.control("POST", "/_emulator/lattice/provisioning", {"gets": 1})
    gw = lattice.create_resource_gateway(
        name="vl-orders", vpcIdentifier=vpc, subnetIds=[subnet_a, subnet_b], securityGroupIds=[gw_sg], clientToken="tok-1", tags={"vendorlink:grant": "g1"}
    )
    check(gw["status"] == "CREATE_IN_PROGRESS" and gw["arn"].startswith(f"arn:aws:vpc-lattice:{REGION}:{OWNER}:resourcegateway/rgw-") and len(gw["id"]) == 21, "gateway create answer", gw)
    check(gw.get("ipv4AddressesPerEni") == 16 and gw.get("ipAddressType") == "IPV4", "gateway defaults", gw)
    again = lattice.create_resource_gateway(name="vl-orders", vpcIdentifier=vpc, subnetIds=[subnet_a, subnet_b], securityGroupIds=[gw_sg], clientToken="tok-1", tags={"vendorlink:grant": "g1"})
    check(again["id"] == gw["id"], "gateway clientToken idempotent", again)
    refused(lambda: lattice.create_resource_gateway(name="vl-orders2", vpcIdentifier=vpc, subnetIds=[subnet_a], clientToken="tok-1"), "ConflictException", "gateway clientToken other parameters")
    refused(lambda: lattice.create_resource_gateway(name="vl-orders", vpcIdentifier=vpc, subnetIds=[subnet_a]), "ConflictException", "gateway name taken")
    refused(
        lambda: lattice.create_resource_configuration(name="cfg-early", type="ARN", resourceGatewayIdentifier=gw["id"], resourceConfigurationDefinition={"arnResource": {"arn": db_arn}}),
        "ConflictException", "configuration on a CREATE_IN_PROGRESS gateway",
    )
    check(lattice.get_resource_gateway(resourceGatewayIdentifier=gw["id"])["status"] == "CREATE_IN_PROGRESS", "gateway held one read")
    got = lattice.get_resource_gateway(resourceGatewayIdentifier=gw["arn"])
    check(got["status"] == "ACTIVE" and got["vpcId"] == vpc and got["securityGroupIds"] == [gw_sg], "gateway ACTIVE at the next read (by ARN)", got)
    emu.control("POST", "/_emulator/lattice/provisioning", {"gets": 0})
    check(any(g["id"] == gw["id"] for g in lattice.list_resource_gateways()["items"]), "ListResourceGateways")
    free_after = ec2.describe_subnets(SubnetIds=[subnet_a])["Subnets"][0]["AvailableIpAddressCount"]
    check(free_before - free_after == 16, "gateway interface takes 16 addresses of the subnet", (free_before, free_after))
    enis = ec2.describe_network_interfaces(Filters=[{"Name": "description", "Values": [f"VPC Lattice resource gateway {gw['id']}"]}])["NetworkInterfaces"]
    check(len(enis) == 2 and all(e["Groups"][0]["GroupId"] == gw_sg for e in enis), "gateway interfaces in EC2", enis)
    check(lattice.list_tags_for_resource(resourceArn=gw["arn"])["tags"] == {"vendorlink:grant": "g1"}, "gateway tags")
    default_gw = lattice.create_resource_gateway(name="no-groups", vpcIdentifier=vpc, subnetIds=[subnet_b])
    default_sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]["GroupId"]
    check(default_gw["securityGroupIds"] == [default_sg], "gateway without groups gets the VPC default group", default_gw)
    lattice.delete_resource_gateway(resourceGatewayIdentifier=default_gw["id"])

    # ---------------------------------------------------------------- free addresses (R21.2)
    status, filled = emu.control("POST", "/_emulator/lattice/fill-subnet", {"subnet": small, "free": 3})
    check(status == 200 and filled["free"] == 3, "fill-subnet", filled)
    full = lattice.create_resource_gateway(name="too-full", vpcIdentifier=vpc, subnetIds=[small])
    check(full["status"] == "CREATE_IN_PROGRESS", "full subnet: answer", full)
    check(lattice.get_resource_gateway(resourceGatewayIdentifier=full["id"])["status"] == "CREATE_FAILED", "full subnet: CREATE_FAILED at the next read")
    emu.control("POST", "/_emulator/lattice/settings", {"address_failure": "ValidationException"})
    refused(lambda: lattice.create_resource_gateway(name="too-full-2", vpcIdentifier=vpc, subnetIds=[small]), "ValidationException", "full subnet refused at once")
    fits = lattice.create_resource_gateway(name="fits", vpcIdentifier=vpc, subnetIds=[small], ipv4AddressesPerEni=3)
    check(fits["status"] == "CREATE_IN_PROGRESS", "3 addresses per ENI fit 3 free", fits)
    emu.control("POST", "/_emulator/lattice/settings", {"address_failure": "CREATE_FAILED"})
    lattice.delete_resource_gateway(resourceGatewayIdentifier=full["id"])
    lattice.delete_resource_gateway(resourceGatewayIdentifier=fits["id"])
    refused(lambda: lattice.get_resource_gateway(resourceGatewayIdentifier=full["id"]), "ResourceNotFoundException", "deleted gateway not found")

    # ---------------------------------------------------------------- configuration (R21.6-R21.8)
    arn_def = {"arnResource": {"arn": db_arn}}
    refused(lambda: lattice.create_resource_configuration(name="cfg-ports", type="ARN", resourceGatewayIdentifier=gw["id"], resourceConfigurationDefinition=arn_def, portRanges=["5432"]), "ValidationException", "ARN config with portRanges")
    refused(
        lambda: lattice.create_resource_configuration(name="cfg-gone", type="ARN", resourceGatewayIdentifier=gw["id"], resourceConfigurationDefinition={"arnResource": {"arn": f"arn:aws:rds:{REGION}:{OWNER}:db:nope"}}),
        "ResourceNotFoundException", "ARN config of a missing database",
    )
    refused(
        lambda: lattice.create_resource_configuration(name="cfg-s3", type="ARN", resourceGatewayIdentifier=gw["id"], resourceConfigurationDefinition={"arnResource": {"arn": "arn:aws:s3:::bucket-x"}}),
        "ValidationException", "ARN config of a non-RDS resource",
    )
    refused(lambda: lattice.create_resource_configuration(name="cfg-nogw", type="ARN", resourceConfigurationDefinition=arn_def), "ValidationException", "ARN config without gateway")
    refused(lambda: lattice.create_resource_configuration(name="cfg-x", type="ARN", resourceGatewayIdentifier="rgw-0123456789abcdef0", resourceConfigurationDefinition=arn_def), "ResourceNotFoundException", "ARN config unknown gateway")
    cfg = lattice.create_resource_configuration(name="vl-orders-db", type="ARN", resourceGatewayIdentifier=gw["id"], resourceConfigurationDefinition=arn_def, tags={"vendorlink:grant": "g1"})
    check(cfg["status"] == "CREATE_IN_PROGRESS" and cfg["arn"].startswith(f"arn:aws:vpc-lattice:{REGION}:{OWNER}:resourceconfiguration/rcfg-"), "configuration create answer", cfg)
    check("portRanges" not in cfg and cfg["allowAssociationToShareableServiceNetwork"] is False, "ARN configuration fields", cfg)
    got = lattice.get_resource_configuration(resourceConfigurationIdentifier=cfg["id"])
    check(got["status"] == "ACTIVE" and got["resourceConfigurationDefinition"] == arn_def and got["resourceGatewayId"] == gw["id"], "configuration ACTIVE", got)
    listed = lattice.list_resource_configurations(resourceGatewayIdentifier=gw["id"])["items"]
    check([c["id"] for c in listed] == [cfg["id"]], "ListResourceConfigurations by gateway", listed)
    check(lattice.list_resource_configurations(resourceGatewayIdentifier="rgw-0123456789abcdef0")["items"] == [], "ListResourceConfigurations other gateway")
    lattice.tag_resource(resourceArn=cfg["arn"], tags={"extra": "1"})
    check(lattice.list_tags_for_resource(resourceArn=cfg["arn"])["tags"] == {"vendorlink:grant": "g1", "extra": "1"}, "configuration tags")
    refused(lambda: lattice.delete_resource_gateway(resourceGatewayIdentifier=gw["id"]), "ConflictException", "gateway in use by a configuration")
    single = lattice.create_resource_configuration(name="vl-single", type="SINGLE", resourceGatewayIdentifier=gw["id"], resourceConfigurationDefinition={"ipResource": {"ipAddress": "10.20.1.15"}})
    check(single["portRanges"] == ["1-65535"] and single["protocol"] == "TCP", "SINGLE defaults", single)
    refused(lambda: lattice.create_resource_configuration(name="vl-single2", type="SINGLE", resourceGatewayIdentifier=gw["id"], resourceConfigurationDefinition={"ipResource": {"ipAddress": "192.168.1.1"}}), "ValidationException", "SINGLE address outside the VPC")
    lattice.delete_resource_configuration(resourceConfigurationIdentifier=single["id"])

    # ---------------------------------------------------------------- RAM (R21.9-R21.12)
    vendor = emu.account(VENDOR)
    v_ec2, v_ram, v_lattice = emu.client("ec2", vendor), emu.client("ram", vendor, NO_RETRY), emu.client("vpc-lattice", vendor, NO_RETRY)
    v_vpc, (v_subnet_a, v_subnet_c) = network(v_ec2, "10.9", ["us-east-1a", "us-east-1c"])
    refused(lambda: ram.create_resource_share(name="closed", resourceArns=[cfg["arn"]], principals=[VENDOR], allowExternalPrincipals=False), "OperationNotPermittedException", "external principal, allowExternalPrincipals false")
    refused(lambda: ram.create_resource_share(name="bad", resourceArns=["arn:aws:vpc-lattice:us-east-1:123456789012:resourceconfiguration/rcfg-0123456789abcdef0"], principals=[VENDOR]), "UnknownResourceException", "share unknown configuration")
    refused(lambda: ram.create_resource_share(name="bad", resourceArns=["not-an-arn"]), "MalformedArnException", "share malformed ARN")
    refused(lambda: ram.create_resource_share(name="bad", principals=["12345"]), "InvalidParameterException", "share malformed principal")
    share = ram.create_resource_share(name="vl-g1", resourceArns=[cfg["arn"]], principals=[VENDOR], tags=[{"key": "vendorlink:grant", "value": "g1"}], clientToken="share-1")["resourceShare"]
    check(share["status"] == "ACTIVE" and share["allowExternalPrincipals"] is True and share["owningAccountId"] == OWNER, "share answer", share)
    again = ram.create_resource_share(name="vl-g1", resourceArns=[cfg["arn"]], principals=[VENDOR], tags=[{"key": "vendorlink:grant", "value": "g1"}], clientToken="share-1")["resourceShare"]
    check(again["resourceShareArn"] == share["resourceShareArn"], "share clientToken idempotent")
    refused(lambda: ram.create_resource_share(name="other", clientToken="share-1"), "IdempotentParameterMismatchException", "share clientToken other parameters")
    principal = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share["resourceShareArn"]])["resourceShareAssociations"]
    check(len(principal) == 1 and principal[0]["status"] == "ASSOCIATING" and principal[0]["external"] is True, "external principal ASSOCIATING until accepted", principal)
    resources = ram.get_resource_share_associations(associationType="RESOURCE", resourceArn=cfg["arn"])["resourceShareAssociations"]
    check(len(resources) == 1 and resources[0]["status"] == "ASSOCIATED", "resource ASSOCIATED", resources)
    tagged = ram.get_resource_shares(resourceOwner="SELF", tagFilters=[{"tagKey": "vendorlink:grant", "tagValues": ["g1"]}])["resourceShares"]
    check([s["resourceShareArn"] for s in tagged] == [share["resourceShareArn"]], "GetResourceShares by tag", tagged)
    endpoint_args = {"VpcEndpointType": "Resource", "VpcId": v_vpc, "SubnetIds": [v_subnet_a], "ResourceConfigurationArn": cfg["arn"]}
    refused(lambda: v_ec2.create_vpc_endpoint(**endpoint_args), "InvalidParameter", "endpoint before the invitation is accepted")
    check(v_ram.get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"] == [], "vendor sees no share before accepting")
    invitations = v_ram.get_resource_share_invitations()["resourceShareInvitations"]
    check(len(invitations) == 1 and invitations[0]["status"] == "PENDING" and invitations[0]["senderAccountId"] == OWNER and invitations[0]["receiverAccountId"] == VENDOR, "vendor invitation", invitations)
    invitation = invitations[0]["resourceShareInvitationArn"]
    pending = v_ram.list_pending_invitation_resources(resourceShareInvitationArn=invitation)["resources"]
    check([r["arn"] for r in pending] == [cfg["arn"]] and pending[0]["type"] == "vpc-lattice:ResourceConfiguration", "pending invitation resources", pending)
    refused(lambda: ram.accept_resource_share_invitation(resourceShareInvitationArn=invitation), "ResourceShareInvitationArnNotFoundException", "owner cannot accept")
    accepted = v_ram.accept_resource_share_invitation(resourceShareInvitationArn=invitation)["resourceShareInvitation"]
    check(accepted["status"] == "ACCEPTED", "invitation accepted", accepted)
    refused(lambda: v_ram.accept_resource_share_invitation(resourceShareInvitationArn=invitation), "ResourceShareInvitationAlreadyAcceptedException", "accept twice")
    principal = ram.get_resource_share_associations(associationType="PRINCIPAL", principal=VENDOR)["resourceShareAssociations"]
    check(principal[0]["status"] == "ASSOCIATED", "principal ASSOCIATED once accepted", principal)
    received = v_ram.get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"]
    check([s["resourceShareArn"] for s in received] == [share["resourceShareArn"]], "vendor sees the share", received)
    listed = v_ram.list_resources(resourceOwner="OTHER-ACCOUNTS", resourceType="vpc-lattice:ResourceConfiguration")["resources"]
    check([r["arn"] for r in listed] == [cfg["arn"]], "vendor lists the configuration", listed)

    # ---------------------------------------------------------------- Resource endpoint (R21.13-R21.16)
    refused(lambda: v_ec2.create_vpc_endpoint(**{**endpoint_args, "SubnetIds": [v_subnet_c]}), "InvalidParameter", "endpoint with no common Availability Zone")
    refused(lambda: v_ec2.create_vpc_endpoint(**{**endpoint_args, "ResourceConfigurationArn": cfg["arn"].replace(REGION, "eu-west-1")}), "InvalidParameter", "endpoint to another Region")
    refused(lambda: ec2.create_vpc_endpoint(VpcEndpointType="Resource", VpcId=vpc, SubnetIds=[subnet_a], ResourceConfigurationArn=cfg["arn"]), "InvalidParameter", "endpoint in the gateway's own VPC")
    created = v_ec2.create_vpc_endpoint(**endpoint_args)["VpcEndpoint"]
    vpce = created["VpcEndpointId"]
    check(created["State"] == "pending" and created["VpcEndpointType"] == "Resource", "endpoint answer", created)
    described = v_ec2.describe_vpc_endpoints(VpcEndpointIds=[vpce])["VpcEndpoints"][0]
    dns = described.get("DnsEntries", [{}])[0].get("DnsName", "")
    check(described["State"] == "available" and described.get("ResourceConfigurationArn") == cfg["arn"], "endpoint available", described)
    check(dns == f"{vpce}.{cfg['id']}.4232ccc.vpc-lattice-rsc.{REGION}.on.aws", "endpoint DNS name", dns)
    associations = lattice.list_resource_endpoint_associations(resourceConfigurationIdentifier=cfg["arn"])["items"]
    check(len(associations) == 1 and associations[0]["vpcEndpointId"] == vpce and associations[0]["vpcEndpointOwner"] == VENDOR, "owner lists the association", associations)
    refused(lambda: lattice.list_resource_endpoint_associations(resourceConfigurationIdentifier="rcfg-0123456789abcdef0"), "ResourceNotFoundException", "associations of an unknown configuration")
    status, reach = emu.control("POST", "/_emulator/lattice/access", {"endpoint": vpce})
    check(status == 200 and reach["connected"] is False and "database's security groups" in reach.get("blocked", ""), "database group does not admit the gateway yet", reach)
    ec2.authorize_security_group_ingress(GroupId=db_sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": gw_sg}]}])
    status, reach = emu.control("POST", "/_emulator/lattice/access", {"endpoint": vpce})
    check(reach.get("connected") is True and reach["database"]["port"] == 5432 and len(reach["sourceAddresses"]) == 32, "connected once the database admits the gateway group", reach)

    # ---------------------------------------------------------------- revocation (R21.12)
    gone = ram.disassociate_resource_share(resourceShareArn=share["resourceShareArn"], principals=[VENDOR])["resourceShareAssociations"]
    check(gone[0]["status"] == "DISASSOCIATING", "disassociate answer", gone)
    principal = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share["resourceShareArn"]])["resourceShareAssociations"]
    check(principal[0]["status"] == "DISASSOCIATED", "principal DISASSOCIATED", principal)
    status, reach = emu.control("POST", "/_emulator/lattice/access", {"endpoint": vpce})
    check(reach.get("connected") is True, "removing the principal keeps the existing endpoint connected", reach)
    refused(lambda: v_ec2.create_vpc_endpoint(**endpoint_args), "InvalidParameter", "no new endpoint once unshared")
    ram.delete_resource_share(resourceShareArn=share["resourceShareArn"])
    check(ram.get_resource_shares(resourceOwner="SELF", resourceShareArns=[share["resourceShareArn"]])["resourceShares"][0]["status"] == "DELETED", "share DELETED")
    refused(lambda: ram.delete_resource_share(resourceShareArn=share["resourceShareArn"]), "InvalidStateTransitionException", "delete a deleted share")
    refused(lambda: lattice.delete_resource_configuration(resourceConfigurationIdentifier=cfg["id"]), "ConflictException", "configuration with an endpoint association")
    association_id = associations[0]["id"]
    deleted = lattice.delete_resource_endpoint_association(resourceEndpointAssociationIdentifier=associations[0]["arn"])
    check(deleted["id"] == association_id and deleted["vpcEndpointId"] == vpce, "DeleteResourceEndpointAssociation answer", deleted)
    status, reach = emu.control("POST", "/_emulator/lattice/access", {"endpoint": vpce})
    check(reach.get("connected") is False and "association" in reach.get("blocked", ""), "deleting the association cuts the vendor", reach)
    check(lattice.list_resource_endpoint_associations(resourceConfigurationIdentifier=cfg["id"])["items"] == [], "no associations left")
    lattice.delete_resource_configuration(resourceConfigurationIdentifier=cfg["id"])
    refused(lambda: lattice.get_resource_configuration(resourceConfigurationIdentifier=cfg["id"]), "ResourceNotFoundException", "deleted configuration not found")
    answer = lattice.delete_resource_gateway(resourceGatewayIdentifier=gw["id"])
    check(answer["status"] == "DELETE_IN_PROGRESS", "gateway delete answer", answer)
    refused(lambda: lattice.get_resource_gateway(resourceGatewayIdentifier=gw["id"]), "ResourceNotFoundException", "deleted gateway not found")
    enis = ec2.describe_network_interfaces(Filters=[{"Name": "description", "Values": [f"VPC Lattice resource gateway {gw['id']}"]}])["NetworkInterfaces"]
    check(enis == [], "gateway interfaces removed", enis)

    # ---------------------------------------------------------------- rejection and expiry (R21.11)
    gw2 = lattice.create_resource_gateway(name="vl-two", vpcIdentifier=vpc, subnetIds=[subnet_a])
    lattice.get_resource_gateway(resourceGatewayIdentifier=gw2["id"])
    cfg2 = lattice.create_resource_configuration(name="vl-two-db", type="ARN", resourceGatewayIdentifier=gw2["id"], resourceConfigurationDefinition=arn_def)
    lattice.get_resource_configuration(resourceConfigurationIdentifier=cfg2["id"])
    share2 = ram.create_resource_share(name="vl-two", resourceArns=[cfg2["arn"]], principals=[VENDOR, OTHER])["resourceShare"]
    other = emu.account(OTHER)
    o_ram = emu.client("ram", other, NO_RETRY)
    o_invitation = o_ram.get_resource_share_invitations()["resourceShareInvitations"][0]["resourceShareInvitationArn"]
    check(o_ram.reject_resource_share_invitation(resourceShareInvitationArn=o_invitation)["resourceShareInvitation"]["status"] == "REJECTED", "reject")
    refused(lambda: o_ram.accept_resource_share_invitation(resourceShareInvitationArn=o_invitation), "ResourceShareInvitationAlreadyRejectedException", "accept a rejected invitation")
    v_invitation = [i for i in v_ram.get_resource_share_invitations()["resourceShareInvitations"] if i["status"] == "PENDING"][0]["resourceShareInvitationArn"]
    status, expired = emu.control("POST", "/_emulator/ram/expire", {"invitation": v_invitation})
    check(status == 200 and expired["expired"] == [v_invitation], "expire control", expired)
    refused(lambda: v_ram.accept_resource_share_invitation(resourceShareInvitationArn=v_invitation), "ResourceShareInvitationExpiredException", "accept an expired invitation")
    statuses = {a["associatedEntity"]: a["status"] for a in ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share2["resourceShareArn"]])["resourceShareAssociations"]}
    check(statuses == {VENDOR: "FAILED", OTHER: "FAILED"}, "rejected and expired principals FAILED", statuses)

    # ---------------------------------------------------------------- faults on REST-JSON calls
    emu.control("POST", "/_emulator/faults", {"operation": "CreateResourceGateway", "kind": "throttle", "times": 1})
    refused(lambda: lattice.create_resource_gateway(name="vl-throttled", vpcIdentifier=vpc, subnetIds=[subnet_a]), "ThrottlingException", "throttle fault (lattice)")
    emu.control("POST", "/_emulator/faults", {"operation": "CreateResourceShare", "kind": "http500", "times": 1})
    refused(lambda: ram.create_resource_share(name="vl-500"), "ServerInternalException", "http500 fault (RAM)")
    emu.control("POST", "/_emulator/faults", {"operation": "GetResourceConfiguration", "kind": "deny", "times": 1})
    refused(lambda: lattice.get_resource_configuration(resourceConfigurationIdentifier=cfg2["id"]), "AccessDeniedException", "deny fault (lattice)")
    status, calls = emu.control("GET", "/_emulator/calls")
    names = set(calls["calls"])
    wanted = {"CreateResourceGateway", "GetResourceGateway", "ListResourceGateways", "DeleteResourceGateway", "CreateResourceConfiguration", "ListResourceEndpointAssociations",
              "DeleteResourceEndpointAssociation", "CreateResourceShare", "GetResourceShareAssociations", "AcceptResourceShareInvitation", "DeleteResourceShare", "TagResource", "ListTagsForResource"}
    check(wanted <= names, "operation names in /_emulator/calls", sorted(wanted - names))

    # ---------------------------------------------------------------- reset
    emu.control("POST", "/_emulator/reset")
    status, dumped = emu.control("GET", "/_emulator/lattice")
    check(dumped["gateways"] == [] and dumped["configurations"] == [], "reset clears the lattice model", dumped)
    status, dumped = emu.control("GET", "/_emulator/ram")
    check(dumped == {"shares": [], "invitations": []}, "reset clears the RAM model", dumped)


if __name__ == "__main__":
    sys.exit(main())
