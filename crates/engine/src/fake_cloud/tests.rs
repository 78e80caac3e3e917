//! Apply order, rollback and revoke, against the fake.

use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::*;
use crate::journal::{Event, GrantStore, RunOutcome};
use crate::policies;
use crate::{ApplyReport, EngineError, Progress, ProgressSink, WaitPolicy};
use vendorlink_model::{Action, CredentialSource, DatabaseRef, IngressSource, Part, Plan, Ref, RevocationRecord, RevokeScope, Step, StepId};

const GRANT: &str = "g-1a2b3c4d";
const ROLE_NAME: &str = "vendorlink-datafold-1a2b3c4d";
const BALANCER_NAME: &str = "vl-datafold-1a2b3c4d";
const VENDOR: &str = "arn:aws:iam::999999999999:root";
const VENDOR_RANGE: &str = "203.0.113.0/24";
const TARGETS: [&str; 2] = ["10.20.1.15", "10.20.2.15"];
const EXTERNAL_ID: &str = "3f9c0e4a1b7d2c6e8f0a1b2c3d4e5f60";
const GUARD_POLICY: &str = "vendorlink-guard";
const VENDOR_POLICY: &str = "vendorlink-datafold";
const VENDOR_POLICY_DOCUMENT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["rds:Describe*","cloudwatch:GetMetricData"],"Resource":"*"}]}"#;
const MANAGED: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const SESSIONS_POLICY: &str = "vendorlink-revoke-sessions";
const DENY_ALL_POLICY: &str = "vendorlink-revoked";
/// The calls that take the network down.
const NETWORK_DELETES: [&str; 6] = [
    "ec2:DeleteVpcEndpointServiceConfigurations",
    "elasticloadbalancing:DeleteListener",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:DeregisterTargets",
    "elasticloadbalancing:DeleteTargetGroup",
    "ec2:DeleteSecurityGroup",
];

