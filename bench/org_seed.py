"""An organization for the organization-wide discovery benchmark: the emulator's default
account as management account and N member accounts, each with a VPC and a PostgreSQL
instance in one of the benchmark's regions (rotating), so discovery reads a network there.

Run with the emulator's Python (it has boto3): python bench/org_seed.py ENDPOINT N REGION…
Prints the member accounts' ids as JSON.
"""

from __future__ import annotations

import json
import sys

import boto3


def client(service: str, endpoint: str, region: str, credentials: dict | None = None):
    keys = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
    if credentials:
        keys = {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"], "aws_session_token": credentials["SessionToken"]}
    return boto3.client(service, region_name=region, endpoint_url=endpoint, **keys)


def main() -> None:
    endpoint, count, regions = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    org = client("organizations", endpoint, "us-east-1")
    org.create_organization(FeatureSet="ALL")
    members = []
    for index in range(count):
        status = org.create_account(Email=f"member-{index}@example.com", AccountName=f"member-{index:02d}")["CreateAccountStatus"]
        while status["State"] == "IN_PROGRESS":
            status = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
        account = status["AccountId"]
        members.append(account)
        sts = client("sts", endpoint, "us-east-1")
        credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="bench-seed")["Credentials"]
        region = regions[index % len(regions)]
        ec2 = client("ec2", endpoint, region, credentials)
        rds = client("rds", endpoint, region, credentials)
        vpc = ec2.create_vpc(CidrBlock="10.80.0.0/16")["Vpc"]["VpcId"]
        zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.80.{n}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"] for n, zone in enumerate(zones, start=1)]
        group = ec2.create_security_group(GroupName="db", Description="database", VpcId=vpc)["GroupId"]
        rds.create_db_subnet_group(DBSubnetGroupName="db", DBSubnetGroupDescription="db", SubnetIds=subnets)
        rds.create_db_instance(DBInstanceIdentifier=f"db-{index:02d}", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                               MasterUsername="bench", MasterUserPassword="bench-password-1", DBSubnetGroupName="db", VpcSecurityGroupIds=[group])
    print(json.dumps(members))


if __name__ == "__main__":
    main()
