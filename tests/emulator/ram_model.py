"""AWS Resource Access Manager (RAM) as AWS documents it, for sharing VPC Lattice resource
configurations; moto 5.2.5's RAM cannot do it.

Each behaviour cites its rule in ``docs/aws-rules.md`` (R21, with the AWS page it comes from).
moto's RAM refuses resource-configuration ARNs (its SHAREABLE_RESOURCES list), has no
AssociateResourceShare, DisassociateResourceShare, invitations or tags, and shares at once. This
module answers these RAM calls itself (REST-JSON, before moto sees them; the launcher passes every
request through :func:`intercept`); state is kept per owner account and Region:

* **CreateResourceShare** (R21.9, R21.10): ``name`` required; ``resourceArns`` may hold resource
  configuration ARNs (they must exist, be the caller's and in the share's Region: else
  ``UnknownResourceException`` / ``MalformedArnException`` / ``InvalidParameterException``), or the
  resource types moto knows (not checked further); ``principals`` are 12-digit account ids or
  Organizations ARNs. ``allowExternalPrincipals`` defaults to true; false refuses an account outside
  the owner's organization with ``OperationNotPermittedException`` (false means nothing for an owner
  in no organization, as AWS documents). ``tags`` and ``clientToken`` (same token and parameters:
  the same share; other parameters: ``IdempotentParameterMismatchException``).
* **Principals and invitations** (R21.10, R21.11): every association answers ``ASSOCIATING``. A
  resource, and an account of the owner's organization once sharing with the organization is
  enabled (EnableSharingWithAwsOrganization, answered here), turn ``ASSOCIATED`` at the next read.
  Any other account gets an invitation (``PENDING``) and its principal association stays
  ``ASSOCIATING`` until it accepts (``ASSOCIATED``); rejected or expired: ``FAILED``.
  GetResourceShareInvitations / AcceptResourceShareInvitation / RejectResourceShareInvitation /
  ListPendingInvitationResources for the receiver, in the share's Region, with AWS's errors
  (``ResourceShareInvitationArnNotFoundException``, ``…AlreadyAcceptedException``,
  ``…AlreadyRejectedException``, ``…ExpiredException``).
* **GetResourceShares** (``resourceOwner`` SELF | OTHER-ACCOUNTS, ``resourceShareArns``, ``name``,
  ``resourceShareStatus``, ``tagFilters``): SELF shows deleted shares too (``DELETED``);
  OTHER-ACCOUNTS only shares whose invitation the caller accepted (or that reached it through its
  organization). **GetResourceShareAssociations** (owner's view: ``associationType`` PRINCIPAL |
  RESOURCE, ``resourceShareArns``, ``principal``, ``resourceArn``, ``associationStatus``).
  **ListResources** (SELF | OTHER-ACCOUNTS, ``resourceType``, ``resourceArns``,
  ``resourceShareArns``): how a receiver finds the configuration's ARN.
* **AssociateResourceShare / DisassociateResourceShare / DeleteResourceShare / UpdateResourceShare
  / TagResource / UntagResource** (R21.12): disassociating answers ``DISASSOCIATING`` and reads
  ``DISASSOCIATED`` afterwards; deleting a share makes it ``DELETED`` and every association
  ``DISASSOCIATED``; a deleted share refuses changes (``InvalidStateTransitionException``).
  **Removing a share does not touch endpoints already made from it** (R21.12: AWS documents no
  such effect; lattice_model keeps the vendor's resource endpoint association and its traffic):
  revoking must delete the association (DeleteResourceEndpointAssociation) as well.
* **Control** (launcher): :func:`expire` makes a pending invitation ``EXPIRED`` (the expiry period
  itself is not documented); :func:`dump` lists shares and invitations.

Not modelled: IAM role and user principals, service principals and ``sources``, managed permissions
(``permissionArns``: ignored), organization and OU principals beyond "every account of it",
``retainSharingOnAccountLeaveOrganization``, pagination tokens (everything fits one page), quotas,
and any RAM call not listed here (moto answers those: ListResourceTypes, ListPermissions, ...).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from typing import Any, Callable
from urllib.parse import parse_qs

import org_model
from moto.ram.models import ResourceShare as _MotoShare

Answer = tuple[str, list[tuple[str, str]], bytes]

_lock = threading.RLock()

_OPERATIONS = {
    ("POST", "/createresourceshare"): "CreateResourceShare",
    ("POST", "/getresourceshares"): "GetResourceShares",
    ("POST", "/getresourceshareassociations"): "GetResourceShareAssociations",
    ("POST", "/associateresourceshare"): "AssociateResourceShare",
    ("POST", "/disassociateresourceshare"): "DisassociateResourceShare",
    ("DELETE", "/deleteresourceshare"): "DeleteResourceShare",
    ("POST", "/updateresourceshare"): "UpdateResourceShare",
    ("POST", "/getresourceshareinvitations"): "GetResourceShareInvitations",
    ("POST", "/acceptresourceshareinvitation"): "AcceptResourceShareInvitation",
    ("POST", "/rejectresourceshareinvitation"): "RejectResourceShareInvitation",
    ("POST", "/listpendinginvitationresources"): "ListPendingInvitationResources",
    ("POST", "/listresources"): "ListResources",
    ("POST", "/tagresource"): "TagResource",
    ("POST", "/untagresource"): "UntagResource",
    ("POST", "/enablesharingwithawsorganization"): "EnableSharingWithAwsOrganization",
    # moto answers these
    ("POST", "/listresourcetypes"): "ListResourceTypes",
    ("POST", "/listpermissions"): "ListPermissions",
    ("POST", "/listprincipals"): "ListPrincipals",
}

_STATUS_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
_ERROR_STATUS = {"ThrottlingException": 429, "ServerInternalException": 500, "ServiceUnavailableException": 503, "AccessDeniedException": 403}

# share ARN -> share (see _new_share)
_shares: dict[str, dict[str, Any]] = {}
# invitation ARN -> invitation
_invitations: dict[str, dict[str, Any]] = {}
# management accounts that called EnableSharingWithAwsOrganization
_org_sharing: set[str] = set()
# (account, region, operation, client token) -> (request fingerprint, share ARN)
_tokens: dict[tuple[str, str, str, str], tuple[str, str]] = {}
# resource kinds other modules own: ARN marker -> (type name, lookup(arn) -> (owner, region) | None)
_resource_kinds: dict[str, tuple[str, Callable[[str], tuple[str, str] | None]]] = {}


def register_resource_kind(marker: str, type_name: str, lookup: Callable[[str], tuple[str, str] | None]) -> None:
    """Another model's shareable resource: ARNs containing ``marker`` are of RAM type
    ``type_name``; ``lookup(arn)`` answers (owner account, Region) of an existing one, else None."""
    _resource_kinds[marker] = (type_name, lookup)


def reset() -> None:
    with _lock:
        _shares.clear()
        _invitations.clear()
        _org_sharing.clear()
        _tokens.clear()


# --------------------------------------------------------------------------------------
# Answers
# --------------------------------------------------------------------------------------


class RamError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _json(status: int, document: dict | None) -> Answer:
    body = b"" if document is None else json.dumps(document).encode()
    headers = [("Content-Type", "application/json"), ("x-amzn-RequestId", str(uuid.uuid4())), ("Content-Length", str(len(body)))]
    return f"{status} {_STATUS_REASONS.get(status, 'OK')}", headers, body


def error_answer(code: str, message: str) -> Answer:
    """RAM's error: HTTP status of the shape, ``x-amzn-ErrorType`` and a JSON ``message``."""
    status = _ERROR_STATUS.get(code, 400)
    line, headers, body = _json(status, {"message": message})
    return line, headers + [("x-amzn-ErrorType", code)], body


