"""AWS's rules for an SSH bastion host that moto 5.2.5 does not follow, modelled from AWS's documentation.

Each behaviour cites its rule in ``docs/aws-rules.md`` (R20, with the AWS page it comes from). moto
launches anything (any instance type, an AMI of the wrong architecture or none at all, 17 KB of
user data, ``HttpTokens=bogus``), leaves an instance launched with a network interface without
security groups, always answers GetConsoleOutput with the same 2006 Xen boot text (no SSH host
keys in it), lets any security group be deleted whatever uses it, terminates an instance at once
and fails a second TerminateInstances of it. Importing this module replaces moto's EC2 handlers for
these calls (as ``network_model`` does for endpoint connections):

* **RunInstances** (R20.2-R20.5): ``MetadataOptions`` values are checked (``HttpTokens`` optional |
  required, ``HttpEndpoint`` enabled | disabled, ``HttpPutResponseHopLimit`` 1-64); user data over
  16384 bytes before base64 is refused; the instance type must exist, be offered in the subnet's
  Availability Zone (moto's own offerings data) and support the AMI's architecture; the AMI must
  exist; the network interface's security groups must exist and be in the subnet's VPC. The same
  ``ClientToken`` with the same parameters answers the first launch's reservation again (nothing new
  is launched); with other parameters, ``IdempotentParameterMismatch``.
* **Security groups of the instance** (R20.3): an instance launched with a network interface shows
  the interface's groups in ``SecurityGroups`` (and so matches ``instance.group-id`` filters).
* **GetConsoleOutput** (R20.6, R20.7): no ``Output`` for the first N calls per instance (default 1:
  :func:`set_console`), then an Amazon Linux 2023 boot log with cloud-init's host-key block, as AWS
  documents it (``ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----`` …, then the ``KEYS`` block). The
  keys are real (an ECDSA P-256 and an Ed25519 key made per instance at launch), so the printed
  fingerprints are the true SHA256 fingerprints of the printed keys; :func:`host_keys` gives them to
  a test. Options: no block at all (an image that prints none), LF instead of CRLF line ends, the
  syslog prefix (``<14>Nov 27 01:40:00 ec2: ``) instead of ``ec2: ``; :func:`rotate_host_keys`
  gives an instance new keys (a later poll then shows different ones).
* **TerminateInstances** (R20.8): answers ``shutting-down``; the instance stays ``shutting-down`` for
  N more DescribeInstances (default 0: ``terminated`` at the next one, :func:`set_termination`).
  From then on DescribeInstances shows it with no ``SecurityGroups`` (so ``instance.group-id`` no
  longer finds it), though it still holds them until ``terminated`` (observed AWS behaviour).
  Terminating an instance that is ``shutting-down`` or ``terminated`` again succeeds and changes
  nothing (moto failed with ``InvalidNetworkInterfaceID.NotFound`` when the interface was deleted on
  termination).
* **DeleteSecurityGroup** (R20.9): ``DependencyViolation`` ("resource sg-… has a dependent object")
  while an instance that is not ``terminated`` has the group, a network interface has it, or
  another group of the same VPC has a rule referencing it; optionally for M more calls after the
  instance is ``terminated`` (its interface still being released: :func:`set_termination`).

Not modelled (only real AWS shows these): the boot time itself (``pending`` lasts no time: moto's
instance is ``running`` at once), what user data does on the instance (it is stored, never run), the
SSH server, public reachability (no internet gateway is needed for the public IP), the 64 KB limit
of the console buffer, ``Latest=false`` returning older buffered output, capacity errors
(``InsufficientInstanceCapacity``), quotas, a terminated instance's network interfaces disappearing from
DescribeInstances (moto keeps showing them), and an NLB or endpoint holding a group.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from datetime import datetime, timezone
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from moto.core.responses import ActionResult
from moto.core.types import Base64EncodedString
from moto.core.utils import utcnow
from moto.ec2.exceptions import EC2ClientError, InvalidSecurityGroupNotFoundError
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.ec2.models.instance_types import INSTANCE_TYPE_OFFERINGS, INSTANCE_TYPES
from moto.ec2.models.instances import Instance
from moto.ec2.responses import EC2Response

_lock = threading.Lock()

# R20.4: "User data is limited to 16 KB, in raw form, before it is base64-encoded."
USER_DATA_LIMIT = 16384

# --------------------------------------------------------------------------------------
# Settings (control API) and per-instance state
# --------------------------------------------------------------------------------------

_DEFAULT_CONSOLE = {"empty_calls": 1, "fingerprints": True, "crlf": True, "syslog_prefix": False}
_DEFAULT_TERMINATION = {"describes": 0, "group_holds": 0}
_console_settings: dict[str, Any] = dict(_DEFAULT_CONSOLE)
_termination_settings: dict[str, int] = dict(_DEFAULT_TERMINATION)

# instance id -> {"empty_left", "fingerprints", "crlf", "syslog_prefix", "keys", "launched"}
_instances: dict[str, dict[str, Any]] = {}
# instance id -> [instance, DescribeInstances calls left that still see "shutting-down"]
_shutting_down: dict[str, list] = {}
# instance id -> ids of the groups it had when terminated: still held while "shutting-down", though
# DescribeInstances no longer shows them (R20.8)
_held_groups: dict[str, set[str]] = {}
# instance id -> {"groups": {sg ids}, "left": DeleteSecurityGroup refusals left after "terminated"}
_releasing: dict[str, dict[str, Any]] = {}
# (account, region, client token) -> {"params": ..., "reservation": reservation id}
_client_tokens: dict[tuple[str, str, str], dict[str, Any]] = {}


def set_console(
    empty_calls: int | None = None,
    fingerprints: bool | None = None,
    crlf: bool | None = None,
    syslog_prefix: bool | None = None,
    instance: str | None = None,
) -> dict[str, Any]:
    """How GetConsoleOutput answers: for instances launched from now on, or (``instance``) for
    one already launched, whose count of empty answers starts again. Unset values are kept."""
    changes = {
        k: v
        for k, v in (("empty_calls", empty_calls), ("fingerprints", fingerprints), ("crlf", crlf), ("syslog_prefix", syslog_prefix))
        if v is not None
    }
    with _lock:
        if instance is None:
            _console_settings.update(changes)
            return dict(_console_settings)
        state = _instances.get(instance)
        if state is None:
            raise KeyError(instance)
        if "empty_calls" in changes:
            state["empty_left"] = changes.pop("empty_calls")
        state.update(changes)
        return {k: v for k, v in state.items() if k in ("empty_left", "fingerprints", "crlf", "syslog_prefix")}


def set_termination(describes: int | None = None, group_holds: int | None = None) -> dict[str, int]:
    """Instances terminated from now on stay ``shutting-down`` for ``describes`` more
    DescribeInstances calls, then hold their groups for ``group_holds`` DeleteSecurityGroup calls."""
    with _lock:
        if describes is not None:
            _termination_settings["describes"] = describes
        if group_holds is not None:
            _termination_settings["group_holds"] = group_holds
        return dict(_termination_settings)


def reset() -> None:
    with _lock:
        _console_settings.clear()
        _console_settings.update(_DEFAULT_CONSOLE)
        _termination_settings.clear()
        _termination_settings.update(_DEFAULT_TERMINATION)
        _instances.clear()
        _shutting_down.clear()
        _held_groups.clear()
        _releasing.clear()
        _client_tokens.clear()


# --------------------------------------------------------------------------------------
# Host keys (R20.7): what AL2023 generates, as `ssh-keygen -l` and the .pub files show them
# --------------------------------------------------------------------------------------


def _fingerprint(blob_b64: str) -> str:
    """OpenSSH's SHA256 fingerprint: base64 of sha256(key blob), padding trimmed."""
    digest = hashlib.sha256(base64.b64decode(blob_b64)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def _new_host_keys() -> list[dict[str, Any]]:
    """An ECDSA (nistp256) and an Ed25519 key, in /etc/ssh/ssh_host_*key.pub glob order."""
    keys = []
    for label, private in (("ECDSA", ec.generate_private_key(ec.SECP256R1())), ("ED25519", ed25519.Ed25519PrivateKey.generate())):
        public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
        key_type, blob = public.split()[:2]
        keys.append(
            {
                "type": key_type,
                "label": label,
                "bits": 256,
                "public": f"{key_type} {blob}",
                "fingerprint": _fingerprint(blob),
                "private": private.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
                ).decode(),
            }
        )
    return keys


