#!/bin/bash
# Grants each repro app the ACLs it needs on a cluster with an authorizer, and nothing more:
# the table in README.md, "Production deployment". Idempotent: adding an ACL that exists is a no-op.
#
# Run it once as a Kafka administrator, after the topics exist, e.g. in the compose file's
# `topics` container (which mounts deploy/kafka/ at /opt/repro):
#   docker-compose run --rm --entrypoint /bin/bash topics /opt/repro/create-acls.sh
#
# Settings (environment): REPRO_BOOTSTRAP_SERVERS (required), REPRO_TOPIC_PREFIX (repro.),
# REPRO_ADMIN_CLIENT_CONFIG: the administrator's client properties (default
# /etc/repro/secrets/admin.properties; used when the file exists), and the principal of each app:
# REPRO_PRINCIPAL_INGEST (User:repro-ingest), REPRO_PRINCIPAL_VERIFIER, REPRO_PRINCIPAL_DRIFT_DETECTOR,
# REPRO_PRINCIPAL_SLI_AGGREGATOR, REPRO_PRINCIPAL_ALERT_FORWARDER (likewise User:repro-<app>),
# REPRO_ALERTS_GROUP_ID (repro-alert-forwarder, the forwarder's consumer group).
set -euo pipefail

bootstrap="${REPRO_BOOTSTRAP_SERVERS:?set REPRO_BOOTSTRAP_SERVERS, e.g. kafka-1:9092,kafka-2:9092,kafka-3:9092}"
prefix="${REPRO_TOPIC_PREFIX:-repro.}"
admin_config="${REPRO_ADMIN_CLIENT_CONFIG:-/etc/repro/secrets/admin.properties}"
kafka_bin="${KAFKA_BIN:-/opt/kafka/bin}"
acls_tool="$kafka_bin/kafka-acls.sh"
[ -x "$acls_tool" ] || acls_tool="kafka-acls.sh"

client_args=()
if [ -f "$admin_config" ]; then
  client_args=(--command-config "$admin_config")
fi

acl() {
  "$acls_tool" --bootstrap-server "$bootstrap" "${client_args[@]}" --add "$@" > /dev/null
}

# topics TOPIC...: the tool's arguments naming <prefix>TOPIC for each, one tool run for them all.
topics() {
  topic_args=()
  for topic in "$@"; do
    topic_args+=(--topic "$prefix$topic")
  done
}

# reads PRINCIPAL TOPIC...: READ implies DESCRIBE.
reads() {
  local principal="$1"; shift
  topics "$@"
  acl --allow-principal "$principal" --operation Read "${topic_args[@]}"
}

# writes PRINCIPAL TOPIC...: WRITE implies DESCRIBE, and lets an idempotent producer get its
# producer id (since Kafka 2.8 no cluster-wide IDEMPOTENT_WRITE is needed).
writes() {
  local principal="$1"; shift
  topics "$@"
  acl --allow-principal "$principal" --operation Write "${topic_args[@]}"
}

# owns PRINCIPAL NAME: what a Kafka Streams application id <prefix><NAME> names: its internal topics
# <prefix><NAME>-…-changelog and -repartition (created, read, written and trimmed by the app), its
# transactional ids <prefix><NAME>-… (exactly-once) and its consumer group <prefix><NAME>. Topics and
# transactional ids are matched on <prefix><NAME>- with the dash, so that <prefix><NAME>2 or
# <prefix><NAME>s (another app's name, a topic beside the catalog) is not included.
owns() {
  local principal="$1" name="$prefix$2"
  acl --allow-principal "$principal" --operation All --topic "$name-" --resource-pattern-type prefixed
  acl --allow-principal "$principal" --operation Read --group "$name" --resource-pattern-type prefixed
  acl --allow-principal "$principal" --operation Write --operation Describe \
    --transactional-id "$name-" --resource-pattern-type prefixed
}

ingest="${REPRO_PRINCIPAL_INGEST:-User:repro-ingest}"
verifier="${REPRO_PRINCIPAL_VERIFIER:-User:repro-verifier}"
drift="${REPRO_PRINCIPAL_DRIFT_DETECTOR:-User:repro-drift-detector}"
sli="${REPRO_PRINCIPAL_SLI_AGGREGATOR:-User:repro-sli-aggregator}"
forwarder="${REPRO_PRINCIPAL_ALERT_FORWARDER:-User:repro-alert-forwarder}"

# ingest: the archive writer (transactional ids <prefix>ingest-1, -2, …) and the router
# (application id <prefix>ingest-router), which derives the typed topics from the archive.
reads "$ingest" events.archive
writes "$ingest" events.archive events.rejected events.builds events.deployments events.desired \
  events.runs events.tests deadletter
owns "$ingest" ingest

# verifier (application id <prefix>verifier)
reads "$verifier" events.builds events.runs
writes "$verifier" verdicts.rebuild verdicts.replay deadletter
owns "$verifier" verifier

# drift-detector (application id <prefix>drift-detector)
reads "$drift" events.deployments events.desired
writes "$drift" drift deadletter
owns "$drift" drift-detector

# sli-aggregator (application id <prefix>sli-aggregator)
reads "$sli" events.builds events.runs events.tests verdicts.rebuild verdicts.replay drift
writes "$sli" sli alerts deadletter
owns "$sli" sli-aggregator

# alert-forwarder: a plain consumer group, and an idempotent (not transactional) producer for
# the alerts a target refused.
reads "$forwarder" alerts
writes "$forwarder" deadletter
acl --allow-principal "$forwarder" --operation Read --group "${REPRO_ALERTS_GROUP_ID:-repro-alert-forwarder}"

echo "repro: ACLs granted for the topics under '$prefix'"