def _now() -> float:
    return round(time.time(), 3)


# --------------------------------------------------------------------------------------
# Organizations: who is external (R21.10)
# --------------------------------------------------------------------------------------


def _same_organization(owner: str, principal: str) -> bool:
    management = org_model._management_of(owner)
    return management is not None and org_model._management_of(principal) == management


def _in_organization(account: str) -> bool:
    return org_model._management_of(account) is not None


# --------------------------------------------------------------------------------------
# Shares
# --------------------------------------------------------------------------------------

_ACCOUNT = re.compile(r"^\d{12}$")
_ORG_ARN = re.compile(r"^arn:aws[a-z-]*:organizations::(\d{12}):(organization|ou)/o-[a-z0-9]+(/ou-[a-z0-9-]+)?$")
_ARN = re.compile(r"^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$")


def _association(entity: str, kind: str, external: bool | None = None) -> dict[str, Any]:
    now = _now()
    found = {"entity": entity, "type": kind, "status": "ASSOCIATING", "message": None, "created": now, "updated": now, "settles": True}
    if external is not None:
        found["external"] = external
    return found


def _settle(share: dict) -> None:
    """What a read sees: associations AWS finishes by itself have finished (R21.10, R21.12)."""
    for group in (share["principals"], share["resources"]):
        for assoc in group.values():
            if assoc["status"] == "ASSOCIATING" and assoc["settles"]:
                assoc["status"], assoc["updated"] = "ASSOCIATED", _now()
            elif assoc["status"] == "DISASSOCIATING":
                assoc["status"], assoc["updated"] = "DISASSOCIATED", _now()


