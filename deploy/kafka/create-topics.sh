#!/bin/bash
# Creates the topics of repro's catalog (dev.repro.topics.TopicId) on a Kafka cluster, once, with
# the catalog's cleanup policy and retention, the same partition count for every topic (the
# partitioning of the typed topics relies on it), replication factor 3 and min.insync.replicas 2.
# Topics that already exist are left as they are.
#
# docker-compose runs it in the `topics` service (the apache/kafka image, which has the tools)
# before any app starts. By hand, with the Kafka tools on PATH or in KAFKA_BIN:
#   REPRO_BOOTSTRAP_SERVERS=kafka-1:9092 deploy/kafka/create-topics.sh
#
# Settings (environment): REPRO_BOOTSTRAP_SERVERS (required), REPRO_TOPIC_PREFIX (repro.),
# REPRO_TOPIC_PARTITIONS (6), REPRO_TOPIC_REPLICATION_FACTOR (3), REPRO_TOPIC_MIN_INSYNC_REPLICAS (2),
# REPRO_ADMIN_CLIENT_CONFIG: a client properties file for a secured cluster (security.protocol,
# sasl.*, ssl.*) of a principal allowed to create topics; used when the file exists.
set -euo pipefail

bootstrap="${REPRO_BOOTSTRAP_SERVERS:?set REPRO_BOOTSTRAP_SERVERS, e.g. kafka-1:9092,kafka-2:9092,kafka-3:9092}"
prefix="${REPRO_TOPIC_PREFIX:-repro.}"
partitions="${REPRO_TOPIC_PARTITIONS:-6}"
replication="${REPRO_TOPIC_REPLICATION_FACTOR:-3}"
min_isr="${REPRO_TOPIC_MIN_INSYNC_REPLICAS:-2}"
admin_config="${REPRO_ADMIN_CLIENT_CONFIG:-/etc/repro/secrets/admin.properties}"
kafka_bin="${KAFKA_BIN:-/opt/kafka/bin}"
topics_tool="$kafka_bin/kafka-topics.sh"
[ -x "$topics_tool" ] || topics_tool="kafka-topics.sh"

# The catalog: topic name without the prefix, cleanup.policy, retention in days (- for compacted).
# DeploymentFilesTest fails when this table and dev.repro.topics.TopicId disagree.
catalog=(
  "events.archive      delete   365"
  "events.builds       delete   7"
  "events.deployments  delete   7"
  "events.desired      compact  -"
  "events.runs         delete   7"
  "events.tests        delete   7"
  "events.rejected     delete   7"
  "deadletter          delete   7"
  "verdicts.rebuild    compact  -"
  "verdicts.replay     compact  -"
  "drift               compact  -"
  "sli                 compact  -"
  "alerts              compact  -"
)

client_args=()
if [ -f "$admin_config" ]; then
  client_args=(--command-config "$admin_config")
fi

for entry in "${catalog[@]}"; do
  read -r suffix cleanup retention_days <<<"$entry"
  configs=(--config "cleanup.policy=$cleanup" --config "min.insync.replicas=$min_isr")
  if [ "$retention_days" != "-" ]; then
    configs+=(--config "retention.ms=$((retention_days * 86400000))")
  fi
  "$topics_tool" --bootstrap-server "$bootstrap" "${client_args[@]}" --create --if-not-exists \
    --topic "$prefix$suffix" --partitions "$partitions" --replication-factor "$replication" "${configs[@]}"
done

echo "repro: the $((${#catalog[@]})) topics under '$prefix' exist (replication factor $replication, min.insync.replicas $min_isr)"
