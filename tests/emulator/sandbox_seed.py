"""The sample customer network the sandbox starts with.

A production VPC with private subnets in three availability zones, a Multi-AZ PostgreSQL
instance and an Aurora PostgreSQL cluster, each behind its own security group, plus a small
staging VPC with MySQL: enough for a new user to click through a whole grant.
"""

from __future__ import annotations

import json
import secrets
import urllib.request

import boto3

REGION = "us-east-1"


def _client(service: str, endpoint: str):
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="sandbox",
        aws_secret_access_key="sandbox",
    )


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
ADDRESSES = {"orders-db": "10.20.1.15", "analytics": "10.20.2.40", "staging-mysql": "10.40.1.20"}


def _listens(endpoint: str, name: str, port: int, group: str) -> None:
    body = json.dumps({"ip": ADDRESSES[name], "port": port, "groups": [group], "name": name}).encode()
    request = urllib.request.Request(f"{endpoint}/_emulator/addresses", data=body, method="POST")
    with urllib.request.urlopen(request) as answer:
        answer.read()


def seed(endpoint: str) -> None:
    ec2 = _client("ec2", endpoint)
    rds = _client("rds", endpoint)
    # The sandbox's passwords exist only inside the emulator's memory.
    password = secrets.token_urlsafe(18)

    prod, prod_subnets = _network(ec2, "prod-data", "10.20", ["us-east-1a", "us-east-1b", "us-east-1c"])
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

    # moto builds a service's backend on its first call (tens of milliseconds); AWS has no such
    # cold start, so the sandbox's first grant should not pay it either.
    _client("iam", endpoint).list_roles()
    _client("elbv2", endpoint).describe_load_balancers()
    _client("sts", endpoint).get_caller_identity()