def _assoc_view(share: dict, assoc: dict) -> dict[str, Any]:
    view = {
        "resourceShareArn": share["arn"],
        "resourceShareName": share["name"],
        "associatedEntity": assoc["entity"],
        "associationType": assoc["type"],
        "status": assoc["status"],
        "creationTime": assoc["created"],
        "lastUpdatedTime": assoc["updated"],
    }
    if assoc.get("message"):
        view["statusMessage"] = assoc["message"]
    if "external" in assoc:
        view["external"] = assoc["external"]
    return view


def _share_view(share: dict) -> dict[str, Any]:
    return {
        "resourceShareArn": share["arn"],
        "name": share["name"],
        "owningAccountId": share["owner"],
        "allowExternalPrincipals": share["allow_external"],
        "status": share["status"],
        "tags": [{"key": k, "value": v} for k, v in share["tags"].items()],
        "creationTime": share["created"],
        "lastUpdatedTime": share["updated"],
        "featureSet": "STANDARD",
    }


def _invitation_view(invitation: dict) -> dict[str, Any]:
    share = _shares[invitation["share"]]
    return {
        "resourceShareInvitationArn": invitation["arn"],
        "resourceShareName": share["name"],
        "resourceShareArn": share["arn"],
        "senderAccountId": share["owner"],
        "receiverAccountId": invitation["receiver"],
        "invitationTimestamp": invitation["created"],
        "status": invitation["status"],
    }


def _resource_type(arn: str) -> str | None:
    for marker, (type_name, _) in _resource_kinds.items():
        if marker in arn:
            return type_name
    match = _ARN.match(arn)
    if match is None:
        return None
    resource = match.group(5)
    kind = re.split(r"[/:]", resource, maxsplit=1)[0]
    return f"{match.group(2)}:{kind}"


def _check_resource(arn: str, owner: str, region: str) -> None:
    """R21.9: the caller may share only an existing resource it owns, in the share's Region."""
    if not isinstance(arn, str) or not _ARN.match(arn):
        raise RamError("MalformedArnException", f"The specified resource ARN {arn} is not valid. Verify the ARN and try again.")
    for marker, (_, lookup) in _resource_kinds.items():
        if marker in arn:
            found = lookup(arn)
            if found is None or found[0] != owner:
                raise RamError("UnknownResourceException", f"ResourceArn {arn} could not be found.")
            if found[1] != region:
                raise RamError("InvalidParameterException", f"The resource {arn} is in Region {found[1]}; a resource share in {region} shares only resources of its own Region.")
            return
    kind = re.split(r"[/:]", _ARN.match(arn).group(5), maxsplit=1)[0]
    if kind not in _MotoShare.SHAREABLE_RESOURCES:
        raise RamError("MalformedArnException", f"The specified resource ARN {arn} is not valid. Verify the ARN and try again.")


def _check_principal(principal: str, share: dict) -> bool:
    """R21.10: answers whether the principal is external; refuses it when the share may not
    have external principals."""
    owner = share["owner"]
    if not isinstance(principal, str) or not (_ACCOUNT.match(principal) or _ORG_ARN.match(principal)):
        raise RamError("InvalidParameterException", f"Principal ID {principal} is malformed. Verify the ID and try again.")
    if principal == owner:
        raise RamError("InvalidParameterException", "The resource share owner cannot be a principal of the resource share.")
    if _ORG_ARN.match(principal):
        if org_model._management_of(owner) != _ORG_ARN.match(principal).group(1):
            raise RamError("UnknownResourceException", f"Organization {principal} could not be found.")
        return False
    external = not _same_organization(owner, principal)
    if external and not share["allow_external"] and _in_organization(owner):
        raise RamError(
            "OperationNotPermittedException",
            f"The resource share {share['arn']} does not allow external principals; {principal} is not in your organization.",
        )
    return external


