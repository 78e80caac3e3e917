"""The sample customer network the sandbox starts with.

A production VPC with private subnets in three availability zones, a Multi-AZ PostgreSQL
instance and an Aurora PostgreSQL cluster, each behind its own security group, plus a small
staging VPC with MySQL: enough for a new user to click through a whole grant.

The account (123456789012) is also the management account of an organization (``_organization``):
an OU "Workloads" with two member accounts made by CreateAccount, each with a database of its own
in another region, and a third account standing for one invited into the organization, which
has no OrganizationAccountAccessRole (docs/aws-rules.md R15). Member account ids are random:
find them with ListAccounts, by name ("analytics", "payments", "legacy-invited").
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.request

import boto3

REGION = "us-east-1"


def _client(service: str, endpoint: str, region: str = REGION, credentials: dict | None = None):
    keys = credentials or {"aws_access_key_id": "sandbox", "aws_secret_access_key": "sandbox"}
    return boto3.client(service, region_name=region, endpoint_url=endpoint, **keys)


def _tags(name: str) -> list[dict]:
    return [{"Key": "Name", "Value": name}, {"Key": "environment", "Value": name.split("-")[0]}]


def _network(ec2, name: str, cidr: str, zones: list[str]) -> tuple[str, list[str]]:
    vpc = ec2.create_vpc(
        CidrBlock=f"{cidr}.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": _tags(name)}],
    )["Vpc"]["VpcId"]
    subnets = []
    for index, zone in enumerate(zones, start=1):
        subnets.append(
            ec2.create_subnet(
                VpcId=vpc,
                CidrBlock=f"{cidr}.{index}.0/24",
                AvailabilityZone=zone,
                TagSpecifications=[
                    {"ResourceType": "subnet", "Tags": _tags(f"{name}-private-{zone[-1]}")}
                ],
            )["Subnet"]["SubnetId"]
        )
    return vpc, subnets


def _group(ec2, vpc: str, name: str, description: str) -> str:
    return ec2.create_security_group(
        VpcId=vpc,
        GroupName=name,
        Description=description,
        TagSpecifications=[{"ResourceType": "security-group", "Tags": _tags(name)}],
    )["GroupId"]


def _allow_from(ec2, group: str, source: str, port: int, description: str) -> None:
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "UserIdGroupPairs": [{"GroupId": source, "Description": description}],
            }
        ],
    )


# Where each sample database answers. RDS in the emulator makes no network interfaces, so the
# network model is told (the README asks for --target-ip 10.20.1.15 for orders-db).
# The member accounts' databases answer in their own account and region.
ADDRESSES = {
    "orders-db": "10.20.1.15",
    "analytics": "10.20.2.40",
    "staging-mysql": "10.40.1.20",
    "events-db": "10.60.1.20",
    "ledger-db": "10.70.1.20",
}


def _listens(endpoint: str, name: str, port: int, group: str, account: str | None = None, region: str | None = None) -> None:
    """The network model is told the database answers at its address (in ``account``/``region``,
    by default the sandbox's own 123456789012 / us-east-1)."""
    address: dict = {"ip": ADDRESSES[name], "port": port, "groups": [group], "name": name}
    if account is not None:
        address["account"] = account
    if region is not None:
        address["region"] = region
    request = urllib.request.Request(f"{endpoint}/_emulator/addresses", data=json.dumps(address).encode(), method="POST")
    with urllib.request.urlopen(request) as answer:
        answer.read()


# --------------------------------------------------------------------------------------
# The organization
# --------------------------------------------------------------------------------------

# name -> (email, OU or None for the root)
MEMBERS = {
    "analytics": ("analytics@example.com", "Workloads"),
    "payments": ("payments@example.com", "Workloads"),
    "legacy-invited": ("legacy@example.com", None),
}
ACCESS_ROLE = "OrganizationAccountAccessRole"


def _created_account(org, request_id: str) -> str:
    """The account id once the (asynchronous, R17) CreateAccount request has succeeded."""
    while True:
        status = org.describe_create_account_status(CreateAccountRequestId=request_id)["CreateAccountStatus"]
        if status["State"] == "SUCCEEDED":
            return status["AccountId"]
        if status["State"] == "FAILED":
            raise RuntimeError(f"CreateAccount {status['AccountName']} failed: {status.get('FailureReason')}")
        time.sleep(0.01)


def _enter(endpoint: str, account: str) -> dict:
    """Credentials in a member account, through the role Organizations made there (R15)."""
    sts = _client("sts", endpoint)
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ACCESS_ROLE}", RoleSessionName="sandbox-seed")["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def _member_database(endpoint: str, account: str, region: str, name: str, cidr: str, zones: list[str], database: dict) -> None:
    """In ``account``/``region``: a VPC with private subnets, a database group admitting an app
    group, a DB subnet group and the database, registered with the network model."""
    credentials = _enter(endpoint, account)
    ec2 = _client("ec2", endpoint, region, credentials)
    rds = _client("rds", endpoint, region, credentials)
    vpc, subnets = _network(ec2, f"prod-{name}", cidr, zones)
    app_sg = _group(ec2, vpc, f"prod-{name}-app", "Application servers")
    db_sg = _group(ec2, vpc, database["DBInstanceIdentifier"], f"{name.capitalize()} {database['Engine']}")
    _allow_from(ec2, db_sg, app_sg, database["Port"], "app servers")
    rds.create_db_subnet_group(
        DBSubnetGroupName=f"prod-{name}-private",
        DBSubnetGroupDescription=f"Private subnets of prod-{name}",
        SubnetIds=subnets,
    )
    rds.create_db_instance(
        DBSubnetGroupName=f"prod-{name}-private",
        VpcSecurityGroupIds=[db_sg],
        PubliclyAccessible=False,
        StorageEncrypted=True,
        Tags=_tags(f"prod-{name}"),
        **database,
    )
    _listens(endpoint, database["DBInstanceIdentifier"], database["Port"], db_sg, account, region)