def host_keys(instance_id: str) -> dict[str, Any] | None:
    """The instance's host keys (public line, fingerprint, private key) and whether its console
    prints them; None for an instance this model has not seen launched."""
    with _lock:
        state = _instances.get(instance_id)
        if state is None:
            return None
        return {
            "instance": instance_id,
            "printed": state["fingerprints"],
            "keys": [dict(k) for k in state["keys"]],
        }


def rotate_host_keys(instance_id: str) -> dict[str, Any] | None:
    """New host keys for the instance: its console shows them from now on."""
    with _lock:
        state = _instances.get(instance_id)
        if state is None:
            return None
        state["keys"] = _new_host_keys()
    return host_keys(instance_id)


# --------------------------------------------------------------------------------------
# Instances: state kept from launch; SecurityGroups from the network interface (R20.3)
# --------------------------------------------------------------------------------------

_moto_instance_init = Instance.__init__


def _instance_init(self, *args, **kwargs) -> None:
    _moto_instance_init(self, *args, **kwargs)
    # R20.3: an instance launched with a network interface has that interface's groups.
    nics = getattr(self, "nics", {}) or {}
    if not self.security_groups and 0 in nics:
        self.security_groups = list(nics[0]._group_set)
    with _lock:
        _instances[self.id] = {
            "empty_left": _console_settings["empty_calls"],
            "fingerprints": _console_settings["fingerprints"],
            "crlf": _console_settings["crlf"],
            "syslog_prefix": _console_settings["syslog_prefix"],
            "keys": _new_host_keys(),
            "launched": datetime.now(timezone.utc),
        }


