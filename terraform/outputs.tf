output "topics" {
  description = "Topic names by role."
  value       = module.connector_gate.topics
}

output "requests_topic_id" {
  description = "Where a pipeline publishes its DeploymentRequest."
  value       = module.connector_gate.requests_topic_id
}

output "decisions_topic_id" {
  description = "Where a pipeline's own filtered subscription waits for the decision."
  value       = module.connector_gate.decisions_topic_id
}

output "decision_subscription_filter" {
  description = "The filter of that subscription, <REQUEST_ID> to be replaced."
  value       = module.connector_gate.decision_subscription_filter
}

output "function_names" {
  description = "The four functions."
  value       = module.connector_gate.function_names
}

output "service_accounts" {
  description = "The functions' and the triggers' service accounts."
  value       = module.connector_gate.service_accounts
}

output "dead_letter_subscription" {
  description = "Where dead letters are kept."
  value       = module.connector_gate.dead_letter_subscription
}

output "dead_letter_setup_commands" {
  description = "Run once after apply (and after a trigger is recreated): attaches the dead-letter topic to Eventarc's subscriptions."
  value       = module.connector_gate.dead_letter_setup_commands
}

output "alert_policies" {
  description = "Alert policy per guarded connector."
  value       = module.connector_gate.alert_policies
}