def _add_principal(share: dict, principal: str) -> dict:
    external = _check_principal(principal, share)
    assoc = _association(principal, "PRINCIPAL", external)
    organization_path = _ORG_ARN.match(principal) or (not external and org_model._management_of(share["owner"]) in _org_sharing)
    if not organization_path:
        # R21.10: an invitation, accepted by the receiver, before the principal is ASSOCIATED.
        assoc["settles"] = False
        for old in _invitations.values():
            if old["share"] == share["arn"] and old["receiver"] == principal and old["status"] == "PENDING":
                old["status"] = "SUPERSEDED"
        invitation_arn = f"arn:aws:ram:{share['region']}:{share['owner']}:resource-share-invitation/{uuid.uuid4()}"
        _invitations[invitation_arn] = {"arn": invitation_arn, "share": share["arn"], "receiver": principal, "status": "PENDING", "created": _now()}
    share["principals"][principal] = assoc
    return assoc


def _add_resource(share: dict, arn: str) -> dict:
    _check_resource(arn, share["owner"], share["region"])
    assoc = _association(arn, "RESOURCE")
    share["resources"][arn] = assoc
    return assoc


def _fingerprint(request: dict, *keys: str) -> str:
    return json.dumps({k: request.get(k) for k in keys}, sort_keys=True, default=str)


def _owned_share(caller: str, region: str, arn: Any) -> dict:
    share = _shares.get(arn) if isinstance(arn, str) else None
    if share is None or share["owner"] != caller or share["region"] != region:
        if isinstance(arn, str) and not _ARN.match(arn):
            raise RamError("MalformedArnException", f"The specified resource share ARN {arn} is not valid.")
        raise RamError("UnknownResourceException", f"ResourceShare {arn} could not be found.")
    return share


def _idempotent(caller: str, region: str, operation: str, request: dict, keys: tuple[str, ...]) -> str | None:
    token = request.get("clientToken")
    if not token:
        return None
    known = _tokens.get((caller, region, operation, token))
    if known is None:
        return None
    if known[0] != _fingerprint(request, *keys):
        raise RamError("IdempotentParameterMismatchException", f"The client token {token} was already used with other parameters.")
    return known[1]


def _remember(caller: str, region: str, operation: str, request: dict, keys: tuple[str, ...], result: str) -> None:
    token = request.get("clientToken")
    if token:
        _tokens[(caller, region, operation, token)] = (_fingerprint(request, *keys), result)


_CREATE_KEYS = ("name", "resourceArns", "principals", "allowExternalPrincipals", "tags")


def _create_resource_share(caller: str, region: str, request: dict) -> dict:
    earlier = _idempotent(caller, region, "CreateResourceShare", request, _CREATE_KEYS)
    if earlier:
        return {"resourceShare": _share_view(_shares[earlier]), "clientToken": request["clientToken"]}
    name = request.get("name")
    if not isinstance(name, str) or not name:
        raise RamError("MissingRequiredParameterException", "The name parameter is required.")
    now = _now()
    arn = f"arn:aws:ram:{region}:{caller}:resource-share/{uuid.uuid4()}"
    share = {
        "arn": arn, "name": name, "owner": caller, "region": region,
        "allow_external": request.get("allowExternalPrincipals", True) is not False,
        "status": "ACTIVE", "created": now, "updated": now,
        "tags": {t.get("key"): t.get("value", "") for t in request.get("tags") or []},
        "principals": {}, "resources": {},
    }
    # Validate everything before anything is kept.
    for resource in request.get("resourceArns") or []:
        _check_resource(resource, caller, region)
    for principal in request.get("principals") or []:
        _check_principal(principal, share)
    _shares[arn] = share
    for resource in request.get("resourceArns") or []:
        _add_resource(share, resource)
    for principal in request.get("principals") or []:
        _add_principal(share, principal)
    _remember(caller, region, "CreateResourceShare", request, _CREATE_KEYS, arn)
    answer = {"resourceShare": _share_view(share)}
    if request.get("clientToken"):
        answer["clientToken"] = request["clientToken"]
    return answer