/// A plan with all three parts, its steps, ids, references and `after` as `plan::build`
/// lays them out (no expiry).
fn plan() -> Plan {
    let from = |step: StepId| Ref::Step { step };
    let db_group = || Ref::Existing { id: DB_GROUP.to_owned() };
    let step = |id: StepId, part: Part, action: Action, after: Vec<StepId>| Step { summary: format!("{id} (test plan)"), id, part, action, after };
    let steps = vec![
        step(
            StepId::NlbSecurityGroup,
            Part::PrivateLink,
            Action::CreateSecurityGroup { name: format!("{ROLE_NAME}-nlb"), description: format!("VendorLink {GRANT}: NLB for Datafold"), vpc_id: VPC.to_owned() },
            Vec::new(),
        ),
        step(
            StepId::DbRuleFromNlb,
            Part::PrivateLink,
            Action::AuthorizeIngress {
                group: db_group(),
                port: PORT,
                sources: vec![IngressSource::Group { group: from(StepId::NlbSecurityGroup) }],
                description: format!("VendorLink {GRANT} datafold: from NLB"),
            },
            Vec::new(),
        ),
        step(StepId::TargetGroup, Part::PrivateLink, Action::CreateTargetGroup { name: BALANCER_NAME.to_owned(), vpc_id: VPC.to_owned(), port: PORT }, Vec::new()),
        step(
            StepId::Targets,
            Part::PrivateLink,
            Action::RegisterTargets { target_group: from(StepId::TargetGroup), ips: TARGETS.iter().map(|ip| (*ip).to_owned()).collect(), port: PORT },
            Vec::new(),
        ),
        step(
            StepId::Nlb,
            Part::PrivateLink,
            Action::CreateLoadBalancer {
                name: BALANCER_NAME.to_owned(),
                subnet_ids: vec!["subnet-a".to_owned(), "subnet-b".to_owned()],
                security_group: from(StepId::NlbSecurityGroup),
            },
            Vec::new(),
        ),
        step(StepId::NlbCrossZone, Part::PrivateLink, Action::EnableCrossZone { load_balancer: from(StepId::Nlb) }, Vec::new()),
        step(
            StepId::NlbPrivateLinkRules,
            Part::PrivateLink,
            Action::SetLoadBalancerSecurityGroups { load_balancer: from(StepId::Nlb), security_group: from(StepId::NlbSecurityGroup), enforce_on_private_link: false },
            Vec::new(),
        ),
        step(StepId::Listener, Part::PrivateLink, Action::CreateListener { load_balancer: from(StepId::Nlb), target_group: from(StepId::TargetGroup), port: PORT }, Vec::new()),
        step(
            StepId::EndpointService,
            Part::PrivateLink,
            Action::CreateEndpointService { load_balancer: from(StepId::Nlb), acceptance_required: true, supported_regions: Vec::new() },
            vec![StepId::NlbPrivateLinkRules],
        ),
        step(StepId::EndpointPrincipals, Part::PrivateLink, Action::AllowPrincipals { service: from(StepId::EndpointService), principals: vec![VENDOR.to_owned()] }, Vec::new()),
        step(
            StepId::Allowlist,
            Part::IpAllowlist,
            Action::AuthorizeIngress {
                group: db_group(),
                port: PORT,
                sources: vec![IngressSource::Cidr { cidr: VENDOR_RANGE.to_owned() }],
                description: format!("VendorLink {GRANT} datafold: vendor addresses"),
            },
            Vec::new(),
        ),
        step(
            StepId::Role,
            Part::VendorRole,
            Action::CreateRole {
                name: ROLE_NAME.to_owned(),
                description: "VendorLink: Datafold access".to_owned(),
                trust_policy: policies::trust_policy(&[VENDOR.to_owned()], true, Some(EXTERNAL_ID), None),
                max_session_seconds: 3600,
            },
            Vec::new(),
        ),
        step(
            StepId::RoleGuard,
            Part::VendorRole,
            Action::PutRolePolicy { role: from(StepId::Role), name: GUARD_POLICY.to_owned(), document: policies::guard_policy(ACCOUNT) },
            Vec::new(),
        ),
        step(
            StepId::RolePolicy(VENDOR_POLICY.to_owned()),
            Part::VendorRole,
            Action::PutRolePolicy { role: from(StepId::Role), name: VENDOR_POLICY.to_owned(), document: VENDOR_POLICY_DOCUMENT.to_owned() },
            vec![StepId::RoleGuard],
        ),
        step(StepId::RoleManaged(0), Part::VendorRole, Action::AttachRolePolicy { role: from(StepId::Role), policy_arn: MANAGED.to_owned() }, vec![StepId::RoleGuard]),
    ];
    Plan {
        grant_id: GRANT.to_owned(),
        created_at: "2026-01-05T09:00:00Z".to_owned(),
        account_id: ACCOUNT.to_owned(),
        region: REGION.to_owned(),
        member_access: None,
        source: CredentialSource::Profile { name: "ops".to_owned() },
        vendor_id: "datafold".to_owned(),
        vendor_name: "Datafold".to_owned(),
        bastion_host: None,
        database: Some(DatabaseRef {
            id: DATABASE.to_owned(),
            engine: "postgres".to_owned(),
            endpoint: format!("{DATABASE}.abc.{REGION}.rds.amazonaws.com"),
            port: PORT,
            vpc_id: VPC.to_owned(),
        }),
        parts: vec![Part::PrivateLink, Part::VendorRole, Part::IpAllowlist],
        external_id: Some(EXTERNAL_ID.to_owned()),
        expires: None,
        warnings: Vec::new(),
        findings: Vec::new(),
        iam_actions: Vec::new(),
        steps,
        cost: None,
    }
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(future)
}

fn sink() -> ProgressSink {
    Arc::new(|_: Progress| {})
}

fn wait() -> WaitPolicy {
    WaitPolicy { first: Duration::from_millis(1), longest: Duration::from_millis(2), timeout: Duration::from_secs(5) }
}

/// The grant recorded in a store of its own, and the fake account.
struct Harness {
    fake: Arc<FakeCloud>,
    store: GrantStore,
    _dir: tempfile::TempDir,
}

impl Harness {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = GrantStore::new(dir.path().join("grants"));
        drop(store.create(&plan()).expect("the plan is recorded"));
        Harness { fake: FakeCloud::new(), store, _dir: dir }
    }

    fn apply(&self) -> Result<ApplyReport, EngineError> {
        let cancel = AtomicBool::new(false);
        block_on(crate::apply::apply(&self.fake.cloud(), &self.store, GRANT, "apply", sink(), wait(), &cancel))
    }

    fn revoke(&self, scope: RevokeScope) -> Result<RevocationRecord, EngineError> {
        block_on(crate::revoke::revoke(&self.fake.cloud(), &self.store, GRANT, scope, None, sink(), wait())).map(|r| r.record)
    }

    /// How the journal says the last run ended.
    fn last_outcome(&self) -> Option<RunOutcome> {
        self.store.records(GRANT).expect("the journal reads").iter().rev().find_map(|r| match &r.event {
            Event::RunFinished { outcome } => Some(*outcome),
            _ => None,
        })
    }
}

