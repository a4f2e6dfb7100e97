#!/usr/bin/env bash
# gate-wait.sh: ask connector-gate whether these services may start now, and wait for its answer.
#
# A pipeline step (Cloud Build, image gcr.io/google.com/cloudsdktool/cloud-sdk) runs it before deploying:
#   1. builds a DeploymentRequest from a services file,
#   2. creates its own subscription on the decisions topic, filtered on attributes.requestId,
#      BEFORE publishing (a subscription never gets messages published before it existed),
#   3. publishes the request to the requests topic with attribute requestId,
#   4. pulls until a decision for this requestId arrives, checking the attribute itself (emulators
#      and unfiltered subscriptions deliver everything), following WAIT until a final verdict,
#   5. writes the decision to --out for the deploy step, prints a summary, deletes the subscription.
#
# Exit status: 0 ALLOW or STAGGER; 3 BLOCK, or still WAIT at --wait-timeout; 4 REJECT;
# 2 a usage error; 1 an infrastructure failure (gcloud, Pub/Sub, no answer from the gate);
# 130/143 interrupted by SIGINT/SIGTERM (the subscription is deleted on every one of these paths).
set -euo pipefail

readonly PROG="gate-wait"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly HERE="$here"

usage() {
  cat <<'EOF'
usage: gate-wait.sh --services FILE --connector NAME --request-id ID
                    [--build-id ID] [--deadline SECONDS] [--wait-timeout SECONDS]
                    [--out FILE] [--project P]
                    [--requests-topic gate-requests] [--decisions-topic gate-decisions]

  --services FILE        JSON list of {name, instances, startupMbps?, startupSeconds?, dependsOn?}
  --connector NAME       projects/P/locations/L/connectors/C
  --request-id ID        idempotency key; in Cloud Build use $BUILD_ID
  --build-id ID          the build whose end releases the reservation (default: the request id)
  --deadline SECONDS     the rollout must have started by then (1..86400; the gate's default is 1800)
  --wait-timeout SECONDS give up waiting after this long (default: the deadline + 120)
  --out FILE             where the decision JSON goes (default gate-decision.json)
  --project P            the project of the topics (default: gcloud's core/project)
  --verbose              also say which other requests' decisions were skipped

exit: 0 ALLOW/STAGGER, 3 BLOCK or WAIT past --wait-timeout, 4 REJECT, 2 usage, 1 infrastructure
EOF
}

usage_error() {
  echo "$PROG: $*" >&2
  echo "run 'gate-wait.sh --help' for the flags" >&2
  exit 2
}

infra_error() {
  echo "$PROG: $*" >&2
  exit 1
}

services="" connector="" request_id="" build_id="" deadline="" wait_timeout=""
out="gate-decision.json" project=""
requests_topic="gate-requests" decisions_topic="gate-decisions"
# A pull waits for messages (real Pub/Sub answers within about 20 s; the emulator holds it until one
# comes), so each pull is cut after this long and counts as "nothing yet".
pull_seconds="${GATE_WAIT_PULL_SECONDS:-20}"
retry_seconds=2
gcloud_timeout="${GATE_WAIT_GCLOUD_TIMEOUT:-60}"
verbose=""

while [[ $# -gt 0 ]]; do
  flag="$1"
  case "$flag" in
    -h | --help) usage; exit 0 ;;
    --verbose) verbose="--verbose"; shift; continue ;;
    --*=*) set -- "${flag%%=*}" "${flag#*=}" "${@:2}"; continue ;;
  esac
  [[ $# -ge 2 ]] || usage_error "$flag needs a value"
  value="$2"
  case "$flag" in
    --services) services="$value" ;;
    --connector) connector="$value" ;;
    --request-id) request_id="$value" ;;
    --build-id) build_id="$value" ;;
    --deadline) deadline="$value" ;;
    --wait-timeout) wait_timeout="$value" ;;
    --out) out="$value" ;;
    --project) project="$value" ;;
    --requests-topic) requests_topic="$value" ;;
    --decisions-topic) decisions_topic="$value" ;;
    *) usage_error "unknown flag $flag" ;;
  esac
  shift 2
done

missing=()
[[ -n "$services" ]] || missing+=(--services)
[[ -n "$connector" ]] || missing+=(--connector)
[[ -n "$request_id" ]] || missing+=(--request-id)
[[ ${#missing[@]} -eq 0 ]] || usage_error "missing ${missing[*]}"
if [[ -n "$wait_timeout" && ! "$wait_timeout" =~ ^[0-9]+$ ]]; then
  usage_error "--wait-timeout: must be whole seconds, got '$wait_timeout'"
fi
[[ -n "$out" ]] || usage_error "--out: must name a file"
for topic in "$requests_topic" "$decisions_topic"; do
  [[ "$topic" =~ ^[A-Za-z][A-Za-z0-9._~+%-]{2,254}$ || "$topic" =~ ^projects/[^/]+/topics/[^/]+$ ]] \
    || usage_error "not a Pub/Sub topic name: '$topic'"
done
if [[ -z "$wait_timeout" ]]; then
  wait_timeout=$(( ${deadline:-1800} + 120 ))
fi

command -v gcloud >/dev/null 2>&1 || infra_error "gcloud is not on PATH (use the cloud-sdk builder image)"
python="${GATE_PYTHON:-python3}"
command -v "$python" >/dev/null 2>&1 || infra_error "$python is not on PATH (the cloud-sdk image has python3)"
export PYTHONIOENCODING=utf-8

json() { "$python" "$HERE/gate_json.py" "$@"; }

work="$(mktemp -d "${TMPDIR:-/tmp}/gate-wait.XXXXXX")"
subscription=""
child=""
gcloud_args=(--quiet)
[[ -z "$project" ]] || gcloud_args+=(--project "$project")
indent() { sed 's/^/  /' "$@"; }

# On every way out: stop a running child, delete our subscription, remove the scratch folder.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$child" ]]; then
    kill "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  if [[ -n "$subscription" ]]; then
    if timeout "$gcloud_timeout" gcloud pubsub subscriptions delete "$subscription" "${gcloud_args[@]}" \
        >"$work/delete.log" 2>&1; then
      echo "$PROG: deleted subscription $subscription" >&2
    elif ! grep -qi 'not exist\|NOT_FOUND' "$work/delete.log"; then
      echo "$PROG: could not delete subscription $subscription (it expires after a day unused):" >&2
      indent "$work/delete.log" >&2
    fi
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. The request: the helper validates the flags and the services file and says what is wrong.
request_args=(request --services "$services" --connector "$connector" --request-id "$request_id")
[[ -z "$build_id" ]] || request_args+=(--build-id "$build_id")
[[ -z "$deadline" ]] || request_args+=(--deadline "$deadline")
set +e
request_json="$(json "${request_args[@]}" 2>"$work/err")"
status=$?
set -e
case "$status" in
  0) ;;
  2) usage_error "the request cannot be built:
$(indent "$work/err")" ;;
  *) infra_error "building the request failed (status $status): $(cat "$work/err")" ;;