Instance.__init__ = _instance_init


def _group_set(self) -> list:
    """moto's union of the interface's and the instance's groups, in a stable order."""
    groups = list(self._group_set)
    if self.instance and self.instance.security_groups:
        groups += [g for g in self.instance.security_groups if g not in groups]
    return groups


NetworkInterface.group_set = property(_group_set)

# --------------------------------------------------------------------------------------
# RunInstances (R20.2-R20.5)
# --------------------------------------------------------------------------------------


def _invalid(message: str) -> EC2ClientError:
    return EC2ClientError("InvalidParameterValue", message)


def _check_metadata_options(options: dict) -> None:
    """R20.5: the values InstanceMetadataOptionsRequest allows."""
    tokens = options.get("HttpTokens")
    if tokens is not None and tokens not in ("optional", "required"):
        raise _invalid(f"A value of '{tokens}' is not valid for HttpTokens. Specify either 'optional' or 'required' and try again.")
    endpoint = options.get("HttpEndpoint")
    if endpoint is not None and endpoint not in ("enabled", "disabled"):
        raise _invalid(f"A value of '{endpoint}' is not valid for HttpEndpoint. Specify either 'enabled' or 'disabled' and try again.")
    hops = options.get("HttpPutResponseHopLimit")
    if hops is not None:
        try:
            valid = 1 <= int(hops) <= 64
        except (TypeError, ValueError):
            valid = False
        if not valid:
            raise _invalid(f"A value of '{hops}' is not valid for HttpPutResponseHopLimit. Specify an integer from 1 to 64 and try again.")


def _check_user_data(encoded: str | None) -> None:
    """R20.4: at most 16384 bytes before base64 (malformed base64 is moto's own error)."""
    if not encoded:
        return
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, TypeError):
        return
    if len(raw) > USER_DATA_LIMIT:
        raise _invalid(f"User data is limited to {USER_DATA_LIMIT} bytes")


def _primary_interface(nics: list[dict]) -> dict | None:
    for nic in nics:
        if str(nic.get("DeviceIndex", "")) == "0":
            return nic
    return None


