#!/usr/bin/env python3
"""JSON work for pipeline/gate-wait.sh and pipeline/deploy-waves.sh (python3 only, no packages).

Subcommands:
  request   build a DeploymentRequest from a services file; exit 2 naming what is wrong
  take      read one `gcloud pubsub subscriptions pull --format=json` batch on stdin, keep the
            decisions for one requestId, print their news, write the latest to --out; prints one
            word on the last stdout line: NONE, WAIT, ALLOW, STAGGER, BLOCK or REJECT
  summary   print a decision file as a readable summary
  steps     turn an ALLOW/STAGGER decision file into deploy steps, one TSV line each after a
            VERDICT <verdict> <requestId> <connector> line:
            OFFSET <seconds> | DEPLOY <service> <instances> | RAMP <service> <cumulative>;
            exit 3 (with the summary on stderr) when the verdict is not ALLOW or STAGGER
  images    print a {"service": "image"} JSON file as TSV lines
"""
import argparse
import base64
import json
import math
import re
import sys

REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
CONNECTOR = re.compile(r"^projects/[^/]+/locations/[^/]+/connectors/[^/]+$")
SERVICE_NAME = re.compile(r"^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$")
FINAL = ("ALLOW", "STAGGER", "BLOCK", "REJECT")
VERDICTS = FINAL + ("WAIT",)


class Usage(Exception):
    """A problem with what the caller gave us: exit 2."""


def load_json(path, what):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as err:
        raise Usage("%s %s: cannot read it: %s" % (what, path, err.strerror or err))
    except ValueError as err:
        raise Usage("%s %s: not JSON: %s" % (what, path, err))


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_integer(value):
    return is_number(value) and float(value).is_integer()


def validate_services(services, path):
    """The checks a person gets wrong by hand; the gate checks the rest (and answers REJECT)."""
    problems = []
    if isinstance(services, dict) and "services" in services:
        services = services["services"]
    if not isinstance(services, list):
        raise Usage("services file %s: must be a JSON list of {name, instances, startupMbps, startupSeconds, "
                    "dependsOn}, got %s" % (path, type(services).__name__))
    if not 1 <= len(services) <= 500:
        raise Usage("services file %s: must list 1..500 services, got %d" % (path, len(services)))
    names = []
    for i, service in enumerate(services):
        where = "services[%d]" % i
        if not isinstance(service, dict):
            problems.append("%s: must be an object, got %s" % (where, json.dumps(service)))
            continue
        name = service.get("name")
        if not isinstance(name, str) or not SERVICE_NAME.match(name):
            problems.append("%s.name: must be a Cloud Run service name ([a-z][-a-z0-9]*, at most 49), got %s"
                            % (where, json.dumps(name)))
        elif name in names:
            problems.append("%s.name: %s is listed twice" % (where, name))
        names.append(name)
        instances = service.get("instances")
        if instances is None:
            problems.append("%s.instances: missing (an integer 1..1000)" % where)
        elif not is_integer(instances) or not 1 <= instances <= 1000:
            problems.append("%s.instances: must be an integer 1..1000, got %s" % (where, json.dumps(instances)))
        for field, top in (("startupMbps", 100000), ("startupSeconds", 3600)):
            if field in service and service[field] is not None:
                value = service[field]
                if not is_number(value) or not 0 < value <= top:
                    problems.append("%s.%s: must be a number, 0 < x <= %d, got %s"
                                    % (where, field, top, json.dumps(value)))
        depends = service.get("dependsOn")
        if depends is not None and (not isinstance(depends, list) or not all(isinstance(d, str) for d in depends)):
            problems.append("%s.dependsOn: must be a list of service names, got %s" % (where, json.dumps(depends)))
    known = set(n for n in names if isinstance(n, str))
    for i, service in enumerate(services):
        if isinstance(service, dict) and isinstance(service.get("dependsOn"), list):
            for dep in service["dependsOn"]:
                if isinstance(dep, str) and dep not in known:
                    problems.append("services[%d].dependsOn: %s is not a service of this file" % (i, dep))
    if problems:
        raise Usage("services file %s:\n  - %s" % (path, "\n  - ".join(problems)))
    return services


def cmd_request(args):
    problems = []
    if not REQUEST_ID.match(args.request_id):
        problems.append("--request-id: must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}, got %r" % args.request_id)
    if args.build_id is not None and not REQUEST_ID.match(args.build_id):
        problems.append("--build-id: must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}, got %r" % args.build_id)
    if not CONNECTOR.match(args.connector):
        problems.append("--connector: must be projects/P/locations/L/connectors/C, got %r" % args.connector)
    if args.deadline is not None and (not args.deadline.isdigit() or not 1 <= int(args.deadline) <= 86400):
        problems.append("--deadline: must be whole seconds 1..86400, got %r" % args.deadline)
    if problems:
        raise Usage("\n".join(problems))
    services = validate_services(load_json(args.services, "services file"), args.services)
    request = {"requestId": args.request_id, "connector": args.connector}
    if args.build_id is not None:
        request["buildId"] = args.build_id
    if args.deadline is not None:
        request["deadlineSeconds"] = int(args.deadline)
    request["services"] = [
        {key: service[key] for key in ("name", "instances", "startupMbps", "startupSeconds", "dependsOn")
         if service.get(key) is not None}
        for service in services]
    for service in request["services"]:
        service["instances"] = int(service["instances"])
    print(json.dumps(request, separators=(",", ":"), ensure_ascii=False))


