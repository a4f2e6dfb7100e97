data "google_project" "this" {
  project_id = var.project_id
}

locals {
  project_number = data.google_project.this.number
  labels         = merge({ app = "connector-gate" }, var.labels)

  # Google-managed service agents, by the names Google documents for them. (google_project_service_identity would
  # also give these, but only in the google-beta provider.)
  pubsub_agent     = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  monitoring_agent = "serviceAccount:service-${local.project_number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com"

  # ---- Topics -------------------------------------------------------------------------------------------------------
  topic_names = {
    requests  = var.requests_topic
    decisions = var.decisions_topic
    alerts    = var.alerts_topic
    builds    = var.builds_topic
    ticks     = var.ticks_topic
  }
  # cloud-builds may belong to the project already (Cloud Build publishes to it whenever it exists).
  created_topics = { for k, v in local.topic_names : k => v if k != "builds" || var.create_cloud_builds_topic }
  topic_ids = {
    for k, v in local.topic_names : k => (
      contains(keys(local.created_topics), k) ? google_pubsub_topic.gate[k].id : "projects/${var.project_id}/topics/${v}"
    )
  }

  # ---- Functions ----------------------------------------------------------------------------------------------------
  # One entry per entry point: the class the framework instantiates, the topic (a key of topic_names) whose messages
  # trigger it, and whether it publishes decisions. The build function publishes too: any event first turns WAITs past
  # their deadline into BLOCK decisions (GateService.expireWaits), whatever the event.
  functions = {
    request = {
      entry_point   = "dev.connectorgate.functions.DeploymentRequestFunction"
      trigger_topic = "requests"
      publishes     = true
      max_instances = var.max_instances.request
      description   = "Decides each deployment request on gate-requests and publishes the decision."
    }
    alert = {
      entry_point   = "dev.connectorgate.functions.AlertFunction"
      trigger_topic = "alerts"
      publishes     = true
      max_instances = var.max_instances.alert
      description   = "Opens and closes a connector's waiting room on Cloud Monitoring incidents."
    }
    build = {
      entry_point   = "dev.connectorgate.functions.BuildEventFunction"
      trigger_topic = "builds"
      publishes     = true
      max_instances = var.max_instances.build
      description   = "Releases a rollout's reservation when its build reaches a terminal status."
    }
    tick = {
      entry_point   = "dev.connectorgate.functions.TickFunction"
      trigger_topic = "ticks"
      publishes     = true
      max_instances = var.max_instances.tick
      description   = "Every minute: expired waits become BLOCK, waits whose reason cleared are decided."
    }
  }

  # Every setting GateConfig reads, for all four functions. TerraformConsistencyTest holds this map against
  # GateConfig's constants: a setting added there must be added here (or to the test's documented allow-list).
  environment = merge({
    GATE_REQUESTS_TOPIC              = var.requests_topic
    GATE_DECISIONS_TOPIC             = var.decisions_topic
    GATE_ALERTS_TOPIC                = var.alerts_topic
    GATE_BUILDS_TOPIC                = var.builds_topic
    GATE_TICKS_TOPIC                 = var.ticks_topic
    GATE_TARGET_UTILIZATION          = tostring(var.policy.target_utilization)
    GATE_DEFAULT_STARTUP_MBPS        = tostring(var.policy.default_startup_mbps)
    GATE_DEFAULT_STARTUP_SECONDS     = tostring(var.policy.default_startup_seconds)
    GATE_LEASE_SECONDS               = tostring(var.policy.lease_seconds)
    GATE_WAIT_RECHECK_SECONDS        = tostring(var.policy.wait_recheck_seconds)
    GATE_FAIL_MODE                   = var.fail_mode
    GATE_LOAD_MAX_AGE_SECONDS        = tostring(var.load_max_age_seconds)
    GATE_SAFE_BASELINE_FRACTION      = tostring(var.safe_baseline_fraction)
    GATE_PROJECT                     = var.project_id
    GATE_LEDGER                      = "firestore"
    GATE_FIRESTORE_DATABASE          = var.firestore_database
    GATE_FIRESTORE_PREFIX            = var.firestore_prefix
    GATE_API_TIMEOUT_SECONDS         = tostring(var.api_timeout_seconds)
    GATE_LEDGER_TIMEOUT_SECONDS      = tostring(var.ledger_timeout_seconds)
    GATE_PUBLISH_TIMEOUT_SECONDS     = tostring(var.publish_timeout_seconds)
    GATE_MONITORING_WINDOW_SECONDS   = tostring(var.monitoring_window_seconds)
    GATE_INVENTORY_TTL_SECONDS       = tostring(var.inventory_ttl_seconds)
    GATE_INVENTORY_MAX_STALE_SECONDS = tostring(var.inventory_max_stale_seconds)
  }, var.extra_environment)

  # ---- Source -------------------------------------------------------------------------------------------------------
  source_zip = var.source_zip_path != null ? var.source_zip_path : data.archive_file.source[0].output_path
  # The zip's content hash names the object: new code, new object name, a new build of every function.
  source_sha256 = var.source_zip_path != null ? filesha256(var.source_zip_path) : data.archive_file.source[0].output_sha256
  source_bucket = coalesce(var.source_bucket_name, "${var.project_id}-${var.name_prefix}-source")
}