def _check_launch(self) -> None:
    backend = self.ec2_backend
    _check_metadata_options(self._get_param("MetadataOptions", {}) or {})
    _check_user_data(self._get_param("UserData"))

    instance_type = self._get_param("InstanceType")
    if instance_type is not None and instance_type not in INSTANCE_TYPES:
        raise _invalid(f"Invalid value '{instance_type}' for InstanceType.")

    image_id = self._get_param("ImageId")
    image = None
    if image_id:
        image = backend.describe_images(ami_ids=[image_id])[0]  # InvalidAMIID.NotFound if unknown

    # R20.2: the instance type must support the AMI's architecture.
    if instance_type and image is not None:
        archs = INSTANCE_TYPES[instance_type]["ProcessorInfo"]["SupportedArchitectures"]
        if image.architecture not in archs:
            raise _invalid(
                f"The architecture '{','.join(sorted(archs, reverse=True))}' of the specified instance type does not match "
                f"the architecture '{image.architecture}' of the specified AMI. Specify an instance type and an AMI that have "
                "matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover "
                "the architecture of the instance type or AMI."
            )

    nics = self._get_param("NetworkInterfaces", []) or []
    primary = _primary_interface(nics) or {}
    subnet_id = primary.get("SubnetId") or self._get_param("SubnetId")
    subnet = None
    if subnet_id:
        try:
            subnet = backend.get_subnet(subnet_id)
        except EC2ClientError:
            subnet = None  # moto answers InvalidSubnetID.NotFound itself

    # R20.2: offered in the Availability Zone of the subnet (or of Placement).
    zone = subnet.availability_zone if subnet is not None else self._get_param("Placement.AvailabilityZone")
    offers = INSTANCE_TYPE_OFFERINGS["availability-zone"].get(self.region)
    if instance_type and zone and offers:
        zones = sorted({o["Location"] for o in offers if o["InstanceType"] == instance_type})
        if not zones:
            raise EC2ClientError(
                "Unsupported", "The requested configuration is currently not supported. Please check the documentation for supported configurations."
            )
        if zone not in zones:
            raise EC2ClientError(
                "Unsupported",
                f"Your requested instance type ({instance_type}) is not supported in your requested Availability Zone ({zone}). "
                f"Please retry your request by not specifying an Availability Zone or choosing {', '.join(zones)}.",
            )

    # R20.3: the interface's groups exist, in the subnet's VPC (moto invents missing ones).
    group_ids = [g for nic in nics for g in (nic.get("Groups") or []) if isinstance(g, str)]
    group_ids += [g for g in self._get_param("SecurityGroupIds", []) or [] if isinstance(g, str)]
    for group_id in group_ids:
        group = backend.get_security_group_from_id(group_id)
        if group is None:
            raise InvalidSecurityGroupNotFoundError(group_id)
        if subnet is not None and group.vpc_id != subnet.vpc_id:
            raise EC2ClientError("InvalidParameter", f"Security group {group_id} and subnet {subnet.id} belong to different networks.")


_IGNORED_FOR_IDEMPOTENCY = {"Action", "Version", "ClientToken", "DryRun"}


def _request_parameters(self) -> tuple:
    return tuple(sorted((k, tuple(v)) for k, v in self.querystring.items() if k not in _IGNORED_FOR_IDEMPOTENCY))


_moto_run_instances = EC2Response.run_instances


def _run_instances(self):
    token = self._get_param("ClientToken")
    key = (self.current_account, self.region, token)
    if token:
        with _lock:
            earlier = _client_tokens.get(key)
        if earlier is not None:
            # R20.5: same token, same parameters: the first launch's answer; else a mismatch.
            if earlier["params"] != _request_parameters(self):
                raise EC2ClientError(
                    "IdempotentParameterMismatch", "Arguments on this idempotent request are inconsistent with arguments used in previous request(s)."
                )
            reservation = self.ec2_backend.reservations.get(earlier["reservation"])
            if reservation is not None:
                return ActionResult(reservation)
    _check_launch(self)
    answer = _moto_run_instances(self)
    if token and isinstance(answer, ActionResult):
        with _lock:
            _client_tokens[key] = {"params": _request_parameters(self), "reservation": answer.result.id}
    return answer


EC2Response.run_instances = _run_instances

# --------------------------------------------------------------------------------------
# GetConsoleOutput (R20.6, R20.7)
# --------------------------------------------------------------------------------------

_AMI_NAME = re.compile(r"al2023-ami-(?:minimal-)?(\d+\.\d+\.\d+)\.\d+-kernel-([\d.]+)-")
_RULER = "#" * 61


