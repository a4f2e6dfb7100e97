#!/usr/bin/env bash
# deploy-waves.sh: deploy Cloud Run services wave by wave, as a connector-gate decision says.
#
# For each wave, in ascending startOffsetSeconds, it waits until that offset since it started, then
# for each service of the wave:
#   - the first time a service appears:   gcloud run deploy SERVICE --image IMAGE --min N ...
#     (N = its instances in this wave)
#   - a later wave of the same service (a ramp): gcloud run services update SERVICE --min CUMULATIVE
#     (after the service's previous command has finished)
# The commands of one wave run side by side; a wave never waits for the one before, except that a
# ramp waits for its own service.
#
# --scaling service (the default) uses the service-level minimum (--min): raising it starts only the
# added instances and deploys no new revision. --scaling revision uses the revision-level
# --min-instances instead; beware that `services update --min-instances` deploys another revision,
# which starts ALL the cumulative instances at once, not just the added ones.
#
# Exit status: 0 every command succeeded (or --dry-run); 3 the decision is not ALLOW/STAGGER (nothing
# is deployed); 2 a usage error (a missing image, a bad flag, a malformed decision file); 1 a gcloud
# command failed; 130/143 interrupted.
set -euo pipefail

readonly PROG="deploy-waves"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly HERE="$here"

usage() {
  cat <<'EOF'
usage: deploy-waves.sh --decision FILE [--dry-run] [--region R] [--project P]
                       [--image-for SERVICE=IMAGE ...] [--images FILE] [--image-template TEMPLATE]
                       [--scaling service|revision] [--no-vpc-connector] [-- EXTRA DEPLOY FLAGS...]

  --decision FILE          the decision gate-wait.sh wrote (ALLOW or STAGGER only)
  --dry-run                print the commands, one per line, with '# wait until +Ns' lines; run nothing
  --region R               Cloud Run region (default: the connector's location in the decision)
  --project P              project of the services (default: gcloud's core/project)
  --image-for S=IMAGE      the image of service S (repeatable; wins over --images and the template)
  --images FILE            JSON object {"service": "image", ...}
  --image-template T       image for services not named otherwise; {service} is replaced by the name,
                           e.g. us-central1-docker.pkg.dev/my-project/apps/{service}:abc123
  --scaling service        set min instances at service level: --min (default)
  --scaling revision       set them on the revision: --min-instances (a ramp deploys another revision)
  --no-vpc-connector       do not add --vpc-connector=<the decision's connector> to gcloud run deploy
  -- FLAGS...              appended to every gcloud run deploy (e.g. --vpc-egress=all-traffic)

exit: 0 done, 3 the decision does not allow deploying, 2 usage, 1 a gcloud command failed
EOF
}

usage_error() {
  echo "$PROG: $*" >&2
  echo "run 'deploy-waves.sh --help' for the flags" >&2
  exit 2
}

decision="" dry_run="" region="${CLOUDSDK_RUN_REGION:-}" project="" images_file="" template=""
scaling="service" vpc_connector="yes"
declare -A image_for=()
extra=()

while [[ $# -gt 0 ]]; do
  flag="$1"
  case "$flag" in
    -h | --help) usage; exit 0 ;;
    --dry-run) dry_run="yes"; shift; continue ;;
    --no-vpc-connector) vpc_connector=""; shift; continue ;;
    --) shift; extra=("$@"); break ;;
    --*=*) set -- "${flag%%=*}" "${flag#*=}" "${@:2}"; continue ;;
  esac
  [[ $# -ge 2 ]] || usage_error "$flag needs a value"
  value="$2"
  case "$flag" in
    --decision) decision="$value" ;;
    --region) region="$value" ;;
    --project) project="$value" ;;
    --images) images_file="$value" ;;
    --image-template) template="$value" ;;
    --scaling) scaling="$value" ;;
    --image-for)
      [[ "$value" == ?*=?* ]] || usage_error "--image-for: must be SERVICE=IMAGE, got '$value'"
      image_for["${value%%=*}"]="${value#*=}"
      ;;
    *) usage_error "unknown flag $flag" ;;
  esac
  shift 2
done

[[ -n "$decision" ]] || usage_error "missing --decision"
case "$scaling" in
  service) min_flag="--min" ;;
  revision) min_flag="--min-instances" ;;
  *) usage_error "--scaling: must be service or revision, got '$scaling'" ;;
esac
python="${GATE_PYTHON:-python3}"
command -v "$python" >/dev/null 2>&1 || { echo "$PROG: $python is not on PATH" >&2; exit 1; }
export PYTHONIOENCODING=utf-8
json() { "$python" "$HERE/gate_json.py" "$@"; }

# The plan, or the reason there is none: exit 3 when the verdict forbids deploying.
status=0
steps="$(json steps --decision "$decision")" || status=$?
case "$status" in
  0) ;;
  3) echo "$PROG: refusing to deploy." >&2; exit 3 ;;
  2) usage_error "cannot deploy from this decision file" ;;
  *) echo "$PROG: reading $decision failed (status $status)" >&2; exit 1 ;;
esac
IFS=$'\t' read -r _ verdict request_id connector <<<"${steps%%$'\n'*}"
steps="${steps#*$'\n'}"