# ---------------------------------------------------------------------------------------------------------------------
# APIs
# ---------------------------------------------------------------------------------------------------------------------

resource "google_project_service" "required" {
  for_each = var.enable_apis ? toset([
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "eventarc.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "storage.googleapis.com",
    "vpcaccess.googleapis.com",
  ]) : toset([])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# ---------------------------------------------------------------------------------------------------------------------
# Topics, and where undeliverable messages go
# ---------------------------------------------------------------------------------------------------------------------

resource "google_pubsub_topic" "gate" {
  for_each = local.created_topics

  project = var.project_id
  name    = each.value
  labels  = local.labels

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = var.dead_letter_topic
  labels  = local.labels

  depends_on = [google_project_service.required]
}

# A topic without a subscription drops what is published to it: this one keeps dead letters for inspection
# (gcloud pubsub subscriptions pull <name> --limit=10).
resource "google_pubsub_subscription" "dead_letter" {
  project = var.project_id
  name    = "${var.dead_letter_topic}-kept"
  topic   = google_pubsub_topic.dead_letter.id
  labels  = local.labels

  message_retention_duration = var.dead_letter_retention
  retain_acked_messages      = false
  ack_deadline_seconds       = 60

  expiration_policy {
    ttl = "" # never expires, however long nothing arrives
  }
}

# Pub/Sub itself forwards dead letters: its service agent publishes to the dead-letter topic. (It also needs
# roles/pubsub.subscriber on each source subscription; those are Eventarc's, see README "Dead letters".)
resource "google_pubsub_topic_iam_member" "dead_letter_pubsub_agent" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent
}

resource "google_project_iam_member" "pubsub_agent_token_creator" {
  count = var.grant_pubsub_token_creator ? 1 : 0

  project = var.project_id
  role    = "roles/iam.serviceAccountTokenCreator"
  member  = local.pubsub_agent
}

# ---------------------------------------------------------------------------------------------------------------------
# Service accounts: one per function, one for the triggers
# ---------------------------------------------------------------------------------------------------------------------

resource "google_service_account" "function" {
  for_each = local.functions

  project      = var.project_id
  account_id   = "${var.name_prefix}-${each.key}-fn"
  display_name = "connector-gate ${each.key} function"
  description  = "Runs ${each.value.entry_point}."

  depends_on = [google_project_service.required]
}

resource "google_service_account" "trigger" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-trigger"
  display_name = "connector-gate Eventarc triggers"
  description  = "Identity the Eventarc Pub/Sub triggers invoke the gate's functions with."

  depends_on = [google_project_service.required]
}

locals {
  # Connectors are read (inventory, metrics) in their own projects, which need not be the gate's.
  connector_projects = distinct(concat(
    [var.project_id],
    [for c in var.connectors : split("/", c.name)[1]],
    var.connector_projects,
  ))
  reader_roles = ["roles/vpcaccess.viewer", "roles/monitoring.viewer"]
  reader_grants = {
    for g in setproduct(keys(local.functions), local.connector_projects, local.reader_roles) :
    "${g[0]} ${g[1]} ${g[2]}" => { function = g[0], project = g[1], role = g[2] }
  }
}

