#!/usr/bin/env bash
# GENERATED from each service's and tool's KafkaAccess declaration (tapipeline.platform.kafka.access):
# do not edit. Regenerate with: bin/kafka-acls-script
#
# Creates one SCRAM user per principal and grants it exactly the Kafka ACLs its code needs, on a
# cluster with SASL/SCRAM and an authorizer (KRaft: StandardAuthorizer). Run it as the cluster's admin
# (a super user, who also creates the topics: tapipeline.app.CreateTopics). It may be run again:
# --add and --alter of what exists change nothing. It removes nothing (kafka-acls.sh --remove does).
#
#   BOOTSTRAP_SERVERS  the brokers, host:port[,host:port...]
#   ADMIN_CONFIG       the admin's client properties file (security.protocol, sasl.mechanism, sasl.jaas.config)
#   KAFKA_BIN          where kafka-acls.sh and kafka-configs.sh are (default /opt/kafka/bin, as in apache/kafka)
#   SCRAM_MECHANISM    SCRAM-SHA-512 (default) or SCRAM-SHA-256, as the brokers' sasl.enabled.mechanisms
#   SKIP_USERS=1       only the ACLs (the users exist already, e.g. their passwords are managed elsewhere)
#   <NAME>_KAFKA_PASSWORD  each principal's password (from a secret store, never from this file):
#     COORDINATOR_KAFKA_PASSWORD   User:coordinator  91 bindings  coordinator service: data, runs, review, approval
#     HANDBOOK_KAFKA_PASSWORD      User:handbook     21 bindings  handbook service: renders program handbooks
#     MONITOR_KAFKA_PASSWORD       User:monitor      131 bindings  monitor: cluster view, dead-letter redrive
#     OFFERS_KAFKA_PASSWORD        User:offers       28 bindings  offers service: offers to TAs, answers, reminders, expiry
#     OPERATOR_KAFKA_PASSWORD      User:operator     10 bindings  bin/solver submit and cancel (operators' command line)
#     PUBLISHER_KAFKA_PASSWORD     User:publisher    35 bindings  publisher service: the public site and its links
#     SOLVER_KAFKA_PASSWORD        User:solver       26 bindings  solver service: solves requested runs
set -euo pipefail
: "${BOOTSTRAP_SERVERS:?set BOOTSTRAP_SERVERS to the brokers (host:port,...)}"
: "${ADMIN_CONFIG:?set ADMIN_CONFIG to the client properties file of the cluster admin}"
export PATH="${KAFKA_BIN:-/opt/kafka/bin}:$PATH"
mechanism="${SCRAM_MECHANISM:-SCRAM-SHA-512}"

if [[ "${SKIP_USERS:-}" != 1 ]]; then
  # every password is checked before anything changes
  for var in COORDINATOR_KAFKA_PASSWORD HANDBOOK_KAFKA_PASSWORD MONITOR_KAFKA_PASSWORD OFFERS_KAFKA_PASSWORD OPERATOR_KAFKA_PASSWORD PUBLISHER_KAFKA_PASSWORD SOLVER_KAFKA_PASSWORD; do
    if [[ -z "${!var:-}" ]]; then echo "$var is not set (or SKIP_USERS=1)" >&2; exit 2; fi
    case "${!var}" in *[],=]*) echo "$var: kafka-configs cannot take a password with , = or ]" >&2; exit 2;; esac
  done
  kafka-configs.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --alter --entity-type users --entity-name coordinator --add-config "$mechanism=[password=${COORDINATOR_KAFKA_PASSWORD}]"
  kafka-configs.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --alter --entity-type users --entity-name handbook --add-config "$mechanism=[password=${HANDBOOK_KAFKA_PASSWORD}]"
  kafka-configs.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --alter --entity-type users --entity-name monitor --add-config "$mechanism=[password=${MONITOR_KAFKA_PASSWORD}]"
  kafka-configs.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --alter --entity-type users --entity-name offers --add-config "$mechanism=[password=${OFFERS_KAFKA_PASSWORD}]"
  kafka-configs.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --alter --entity-type users --entity-name operator --add-config "$mechanism=[password=${OPERATOR_KAFKA_PASSWORD}]"
  kafka-configs.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --alter --entity-type users --entity-name publisher --add-config "$mechanism=[password=${PUBLISHER_KAFKA_PASSWORD}]"
  kafka-configs.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --alter --entity-type users --entity-name solver --add-config "$mechanism=[password=${SOLVER_KAFKA_PASSWORD}]"
fi

# coordinator: coordinator service: data, runs, review, approval
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:coordinator \
   --operation Read --operation Write --operation Describe \
   --topic assignment.approved \
   --topic assignment.approved.dlq \
   --topic assignment.run.cancel \
   --topic assignment.run.cancel.dlq \
   --topic assignment.run.completed.dlq \
   --topic assignment.run.progress.dlq \
   --topic assignment.run.requested \
   --topic assignment.run.requested.dlq \
   --topic assignment.run.status.dlq \
   --topic audit \
   --topic audit.dlq \
   --topic coordinator.accounts \
   --topic coordinator.accounts.dlq \
   --topic coordinator.datasets \
   --topic coordinator.datasets.dlq \
   --topic coordinator.scenarios \
   --topic coordinator.scenarios.dlq \
   --topic handbook.content \
   --topic handbook.content.dlq \
   --topic handbook.rendered.dlq \
   --topic offers.state.dlq \
   --topic site.links.dlq
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:coordinator \
   --operation Read --operation Describe \
   --topic assignment.run.completed \
   --topic assignment.run.explanations \
   --topic assignment.run.progress \
   --topic assignment.run.status \
   --topic handbook.rendered \
   --topic offers.answered \
   --topic offers.state \
   --topic site.links
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:coordinator \
   --operation Write --operation Describe \
   --topic offers.answered.dlq
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:coordinator \
   --operation Read \
   --group coordinator-proposals
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:coordinator \
   --operation Write --operation Describe \
   --transactional-id coordinator-content-writer \
   --transactional-id coordinator-datasets-writer \
   --transactional-id coordinator-scenarios-writer