if [[ -z "$region" ]]; then
  if [[ "$connector" =~ ^projects/[^/]+/locations/([^/]+)/connectors/[^/]+$ ]]; then
    region="${BASH_REMATCH[1]}"
  else
    usage_error "no --region, and the decision's connector names none"
  fi
fi

if [[ -n "$images_file" ]]; then
  status=0
  listed="$(json images --file "$images_file")" || status=$?
  (( status == 0 )) || usage_error "--images: cannot use $images_file"
  while IFS=$'\t' read -r name image; do
    [[ -n "$name" ]] || continue
    [[ -n "${image_for[$name]:-}" ]] || image_for["$name"]="$image"
  done <<<"$listed"
fi

# Every service needs an image before anything is deployed.
missing=()
while IFS=$'\t' read -r kind name _; do
  if [[ "$kind" == "DEPLOY" && -z "${image_for[$name]:-}" ]]; then
    if [[ -n "$template" ]]; then
      image_for["$name"]="${template//\{service\}/$name}"
    else
      missing+=("$name")
    fi
  fi
done <<<"$steps"
if [[ ${#missing[@]} -gt 0 ]]; then
  usage_error "no image for ${missing[*]}: give --image-for SERVICE=IMAGE, --images FILE or --image-template"
fi

common=(--region "$region")
[[ -z "$project" ]] || common+=(--project "$project")

# The command of one step, in the array `command`.
build_command() {
  local kind="$1" name="$2" count="$3"
  if [[ "$kind" == "DEPLOY" ]]; then
    command=(gcloud run deploy "$name" --image "${image_for[$name]}" "${common[@]}" "$min_flag" "$count")
    [[ -z "$vpc_connector" ]] || command+=(--vpc-connector "$connector")
    command+=(--quiet ${extra[@]+"${extra[@]}"})
  else
    command=(gcloud run services update "$name" "${common[@]}" "$min_flag" "$count" --quiet)
  fi
}

quoted() {
  local out="" word
  for word in "$@"; do
    out+="${out:+ }$(printf '%q' "$word")"
  done
  printf '%s\n' "$out"
}

if [[ -n "$dry_run" ]]; then
  echo "# $verdict for request $request_id on $connector: the commands deploy-waves.sh would run"
  while IFS=$'\t' read -r kind a b; do
    case "$kind" in
      OFFSET) echo "# wait until +${a}s" ;;
      DEPLOY | RAMP) build_command "$kind" "$a" "$b"; quoted "${command[@]}" ;;
    esac
  done <<<"$steps"
  exit 0
fi

command -v gcloud >/dev/null 2>&1 || { echo "$PROG: gcloud is not on PATH" >&2; exit 1; }
logs="$(mktemp -d "${TMPDIR:-/tmp}/deploy-waves.XXXXXX")"
declare -A running=()   # service -> pid of its latest command
declare -A label=()     # pid -> what it was
declare -A log_of=()    # pid -> its output
failed=()

stop_all() {
  local pid
  for pid in "${!label[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
}
trap 'rm -rf "$logs"' EXIT
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

# Waits for one command and reports it; returns its status.
finish() {
  local pid="$1" status=0
  wait "$pid" || status=$?
  if (( status == 0 )); then
    echo "$PROG: done: ${label[$pid]}"
  else
    echo "$PROG: FAILED (status $status): ${label[$pid]}" >&2
    sed 's/^/  | /' "${log_of[$pid]}" >&2
    failed+=("${label[$pid]}")
  fi
  unset "label[$pid]"
  return "$status"
}

echo "$PROG: $verdict for request $request_id: deploying in region $region"
start=$SECONDS
step=0
while IFS=$'\t' read -r kind a b; do
  case "$kind" in
    OFFSET)
      due=$(( start + a - SECONDS ))
      if (( due > 0 )); then
        echo "$PROG: wave at +${a}s: waiting ${due}s"
        sleep "$due" &
        wait $! || true
      else
        echo "$PROG: wave at +${a}s (now +$(( SECONDS - start ))s)"
      fi
      ;;
    DEPLOY | RAMP)
      if [[ "$kind" == "RAMP" && -n "${running[$a]:-}" ]]; then
        if ! finish "${running[$a]}"; then
          echo "$PROG: skipping the ramp of $a to $b: its previous command failed" >&2
          failed+=("ramp of $a to $b (skipped)")
          unset "running[$a]"
          continue
        fi
        unset "running[$a]"
      fi
      build_command "$kind" "$a" "$b"
      step=$((step + 1))
      echo "+ $(quoted "${command[@]}")"
      "${command[@]}" >"$logs/step-$step.log" 2>&1 </dev/null &
      pid=$!
      log_of[$pid]="$logs/step-$step.log"
      label[$pid]="$(quoted "${command[@]}")"
      running[$a]=$pid
      ;;
  esac
done <<<"$steps"

for pid in "${!label[@]}"; do
  finish "$pid" || true
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "$PROG: ${#failed[@]} command(s) failed:" >&2
  printf '  - %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "$PROG: all waves deployed ($(( SECONDS - start ))s)"