def console_text(instance, state: dict[str, Any]) -> str:
    """What an Amazon Linux 2023 instance's console shows once its first boot is done."""
    machine = "aarch64" if instance.architecture == "arm64" else "x86_64"
    release, kernel = "2023.9.20251117", "6.1"
    images = instance.ec2_backend.describe_images(filters={"image-id": instance.image_id})
    match = _AMI_NAME.search(images[0].name or "") if images else None
    if match:
        release, kernel = match.group(1), match.group(2)
    kernel_release = f"{kernel}.0-1.amzn2023.{machine}"
    booted = state["launched"]
    host = f"ip-{(instance.private_ip or '10.0.0.1').replace('.', '-')}"
    lines = [
        f"[    0.000000] Linux version {kernel_release} (mockbuild@ip-10-0-52-130) (gcc (GCC) 11.5.0 20240719 (Red Hat 11.5.0-5), "
        f"GNU ld version 2.41-50.amzn2023.0.4) #1 SMP PREEMPT_DYNAMIC {booted:%a %b %e %H:%M:%S UTC %Y}",
        f"[    0.000000] Command line: BOOT_IMAGE=(hd0,gpt1)/boot/vmlinuz-{kernel_release} root=UUID=4ab0f7c1-5b0e-4a33-9c55-2c1bb0f0d2e7 "
        "ro console=tty0 console=ttyS0,115200n8 nvme_core.io_timeout=4294967295 rd.emergency=poweroff rd.shell=0 selinux=1 security=selinux quiet",
        "[  OK  ] Finished cloud-init-local.service - Initial cloud-init job (pre-networking).",
        "[  OK  ] Finished cloud-init.service - Initial cloud-init job (metadata service crawler).",
        "[  OK  ] Reached target cloud-config.target - Cloud-config availability.",
        "[  OK  ] Finished cloud-config.service - Apply the settings specified in cloud-config.",
        "         Starting cloud-final.service - Execute cloud user/final scripts...",
    ]
    if state["fingerprints"]:
        # cloud-init's tools/write-ssh-key-fingerprints, piped to `logger -p user.info --stderr -t ec2`.
        prefix = f"<14>{booted:%b %e %H:%M:%S} ec2: " if state["syslog_prefix"] else "ec2: "
        block = ["", _RULER, "-----BEGIN SSH HOST KEY FINGERPRINTS-----"]
        block += [f"{k['bits']} {k['fingerprint']} no comment ({k['label']})" for k in state["keys"]]
        block += ["-----END SSH HOST KEY FINGERPRINTS-----", _RULER, "-----BEGIN SSH HOST KEY KEYS-----"]
        block += [k["public"] for k in state["keys"]]
        block += ["-----END SSH HOST KEY KEYS-----"]
        lines += [prefix + line for line in block]
    lines += [
        f"[   11.482913] cloud-init[1683]: Cloud-init v. 22.2.2 finished at {booted:%a, %d %b %Y %H:%M:%S} +0000. "
        "Datasource DataSourceEc2.  Up 11.46 seconds",
        "[  OK  ] Finished cloud-final.service - Execute cloud user/final scripts.",
        "[  OK  ] Reached target cloud-init.target - Cloud-init target.",
        "",
        f"Amazon Linux {release}",
        f"Kernel {kernel_release} on an {machine} (-)",
        "",
        f"{host} login: ",
    ]
    return ("\r\n" if state["crlf"] else "\n").join(lines)


def _get_console_output(self) -> ActionResult:
    instance = self.ec2_backend.get_instance(self._get_param("InstanceId"))  # InvalidInstanceID.NotFound
    result: dict[str, Any] = {"InstanceId": instance.id, "Timestamp": utcnow()}
    with _lock:
        state = _instances.get(instance.id)
        if state is not None and state["empty_left"] > 0:
            state["empty_left"] -= 1
            return ActionResult(result)  # R20.6: not posted yet: no Output at all
        state = dict(state) if state is not None else None
    if state is None:  # launched before this model was loaded: nothing to show
        return ActionResult(result)
    result["Output"] = Base64EncodedString.from_raw_string(console_text(instance, state))
    return ActionResult(result)


EC2Response.get_console_output = _get_console_output

# --------------------------------------------------------------------------------------
# TerminateInstances and DescribeInstances (R20.8)
# --------------------------------------------------------------------------------------


def _state(name: str) -> dict[str, Any]:
    return {"Code": {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}[name], "Name": name}


