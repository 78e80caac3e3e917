//! AWS Organizations calls on single accounts: the vendor's dedicated member account created,
//! waited for, placed in an organizational unit and closed (docs/aws-rules.md R16–R18). Every
//! one of them answers only the management account (or a delegated administrator).

use async_trait::async_trait;
use aws_sdk_organizations::types::{CreateAccountState, Tag};
use aws_types::request_id::RequestId;

use super::{AwsError, AwsSession, Created};
use vendorlink_model::{OrgAccount, Output};

/// Where an account's creation stands (`DescribeCreateAccountStatus`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreationStatus {
    /// `IN_PROGRESS`, `SUCCEEDED` or `FAILED`.
    pub state: String,
    pub account_id: Option<String>,
    /// Why it failed (`EMAIL_ALREADY_EXISTS`, `ACCOUNT_LIMIT_EXCEEDED`…).
    pub failure: Option<String>,
}

/// Organizations with one SDK client for the session.
#[derive(Debug, Clone)]
pub struct Accounts {
    client: aws_sdk_organizations::Client,
    session: AwsSession,
}

impl Accounts {
    pub fn new(session: &AwsSession) -> Self {
        Accounts { client: aws_sdk_organizations::Client::new(&session.config), session: session.clone() }
    }
}

#[async_trait]
pub trait AccountsApi: Send + Sync {
    /// Asks for a new member account; returns the creation request's id (`car-…`), which
    /// [`AccountsApi::creation_status`] follows, and AWS's request id.
    async fn create_account(&self, name: &str, email: &str, access_role: &str, tags: &[(String, String)]) -> Result<(String, Option<String>), AwsError>;
    async fn creation_status(&self, request: &str) -> Result<CreationStatus, AwsError>;
    /// The creation requests still in progress for accounts of this name.
    async fn creations_in_progress(&self, name: &str) -> Result<Vec<String>, AwsError>;
    /// The account's tags (which grant made it).
    async fn account_tags(&self, account_id: &str) -> Result<Vec<(String, String)>, AwsError>;
    /// Every account of the organization, sorted by name.
    async fn accounts(&self) -> Result<Vec<OrgAccount>, AwsError>;
    /// One account; `None` when the organization has no such account.
    async fn account(&self, account_id: &str) -> Result<Option<OrgAccount>, AwsError>;
    /// The root or organizational unit the account is in.
    async fn parent(&self, account_id: &str) -> Result<String, AwsError>;
    /// Whether the organization has this organizational unit (`ou-…`) or root (`r-…`).
    async fn unit_exists(&self, unit: &str) -> Result<bool, AwsError>;
    async fn move_account(&self, account_id: &str, from: &str, to: &str) -> Result<Created, AwsError>;
    async fn close_account(&self, account_id: &str) -> Result<Option<String>, AwsError>;
}

fn org_account(a: &aws_sdk_organizations::types::Account) -> OrgAccount {
    OrgAccount {
        id: a.id.clone().unwrap_or_default(),
        name: a.name.clone().unwrap_or_default(),
        email: a.email.clone().unwrap_or_default(),
        // `State` replaces the retired `Status` (ACTIVE, SUSPENDED, PENDING_ACTIVATION,
        // PENDING_CLOSURE, CLOSED); `Status` only where an older endpoint sends no `State`.
        status: a.state.as_ref().map(|s| s.as_str().to_owned()).or_else(|| a.status.as_ref().map(|s| s.as_str().to_owned())).unwrap_or_default(),
    }
}

