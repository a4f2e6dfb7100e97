variable "project" {
  description = "Project the gate runs in."
  type        = string
}

variable "region" {
  description = "Region of the functions (and, by default, of the ledger and the tick)."
  type        = string
  default     = "us-central1"
}

variable "connectors" {
  description = "Connectors to guard with an alert policy each: name = projects/P/locations/L/connectors/C, alert_throughput_mbps optional."
  type = list(object({
    name                  = string
    alert_throughput_mbps = optional(number)
    alert_cpu_utilization = optional(number)
    max_instances         = optional(number)
    machine_type          = optional(string)
  }))
  default = []
}

variable "policy" {
  description = "Admission policy: target_utilization (0..1], default_startup_mbps, default_startup_seconds (and lease_seconds, wait_recheck_seconds)."
  type = object({
    target_utilization      = optional(number, 0.8)
    default_startup_mbps    = optional(number, 30)
    default_startup_seconds = optional(number, 8)
    lease_seconds           = optional(number, 3600)
    wait_recheck_seconds    = optional(number, 60)
  })
  default = {}
}

variable "fail_mode" {
  description = "\"closed\" (default): WAIT while live load is unknown; \"open\": plan with an assumed safe baseline."
  type        = string
  default     = "closed"
}

variable "create_firestore_database" {
  description = "Create the Firestore database (false when the project's database exists already)."
  type        = bool
  default     = true
}

variable "firestore_database" {
  description = "Firestore database the ledger uses."
  type        = string
  default     = "(default)"
}

variable "create_cloud_builds_topic" {
  description = "Create the cloud-builds topic (false when the project has it already)."
  type        = bool
  default     = true
}

variable "pipeline_members" {
  description = "Pipeline principals allowed to publish requests and wait on decisions, e.g. serviceAccount:PROJECT_NUMBER@cloudbuild.gserviceaccount.com."
  type        = list(string)
  default     = []
}

variable "jar_path" {
  description = "The shaded jar mvn package builds."
  type        = string
  default     = null
}
