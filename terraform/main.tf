module "connector_gate" {
  source = "./modules/connector-gate"

  project_id = var.project
  region     = var.region

  connectors = var.connectors
  policy     = var.policy
  fail_mode  = var.fail_mode

  create_firestore_database = var.create_firestore_database
  firestore_database        = var.firestore_database
  create_cloud_builds_topic = var.create_cloud_builds_topic
  pipeline_members          = var.pipeline_members

  # Build it first: mvn -q -B -DskipTests package (the zip holds this jar alone).
  jar_path = coalesce(var.jar_path, "${path.root}/../functions/target/connector-gate.jar")
}