def _terminate_instances(self) -> ActionResult:
    ids = self._get_param("InstanceIds", [])
    self.error_on_dryrun()
    backend = self.ec2_backend
    if not ids:
        backend.terminate_instances(ids)  # moto's "No instances specified"
    instances = backend.get_multi_instances_by_id(ids)  # InvalidInstanceID.NotFound, before any change
    answers, fresh = [], []
    for instance in instances:
        current = instance.state
        if current in ("shutting-down", "terminated"):
            # R20.8: idempotent; nothing changes (moto re-deleted the deleted interface).
            answers.append({"InstanceId": instance.id, "CurrentState": _state(current), "PreviousState": _state(current)})
        else:
            answers.append({"InstanceId": instance.id, "CurrentState": _state("shutting-down"), "PreviousState": _state(current)})
            fresh.append(instance)
    if fresh:
        backend.terminate_instances([i.id for i in fresh])  # interfaces, volumes; OperationNotPermitted if protected
        from moto.autoscaling import autoscaling_backends
        from moto.elbv2 import elbv2_backends

        autoscaling_backends[self.current_account][self.region].notify_terminate_instances([i.id for i in fresh])
        elbv2_backends[self.current_account][self.region].notify_terminate_instances([i.id for i in fresh])
        with _lock:
            for instance in fresh:
                instance._state.name, instance._state.code = "shutting-down", 32
                _shutting_down[instance.id] = [instance, _termination_settings["describes"]]
                # Observed AWS: from shutting-down on, DescribeInstances shows no groups (and
                # instance.group-id no longer matches), yet the groups stay in use until terminated.
                _held_groups[instance.id] = {g.id for g in instance.security_groups}
                instance.security_groups = []
    return ActionResult({"TerminatingInstances": answers})


def _settle_terminations() -> None:
    """One DescribeInstances: shutting-down instances whose describes are used up turn terminated."""
    with _lock:
        for instance_id, entry in list(_shutting_down.items()):
            instance, left = entry
            if left > 0:
                entry[1] = left - 1
                continue
            instance._state.name, instance._state.code = "terminated", 48
            del _shutting_down[instance_id]
            groups = _held_groups.pop(instance_id, set())
            holds = _termination_settings["group_holds"]
            if holds > 0 and groups:
                _releasing[instance_id] = {"groups": groups, "left": holds}


_moto_describe_instances = EC2Response.describe_instances


def _describe_instances(self):
    _settle_terminations()
    return _moto_describe_instances(self)


EC2Response.terminate_instances = _terminate_instances
EC2Response.describe_instances = _describe_instances

# --------------------------------------------------------------------------------------
# DeleteSecurityGroup (R20.9)
# --------------------------------------------------------------------------------------


def _references(rule, group) -> bool:
    source = rule.source_group or {}
    if source.get("GroupId"):
        return source["GroupId"] == group.id
    return bool(source.get("GroupName")) and source.get("GroupName") == group.name


def dependents(backend, group) -> list[str]:
    """What keeps ``group`` from being deleted (empty: it can go)."""
    found: list[str] = []
    for instance in backend.all_instances():
        if instance.state == "terminated":
            continue
        with _lock:
            held = group.id in _held_groups.get(instance.id, ())
        if held or group in instance.security_groups or any(group in nic._group_set for nic in instance.nics.values()):
            found.append(f"instance {instance.id} ({instance.state})")
    with _lock:
        for instance_id, release in list(_releasing.items()):
            if group.id in release["groups"] and release["left"] > 0:
                release["left"] -= 1
                found.append(f"instance {instance_id}'s network interface (being released)")
            if release["left"] <= 0:
                del _releasing[instance_id]
    for eni in list(backend.enis.values()):
        if group in eni._group_set:
            found.append(f"network interface {eni.id}")
    for other in list(backend.groups.get(group.vpc_id, {}).values()):
        if other.id != group.id and any(_references(r, group) for r in list(other.ingress_rules) + list(other.egress_rules)):
            found.append(f"a rule of {other.id}")
    return found


_moto_delete_security_group = EC2Response.delete_security_group


def _delete_security_group(self):
    backend = self.ec2_backend
    group_id, name = self._get_param("GroupId"), self._get_param("GroupName")
    group = backend.get_security_group_from_id(group_id) if group_id else None
    if group is None and not group_id and name:
        group = backend.get_security_group_from_name(name)
    if group is not None and dependents(backend, group):
        self.error_on_dryrun()
        raise EC2ClientError("DependencyViolation", f"resource {group.id} has a dependent object")
    return _moto_delete_security_group(self)


EC2Response.delete_security_group = _delete_security_group

__all__ = [
    "console_text",
    "dependents",
    "host_keys",
    "reset",
    "rotate_host_keys",
    "set_console",
    "set_termination",
]