def _matches_tags(share: dict, filters: list[dict]) -> bool:
    for tag_filter in filters or []:
        key, values = tag_filter.get("tagKey"), tag_filter.get("tagValues") or []
        if key not in share["tags"]:
            return False
        if values and share["tags"][key] not in values:
            return False
    return True


def _received(share: dict, caller: str) -> bool:
    """The share reached ``caller``: its principal association is ASSOCIATED."""
    if share["status"] != "ACTIVE":
        return False
    assoc = share["principals"].get(caller)
    if assoc is not None and assoc["status"] == "ASSOCIATED":
        return True
    management = org_model._management_of(caller)
    return any(
        _ORG_ARN.match(p) and a["status"] == "ASSOCIATED" and _ORG_ARN.match(p).group(1) == management for p, a in share["principals"].items()
    )


def _get_resource_shares(caller: str, region: str, request: dict) -> dict:
    owner = request.get("resourceOwner")
    if owner not in ("SELF", "OTHER-ACCOUNTS"):
        raise RamError("InvalidParameterException", "resourceOwner must be SELF or OTHER-ACCOUNTS.")
    found = []
    for share in _shares.values():
        if share["region"] != region:
            continue
        _settle(share)
        if owner == "SELF" and share["owner"] != caller:
            continue
        if owner == "OTHER-ACCOUNTS" and (share["owner"] == caller or not _received(share, caller)):
            continue
        if request.get("resourceShareArns") and share["arn"] not in request["resourceShareArns"]:
            continue
        if request.get("name") and share["name"] != request["name"]:
            continue
        if request.get("resourceShareStatus") and share["status"] != request["resourceShareStatus"]:
            continue
        if not _matches_tags(share, request.get("tagFilters")):
            continue
        found.append(_share_view(share))
    return {"resourceShares": found}


def _get_resource_share_associations(caller: str, region: str, request: dict) -> dict:
    kind = request.get("associationType")
    if kind not in ("PRINCIPAL", "RESOURCE"):
        raise RamError("InvalidParameterException", "associationType must be PRINCIPAL or RESOURCE.")
    if kind == "PRINCIPAL" and request.get("resourceArn"):
        raise RamError("InvalidParameterException", "resourceArn cannot be given with associationType PRINCIPAL.")
    if kind == "RESOURCE" and request.get("principal"):
        raise RamError("InvalidParameterException", "principal cannot be given with associationType RESOURCE.")
    wanted = request.get("resourceShareArns") or []
    for arn in wanted:
        _owned_share(caller, region, arn)
    found = []
    for share in _shares.values():
        if share["owner"] != caller or share["region"] != region or (wanted and share["arn"] not in wanted):
            continue
        _settle(share)
        group = share["principals"] if kind == "PRINCIPAL" else share["resources"]
        for entity, assoc in group.items():
            if request.get("principal") and entity != request["principal"]:
                continue
            if request.get("resourceArn") and entity != request["resourceArn"]:
                continue
            if request.get("associationStatus") and assoc["status"] != request["associationStatus"]:
                continue
            found.append(_assoc_view(share, assoc))
    return {"resourceShareAssociations": found}


def _live_share(caller: str, region: str, arn: Any) -> dict:
    share = _owned_share(caller, region, arn)
    if share["status"] != "ACTIVE":
        raise RamError("InvalidStateTransitionException", f"The resource share {arn} is {share['status']}.")
    return share


_ASSOC_KEYS = ("resourceShareArn", "resourceArns", "principals")


def _associate_resource_share(caller: str, region: str, request: dict) -> dict:
    share = _live_share(caller, region, request.get("resourceShareArn"))
    _settle(share)
    for resource in request.get("resourceArns") or []:
        _check_resource(resource, caller, region)
    for principal in request.get("principals") or []:
        _check_principal(principal, share)
    changed = []
    for resource in request.get("resourceArns") or []:
        existing = share["resources"].get(resource)
        changed.append(existing if existing and existing["status"] == "ASSOCIATED" else _add_resource(share, resource))
    for principal in request.get("principals") or []:
        existing = share["principals"].get(principal)
        keep = existing and existing["status"] in ("ASSOCIATED", "ASSOCIATING")
        changed.append(existing if keep else _add_principal(share, principal))
    share["updated"] = _now()
    answer = {"resourceShareAssociations": [_assoc_view(share, a) for a in changed]}
    if request.get("clientToken"):
        answer["clientToken"] = request["clientToken"]
    return answer


