package dev.connectorgate.decision;

import dev.connectorgate.model.MachineType;

/** Something an operator can do to turn a STAGGER or BLOCK into an ALLOW; each kind carries its own fields. */
public sealed interface Remedy permits Remedy.ScaleConnector, Remedy.RetryAfter, Remedy.DirectVpcEgress {

    /** The wire name of this remedy's kind. */
    String kind();

    /** One sentence for a person: what to do and what it costs. */
    String detail();

    /** Run more instances (or a larger machine type): the smallest change that makes the request an ALLOW. */
    record ScaleConnector(MachineType machineType, int instances, String detail) implements Remedy {
        @Override
        public String kind() {
            return "SCALE_CONNECTOR";
        }
    }

    /** Reservations of other rollouts end: the same request fits after this many seconds. */
    record RetryAfter(long seconds, String detail) implements Remedy {
        @Override
        public String kind() {
            return "RETRY_AFTER";
        }
    }

    /** Move these services to Direct VPC egress, which has no shared connector to saturate. */
    record DirectVpcEgress(String detail) implements Remedy {
        @Override
        public String kind() {
            return "DIRECT_VPC_EGRESS";
        }
    }
}