def _organization(endpoint: str, password: str) -> dict[str, str]:
    """123456789012 becomes the management account; returns the member account ids by name.

    moto's CreateOrganization also leaves an OrganizationAccountAccessRole in a stray account
    with a random id that belongs to nothing; harmless."""
    org = _client("organizations", endpoint)
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    workloads = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    requests = {
        name: org.create_account(Email=email, AccountName=name)["CreateAccountStatus"]["Id"] for name, (email, _) in MEMBERS.items()
    }
    accounts = {name: _created_account(org, request_id) for name, request_id in requests.items()}
    for name, (_, unit) in MEMBERS.items():
        if unit == "Workloads":
            org.move_account(AccountId=accounts[name], SourceParentId=root, DestinationParentId=workloads)

    _member_database(
        endpoint,
        accounts["analytics"],
        "eu-west-1",
        "events",
        "10.60",
        ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        {
            "DBInstanceIdentifier": "events-db",
            "Engine": "postgres",
            "EngineVersion": "16.3",
            "DBInstanceClass": "db.t3.medium",
            "AllocatedStorage": 50,
            "MasterUsername": "events_admin",
            "MasterUserPassword": password,
            "DBName": "events",
            "Port": 5432,
        },
    )
    _member_database(
        endpoint,
        accounts["payments"],
        "us-west-2",
        "ledger",
        "10.70",
        ["us-west-2a", "us-west-2b"],
        {
            "DBInstanceIdentifier": "ledger-db",
            "Engine": "mysql",
            "EngineVersion": "8.0.36",
            "DBInstanceClass": "db.t3.small",
            "AllocatedStorage": 20,
            "MasterUsername": "ledger_admin",
            "MasterUserPassword": password,
            "Port": 3306,
        },
    )
    # An account invited into the organization never gets the access role (R15.2): the one
    # CreateAccount made is taken away again (moto attaches no policies to it).
    _client("iam", endpoint, credentials=_enter(endpoint, accounts["legacy-invited"])).delete_role(RoleName=ACCESS_ROLE)
    return accounts