def _disassociate(share: dict, assoc: dict) -> None:
    if assoc["status"] in ("DISASSOCIATED",):
        return
    assoc["status"], assoc["updated"] = "DISASSOCIATING", _now()
    if assoc["type"] == "PRINCIPAL":
        for invitation in _invitations.values():
            if invitation["share"] == share["arn"] and invitation["receiver"] == assoc["entity"] and invitation["status"] == "PENDING":
                invitation["status"] = "SUPERSEDED"


def _disassociate_resource_share(caller: str, region: str, request: dict) -> dict:
    share = _live_share(caller, region, request.get("resourceShareArn"))
    _settle(share)
    changed = []
    for resource in request.get("resourceArns") or []:
        assoc = share["resources"].get(resource)
        if assoc is None:
            raise RamError("UnknownResourceException", f"ResourceArn {resource} is not associated with {share['arn']}.")
        _disassociate(share, assoc)
        changed.append(assoc)
    for principal in request.get("principals") or []:
        assoc = share["principals"].get(principal)
        if assoc is None:
            raise RamError("UnknownResourceException", f"Principal {principal} is not associated with {share['arn']}.")
        _disassociate(share, assoc)
        changed.append(assoc)
    share["updated"] = _now()
    answer = {"resourceShareAssociations": [_assoc_view(share, a) for a in changed]}
    if request.get("clientToken"):
        answer["clientToken"] = request["clientToken"]
    return answer


def _delete_resource_share(caller: str, region: str, request: dict) -> dict:
    share = _owned_share(caller, region, request.get("resourceShareArn"))
    if share["status"] == "DELETED":
        raise RamError("InvalidStateTransitionException", f"The resource share {share['arn']} is already deleted.")
    for group in (share["principals"], share["resources"]):
        for assoc in group.values():
            _disassociate(share, assoc)
    share["status"], share["updated"] = "DELETED", _now()
    answer: dict[str, Any] = {"returnValue": True}
    if request.get("clientToken"):
        answer["clientToken"] = request["clientToken"]
    return answer


def _update_resource_share(caller: str, region: str, request: dict) -> dict:
    share = _live_share(caller, region, request.get("resourceShareArn"))
    if "name" in request and request["name"]:
        share["name"] = request["name"]
    if "allowExternalPrincipals" in request:
        share["allow_external"] = bool(request["allowExternalPrincipals"])
    share["updated"] = _now()
    return {"resourceShare": _share_view(share)}


def _tag_resource(caller: str, region: str, request: dict) -> dict:
    share = _owned_share(caller, region, request.get("resourceShareArn") or request.get("resourceArn"))
    for tag in request.get("tags") or []:
        share["tags"][tag.get("key")] = tag.get("value", "")
    return {}


def _untag_resource(caller: str, region: str, request: dict) -> dict:
    share = _owned_share(caller, region, request.get("resourceShareArn") or request.get("resourceArn"))
    for key in request.get("tagKeys") or []:
        share["tags"].pop(key, None)
    return {}


# --------------------------------------------------------------------------------------
# Invitations (R21.11)
# --------------------------------------------------------------------------------------


def _visible_invitations(caller: str, region: str) -> list[dict]:
    return [
        i for i in _invitations.values()
        if i["receiver"] == caller and i["status"] != "SUPERSEDED" and _shares[i["share"]]["region"] == region and _shares[i["share"]]["status"] == "ACTIVE"
    ]


def _get_resource_share_invitations(caller: str, region: str, request: dict) -> dict:
    visible = _visible_invitations(caller, region)
    wanted = request.get("resourceShareInvitationArns") or []
    known = {i["arn"] for i in visible}
    for arn in wanted:
        if arn not in known:
            raise RamError("ResourceShareInvitationArnNotFoundException", f"ResourceShareInvitationArn {arn} could not be found.")
    shares = request.get("resourceShareArns") or []
    found = [_invitation_view(i) for i in visible if (not wanted or i["arn"] in wanted) and (not shares or i["share"] in shares)]
    return {"resourceShareInvitations": found}


