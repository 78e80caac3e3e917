#!/usr/bin/env bash
# The reference for the grant-speed benchmark: what an admin scripts with the AWS CLI to give
# Datafold the same access VendorLink grants on orders-db, following the vendors' guides
# step by step (../shared/seeds): seed 000/001's PrivateLink (an NLB in front of the
# database, an endpoint service, the vendor as allowed principal, ingress, then the facts to
# send), seed 003's cross-account role (MFA required, the minimal policy), and seed 000's IP
# allowlist. Run by bench/run.py with $AWS (the CLI) and AWS_ENDPOINT_URL (the emulator).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
aws() { "$AWS" --endpoint-url "$AWS_ENDPOINT_URL" --region us-east-1 --output text "$@"; }

DB=orders-db
DB_IP=10.20.1.15
VENDOR_ACCOUNT=710753145501
VENDOR_IPS="23.23.71.47 35.166.223.86 52.11.132.23 54.71.177.163 54.185.25.103 54.210.34.216"
tags='Tags=[{Key=purpose,Value=datafold-access}]'

# Look the database up: its VPC, port, security group and subnets; the VPC's range.
read -r VPC PORT DB_SG < <(aws rds describe-db-instances --db-instance-identifier "$DB" \
  --query 'DBInstances[0].[DBSubnetGroup.VpcId,Endpoint.Port,VpcSecurityGroups[0].VpcSecurityGroupId]')
SUBNETS=$(aws rds describe-db-instances --db-instance-identifier "$DB" --query 'DBInstances[0].DBSubnetGroup.Subnets[].SubnetIdentifier')
CIDR=$(aws ec2 describe-vpcs --vpc-ids "$VPC" --query 'Vpcs[0].CidrBlock')

# Seed 000 step 2: a Network Load Balancer that points to the database.
NLB_SG=$(aws ec2 create-security-group --group-name datafold-nlb --description "Datafold PrivateLink NLB" --vpc-id "$VPC" \
  --tag-specifications "ResourceType=security-group,$tags" --query GroupId)
aws ec2 authorize-security-group-ingress --group-id "$NLB_SG" \
  --ip-permissions "IpProtocol=tcp,FromPort=$PORT,ToPort=$PORT,IpRanges=[{CidrIp=$CIDR,Description=PrivateLink}]" >/dev/null
TG=$(aws elbv2 create-target-group --name datafold-orders-db --protocol TCP --port "$PORT" --vpc-id "$VPC" --target-type ip \
  --tags Key=purpose,Value=datafold-access --query 'TargetGroups[0].TargetGroupArn')
aws elbv2 register-targets --target-group-arn "$TG" --targets "Id=$DB_IP,Port=$PORT"
# shellcheck disable=SC2086 # one argument per subnet
NLB=$(aws elbv2 create-load-balancer --name datafold-orders-db --type network --scheme internal --subnets $SUBNETS \
  --security-groups "$NLB_SG" --tags Key=purpose,Value=datafold-access --query 'LoadBalancers[0].LoadBalancerArn')
aws elbv2 wait load-balancer-available --load-balancer-arns "$NLB"
aws elbv2 create-listener --load-balancer-arn "$NLB" --protocol TCP --port "$PORT" \
  --default-actions "Type=forward,TargetGroupArn=$TG" >/dev/null

# ... and a VPC endpoint service that exposes it, connections accepted by hand.
SERVICE=$(aws ec2 create-vpc-endpoint-service-configuration --network-load-balancer-arns "$NLB" --acceptance-required \
  --tag-specifications "ResourceType=vpc-endpoint-service,$tags" --query 'ServiceConfiguration.ServiceId')

# Step 3: the vendor as allowed principal.
aws ec2 modify-vpc-endpoint-service-permissions --service-id "$SERVICE" --add-allowed-principals "arn:aws:iam::$VENDOR_ACCOUNT:root" >/dev/null

# Step 4: ingress to the database from the load balancer.
aws ec2 authorize-security-group-ingress --group-id "$DB_SG" \
  --ip-permissions "IpProtocol=tcp,FromPort=$PORT,ToPort=$PORT,UserIdGroupPairs=[{GroupId=$NLB_SG,Description=datafold-nlb}]" >/dev/null

# Step 5: what to send: the service name, its AZ IDs, the hostname.
aws ec2 describe-vpc-endpoint-service-configurations --service-ids "$SERVICE" --query 'ServiceConfigurations[0].[ServiceName,AvailabilityZones]' >/dev/null
aws ec2 describe-availability-zones --query 'AvailabilityZones[].[ZoneName,ZoneId]' >/dev/null
aws rds describe-db-instances --db-instance-identifier "$DB" --query 'DBInstances[0].Endpoint.Address' >/dev/null

# Seed 003: a role Datafold's account may assume, MFA required, with the minimal policy.
EXTERNAL_ID=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
TRUST=$(cat <<EOF
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::$VENDOR_ACCOUNT:root"},"Action":"sts:AssumeRole",
 "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"StringEquals":{"sts:ExternalId":"$EXTERNAL_ID"}}}]}
EOF
)
aws iam create-role --role-name Datafold-role --assume-role-policy-document "$TRUST" --max-session-duration 3600 \
  --tags Key=purpose,Value=datafold-access >/dev/null
aws iam put-role-policy --role-name Datafold-role --policy-name datafold-minimal \
  --policy-document "file://$here/../crates/engine/src/vendors/presets/datafold-minimal-policy.json"

# Seed 000, IP whitelisting: all of Datafold's addresses, in one call.
ranges=$(for ip in $VENDOR_IPS; do printf '{CidrIp=%s/32,Description=Datafold},' "$ip"; done)
aws ec2 authorize-security-group-ingress --group-id "$DB_SG" \
  --ip-permissions "IpProtocol=tcp,FromPort=$PORT,ToPort=$PORT,IpRanges=[${ranges%,}]" >/dev/null