#[async_trait]
impl AccountsApi for Accounts {
    async fn create_account(&self, name: &str, email: &str, access_role: &str, tags: &[(String, String)]) -> Result<(String, Option<String>), AwsError> {
        let action = "organizations:CreateAccount";
        let tags = tags
            .iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AwsError::BadResponse { action: action.into(), detail: e.to_string() })?;
        let out = self
            .client
            .create_account()
            .account_name(name)
            .email(email)
            .role_name(access_role)
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, action, &self.session))?;
        let request =
            out.create_account_status().and_then(|s| s.id()).ok_or_else(|| AwsError::BadResponse { action: action.into(), detail: "no request id in the answer".into() })?;
        Ok((request.to_owned(), out.request_id().map(str::to_owned)))
    }

    async fn creation_status(&self, request: &str) -> Result<CreationStatus, AwsError> {
        let action = "organizations:DescribeCreateAccountStatus";
        let out = self.client.describe_create_account_status().create_account_request_id(request).send().await.map_err(|e| AwsError::from_sdk(e, action, &self.session))?;
        let status = out.create_account_status().ok_or_else(|| AwsError::BadResponse { action: action.into(), detail: "no status in the answer".into() })?;
        Ok(CreationStatus {
            state: status.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            account_id: status.account_id().map(str::to_owned),
            failure: status.failure_reason().map(|f| f.as_str().to_owned()),
        })
    }

    async fn creations_in_progress(&self, name: &str) -> Result<Vec<String>, AwsError> {
        let action = "organizations:ListCreateAccountStatus";
        let pages = self
            .client
            .list_create_account_status()
            .states(CreateAccountState::InProgress)
            .into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, action, &self.session))?;
        Ok(pages
            .iter()
            .flat_map(|page| page.create_account_statuses())
            .filter(|s| s.account_name() == Some(name) && s.state() == Some(&CreateAccountState::InProgress))
            .filter_map(|s| s.id().map(str::to_owned))
            .collect())
    }

    async fn account_tags(&self, account_id: &str) -> Result<Vec<(String, String)>, AwsError> {
        let pages = self
            .client
            .list_tags_for_resource()
            .resource_id(account_id)
            .into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "organizations:ListTagsForResource", &self.session))?;
        Ok(pages.iter().flat_map(|page| page.tags()).map(|t| (t.key().to_owned(), t.value().to_owned())).collect())
    }

    async fn accounts(&self) -> Result<Vec<OrgAccount>, AwsError> {
        let pages = self
            .client
            .list_accounts()
            .into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "organizations:ListAccounts", &self.session))?;
        let mut accounts: Vec<OrgAccount> = pages.iter().flat_map(|page| page.accounts()).map(org_account).collect();
        accounts.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        Ok(accounts)
    }

    async fn account(&self, account_id: &str) -> Result<Option<OrgAccount>, AwsError> {
        match self.client.describe_account().account_id(account_id).send().await {
            Ok(out) => Ok(out.account().map(org_account)),
            Err(e) => {
                let err = AwsError::from_sdk(e, "organizations:DescribeAccount", &self.session);
                if err.code() == Some("AccountNotFoundException") {
                    Ok(None)
                } else {
                    Err(err)
                }
            }
        }
    }

    async fn parent(&self, account_id: &str) -> Result<String, AwsError> {
        let action = "organizations:ListParents";
        let out = self.client.list_parents().child_id(account_id).send().await.map_err(|e| AwsError::from_sdk(e, action, &self.session))?;
        out.parents()
            .first()
            .and_then(|p| p.id().map(str::to_owned))
            .ok_or_else(|| AwsError::BadResponse { action: action.into(), detail: format!("account {account_id} has no parent") })
    }

    async fn unit_exists(&self, unit: &str) -> Result<bool, AwsError> {
        if unit.starts_with("r-") {
            let action = "organizations:ListRoots";
            let out = self.client.list_roots().send().await.map_err(|e| AwsError::from_sdk(e, action, &self.session))?;
            return Ok(out.roots().iter().any(|r| r.id() == Some(unit)));
        }
        match self.client.describe_organizational_unit().organizational_unit_id(unit).send().await {
            Ok(_) => Ok(true),
            Err(e) => {
                let err = AwsError::from_sdk(e, "organizations:DescribeOrganizationalUnit", &self.session);
                if err.code() == Some("OrganizationalUnitNotFoundException") {
                    Ok(false)
                } else {
                    Err(err)
                }
            }
        }
    }

    async fn move_account(&self, account_id: &str, from: &str, to: &str) -> Result<Created, AwsError> {
        let out = self
            .client
            .move_account()
            .account_id(account_id)
            .source_parent_id(from)
            .destination_parent_id(to)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "organizations:MoveAccount", &self.session))?;
        Ok(Created { output: Output::AccountParent { account_id: account_id.to_owned(), parent_id: to.to_owned() }, request_id: out.request_id().map(str::to_owned) })
    }

    async fn close_account(&self, account_id: &str) -> Result<Option<String>, AwsError> {
        match self.client.close_account().account_id(account_id).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => {
                let err = AwsError::from_sdk(e, "organizations:CloseAccount", &self.session);
                // Closed already (or closing): what was asked for holds.
                if err.code() == Some("AccountAlreadyClosedException") {
                    Ok(None)
                } else {
                    Err(err)
                }
            }
        }
    }
}