def _invitation_for(caller: str, region: str, arn: Any) -> dict:
    invitation = next((i for i in _visible_invitations(caller, region) if i["arn"] == arn), None)
    if invitation is None:
        raise RamError("ResourceShareInvitationArnNotFoundException", f"ResourceShareInvitationArn {arn} could not be found.")
    status = invitation["status"]
    if status == "ACCEPTED":
        raise RamError("ResourceShareInvitationAlreadyAcceptedException", f"The invitation {arn} was already accepted.")
    if status == "REJECTED":
        raise RamError("ResourceShareInvitationAlreadyRejectedException", f"The invitation {arn} was already rejected.")
    if status == "EXPIRED":
        raise RamError("ResourceShareInvitationExpiredException", f"The invitation {arn} has expired.")
    return invitation


def _answer_invitation(caller: str, region: str, request: dict, accept: bool) -> dict:
    invitation = _invitation_for(caller, region, request.get("resourceShareInvitationArn"))
    share = _shares[invitation["share"]]
    invitation["status"] = "ACCEPTED" if accept else "REJECTED"
    assoc = share["principals"].get(caller)
    if assoc is not None and assoc["status"] == "ASSOCIATING":
        if accept:
            assoc["status"], assoc["message"] = "ASSOCIATED", None
        else:
            assoc["status"], assoc["message"] = "FAILED", "The invitation was rejected."
        assoc["updated"] = _now()
    answer = {"resourceShareInvitation": _invitation_view(invitation)}
    if request.get("clientToken"):
        answer["clientToken"] = request["clientToken"]
    return answer


def _resource_view(share: dict, assoc: dict) -> dict:
    return {
        "arn": assoc["entity"],
        "type": _resource_type(assoc["entity"]),
        "resourceShareArn": share["arn"],
        "status": "AVAILABLE",
        "creationTime": assoc["created"],
        "lastUpdatedTime": assoc["updated"],
        "resourceRegionScope": "REGIONAL",
    }


def _list_pending_invitation_resources(caller: str, region: str, request: dict) -> dict:
    invitation = next((i for i in _visible_invitations(caller, region) if i["arn"] == request.get("resourceShareInvitationArn")), None)
    if invitation is None:
        raise RamError("ResourceShareInvitationArnNotFoundException", f"ResourceShareInvitationArn {request.get('resourceShareInvitationArn')} could not be found.")
    share = _shares[invitation["share"]]
    _settle(share)
    return {"resources": [_resource_view(share, a) for a in share["resources"].values() if a["status"] == "ASSOCIATED"]}


def _list_resources(caller: str, region: str, request: dict) -> dict:
    owner = request.get("resourceOwner")
    if owner not in ("SELF", "OTHER-ACCOUNTS"):
        raise RamError("InvalidParameterException", "resourceOwner must be SELF or OTHER-ACCOUNTS.")
    found = []
    for share in _shares.values():
        if share["region"] != region:
            continue
        _settle(share)
        if owner == "SELF" and share["owner"] != caller:
            continue
        if owner == "OTHER-ACCOUNTS" and (share["owner"] == caller or not _received(share, caller)):
            continue
        if request.get("resourceShareArns") and share["arn"] not in request["resourceShareArns"]:
            continue
        if request.get("principal") and request["principal"] not in share["principals"]:
            continue
        for assoc in share["resources"].values():
            if assoc["status"] != "ASSOCIATED":
                continue
            view = _resource_view(share, assoc)
            if request.get("resourceType") and view["type"].lower() != request["resourceType"].lower():
                continue
            if request.get("resourceArns") and assoc["entity"] not in request["resourceArns"]:
                continue
            found.append(view)
    return {"resources": found}


def _enable_sharing_with_aws_organization(caller: str, region: str, request: dict) -> dict:
    if org_model._management_of(caller) != caller:
        raise RamError("OperationNotPermittedException", "Only the management account of an organization can enable sharing with it.")
    _org_sharing.add(caller)
    return {"returnValue": True}


# --------------------------------------------------------------------------------------
# Questions from other models
# --------------------------------------------------------------------------------------


def shared_with(resource_arn: str, owner: str, region: str, account: str) -> bool:
    """R21.11: whether ``account`` may use the owner's resource now: a live share of the owner,
    in that Region, holds the resource (ASSOCIATED) and reached the account (accepted)."""
    with _lock:
        for share in _shares.values():
            if share["owner"] != owner or share["region"] != region or share["status"] != "ACTIVE":
                continue
            _settle(share)
            resource = share["resources"].get(resource_arn)
            if resource is not None and resource["status"] == "ASSOCIATED" and _received(share, account):
                return True
    return False


