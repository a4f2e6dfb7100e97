terraform {
  # optional() object attributes with defaults need 1.3; 1.5 for import blocks should anyone adopt existing topics.
  required_version = ">= 1.5"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.x: build_config.service_account and alert_strategy.notification_prompts are both present there.
      version = ">= 6.0, < 8.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4"
    }
  }
}
