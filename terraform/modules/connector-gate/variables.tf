# ---------------------------------------------------------------------------------------------------------------------
# Where the gate runs
# ---------------------------------------------------------------------------------------------------------------------

variable "project_id" {
  description = "Project the gate runs in: its topics, functions, ledger and alert policies."
  type        = string
}

variable "region" {
  description = "Region of the functions, their Eventarc triggers and the source bucket."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the functions, service accounts, bucket and scheduler job this module names."
  type        = string
  default     = "connector-gate"

  validation {
    # Service account ids are at most 30 characters and the longest suffix used is "-request-fn" (11).
    condition     = can(regex("^[a-z][a-z0-9-]{0,17}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: lower-case letters, digits and hyphens, 2..19 characters, starting with a letter."
  }
}

variable "labels" {
  description = "Labels put on the resources that take them."
  type        = map(string)
  default     = {}
}

variable "enable_apis" {
  description = "Enable the APIs the gate needs (never disabled again on destroy)."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------------------------------------------------
# Topics: the names are the contract's defaults and the functions' GATE_*_TOPIC settings.
# ---------------------------------------------------------------------------------------------------------------------

variable "requests_topic" {
  description = "Topic pipelines publish DeploymentRequests to."
  type        = string
  default     = "gate-requests"
}

variable "decisions_topic" {
  description = "Topic the gate publishes GateDecisions to."
  type        = string
  default     = "gate-decisions"
}

variable "alerts_topic" {
  description = "Topic Cloud Monitoring's Pub/Sub notification channel publishes incidents to."
  type        = string
  default     = "connector-alerts"
}

variable "builds_topic" {
  description = "Topic Cloud Build publishes build status to. Cloud Build only ever uses \"cloud-builds\" in the build's project."
  type        = string
  default     = "cloud-builds"
}

variable "ticks_topic" {
  description = "Topic Cloud Scheduler publishes the gate's one-minute tick to."
  type        = string
  default     = "gate-ticks"
}

variable "dead_letter_topic" {
  description = "Topic undeliverable messages are parked on (see README: it has to be attached to the Eventarc subscriptions by hand)."
  type        = string
  default     = "gate-dead-letter"
}

variable "create_cloud_builds_topic" {
  description = "Create the cloud-builds topic. Set false when the project already has it (Cloud Build publishes to it if it exists)."
  type        = bool
  default     = true
}

variable "dead_letter_retention" {
  description = "How long the subscription on the dead-letter topic keeps messages (at most 7 days)."
  type        = string
  default     = "604800s"
}

# ---------------------------------------------------------------------------------------------------------------------
# Function source: the shaded jar, alone in a zip.
# ---------------------------------------------------------------------------------------------------------------------

variable "jar_path" {
  description = "Path of the shaded jar (functions/target/connector-gate.jar). Zipped alone, at the zip's root. Ignored when source_zip_path is set."
  type        = string
  default     = null
}

variable "source_zip_path" {
  description = "Path of a prebuilt zip holding exactly one shaded jar at its root, instead of jar_path."
  type        = string
  default     = null
}

variable "source_bucket_name" {
  description = "Bucket for the source zip. Default: <project_id>-<name_prefix>-source."
  type        = string
  default     = null
}

variable "source_bucket_force_destroy" {
  description = "Let terraform destroy delete the source bucket with its objects."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------------------------------------------------

variable "runtime" {
  description = "Cloud Functions runtime: java17, java21 or java25. The jar is compiled for release 17."
  type        = string
  default     = "java17"

  validation {
    condition     = contains(["java17", "java21", "java25"], var.runtime)
    error_message = "runtime: java17, java21 or java25."
  }
}

variable "function_memory" {
  description = "Memory of each function instance (Java with four gRPC clients: 512M is comfortable)."
  type        = string
  default     = "512M"
}

variable "function_cpu" {
  description = "vCPUs per instance; null leaves it to the platform (derived from memory, a third of a vCPU at 512M, which makes Java cold starts slow)."
  type        = string
  default     = "1"
}

variable "function_timeout_seconds" {
  description = "Execution timeout of each function (event-driven functions allow at most 540)."
  type        = number
  default     = 120

  validation {
    condition     = var.function_timeout_seconds >= 1 && var.function_timeout_seconds <= 540
    error_message = "function_timeout_seconds: 1..540 for event-driven functions."
  }
}

variable "max_instances" {
  description = "Upper bound on instances, per function."
  type = object({
    request = optional(number, 10)
    alert   = optional(number, 3)
    build   = optional(number, 5)
    tick    = optional(number, 1)
  })
  default = {}
}

variable "min_instances" {
  description = "Instances kept warm per function (0: near-zero idle cost, a Java cold start on the first request)."
  type        = number
  default     = 0
}

variable "ingress_settings" {
  description = "Ingress of the functions' services. Eventarc deliveries from this project count as internal."
  type        = string
  default     = "ALLOW_INTERNAL_ONLY"
}

variable "build_service_account" {
  description = "Full name (projects/P/serviceAccounts/EMAIL) of the account Cloud Build uses to build the functions; null: the project's default."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------------------------------------
# Policy and failure handling: the functions' environment (GateConfig)
# ---------------------------------------------------------------------------------------------------------------------

variable "policy" {
  description = "Admission policy: share of the connector to plan with, startup defaults, reservation lease and the WAIT retry hint."
  type = object({
    target_utilization      = optional(number, 0.8)
    default_startup_mbps    = optional(number, 30)
    default_startup_seconds = optional(number, 8)
    lease_seconds           = optional(number, 3600)
    wait_recheck_seconds    = optional(number, 60)
  })
  default = {}

  validation {
    condition     = var.policy.target_utilization > 0 && var.policy.target_utilization <= 1
    error_message = "policy.target_utilization must be in (0, 1]."
  }
  validation {
    condition     = var.policy.default_startup_mbps > 0 && var.policy.default_startup_mbps <= 100000
    error_message = "policy.default_startup_mbps must be in (0, 100000]."
  }
  validation {
    condition     = var.policy.default_startup_seconds > 0 && var.policy.default_startup_seconds <= 3600
    error_message = "policy.default_startup_seconds must be in (0, 3600]."
  }
  validation {
    condition     = var.policy.lease_seconds >= 1 && var.policy.wait_recheck_seconds >= 1
    error_message = "policy.lease_seconds and policy.wait_recheck_seconds must be at least 1."
  }
}

variable "fail_mode" {
  description = "When live load is stale or missing: \"closed\" answers WAIT until fresh data is back, \"open\" plans with an assumed safe baseline."
  type        = string
  default     = "closed"

  validation {
    condition     = contains(["closed", "open"], var.fail_mode)
    error_message = "fail_mode: \"closed\" or \"open\"."
  }
}

variable "load_max_age_seconds" {
  description = "Oldest live-load reading the gate still plans with (Monitoring points lag minutes)."
  type        = number
  default     = 900
}

variable "safe_baseline_fraction" {
  description = "fail_mode \"open\" only: share (0..1) of the connector's throughput assumed busy while load is unknown."
  type        = number
  default     = 0.5

  validation {
    condition     = var.safe_baseline_fraction >= 0 && var.safe_baseline_fraction <= 1
    error_message = "safe_baseline_fraction must be in [0, 1]."
  }
}

variable "api_timeout_seconds" {
  description = "Per-call budget, retries included, for VPC Access and Monitoring."
  type        = number
  default     = 5
}

variable "ledger_timeout_seconds" {
  description = "Budget for one Firestore ledger transaction, contended retries included; past it the event is redelivered."
  type        = number
  default     = 45
}

variable "publish_timeout_seconds" {
  description = "Budget for publishing one decision to gate-decisions; past it the event is redelivered."
  type        = number
  default     = 10
}

variable "monitoring_window_seconds" {
  description = "How far back the gate queries connector metrics for the current load."
  type        = number
  default     = 600
}

variable "inventory_ttl_seconds" {
  description = "How long a connector's shape is reused before VPC Access is asked again."
  type        = number
  default     = 60
}

variable "inventory_max_stale_seconds" {
  description = "How long the last known shape still serves while VPC Access cannot answer."
  type        = number
  default     = 600
}

variable "extra_environment" {
  description = "More environment variables for all four functions; they win over the module's own."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------------------------------------------------
# Ledger: Firestore
# ---------------------------------------------------------------------------------------------------------------------

variable "create_firestore_database" {
  description = "Create the Firestore database. A project has one \"(default)\" database: set false when it exists already."
  type        = bool
  default     = true
}

variable "firestore_database" {
  description = "Firestore database (native mode) the ledger uses."
  type        = string
  default     = "(default)"
}

variable "firestore_prefix" {
  description = "Prefix of the ledger's Firestore collections (several gates can share a database with different prefixes)."
  type        = string
  default     = "gate"
}

variable "firestore_location" {
  description = "Location of a database this module creates (a region such as us-central1, or a multi-region such as nam5). Default: region."
  type        = string
  default     = null
}

variable "firestore_delete_protection" {
  description = "Turn on delete protection for a database this module creates."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------------------------------------------------
# Tick
# ---------------------------------------------------------------------------------------------------------------------

variable "scheduler_region" {
  description = "Region of the Cloud Scheduler job (Cloud Scheduler is not offered in every region). Default: region."
  type        = string
  default     = null
}

variable "tick_schedule" {
  description = "Cron schedule of the tick (the gate expects one a minute)."
  type        = string
  default     = "* * * * *"
}

# ---------------------------------------------------------------------------------------------------------------------
# Guarded connectors and their alert policies
# ---------------------------------------------------------------------------------------------------------------------

variable "connectors" {
  description = <<-EOT
    Connectors to watch with an alert policy each. name: projects/P/locations/L/connectors/C.
    alert_throughput_mbps: threshold of the throughput conditions; default max instances x per-instance rate x target_utilization.
    max_instances / machine_type: what the connector is, when Terraform should not read it (data source) itself.
    alert_cpu_utilization: CPU threshold (0..1), default alert_cpu_utilization below.
  EOT
  type = list(object({
    name                  = string
    alert_throughput_mbps = optional(number)
    alert_cpu_utilization = optional(number)
    max_instances         = optional(number)
    machine_type          = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for c in var.connectors : can(regex("^projects/[^/]+/locations/[^/]+/connectors/[^/]+$", c.name))])
    error_message = "connectors[].name must be a full connector name: projects/P/locations/L/connectors/C."
  }
  validation {
    condition     = length(distinct([for c in var.connectors : c.name])) == length(var.connectors)
    error_message = "connectors[].name must be unique."
  }
  validation {
    condition     = alltrue([for c in var.connectors : c.machine_type == null || contains(["f1-micro", "e2-micro", "e2-standard-4"], coalesce(c.machine_type, "e2-micro"))])
    error_message = "connectors[].machine_type: f1-micro, e2-micro or e2-standard-4."
  }
}

variable "connector_projects" {
  description = "More projects whose connectors the gate may be asked about (it reads their inventory and metrics there)."
  type        = list(string)
  default     = []
}

variable "alert_cpu_utilization" {
  description = "Default CPU threshold (0..1) of the connectors' alert policies."
  type        = number
  default     = 0.8
}

variable "alert_duration" {
  description = "How long a condition must hold before an incident opens."
  type        = string
  default     = "120s"
}

variable "alert_auto_close" {
  description = "An open incident whose data stopped arriving is closed after this long (the gate's WAITs end with it)."
  type        = string
  default     = "1800s"
}

# ---------------------------------------------------------------------------------------------------------------------
# Pipelines
# ---------------------------------------------------------------------------------------------------------------------

variable "pipeline_members" {
  description = "Principals of pipelines (e.g. serviceAccount:...) that publish requests and wait on decisions through their own filtered subscription."
  type        = list(string)
  default     = []
}

variable "grant_pubsub_token_creator" {
  description = "Grant the Pub/Sub service agent roles/iam.serviceAccountTokenCreator, which projects created before 8 April 2021 need for authenticated push."
  type        = bool
  default     = false
}