def resource_deleted(resource_arn: str) -> None:
    """The resource is gone: the shares holding it drop it."""
    with _lock:
        for share in _shares.values():
            assoc = share["resources"].get(resource_arn)
            if assoc is not None and assoc["status"] in ("ASSOCIATING", "ASSOCIATED"):
                assoc["status"], assoc["updated"] = "DISASSOCIATED", _now()


def expire(invitation_arn: str | None = None, share_arn: str | None = None) -> dict:
    """Control: the pending invitation (or every pending one of a share) is ``EXPIRED``."""
    with _lock:
        hit = []
        for invitation in _invitations.values():
            if invitation["status"] != "PENDING":
                continue
            if invitation["arn"] == invitation_arn or (share_arn and invitation["share"] == share_arn):
                invitation["status"] = "EXPIRED"
                assoc = _shares[invitation["share"]]["principals"].get(invitation["receiver"])
                if assoc is not None and assoc["status"] == "ASSOCIATING":
                    assoc["status"], assoc["message"], assoc["updated"] = "FAILED", "The invitation expired.", _now()
                hit.append(invitation["arn"])
        if not hit:
            return {"error": f"no pending invitation {invitation_arn or share_arn}"}
        return {"expired": hit}


def dump() -> dict:
    with _lock:
        shares = []
        for share in _shares.values():
            view = _share_view(share)
            view["region"] = share["region"]
            view["principals"] = [_assoc_view(share, a) for a in share["principals"].values()]
            view["resources"] = [_assoc_view(share, a) for a in share["resources"].values()]
            shares.append(view)
        invitations = [_invitation_view(i) for i in _invitations.values() if i["status"] != "SUPERSEDED"]
        return {"shares": shares, "invitations": invitations}


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------

_HANDLERS: dict[str, Callable[[str, str, dict], dict]] = {
    "CreateResourceShare": _create_resource_share,
    "GetResourceShares": _get_resource_shares,
    "GetResourceShareAssociations": _get_resource_share_associations,
    "AssociateResourceShare": _associate_resource_share,
    "DisassociateResourceShare": _disassociate_resource_share,
    "DeleteResourceShare": _delete_resource_share,
    "UpdateResourceShare": _update_resource_share,
    "GetResourceShareInvitations": _get_resource_share_invitations,
    "AcceptResourceShareInvitation": lambda c, r, q: _answer_invitation(c, r, q, True),
    "RejectResourceShareInvitation": lambda c, r, q: _answer_invitation(c, r, q, False),
    "ListPendingInvitationResources": _list_pending_invitation_resources,
    "ListResources": _list_resources,
    "TagResource": _tag_resource,
    "UntagResource": _untag_resource,
    "EnableSharingWithAwsOrganization": _enable_sharing_with_aws_organization,
}


def _service(environ) -> str:
    try:
        return environ.get("HTTP_AUTHORIZATION", "").split("Credential=")[1].split("/")[3]
    except IndexError:
        return ""


def _region(environ) -> str:
    try:
        return environ.get("HTTP_AUTHORIZATION", "").split("Credential=")[1].split("/")[2]
    except IndexError:
        return "us-east-1"


def operation_of(environ) -> str:
    """The RAM operation of a REST-JSON request (method + path), or ""."""
    if _service(environ) != "ram":
        return ""
    return _OPERATIONS.get((environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "").rstrip("/") or "/"), "")


def intercept(environ, body: bytes) -> Answer | None:
    """RAM's answer to the calls this module models, else None (moto answers)."""
    operation = operation_of(environ)
    handler = _HANDLERS.get(operation)
    if handler is None:
        return None
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    try:
        request = json.loads(body) if body.strip() else {}
    except ValueError:
        return error_answer("InvalidParameterException", "The request body is not valid JSON.")
    if not isinstance(request, dict):
        return error_answer("InvalidParameterException", "The request body is not a JSON object.")
    request.update(query)
    caller, _ = org_model._caller(environ, {})
    try:
        with _lock:
            return _json(200, handler(caller, _region(environ), request))
    except RamError as error:
        return error_answer(error.code, error.message)
