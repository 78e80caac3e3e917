//! AWS RAM from the owner's side (docs/aws-rules.md R21): a resource share of one resource with
//! one account outside the organization, what AWS reports about that account's invitation, and
//! taking the share back.

use async_trait::async_trait;
use aws_sdk_ram::types::{ResourceOwner, ResourceShareAssociationType, Tag, TagFilter};
use aws_types::request_id::RequestId;

use super::{AwsError, AwsSession, Created};
use vendorlink_model::{Output, GRANT_TAG};

/// A resource share as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareInfo {
    pub arn: String,
    pub name: String,
    /// `ACTIVE`, `PENDING`, `DELETING`, `DELETED`, `FAILED`.
    pub status: String,
    /// Each principal with its association status (`ASSOCIATING` while an invitation waits,
    /// `ASSOCIATED`, `DISASSOCIATED`…).
    pub principals: Vec<(String, String)>,
    /// The resources shared, with their association status.
    pub resources: Vec<(String, String)>,
}

impl ShareInfo {
    /// Gone for good: nobody can reach anything through it any more.
    pub fn is_over(&self) -> bool {
        matches!(self.status.as_str(), "DELETING" | "DELETED" | "FAILED")
    }

    /// The principal's association status, when it is a principal of the share at all.
    pub fn principal_status(&self, principal: &str) -> Option<&str> {
        self.principals.iter().find(|(p, _)| p == principal).map(|(_, s)| s.as_str())
    }

    /// Whether the principal still has (or may still get) the share.
    pub fn reaches(&self, principal: &str) -> bool {
        !self.is_over() && self.principal_status(principal).is_some_and(|s| matches!(s, "ASSOCIATING" | "ASSOCIATED"))
    }
}

/// RAM's calls, with one SDK client for the session.
#[derive(Debug, Clone)]
pub struct Sharing {
    client: aws_sdk_ram::Client,
    session: AwsSession,
}

impl Sharing {
    pub fn new(session: &AwsSession) -> Self {
        Sharing { client: aws_sdk_ram::Client::new(&session.config), session: session.clone() }
    }

    async fn associations(&self, arn: &str, kind: ResourceShareAssociationType) -> Result<Vec<(String, String)>, AwsError> {
        let found = self
            .client
            .get_resource_share_associations()
            .association_type(kind)
            .resource_share_arns(arn)
            .into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ram:GetResourceShareAssociations", &self.session))?;
        Ok(found
            .iter()
            .flat_map(|page| page.resource_share_associations())
            .filter(|a| a.resource_share_arn() == Some(arn))
            .map(|a| (a.associated_entity().unwrap_or_default().to_owned(), a.status().map(|s| s.as_str().to_owned()).unwrap_or_default()))
            .collect())
    }
}

/// RAM answers a share it does not know with `UnknownResourceException` (R21).
fn is_unknown(err: &AwsError) -> bool {
    err.is_not_found() || err.code() == Some("UnknownResourceException")
}

#[async_trait]
pub trait SharingApi: Send + Sync {
    /// Shares one resource with one account; external principals are allowed (the vendor is
    /// not in the customer's organization), so the account gets an invitation.
    async fn share(&self, name: &str, resource_arn: &str, account_id: &str, client_token: &str, tags: &[(String, String)]) -> Result<Created, AwsError>;
    /// The grant's share of this name (an interrupted create), unless it is over.
    async fn find_share(&self, name: &str, grant_id: &str) -> Result<Option<ShareInfo>, AwsError>;
    /// The share with its principals and resources; `None` when RAM does not know it.
    async fn share_info(&self, arn: &str) -> Result<Option<ShareInfo>, AwsError>;
    /// Takes the account off the share, then deletes the share; one already deleted is success.
    async fn delete_share(&self, arn: &str) -> Result<Option<String>, AwsError>;
}

#[async_trait]
impl SharingApi for Sharing {
    async fn share(&self, name: &str, resource_arn: &str, account_id: &str, client_token: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .client
            .create_resource_share()
            .name(name)
            .resource_arns(resource_arn)
            .principals(account_id)
            .allow_external_principals(true)
            .client_token(client_token)
            .set_tags(Some(tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ram:CreateResourceShare", &self.session))?;
        let share = out.resource_share();
        let output = Output::ResourceShare {
            arn: share.and_then(|s| s.resource_share_arn()).unwrap_or_default().to_owned(),
            status: share.and_then(|s| s.status()).map(|s| s.as_str().to_owned()),
        };
        Ok(Created { output, request_id: out.request_id().map(str::to_owned) })
    }

    async fn find_share(&self, name: &str, grant_id: &str) -> Result<Option<ShareInfo>, AwsError> {
        let found = self
            .client
            .get_resource_shares()
            .resource_owner(ResourceOwner::SelfValue)
            .name(name)
            .tag_filters(TagFilter::builder().tag_key(GRANT_TAG).tag_values(grant_id).build())
            .into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ram:GetResourceShares", &self.session))?;
        let ours = found.iter().flat_map(|page| page.resource_shares()).find(|s| {
            s.name() == Some(name)
                && s.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant_id))
                && !matches!(s.status().map(|s| s.as_str()), Some("DELETING" | "DELETED" | "FAILED"))
        });
        match ours.and_then(|s| s.resource_share_arn()) {
            Some(arn) => self.share_info(arn).await,
            None => Ok(None),
        }
    }

    async fn share_info(&self, arn: &str) -> Result<Option<ShareInfo>, AwsError> {
        let found = match self.client.get_resource_shares().resource_owner(ResourceOwner::SelfValue).resource_share_arns(arn).send().await {
            Ok(out) => out,
            Err(e) => {
                let err = AwsError::from_sdk(e, "ram:GetResourceShares", &self.session);
                return if is_unknown(&err) { Ok(None) } else { Err(err) };
            }
        };
        let Some(share) = found.resource_shares().iter().find(|s| s.resource_share_arn() == Some(arn)) else { return Ok(None) };
        let (principals, resources) =
            tokio::try_join!(self.associations(arn, ResourceShareAssociationType::Principal), self.associations(arn, ResourceShareAssociationType::Resource))?;
        Ok(Some(ShareInfo {
            arn: arn.to_owned(),
            name: share.name().unwrap_or_default().to_owned(),
            status: share.status().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            principals,
            resources,
        }))
    }

    async fn delete_share(&self, arn: &str) -> Result<Option<String>, AwsError> {
        let Some(share) = self.share_info(arn).await? else { return Ok(None) };
        if share.is_over() {
            return Ok(None);
        }
        // The principals first: should the delete fail, the vendor is already off the share.
        let members: Vec<String> = share.principals.iter().filter(|(_, s)| matches!(s.as_str(), "ASSOCIATING" | "ASSOCIATED")).map(|(p, _)| p.clone()).collect();
        if !members.is_empty() {
            if let Err(e) = self.client.disassociate_resource_share().resource_share_arn(arn).set_principals(Some(members)).send().await {
                let err = AwsError::from_sdk(e, "ram:DisassociateResourceShare", &self.session);
                if !is_unknown(&err) {
                    return Err(err);
                }
            }
        }
        match self.client.delete_resource_share().resource_share_arn(arn).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => {
                let err = AwsError::from_sdk(e, "ram:DeleteResourceShare", &self.session);
                if is_unknown(&err) {
                    Ok(None)
                } else {
                    Err(err)
                }
            }
        }
    }
}