def seconds(value):
    if not is_number(value):
        return "?"
    return ("%d" % value) if float(value).is_integer() else ("%.1f" % value)


def remedy_text(remedy):
    kind = remedy.get("kind", "?")
    extra = {k: v for k, v in remedy.items() if k not in ("kind", "detail")}
    head = kind
    if kind == "RETRY_AFTER" and "seconds" in extra:
        head = "RETRY_AFTER %s s" % seconds(extra["seconds"])
    elif kind == "SCALE_CONNECTOR" and "instances" in extra:
        head = "SCALE_CONNECTOR %s x %s" % (extra.get("instances"), extra.get("machineType", "?"))
    elif extra:
        head = "%s %s" % (kind, " ".join("%s=%s" % (k, v) for k, v in sorted(extra.items())))
    return head + (": " + remedy["detail"] if remedy.get("detail") else "")


def summary_lines(decision):
    verdict = decision.get("verdict", "?")
    lines = ["connector-gate: %s for request %s on %s" % (verdict, decision.get("requestId"),
                                                          decision.get("connector"))]
    capacity = decision.get("capacity")
    if isinstance(capacity, dict):
        lines.append("  capacity: connector %s Mbps, usable %s, baseline %s, reserved %s, headroom %s Mbps" % tuple(
            seconds(capacity.get(k)) for k in
            ("connectorMbps", "usableMbps", "baselineMbps", "reservedMbps", "headroomMbps")))
    reasons = decision.get("reasons") or []
    if reasons:
        lines.append("  reasons:")
        lines.extend("    - %s" % reason for reason in reasons)
    waves = decision.get("waves") or []
    if waves:
        lines.append("  waves (offsets from the decision):")
        for wave in waves:
            services = ", ".join("%s x%s" % (s.get("name"), s.get("instances")) for s in wave.get("services", []))
            lines.append("    +%-6s %s" % (seconds(wave.get("startOffsetSeconds")) + " s", services))
    if decision.get("makespanSeconds") is not None:
        lines.append("  makespan %s s (lower bound %s s)" % (seconds(decision["makespanSeconds"]),
                                                             seconds(decision.get("lowerBoundSeconds"))))
    if decision.get("retryAfterSeconds") is not None:
        lines.append("  retry after %s s" % seconds(decision["retryAfterSeconds"]))
    remedies = decision.get("remedies") or []
    if remedies:
        lines.append("  remedies:")
        lines.extend("    - %s" % remedy_text(r) for r in remedies if isinstance(r, dict))
    for degraded in decision.get("degraded") or []:
        lines.append("  degraded: %s" % (json.dumps(degraded, ensure_ascii=False)
                                         if not isinstance(degraded, str) else degraded))
    return lines


def decode_data(data):
    """gcloud prints message data as base64 without its padding (and may use the URL-safe alphabet)."""
    data = data.strip()
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).decode("utf-8")