/// Whether a call changes something (reads and STS do not).
fn mutating(action: &str) -> bool {
    let (service, name) = action.split_once(':').unwrap_or(("", action));
    service != "sts" && !["Describe", "Get", "List", "Simulate"].into_iter().any(|read| name.starts_with(read))
}

fn changes(log: &[(String, String)]) -> Vec<(String, String)> {
    log.iter().filter(|(action, _)| mutating(action)).cloned().collect()
}

fn first(log: &[(String, String)], action: &str) -> usize {
    log.iter().position(|(a, _)| a == action).unwrap_or_else(|| panic!("no {action} in {log:?}"))
}

fn last(log: &[(String, String)], action: &str) -> usize {
    log.iter().rposition(|(a, _)| a == action).unwrap_or_else(|| panic!("no {action} in {log:?}"))
}

/// Where the log has the call that performs the step. One action serves several steps
/// (two rules, several inline policies): those are told apart by what the call was about.
fn calls_of(log: &[(String, String)], step: &Step) -> Vec<usize> {
    let about = match &step.action {
        Action::AuthorizeIngress { description, .. } => Some(description.as_str()),
        Action::PutRolePolicy { name, .. } => Some(name.as_str()),
        _ => None,
    };
    log.iter().enumerate().filter(|(_, (action, subject))| action == step.action.iam_action() && about.is_none_or(|a| a == subject)).map(|(i, _)| i).collect()
}

