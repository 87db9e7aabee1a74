/**
 * Scale-out on a real Kafka cluster: a three-broker KRaft cluster with SASL/SCRAM and the standard
 * authorizer, one principal per service with the ACLs its {@code ServiceModule} declares, and every
 * service as separate JVM processes. Used by the scale-out tests and benchmarks; the ACL plan is also
 * written as a {@code kafka-acls} script for operators of a real cluster.
 */
package tapipeline.cluster;