esac
: >"$out" 2>/dev/null || usage_error "--out: cannot write $out"
rm -f "$out"

# Runs a command in the background and waits for it, so that a signal is handled at once; its stdout
# goes to $work/out, its stderr to $work/err.
run() {
  "$@" >"$work/out" 2>"$work/err" &
  child=$!
  local status=0
  wait "$child" || status=$?
  child=""
  return "$status"
}

pause() {
  sleep "$1" &
  child=$!
  wait "$child" || true
  child=""
}

# 2. Our own subscription, before publishing. Named from the request id, plus a random tail so that a
# retried step never collides with the leftover of a killed one.
suffix="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
subscription="gate-wait-${request_id}-${suffix}"
filter="attributes.requestId = \"${request_id}\""
(( ${#filter} <= 256 )) || usage_error "the filter is over 256 bytes: $filter"
if ! run timeout "$gcloud_timeout" gcloud pubsub subscriptions create "$subscription" \
    --topic "$decisions_topic" --message-filter "$filter" \
    --ack-deadline 10 --expiration-period 1d --message-retention-duration 1h \
    "${gcloud_args[@]}"; then
  err="$(cat "$work/err")"
  if grep -qi 'not exist\|NOT_FOUND' <<<"$err"; then
    subscription=""
  fi
  infra_error "cannot create subscription gate-wait-${request_id}-${suffix} on topic $decisions_topic:
$(indent <<<"$err")"
fi
echo "$PROG: subscribed to $decisions_topic as $subscription (filter: $filter)" >&2

# 3. The request.
if ! run timeout "$gcloud_timeout" gcloud pubsub topics publish "$requests_topic" \
    --message "$request_json" --attribute "requestId=$request_id" "${gcloud_args[@]}"; then
  infra_error "cannot publish the request to topic $requests_topic:
$(indent "$work/err")"
fi
echo "$PROG: published request $request_id to $requests_topic; waiting up to ${wait_timeout} s for the gate" >&2

# 4. Pull until a final verdict for this request, or the wait timeout.
start=$SECONDS
last="NONE"
failures=0
while :; do
  if (( SECONDS - start >= wait_timeout )); then
    if [[ "$last" == "WAIT" ]]; then
      echo "$PROG: still WAIT after ${wait_timeout} s (--wait-timeout): not deploying" >&2
      json summary --decision "$out" || true
      echo "  last decision written to $out"
      exit 3
    fi
    infra_error "no decision for request $request_id on topic $decisions_topic within ${wait_timeout} s:
  is the gate deployed and subscribed to topic $requests_topic?"
  fi
  remaining=$(( wait_timeout - (SECONDS - start) ))
  (( remaining < pull_seconds )) || remaining=$pull_seconds
  (( remaining >= 1 )) || remaining=1
  status=0
  run timeout "$remaining" gcloud pubsub subscriptions pull "$subscription" \
    --auto-ack --limit=10 --format=json "${gcloud_args[@]}" || status=$?
  if (( status == 124 )); then
    continue  # the pull was cut: nothing arrived in that time
  fi
  if (( status != 0 )); then
    failures=$((failures + 1))
    if (( failures >= 5 )); then
      infra_error "pulling from $subscription failed $failures times in a row:
$(indent "$work/err")"
    fi
    echo "$PROG: pull failed with status $status (attempt $failures of 5), retrying: $(grep . "$work/err" | tail -n 1)" >&2
    pause "$retry_seconds"
    continue
  fi
  failures=0
  set +e
  verdict="$(json take --request-id "$request_id" --out "$out" ${verbose:+"$verbose"} <"$work/out")"
  status=$?
  set -e
  (( status == 0 )) || infra_error "could not read the decisions pulled from $subscription"
  # Everything but the last line is for people; the last line is the verdict.
  if [[ "$verdict" == *$'\n'* ]]; then
    printf '%s\n' "${verdict%$'\n'*}"
  fi
  verdict="${verdict##*$'\n'}"
  case "$verdict" in
    NONE) ;;
    WAIT) last="WAIT" ;;
    ALLOW | STAGGER) exit 0 ;;
    BLOCK) exit 3 ;;
    REJECT) exit 4 ;;
    *) infra_error "unexpected answer from the decision reader: $verdict" ;;
  esac
done