fn journaled(records: &[crate::journal::Record], deleting: bool) -> Vec<StepId> {
    records
        .iter()
        .filter_map(|r| match (&r.step, &r.event) {
            (Some(step), Event::Deleting { .. }) if deleting => Some(step.clone()),
            (Some(step), Event::Created { .. }) if !deleting => Some(step.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn apply_creates_each_step_after_what_it_needs_and_once() {
    let h = Harness::new();
    let plan = plan();
    let report = h.apply().expect("the grant applies");
    assert_eq!(report.created.len(), plan.steps.len(), "{report:?}");
    assert!(report.adopted.is_empty() && report.already_done.is_empty(), "{report:?}");

    let log = h.fake.log();
    let at = |step: &Step| -> usize {
        let found = calls_of(&log, step);
        assert_eq!(found.len(), 1, "{} was created {} times: {log:?}", step.id, found.len());
        found[0]
    };
    for step in &plan.steps {
        for need in step.needs() {
            let needed = plan.step(need).expect("a needed step is in the plan");
            assert!(at(needed) < at(step), "{} was created before {need}, which it needs: {log:?}", step.id);
        }
    }
    // The same, as an admin would put it.
    assert!(first(&log, "ec2:CreateSecurityGroup") < first(&log, "elasticloadbalancing:CreateLoadBalancer"));
    assert!(first(&log, "elasticloadbalancing:SetSecurityGroups") < first(&log, "ec2:CreateVpcEndpointServiceConfiguration"));
    let guard = calls_of(&log, plan.step(&StepId::RoleGuard).expect("the guard step"))[0];
    for (i, (action, subject)) in log.iter().enumerate() {
        if (action == "iam:PutRolePolicy" && subject != GUARD_POLICY) || action == "iam:AttachRolePolicy" {
            assert!(guard < i, "{action} {subject} came before the role's guard: {log:?}");
        }
    }

    {
        let s = h.fake.state();
        let (nlb_arn, nlb) = s.balancers.iter().next().expect("the load balancer");
        assert_eq!((nlb.state.as_str(), nlb.cross_zone, nlb.enforce_on_private_link.as_str()), ("active", true, "off"));
        assert!(!s.rules.values().any(|r| r.group_id == nlb.security_group), "the NLB's group admits something");
        let service = s.services.values().next().expect("the endpoint service");
        assert_eq!(&service.load_balancer, nlb_arn);
        assert_eq!(service.principals, [VENDOR]);
        assert!(service.acceptance_required);
        let targets = s.target_groups.values().next().expect("the target group");
        assert_eq!(targets.targets, TARGETS);
        let db_rules: Vec<(Option<&str>, Option<&str>)> = s.rules.values().filter(|r| r.group_id == DB_GROUP).map(|r| (r.cidr.as_deref(), r.source_group.as_deref())).collect();
        assert_eq!(db_rules.len(), 3, "the app rule, the NLB's and the vendor's: {db_rules:?}");
        assert!(db_rules.contains(&(Some(VENDOR_RANGE), None)) && db_rules.contains(&(None, Some(nlb.security_group.as_str()))), "{db_rules:?}");
        let role = s.roles.get(ROLE_NAME).expect("the vendor role");
        assert_eq!(role.inline.keys().map(String::as_str).collect::<Vec<_>>(), [VENDOR_POLICY, GUARD_POLICY]);
        assert_eq!(role.attached, [MANAGED]);
        assert!(!policies::trusts_nobody(&role.trust) && role.trust.contains(EXTERNAL_ID), "{}", role.trust);
    }

    h.fake.clear_calls();
    let again = h.apply().expect("a second apply succeeds");
    assert!(again.created.is_empty() && again.adopted.is_empty(), "{again:?}");
    assert_eq!(again.already_done.len(), plan.steps.len());
    assert!(h.fake.calls().is_empty(), "a second apply called AWS: {:?}", h.fake.calls());
    assert_eq!(h.last_outcome(), Some(RunOutcome::Applied));
}

#[test]
fn a_failed_step_rolls_back_everything_in_reverse_and_leaves_nothing() {
    let h = Harness::new();
    h.fake.fail_on("ec2:CreateVpcEndpointServiceConfiguration", 1);
    let err = h.apply().expect_err("the endpoint service cannot be created");
    match &err {
        EngineError::StepFailed { step, cause, leftovers } => {
            assert_eq!(*step, StepId::EndpointService);
            assert!(cause.to_string().contains("InternalFailure"), "{cause}");
            assert!(leftovers.is_empty(), "{leftovers:?}");
        }
        other => panic!("expected the step's failure, got: {other}"),
    }
    let made = h.fake.made();
    assert!(made.is_empty(), "the rollback left {made:?}");
    assert_eq!(h.fake.state().rules.keys().map(String::as_str).collect::<Vec<_>>(), [APP_RULE], "the database's own rule is untouched");

    let log = h.fake.log();
    assert!(first(&log, "elasticloadbalancing:DeleteListener") < first(&log, "elasticloadbalancing:DeleteLoadBalancer"), "{log:?}");
    assert!(first(&log, "elasticloadbalancing:DeleteLoadBalancer") < first(&log, "ec2:DeleteSecurityGroup"), "{log:?}");
    assert!(first(&log, "elasticloadbalancing:DeleteListener") < first(&log, "elasticloadbalancing:DeleteTargetGroup"), "{log:?}");
    assert!(first(&log, "elasticloadbalancing:DeregisterTargets") < first(&log, "elasticloadbalancing:DeleteTargetGroup"), "{log:?}");
    assert!(last(&log, "ec2:RevokeSecurityGroupIngress") < first(&log, "ec2:DeleteSecurityGroup"), "{log:?}");
    assert!(last(&log, "iam:DeleteRolePolicy") < first(&log, "iam:DeleteRole"), "{log:?}");
    assert!(last(&log, "iam:DetachRolePolicy") < first(&log, "iam:DeleteRole"), "{log:?}");
    let (_, deleted_group) = &log[first(&log, "ec2:DeleteSecurityGroup")];
    assert_ne!(deleted_group, DB_GROUP, "the database's group was deleted");

    // Newest first: nothing is undone after what it depends on.
    let records = h.store.records(GRANT).expect("the journal reads");
    let undone = journaled(&records, true);
    let created: BTreeSet<StepId> = journaled(&records, false).into_iter().collect();
    assert_eq!(undone.iter().cloned().collect::<BTreeSet<_>>(), created, "everything made is undone, and only that");
    let plan = plan();
    for step in &plan.steps {
        for need in step.needs() {
            let (Some(mine), Some(needed)) = (undone.iter().position(|s| s == &step.id), undone.iter().position(|s| s == need)) else { continue };
            assert!(mine < needed, "{} was undone after {need}, which it needs: {undone:?}", step.id);
        }
    }
    assert_eq!(h.last_outcome(), Some(RunOutcome::RolledBack));
}

#[test]
fn a_failed_rollback_is_reported_with_what_was_left() {
    let h = Harness::new();
    h.fake.fail_on("ec2:CreateVpcEndpointServiceConfiguration", 1);
    h.fake.fail_on("elasticloadbalancing:DeleteTargetGroup", 1);
    let err = h.apply().expect_err("the endpoint service cannot be created");
    let EngineError::StepFailed { leftovers, .. } = &err else { panic!("expected the step's failure, got: {err}") };
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    assert!(leftovers[0].starts_with("target-group (arn:aws:elasticloadbalancing:") && leftovers[0].contains("InternalFailure"), "{leftovers:?}");
    assert!(err.to_string().contains("Rolling back could not remove: target-group"), "{err}");
    assert_eq!(h.fake.made(), [format!("target group {BALANCER_NAME}")], "only the target group is left");
    assert_eq!(h.last_outcome(), Some(RunOutcome::RollbackIncomplete));
}

#[test]
fn revoke_closes_the_trust_before_any_permission_goes_and_deletes_the_role_last() {
    let h = Harness::new();
    h.apply().expect("the grant applies");
    let service = {
        let mut s = h.fake.state();
        let (id, service) = s.services.iter_mut().next().expect("the endpoint service");
        service.connections.push(Connection { endpoint_id: "vpce-0vendor1".to_owned(), owner: "999999999999".to_owned(), state: "available".to_owned() });
        id.clone()
    };
    h.fake.clear_calls();
    let record = h.revoke(RevokeScope::Everything).expect("the revoke runs");
    assert!(record.complete(), "{record:#?}");

    let m = changes(&h.fake.log());
    let at = |action: &str| first(&m, action);
    let trust = at("iam:UpdateAssumeRolePolicy");
    assert_eq!(m[trust + 1], ("iam:PutRolePolicy".to_owned(), SESSIONS_POLICY.to_owned()), "the session deny comes right after the trust: {m:?}");
    let first_permission = m.iter().position(|(a, _)| a == "iam:DeleteRolePolicy" || a == "iam:DetachRolePolicy").expect("permissions removed");
    assert!(trust < first_permission, "a permission went before the trust was closed: {m:?}");
    let last_iam = m.iter().rposition(|(a, _)| a.starts_with("iam:")).expect("IAM calls");
    assert_eq!(m[last_iam].0, "iam:DeleteRole", "{m:?}");
    assert_eq!(m[last_iam - 1], ("iam:DeleteRolePolicy".to_owned(), SESSIONS_POLICY.to_owned()), "the session deny goes right before the role: {m:?}");
    let principals = at("ec2:ModifyVpcEndpointServicePermissions");
    let reject = at("ec2:RejectVpcEndpointConnections");
    assert_eq!(m[reject].1, service);
    for network in NETWORK_DELETES {
        let i = at(network);
        assert!(principals < i && reject < i, "{network} came before the vendor was cut off: {m:?}");
    }

    let made = h.fake.made();
    assert!(made.is_empty(), "the revoke left {made:?}");
    assert_eq!(h.fake.state().rules.keys().map(String::as_str).collect::<Vec<_>>(), [APP_RULE], "the database's own rule is untouched");
    assert_eq!(h.last_outcome(), Some(RunOutcome::Revoked));
}

#[test]
fn a_role_changed_by_hand_is_kept_closed() {
    let h = Harness::new();
    h.apply().expect("the grant applies");
    h.fake
        .state()
        .roles
        .get_mut(ROLE_NAME)
        .expect("the vendor role")
        .inline
        .insert("hand-made".to_owned(), r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.to_owned());
    let record = h.revoke(RevokeScope::AccessOnly).expect("the revoke runs");
    assert!(record.kept.iter().any(|k| k.step == StepId::Role && k.id == ROLE_NAME), "{:#?}", record.kept);
    assert!(!record.complete());

    {
        let s = h.fake.state();
        let role = s.roles.get(ROLE_NAME).expect("the role changed by hand is kept");
        assert_eq!(role.trust, policies::deny_all_trust_policy());
        for name in [SESSIONS_POLICY, DENY_ALL_POLICY, "hand-made"] {
            assert!(role.inline.contains_key(name), "{name} missing: {:?}", role.inline.keys().collect::<Vec<_>>());
        }
        assert!(policies::denies_everything(&role.inline[DENY_ALL_POLICY]));
        assert!(!role.inline.contains_key(VENDOR_POLICY) && role.attached.is_empty(), "the grant's permissions are still on the role");
        let service = s.services.values().next().expect("an access-only revoke keeps the endpoint service");
        assert!(service.principals.is_empty(), "still allowed: {:?}", service.principals);
        assert!(!s.rules.values().any(|r| r.cidr.as_deref() == Some(VENDOR_RANGE)), "the vendor's range is still admitted");
    }
    assert_eq!(h.last_outcome(), Some(RunOutcome::RevokeIncomplete));
}

#[test]
fn apply_refuses_a_revoked_grant_before_any_call() {
    let h = Harness::new();
    h.apply().expect("the grant applies");
    h.revoke(RevokeScope::Everything).expect("the revoke runs");
    h.fake.clear_calls();
    let err = h.apply().expect_err("a revoked grant is not applied again");
    assert!(matches!(&err, EngineError::Revoked { grant } if grant == GRANT), "{err}");
    assert!(h.fake.calls().is_empty(), "AWS was called: {:?}", h.fake.calls());
    assert!(h.fake.made().is_empty());
}
