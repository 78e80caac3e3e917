"""Test-only: lints policy documents with parliament (an IAM policy linter no one in this
project wrote), community auditors included, so tests compare VendorLink's own view of its
policies with an independent one.

stdin:  [{"name": "...", "policy": "<JSON text>"}]
stdout: [{"name": "...", "findings": [{"issue", "severity", "method"}]}]
        (method: the escalation method of a PRIVILEGE_ESCALATION finding, else null)
"""

import json
import sys

from parliament import analyze_policy_string, config


def severity(issue: str) -> str:
    return str(config.get(issue, {}).get("severity", "UNKNOWN")).upper()


def main() -> None:
    out = []
    for item in json.load(sys.stdin):
        policy = analyze_policy_string(item["policy"], include_community_auditors=True)
        findings = []
        for finding in policy.findings:
            location = finding.location if isinstance(finding.location, dict) else {}
            findings.append({"issue": finding.issue, "severity": severity(finding.issue), "method": location.get("type")})
        out.append({"name": item["name"], "findings": findings})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