def cmd_take(args):
    raw = sys.stdin.read().strip()
    try:
        received = json.loads(raw) if raw else []
    except ValueError as err:
        print("gate-wait: the pull answer is not JSON (%s): %.200s" % (err, raw), file=sys.stderr)
        return 1
    if isinstance(received, dict):
        received = [received]
    latest = None
    for item in received:
        message = item.get("message", item) if isinstance(item, dict) else {}
        attributes = message.get("attributes") or {}
        if attributes.get("requestId") != args.request_id:
            # Emulators and subscriptions without a filter deliver everything: acked and skipped.
            if args.verbose:
                print("  (skipped a decision for %s)" % attributes.get("requestId"), file=sys.stderr)
            continue
        try:
            decision = json.loads(decode_data(message.get("data") or ""))
        except (ValueError, UnicodeDecodeError) as err:
            print("gate-wait: skipped message %s for %s: its data is not a JSON decision (%s)"
                  % (message.get("messageId"), args.request_id, err), file=sys.stderr)
            continue
        if not isinstance(decision, dict) or decision.get("verdict") not in VERDICTS:
            print("gate-wait: skipped message %s for %s: no known verdict in it"
                  % (message.get("messageId"), args.request_id), file=sys.stderr)
            continue
        if decision.get("requestId") not in (None, args.request_id):
            print("gate-wait: skipped message %s: attribute says %s, data says %s"
                  % (message.get("messageId"), args.request_id, decision.get("requestId")), file=sys.stderr)
            continue
        if latest is None or latest.get("verdict") == "WAIT":
            latest = decision  # a final verdict is never replaced by a late WAIT
        if decision.get("verdict") == "WAIT":
            retry = decision.get("retryAfterSeconds")
            print("connector-gate: WAIT for request %s%s" % (
                args.request_id, "" if retry is None else " (retryAfterSeconds %s)" % seconds(retry)))
            for reason in decision.get("reasons") or []:
                print("    - %s" % reason)
            sys.stdout.flush()
    if latest is None:
        print("NONE")
        return 0
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(latest, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    if latest["verdict"] != "WAIT":
        print("\n".join(summary_lines(latest)))
        print("  decision written to %s" % args.out)
    print(latest["verdict"])
    return 0


def cmd_summary(args):
    print("\n".join(summary_lines(load_json(args.decision, "decision file"))))


def cmd_steps(args):
    decision = load_json(args.decision, "decision file")
    if not isinstance(decision, dict):
        raise Usage("decision file %s: not a GateDecision object" % args.decision)
    verdict = decision.get("verdict")
    if verdict not in ("ALLOW", "STAGGER"):
        print("decision file %s: the verdict is %s, not ALLOW or STAGGER: the gate does not let these services "
              "start, so nothing is deployed." % (args.decision, verdict), file=sys.stderr)
        print("\n".join(summary_lines(decision)), file=sys.stderr)
        return 3
    waves = decision.get("waves")
    if not isinstance(waves, list) or not waves:
        raise Usage("decision file %s: a %s without waves" % (args.decision, verdict))
    started = {}
    steps = []
    for i, wave in enumerate(sorted(waves, key=lambda w: w.get("startOffsetSeconds", 0)
                                    if isinstance(w, dict) and is_number(w.get("startOffsetSeconds")) else 0)):
        offset = wave.get("startOffsetSeconds") if isinstance(wave, dict) else None
        if not is_number(offset) or offset < 0:
            raise Usage("decision file %s: waves[%d].startOffsetSeconds: must be a number >= 0, got %s"
                        % (args.decision, i, json.dumps(offset)))
        steps.append("OFFSET\t%d" % math.ceil(offset))
        for j, service in enumerate(wave.get("services") or []):
            name = service.get("name") if isinstance(service, dict) else None
            instances = service.get("instances") if isinstance(service, dict) else None
            if not isinstance(name, str) or not SERVICE_NAME.match(name) or not is_integer(instances) or instances < 1:
                raise Usage("decision file %s: waves[%d].services[%d]: need a service name and instances >= 1, "
                            "got %s" % (args.decision, i, j, json.dumps(service)))
            if name in started:
                started[name] += int(instances)
                steps.append("RAMP\t%s\t%d" % (name, started[name]))
            else:
                started[name] = int(instances)
                steps.append("DEPLOY\t%s\t%d" % (name, started[name]))
    print("VERDICT\t%s\t%s\t%s" % (verdict, decision.get("requestId"), decision.get("connector")))
    print("\n".join(steps))


def cmd_images(args):
    images = load_json(args.file, "images file")
    if not isinstance(images, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                               for k, v in images.items()):
        raise Usage("images file %s: must be a JSON object {\"service\": \"image\", ...}" % args.file)
    for name, image in images.items():
        if "\t" in name or "\n" in name or "\t" in image or "\n" in image:
            raise Usage("images file %s: %r: no tabs or newlines in names and images" % (args.file, name))
        print("%s\t%s" % (name, image.strip()))


def main(argv):
    parser = argparse.ArgumentParser(prog="gate_json.py")
    sub = parser.add_subparsers(dest="command")
    request = sub.add_parser("request")
    request.add_argument("--services", required=True)
    request.add_argument("--connector", required=True)
    request.add_argument("--request-id", required=True)
    request.add_argument("--build-id")
    request.add_argument("--deadline")
    take = sub.add_parser("take")
    take.add_argument("--request-id", required=True)
    take.add_argument("--out", required=True)
    take.add_argument("--verbose", action="store_true")
    summary = sub.add_parser("summary")
    summary.add_argument("--decision", required=True)
    steps = sub.add_parser("steps")
    steps.add_argument("--decision", required=True)
    images = sub.add_parser("images")
    images.add_argument("--file", required=True)
    args = parser.parse_args(argv)
    handlers = {"request": cmd_request, "take": cmd_take, "summary": cmd_summary, "steps": cmd_steps,
                "images": cmd_images}
    if args.command not in handlers:
        parser.print_usage(sys.stderr)
        return 2
    try:
        return handlers[args.command](args) or 0
    except Usage as err:
        print(str(err), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
