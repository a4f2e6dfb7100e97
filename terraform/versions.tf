terraform {
  required_version = ">= 1.5"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 8.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4"
    }
  }

  # Keep state somewhere shared for real use, e.g.:
  # backend "gcs" {
  #   bucket = "my-terraform-state"
  #   prefix = "connector-gate"
  # }
}

provider "google" {
  project = var.project
  region  = var.region
}
