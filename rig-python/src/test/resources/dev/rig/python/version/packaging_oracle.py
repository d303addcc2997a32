"""Answers version, specifier and marker questions with the packaging library pip vendors.

Reads a JSON object {"versions": [...], "checks": [[specifiers, version], ...],
"markers": [[marker, environment], ...]} and writes a JSON object with the normalized versions in
sorted order, for each check whether the version matches with pre-releases allowed and under the
default pre-release rule, each set's filter of all versions, and each marker's value.
"""
import json
import sys

from pip._vendor.packaging.markers import Marker
from pip._vendor.packaging.specifiers import SpecifierSet
from pip._vendor.packaging.version import Version

question = json.load(open(sys.argv[1]))
versions = [Version(v) for v in question["versions"]]
answer = {
    "normalized": [str(v) for v in versions],
    "sorted": [str(v) for v in sorted(versions)],
    "checks": [],
    "filters": [],
    "markers": [],
}
for specifiers, version in question["checks"]:
    spec = SpecifierSet(specifiers)
    answer["checks"].append(
        [spec.contains(Version(version), prereleases=True), spec.contains(Version(version))]
    )
for specifiers in question["filters"]:
    answer["filters"].append([str(v) for v in SpecifierSet(specifiers).filter(versions)])
for marker, environment in question["markers"]:
    answer["markers"].append(Marker(marker).evaluate(environment))
json.dump(answer, sys.stdout)