# handbook: handbook service: renders program handbooks
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:handbook \
   --operation Read --operation Describe \
   --topic assignment.approved \
   --topic handbook.content
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:handbook \
   --operation Read --operation Write --operation Describe \
   --topic assignment.approved.dlq \
   --topic handbook.content.dlq \
   --topic handbook.rendered \
   --topic handbook.rendered.dlq
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:handbook \
   --operation Write --operation Describe \
   --topic handbook.artifacts
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:handbook \
   --operation Read \
   --group handbook-render
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:handbook \
   --operation Write --operation Describe --resource-pattern-type prefixed \
   --transactional-id handbook-renderer-

# monitor: monitor: cluster view, dead-letter redrive
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:monitor \
   --operation Read --operation Write --operation Describe --operation DescribeConfigs \
   --topic assignment.approved \
   --topic assignment.run.cancel \
   --topic assignment.run.checkpoint \
   --topic assignment.run.completed \
   --topic assignment.run.explanations \
   --topic assignment.run.progress \
   --topic assignment.run.requested \
   --topic assignment.run.status \
   --topic audit \
   --topic audit.dlq \
   --topic coordinator.accounts \
   --topic coordinator.accounts.dlq \
   --topic coordinator.datasets \
   --topic coordinator.scenarios \
   --topic handbook.artifacts \
   --topic handbook.content \
   --topic handbook.rendered \
   --topic offers.answered \
   --topic offers.state \
   --topic site.links
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:monitor \
   --operation Read --operation Describe --operation DescribeConfigs \
   --topic assignment.approved.dlq \
   --topic assignment.run.cancel.dlq \
   --topic assignment.run.checkpoint.dlq \
   --topic assignment.run.completed.dlq \
   --topic assignment.run.explanations.dlq \
   --topic assignment.run.progress.dlq \
   --topic assignment.run.requested.dlq \
   --topic assignment.run.status.dlq \
   --topic coordinator.datasets.dlq \
   --topic coordinator.scenarios.dlq \
   --topic handbook.artifacts.dlq \
   --topic handbook.content.dlq \
   --topic handbook.rendered.dlq \
   --topic offers.answered.dlq \
   --topic offers.state.dlq \
   --topic site.links.dlq
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:monitor \
   --operation Describe \
   --group '*'
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:monitor \
   --operation Read \
   --group tapipeline-monitor-reader
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:monitor \
   --operation Describe \
   --cluster

# offers: offers service: offers to TAs, answers, reminders, expiry
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:offers \
   --operation Read --operation Describe \
   --topic assignment.approved \
   --topic coordinator.accounts \
   --topic coordinator.datasets
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:offers \
   --operation Write --operation Describe \
   --topic assignment.approved.dlq \
   --topic audit \
   --topic offers.answered
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:offers \
   --operation Read --operation Write --operation Describe \
   --topic coordinator.accounts.dlq \
   --topic coordinator.datasets.dlq \
   --topic offers.state \
   --topic offers.state.dlq
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:offers \
   --operation Read \
   --group offers-approvals \
   --group offers-schedule
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:offers \
   --operation Write --operation Describe --resource-pattern-type prefixed \
   --transactional-id offers-engine-

# operator: bin/solver submit and cancel (operators' command line)
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:operator \
   --operation Write --operation Describe \
   --topic assignment.run.cancel \
   --topic assignment.run.requested
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:operator \
   --operation Read --operation Describe \
   --topic assignment.run.completed \
   --topic assignment.run.explanations \
   --topic assignment.run.progress

# publisher: publisher service: the public site and its links
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:publisher \
   --operation Read --operation Describe \
   --topic assignment.approved \
   --topic coordinator.accounts \
   --topic handbook.artifacts \
   --topic handbook.content \
   --topic handbook.rendered
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:publisher \
   --operation Read --operation Write --operation Describe \
   --topic assignment.approved.dlq \
   --topic coordinator.accounts.dlq \
   --topic handbook.content.dlq \
   --topic handbook.rendered.dlq \
   --topic site.links \
   --topic site.links.dlq
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:publisher \
   --operation Write --operation Describe \
   --topic audit
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:publisher \
   --operation Read \
   --group publisher-links
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:publisher \
   --operation Write --operation Describe --resource-pattern-type prefixed \
   --transactional-id publisher-commands- \
   --transactional-id publisher-links-

# solver: solver service: solves requested runs
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:solver \
   --operation Read --operation Describe \
   --topic assignment.run.cancel \
   --topic assignment.run.requested
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:solver \
   --operation Read --operation Write --operation Describe \
   --topic assignment.run.cancel.dlq \
   --topic assignment.run.checkpoint \
   --topic assignment.run.completed \
   --topic assignment.run.status \
   --topic assignment.run.status.dlq
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:solver \
   --operation Write --operation Describe \
   --topic assignment.run.explanations \
   --topic assignment.run.progress \
   --topic assignment.run.requested.dlq
kafka-acls.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$ADMIN_CONFIG" --add --allow-principal User:solver \
   --operation Read \
   --group solver-runs