resource "google_project_iam_member" "function_readers" {
  for_each = local.reader_grants

  project = each.value.project
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# The ledger. Project-level: roles/datastore.user covers every database of the project.
resource "google_project_iam_member" "function_firestore" {
  for_each = local.functions

  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

# Decisions are published to gate-decisions only: a topic-level grant, nothing project-wide.
resource "google_pubsub_topic_iam_member" "function_publishes_decisions" {
  for_each = { for k, f in local.functions : k => f if f.publishes }

  project = var.project_id
  topic   = google_pubsub_topic.gate["decisions"].name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

# Eventarc's Pub/Sub triggers deliver as the trigger account. Google's examples grant it this role for event triggers.
resource "google_project_iam_member" "trigger_event_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.trigger.email}"
}

# ...and it may invoke exactly the four functions' Cloud Run services, nothing else.
resource "google_cloud_run_service_iam_member" "trigger_invokes" {
  for_each = local.functions

  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.gate[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}

# ---------------------------------------------------------------------------------------------------------------------
# Function source: the shaded jar alone at the root of a zip, under a name holding the zip's hash
# ---------------------------------------------------------------------------------------------------------------------

data "archive_file" "source" {
  count = var.source_zip_path == null ? 1 : 0

  type             = "zip"
  source_file      = var.jar_path # one file, stored under its base name at the zip's root
  output_path      = "${path.root}/.build/connector-gate-source.zip"
  output_file_mode = "0644"

  lifecycle {
    precondition {
      condition     = var.jar_path != null
      error_message = "Set jar_path (functions/target/connector-gate.jar, built by mvn package) or source_zip_path."
    }
  }
}

resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = local.source_bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.source_bucket_force_destroy
  labels                      = local.labels

  depends_on = [google_project_service.required]
}

resource "google_storage_bucket_object" "source" {
  bucket       = google_storage_bucket.source.name
  name         = "connector-gate-${local.source_sha256}.zip"
  source       = local.source_zip
  content_type = "application/zip"

  # The functions move to the new object before the old one goes.
  lifecycle {
    create_before_destroy = true
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# The four functions
# ---------------------------------------------------------------------------------------------------------------------

resource "google_cloudfunctions2_function" "gate" {
  for_each = local.functions

  project     = var.project_id
  location    = var.region
  name        = "${var.name_prefix}-${each.key}"
  description = each.value.description
  labels      = local.labels

  build_config {
    runtime         = var.runtime
    entry_point     = each.value.entry_point
    service_account = var.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = var.function_memory
    available_cpu                    = var.function_cpu
    timeout_seconds                  = var.function_timeout_seconds
    max_instance_count               = each.value.max_instances
    min_instance_count               = var.min_instances
    max_instance_request_concurrency = 1
    ingress_settings                 = var.ingress_settings
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.function[each.key].email
    environment_variables            = local.environment
  }

  # Dead-lettering: Eventarc creates and owns this trigger's Pub/Sub subscription ("eventarc-REGION-..."); the API
  # exposes it as output only, so neither this resource nor any other Terraform resource can give it a dead-letter
  # policy (hashicorp/terraform-provider-google#17697). What the gate relies on instead:
  #   - RETRY_POLICY_RETRY: a failed delivery is retried with backoff (10 s .. 600 s) for the subscription's
  #     retention, 24 h as Eventarc sets it;
  #   - the functions throw only for what a retry can cure (a publish that failed); bad input is acknowledged and
  #     answered, so a poison message does not loop;
  #   - the gate is idempotent per message id and per requestId: a redelivery is answered with the decision made.
  # The dead-letter topic above is ready for the one-off `gcloud pubsub subscriptions update` the README gives
  # (output dead_letter_setup_commands), to be repeated whenever a trigger is recreated.
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = local.topic_ids[each.value.trigger_topic]
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.trigger.email
  }

  depends_on = [
    google_project_service.required,
    google_project_iam_member.trigger_event_receiver,
    google_project_iam_member.function_firestore,
    google_project_iam_member.function_readers,
    google_pubsub_topic_iam_member.function_publishes_decisions,
    google_firestore_database.ledger,
  ]
}

# ---------------------------------------------------------------------------------------------------------------------
# The ledger's database
# ---------------------------------------------------------------------------------------------------------------------

resource "google_firestore_database" "ledger" {
  count = var.create_firestore_database ? 1 : 0

  project                 = var.project_id
  name                    = var.firestore_database
  location_id             = coalesce(var.firestore_location, var.region)
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = var.firestore_delete_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy         = "ABANDON" # terraform destroy forgets the ledger rather than deleting it

  depends_on = [google_project_service.required]
}

# ---------------------------------------------------------------------------------------------------------------------
# The tick
# ---------------------------------------------------------------------------------------------------------------------

resource "google_cloud_scheduler_job" "tick" {
  project     = var.project_id
  region      = coalesce(var.scheduler_region, var.region)
  name        = "${var.name_prefix}-tick"
  description = "Wakes the gate every minute: waits past their deadline are blocked, cleared waits are decided."
  schedule    = var.tick_schedule
  time_zone   = "Etc/UTC"

  pubsub_target {
    topic_name = local.topic_ids["ticks"]
    data       = base64encode("{\"tick\":true}") # the content does not matter to TickFunction
    attributes = {
      source = "cloud-scheduler"
    }
  }

  depends_on = [google_project_service.required]
}

# ---------------------------------------------------------------------------------------------------------------------
# Pipelines: publish requests, wait on decisions through a subscription of their own
# ---------------------------------------------------------------------------------------------------------------------

resource "google_pubsub_topic_iam_member" "pipeline_publishes_requests" {
  for_each = toset(var.pipeline_members)

  project = var.project_id
  topic   = google_pubsub_topic.gate["requests"].name
  role    = "roles/pubsub.publisher"
  member  = each.value
}

# Attaching a subscription to gate-decisions (pubsub.topics.attachSubscription) is granted on that topic only...
resource "google_pubsub_topic_iam_member" "pipeline_attaches_to_decisions" {
  for_each = toset(var.pipeline_members)

  project = var.project_id
  topic   = google_pubsub_topic.gate["decisions"].name
  role    = "roles/pubsub.subscriber"
  member  = each.value
}

# ...while creating, pulling from and deleting the subscription itself are project permissions.
resource "google_project_iam_custom_role" "pipeline_waiter" {
  count = length(var.pipeline_members) > 0 ? 1 : 0

  project     = var.project_id
  role_id     = replace("${var.name_prefix}_pipeline_waiter", "-", "_")
  title       = "connector-gate pipeline waiter"
  description = "Create a filtered subscription on gate-decisions, pull the decision, delete the subscription."
  permissions = [
    "pubsub.subscriptions.consume",
    "pubsub.subscriptions.create",
    "pubsub.subscriptions.delete",
    "pubsub.subscriptions.get",
  ]
}

resource "google_project_iam_member" "pipeline_waiter" {
  for_each = toset(var.pipeline_members)

  project = var.project_id
  role    = google_project_iam_custom_role.pipeline_waiter[0].name
  member  = each.value
}

# ---------------------------------------------------------------------------------------------------------------------
# Monitoring: an alert policy per guarded connector, notifying connector-alerts
# ---------------------------------------------------------------------------------------------------------------------

resource "google_monitoring_notification_channel" "alerts" {
  project      = var.project_id
  display_name = "connector-gate: ${var.alerts_topic}"
  type         = "pubsub"
  description  = "Incidents of the connector alert policies, for the gate's AlertFunction."
  labels = {
    topic = local.topic_ids["alerts"]
  }
  user_labels = local.labels

  depends_on = [google_project_service.required]
}

# Monitoring publishes notifications as its notification service agent, which needs to publish to the topic.
# (Reported, not confirmed by Google: the agent is created with the project's first Pub/Sub channel, hence the order.)
resource "google_pubsub_topic_iam_member" "monitoring_publishes_alerts" {
  project = var.project_id
  topic   = google_pubsub_topic.gate["alerts"].name
  role    = "roles/pubsub.publisher"
  member  = local.monitoring_agent

  depends_on = [google_monitoring_notification_channel.alerts]
}

locals {
  # Per-instance throughput by machine type, as the contract fixes it.
  per_instance_mbps = { "f1-micro" = 50, "e2-micro" = 100, "e2-standard-4" = 1600 }

  connectors_by_name = { for c in var.connectors : c.name => merge(c, {
    project  = split("/", c.name)[1]
    location = split("/", c.name)[3]
    short    = split("/", c.name)[5]
  }) }

  # Read the connector (data source) only where the caller did not say what it is.
  connectors_to_read = {
    for k, c in local.connectors_by_name : k => c
    if c.max_instances == null || (c.machine_type == null && c.alert_throughput_mbps == null)
  }

  watched = { for k, c in local.connectors_by_name : k => merge(c, {
    machine = coalesce(c.machine_type, try(data.google_vpc_access_connector.watched[k].machine_type, null), "e2-micro")
  }) }
  watched_sized = { for k, c in local.watched : k => merge(c, {
    # An old connector configured by throughput alone can read max_instances = 0: derive it from max_throughput.
    max = c.max_instances != null ? c.max_instances : (
      try(data.google_vpc_access_connector.watched[k].max_instances, 0) > 0
      ? data.google_vpc_access_connector.watched[k].max_instances
      : ceil(try(data.google_vpc_access_connector.watched[k].max_throughput, 1000) / local.per_instance_mbps[c.machine])
    )
  }) }
  alerting = { for k, c in local.watched_sized : k => merge(c, {
    # Default: the connector at its largest, at the share the policy plans with. Only the "instances at max"
    # condition says the connector cannot grow further; this one says it is near what it can ever carry.
    threshold_mbps = coalesce(c.alert_throughput_mbps, c.max * local.per_instance_mbps[c.machine] * var.policy.target_utilization)
    cpu            = coalesce(c.alert_cpu_utilization, var.alert_cpu_utilization)
    # Same connector in the notification: the gate reads resource.labels.connector_name and project_id.
    resource_filter = join(" AND ", [
      "resource.type=\"vpc_access_connector\"",
      "resource.labels.project_id=\"${c.project}\"",
      "resource.labels.connector_name=\"${c.short}\"",
    ])
  }) }

  # Reduce across whatever series a connector writes (per instance or not: unconfirmed) to one per connector, keeping
  # the labels the gate needs to name it. A "location" label is unconfirmed for this resource type, so it is not
  # grouped on; the gate matches any location then.
  connector_group_by = ["resource.label.project_id", "resource.label.connector_name"]
}

data "google_vpc_access_connector" "watched" {
  for_each = local.connectors_to_read

  project = each.value.project
  region  = each.value.location
  name    = each.value.short
}

resource "google_monitoring_alert_policy" "connector" {
  for_each = local.alerting

  project      = var.project_id
  display_name = "connector-gate: ${each.value.short} (${each.value.location}) near capacity"
  combiner     = "OR"
  enabled      = true
  user_labels  = local.labels

  # Throughput near capacity. A threshold condition takes one metric type, so sent and received are held against
  # the threshold each: the sum cannot be written without MQL (customer support ended July 2025) or PromQL (whose
  # incidents are not known to carry the vpc_access_connector resource the gate reads). The gate itself plans with
  # the sum of both; this alert is the early warning that pauses new rollouts.
  conditions {
    display_name = "sent bytes above ${format("%.0f", each.value.threshold_mbps)} Mbps"
    condition_threshold {
      filter          = "metric.type=\"vpcaccess.googleapis.com/connector/sent_bytes_count\" AND ${each.value.resource_filter}"
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.threshold_mbps * 1000000 / 8 # bytes per second
      duration        = var.alert_duration
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = local.connector_group_by
      }
      trigger {
        count = 1
      }
    }
  }

  conditions {
    display_name = "received bytes above ${format("%.0f", each.value.threshold_mbps)} Mbps"
    condition_threshold {
      filter          = "metric.type=\"vpcaccess.googleapis.com/connector/received_bytes_count\" AND ${each.value.resource_filter}"
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.threshold_mbps * 1000000 / 8
      duration        = var.alert_duration
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = local.connector_group_by
      }
      trigger {
        count = 1
      }
    }
  }

  # CPU high. ALIGN_MEAN works whether the metric is a gauge or a distribution (its kind is unconfirmed).
  conditions {
    display_name = "CPU above ${format("%.0f", each.value.cpu * 100)} %"
    condition_threshold {
      filter          = "metric.type=\"vpcaccess.googleapis.com/connector/cpu/utilizations\" AND ${each.value.resource_filter}"
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.cpu
      duration        = var.alert_duration
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MEAN"
        cross_series_reducer = "REDUCE_MAX"
        group_by_fields      = local.connector_group_by
      }
      trigger {
        count = 1
      }
    }
  }

  # Instances at max: the connector cannot scale out any further. Counts are whole, so "> max - 0.5" is ">= max".
  conditions {
    display_name = "instances at max (${each.value.max})"
    condition_threshold {
      filter          = "metric.type=\"vpcaccess.googleapis.com/connector/instances\" AND ${each.value.resource_filter}"
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.max - 0.5
      duration        = var.alert_duration
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_MAX"
        group_by_fields      = local.connector_group_by
      }
      trigger {
        count = 1
      }
    }
  }

  notification_channels = [google_monitoring_notification_channel.alerts.id]

  alert_strategy {
    auto_close = var.alert_auto_close
    # The gate needs the closing notification as much as the opening one: closing releases the waiting requests.
    notification_prompts = ["OPENED", "CLOSED"]
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      Connector `${each.key}` is near what it can carry. While this incident is open, connector-gate answers new
      deployment requests through this connector with WAIT; closing it releases them.
      Thresholds: ${format("%.0f", each.value.threshold_mbps)} Mbps either direction, CPU ${format("%.0f", each.value.cpu * 100)} %, ${each.value.max} instances.
    EOT
  }

  depends_on = [google_pubsub_topic_iam_member.monitoring_publishes_alerts]
}