def seed(endpoint: str) -> None:
    ec2 = _client("ec2", endpoint)
    rds = _client("rds", endpoint)
    # The sandbox's passwords exist only inside the emulator's memory.
    password = secrets.token_urlsafe(18)

    prod, prod_subnets = _network(ec2, "prod-data", "10.20", ["us-east-1a", "us-east-1b", "us-east-1c"])
    # Like most VPCs that hold RDS: DNS hostnames on (DNS resolution over a peering needs them,
    # docs/aws-rules.md R19), and two private subnets on a route table of their own while the
    # third keeps the VPC's main table.
    ec2.modify_vpc_attribute(VpcId=prod, EnableDnsHostnames={"Value": True})
    private_routes = ec2.create_route_table(
        VpcId=prod, TagSpecifications=[{"ResourceType": "route-table", "Tags": _tags("prod-data-private")}]
    )["RouteTable"]["RouteTableId"]
    for subnet in prod_subnets[:2]:
        ec2.associate_route_table(RouteTableId=private_routes, SubnetId=subnet)
    # A public subnet (its table routes 0.0.0.0/0 to the VPC's internet gateway), where an SSH
    # bastion can be launched (docs/aws-rules.md R20).
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=prod)
    public = ec2.create_subnet(
        VpcId=prod, CidrBlock="10.20.100.0/24", AvailabilityZone="us-east-1a",
        TagSpecifications=[{"ResourceType": "subnet", "Tags": _tags("prod-data-public-a")}],
    )["Subnet"]["SubnetId"]
    public_routes = ec2.create_route_table(
        VpcId=prod, TagSpecifications=[{"ResourceType": "route-table", "Tags": _tags("prod-data-public")}]
    )["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_routes, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    ec2.associate_route_table(RouteTableId=public_routes, SubnetId=public)
    app_sg = _group(ec2, prod, "prod-app", "Application servers")
    orders_sg = _group(ec2, prod, "orders-db", "Orders PostgreSQL")
    analytics_sg = _group(ec2, prod, "analytics-db", "Analytics Aurora cluster")
    _allow_from(ec2, orders_sg, app_sg, 5432, "app servers")
    _allow_from(ec2, analytics_sg, app_sg, 5432, "app servers")
    rds.create_db_subnet_group(
        DBSubnetGroupName="prod-data-private",
        DBSubnetGroupDescription="Private subnets of prod-data",
        SubnetIds=prod_subnets,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="orders-db",
        Engine="postgres",
        EngineVersion="16.3",
        DBInstanceClass="db.t3.medium",
        AllocatedStorage=100,
        MasterUsername="orders_admin",
        MasterUserPassword=password,
        DBName="orders",
        Port=5432,
        MultiAZ=True,
        DBSubnetGroupName="prod-data-private",
        VpcSecurityGroupIds=[orders_sg],
        StorageEncrypted=True,
        PubliclyAccessible=False,
        Tags=_tags("prod-orders"),
    )
    _listens(endpoint, "orders-db", 5432, orders_sg)
    rds.create_db_cluster(
        DBClusterIdentifier="analytics",
        Engine="aurora-postgresql",
        EngineVersion="15.4",
        MasterUsername="analytics_admin",
        MasterUserPassword=password,
        DatabaseName="analytics",
        Port=5432,
        DBSubnetGroupName="prod-data-private",
        VpcSecurityGroupIds=[analytics_sg],
        StorageEncrypted=True,
        Tags=_tags("prod-analytics"),
    )
    _listens(endpoint, "analytics", 5432, analytics_sg)
    for index in (1, 2):
        rds.create_db_instance(
            DBInstanceIdentifier=f"analytics-{index}",
            DBClusterIdentifier="analytics",
            Engine="aurora-postgresql",
            DBInstanceClass="db.r6g.large",
            DBSubnetGroupName="prod-data-private",
            PubliclyAccessible=False,
        )

    staging, staging_subnets = _network(ec2, "staging-data", "10.40", ["us-east-1a", "us-east-1b"])
    staging_sg = _group(ec2, staging, "staging-mysql", "Staging MySQL")
    rds.create_db_subnet_group(
        DBSubnetGroupName="staging-data-private",
        DBSubnetGroupDescription="Private subnets of staging-data",
        SubnetIds=staging_subnets,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="staging-mysql",
        Engine="mysql",
        EngineVersion="8.0.36",
        DBInstanceClass="db.t3.small",
        AllocatedStorage=20,
        MasterUsername="staging_admin",
        MasterUserPassword=password,
        Port=3306,
        DBSubnetGroupName="staging-data-private",
        VpcSecurityGroupIds=[staging_sg],
        PubliclyAccessible=False,
        Tags=_tags("staging-mysql"),
    )
    _listens(endpoint, "staging-mysql", 3306, staging_sg)

    _organization(endpoint, password)

    # moto builds a service's backend on its first call (tens of milliseconds); AWS has no such
    # cold start, so the sandbox's first grant should not pay it either.
    _client("iam", endpoint).list_roles()
    _client("elbv2", endpoint).describe_load_balancers()
    _client("sts", endpoint).get_caller_identity()
