output "topics" {
  description = "Topic names by role: requests, decisions, alerts, builds, ticks, dead_letter."
  value       = merge(local.topic_names, { dead_letter = google_pubsub_topic.dead_letter.name })
}

output "requests_topic_id" {
  description = "Full id of the topic a pipeline publishes its DeploymentRequest to."
  value       = local.topic_ids["requests"]
}

output "decisions_topic_id" {
  description = "Full id of the decision topic a pipeline subscribes to (before publishing its request)."
  value       = local.topic_ids["decisions"]
}

output "decision_subscription_filter" {
  description = "Filter of a pipeline's own subscription on the decision topic; replace <REQUEST_ID> (attributes only, at most 256 bytes)."
  value       = "attributes.requestId = \"<REQUEST_ID>\""
}

output "function_names" {
  description = "The four functions by role: request, alert, build, tick."
  value       = { for k, f in google_cloudfunctions2_function.gate : k => f.name }
}

output "eventarc_triggers" {
  description = "The Eventarc trigger of each function (its Pub/Sub subscription is Eventarc's: see README, Dead letters)."
  value       = { for k, f in google_cloudfunctions2_function.gate : k => f.event_trigger[0].trigger }
}

output "service_accounts" {
  description = "Service account emails: one per function, and the triggers' account."
  value = merge(
    { for k, sa in google_service_account.function : k => sa.email },
    { trigger = google_service_account.trigger.email },
  )
}

output "dead_letter_topic_id" {
  description = "Full id of the dead-letter topic."
  value       = google_pubsub_topic.dead_letter.id
}

output "dead_letter_subscription" {
  description = "Subscription keeping the dead letters; pull from it to inspect them."
  value       = google_pubsub_subscription.dead_letter.name
}

output "dead_letter_setup_commands" {
  description = "gcloud commands that give each Eventarc subscription the dead-letter topic (Terraform cannot); rerun after a trigger is recreated."
  value = join("\n", flatten([
    for k, f in google_cloudfunctions2_function.gate : [
      "sub=$(gcloud eventarc triggers describe '${f.event_trigger[0].trigger}' --format='value(transport.pubsub.subscription)')",
      "gcloud pubsub subscriptions update \"$sub\" --dead-letter-topic='${google_pubsub_topic.dead_letter.id}' --max-delivery-attempts=${k == "tick" ? 5 : 20}",
      "gcloud pubsub subscriptions add-iam-policy-binding \"$sub\" --member='${local.pubsub_agent}' --role=roles/pubsub.subscriber",
    ]
  ]))
}

output "notification_channel" {
  description = "The Pub/Sub notification channel on connector-alerts; add it to any other alert policy that should pause rollouts."
  value       = google_monitoring_notification_channel.alerts.id
}

output "alert_policies" {
  description = "Alert policy per guarded connector."
  value       = { for k, p in google_monitoring_alert_policy.connector : k => p.name }
}

output "firestore_database" {
  description = "The ledger's Firestore database."
  value       = var.firestore_database
}

output "source_object" {
  description = "gs:// URI of the deployed source zip (its name carries the zip's SHA-256)."
  value       = "gs://${google_storage_bucket.source.name}/${google_storage_bucket_object.source.name}"
}

output "scheduler_job" {
  description = "The Cloud Scheduler job publishing the tick."
  value       = google_cloud_scheduler_job.tick.id
}
