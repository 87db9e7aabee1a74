/**
 * Who may do what on Kafka: each service's and tool's {@link tapipeline.platform.kafka.access.KafkaAccess}
 * (declared next to its code), and the {@link tapipeline.platform.kafka.access.AclPlan} that turns
 * them into Kafka ACL bindings and the operators' {@code kafka-acls.sh} script.
 */
package tapipeline.platform.kafka.access;
